// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlackScholesLib} from "./libraries/BlackScholesLib.sol";

/// @title BlackScholesPricer
/// @notice Stateless contract exposing {BlackScholesLib}. The venue calls it instead of inlining the
///         math, which keeps the venue (ERC-4626 + ERC-1155 + pricing) under the 24,576-byte code
///         size limit; keepers and tests may call it directly. Units as in {BlackScholesLib}.
contract BlackScholesPricer {
    /// @notice Black-Scholes price of one vanilla option (18-decimal USD).
    function price(
        uint256 spot,
        uint256 strike,
        uint256 tau,
        uint256 volatility,
        uint256 rate,
        bool isCall
    ) external pure returns (uint256) {
        return BlackScholesLib.price(BlackScholesLib.Inputs(spot, strike, tau, volatility, rate), isCall);
    }

    /// @notice Black-Scholes delta of one vanilla option (18 decimals, signed).
    function delta(
        uint256 spot,
        uint256 strike,
        uint256 tau,
        uint256 volatility,
        uint256 rate,
        bool isCall
    ) external pure returns (int256) {
        return BlackScholesLib.delta(BlackScholesLib.Inputs(spot, strike, tau, volatility, rate), isCall);
    }

    /// @notice Standard normal CDF, 18 decimals (see {BlackScholesLib.cdf}).
    function cdf(int256 x) external pure returns (uint256) {
        return BlackScholesLib.cdf(x);
    }

    /// @notice Price of a put (`isCall` false; `capStrike` ignored) or of a call spread long
    ///         `p.strike`, short `capStrike` (`isCall` true), never negative.
    function optionPrice(
        BlackScholesLib.Inputs memory p,
        bool isCall,
        uint256 capStrike
    ) external pure returns (uint256) {
        if (!isCall) return BlackScholesLib.price(p, false);
        uint256 lower = BlackScholesLib.price(p, true);
        p.strike = capStrike;
        uint256 upper = BlackScholesLib.price(p, true);
        return lower > upper ? lower - upper : 0;
    }

    /// @notice Delta of the instrument priced by {optionPrice}.
    function optionDelta(
        BlackScholesLib.Inputs memory p,
        bool isCall,
        uint256 capStrike
    ) external pure returns (int256) {
        if (!isCall) return BlackScholesLib.delta(p, false);
        int256 lower = BlackScholesLib.delta(p, true);
        p.strike = capStrike;
        return lower - BlackScholesLib.delta(p, true);
    }
}
