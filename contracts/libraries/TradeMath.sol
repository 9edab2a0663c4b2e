// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title TradeMath
/// @notice Oracle-implied bounds on a keeper's trade. A trade of `amountIn` tokenIn must return at
///         least
///             minOut = amountIn * priceIn / priceOut * (10_000 - slippageBps) / 10_000
///         (decimals converted as in {PriceMath}, in a single rounding step), rounded UP so the vault never accepts less
///         than the oracle allows. Keeper slippage is capped in code at {MAX_KEEPER_SLIPPAGE_BPS}.
library TradeMath {
    /// @notice Hard cap on the slippage a keeper trade may be allowed vs the oracle (3 %).
    uint256 internal constant MAX_KEEPER_SLIPPAGE_BPS = 300;
    /// @notice Basis points in one whole.
    uint256 internal constant BPS = 10_000;

    /// @notice A configured or requested slippage is above {MAX_KEEPER_SLIPPAGE_BPS}.
    error TradeSlippageAboveCap(uint256 slippageBps, uint256 capBps);
    /// @notice An oracle price of zero was supplied.
    error TradeZeroPrice(uint256 priceIn, uint256 priceOut);
    /// @notice The keeper's `minAmountOut` is below the oracle-implied minimum.
    error TradeMinOutBelowOracle(uint256 minAmountOut, uint256 oracleMinOut);
    /// @notice The swap delivered less than required.
    error TradeInsufficientOutput(uint256 received, uint256 required);

    /// @notice Reverts with {TradeSlippageAboveCap} when `slippageBps > MAX_KEEPER_SLIPPAGE_BPS`.
    function checkSlippageCap(uint256 slippageBps) internal pure {
        if (slippageBps > MAX_KEEPER_SLIPPAGE_BPS) revert TradeSlippageAboveCap(slippageBps, MAX_KEEPER_SLIPPAGE_BPS);
    }

    /// @notice Amount of tokenOut that `amountIn` tokenIn is worth at the oracle, rounded DOWN once
    ///         (the {PriceMath} value and amount conversions folded into one 512-bit mulDiv).
    /// @param priceIn 18-decimal USD price of one whole tokenIn.
    /// @param priceOut 18-decimal USD price of one whole tokenOut.
    function oracleAmountOutDown(
        uint256 amountIn,
        uint256 priceIn,
        uint8 decimalsIn,
        uint256 priceOut,
        uint8 decimalsOut
    ) internal pure returns (uint256) {
        if (priceIn == 0 || priceOut == 0) revert TradeZeroPrice(priceIn, priceOut);
        return Math.mulDiv(amountIn, priceIn * 10 ** decimalsOut, priceOut * 10 ** decimalsIn, Math.Rounding.Floor);
    }

    /// @notice Oracle-implied minimum output of a trade with `slippageBps` allowance: the exact
    ///         ceiling of amountIn * priceIn * (10_000 - slippageBps) * 10^decimalsOut
    ///         / (priceOut * 10_000 * 10^decimalsIn), so never below the real-number bound and at
    ///         most 1 unit above it. Reverts if `slippageBps` exceeds the hard cap.
    /// @dev One 512-bit mulDiv (no intermediate rounding). The decimal scaling is the same as
    ///      {PriceMath.valueUp} followed by {PriceMath.amountUp}, folded into one division so the
    ///      rounding happens once; `priceIn * 1e4 * 10^decimalsOut` must fit in 256 bits (prices up
    ///      to 1e12 USD with 18-decimal tokens), otherwise it reverts (checked arithmetic).
    function minAmountOut(
        uint256 amountIn,
        uint256 priceIn,
        uint8 decimalsIn,
        uint256 priceOut,
        uint8 decimalsOut,
        uint256 slippageBps
    ) internal pure returns (uint256) {
        checkSlippageCap(slippageBps);
        if (priceIn == 0 || priceOut == 0) revert TradeZeroPrice(priceIn, priceOut);
        return
            Math.mulDiv(
                amountIn,
                priceIn * (BPS - slippageBps) * 10 ** decimalsOut,
                priceOut * BPS * 10 ** decimalsIn,
                Math.Rounding.Ceil
            );
    }

    /// @notice Reverts with {TradeMinOutBelowOracle} when a keeper's `keeperMinOut` is below the
    ///         oracle-implied minimum; returns the stricter (larger) of the two to pass to the adapter.
    function enforceMinOut(uint256 keeperMinOut, uint256 oracleMinOut) internal pure returns (uint256) {
        if (keeperMinOut < oracleMinOut) revert TradeMinOutBelowOracle(keeperMinOut, oracleMinOut);
        return keeperMinOut;
    }

    /// @notice Reverts with {TradeInsufficientOutput} when `received < required`.
    function checkReceived(uint256 received, uint256 required) internal pure {
        if (received < required) revert TradeInsufficientOutput(received, required);
    }

    /// @notice Slippage actually paid vs the oracle, in bps of the oracle amount, rounded UP
    ///         (0 when the fill was at or better than the oracle).
    /// @param oracleOut Oracle amount of tokenOut for the input (see {oracleAmountOutDown}).
    /// @param received Amount of tokenOut actually received.
    function slippageBpsUp(uint256 oracleOut, uint256 received) internal pure returns (uint256) {
        if (received >= oracleOut || oracleOut == 0) return 0;
        return Math.mulDiv(oracleOut - received, BPS, oracleOut, Math.Rounding.Ceil);
    }
}
