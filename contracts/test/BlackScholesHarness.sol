// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlackScholesLib} from "../options/libraries/BlackScholesLib.sol";

/// @notice Test-only wrapper exposing BlackScholesLib to TypeScript tests and gas scripts.
contract BlackScholesHarness {
    /// @notice See {BlackScholesLib.cdf}.
    function cdf(int256 x) external pure returns (uint256) {
        return BlackScholesLib.cdf(x);
    }

    /// @notice See {BlackScholesLib.price}.
    function price(uint256 spot, uint256 strike, uint256 tau, uint256 volatility, uint256 rate, bool isCall)
        external
        pure
        returns (uint256)
    {
        return BlackScholesLib.price(BlackScholesLib.Inputs(spot, strike, tau, volatility, rate), isCall);
    }

    /// @notice See {BlackScholesLib.delta}.
    function delta(uint256 spot, uint256 strike, uint256 tau, uint256 volatility, uint256 rate, bool isCall)
        external
        pure
        returns (int256)
    {
        return BlackScholesLib.delta(BlackScholesLib.Inputs(spot, strike, tau, volatility, rate), isCall);
    }
}
