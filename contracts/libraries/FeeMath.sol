// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title FeeMath
/// @notice Entry/exit fee and management/performance fee arithmetic for the vault. Every division
///         names its rounding, always in the vault's (the remaining holders') favour.
library FeeMath {
    /// @notice Basis-point denominator.
    uint256 internal constant BPS = 10_000;
    /// @notice Seconds per (365-day) year used by the management fee.
    uint256 internal constant YEAR = 365 days;
    /// @notice Fixed-point unit of the price per share (high-water mark).
    uint256 internal constant PPS_ONE = 1e18;

    /// @notice Fee included in a gross amount `total` (fee = total * bps / (BPS + bps)), rounded up.
    function feeOnTotal(uint256 total, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(total, bps, BPS + bps, Math.Rounding.Ceil);
    }

    /// @notice Fee to add on top of a net amount `raw` (fee = raw * bps / BPS), rounded up.
    function feeOnRaw(uint256 raw, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(raw, bps, BPS, Math.Rounding.Ceil);
    }

    /// @notice Price per share: (totalAssets + 1) * PPS_ONE / (supply + virtualShares), rounded down.
    ///         Uses the same virtual asset/shares as OpenZeppelin's ERC-4626 conversion.
    function pricePerShare(uint256 totalAssets, uint256 supply, uint256 virtualShares) internal pure returns (uint256) {
        return Math.mulDiv(totalAssets + 1, PPS_ONE, supply + virtualShares, Math.Rounding.Floor);
    }

    /// @notice Management fee over `elapsed` seconds plus performance fee above `highWaterMark`,
    ///         expressed as shares to mint to the fee recipient.
    /// @param totalAssets Vault value before the fee, asset units.
    /// @param supply Share supply before the fee (without virtual shares).
    /// @param virtualShares 10 ** decimalsOffset.
    /// @param elapsed Seconds since the last accrual.
    /// @param managementBps Yearly management fee, bps.
    /// @param performanceBps Performance fee on the gain above the high-water mark, bps.
    /// @param highWaterMark Highest price per share on which a performance fee was charged.
    /// @return feeShares Shares worth the fee (rounded down: the recipient gets at most the fee).
    /// @return newHighWaterMark max(highWaterMark, price per share after the fee).
    function accrual(
        uint256 totalAssets,
        uint256 supply,
        uint256 virtualShares,
        uint256 elapsed,
        uint256 managementBps,
        uint256 performanceBps,
        uint256 highWaterMark
    ) internal pure returns (uint256 feeShares, uint256 newHighWaterMark) {
        if (supply == 0) return (0, highWaterMark);
        uint256 pps = pricePerShare(totalAssets, supply, virtualShares);
        // Management fee accrues on the whole value, pro rata temporis (rounded down).
        uint256 feeAssets = Math.mulDiv(totalAssets, managementBps * elapsed, BPS * YEAR, Math.Rounding.Floor);
        if (pps > highWaterMark && performanceBps != 0) {
            uint256 gain = Math.mulDiv(pps - highWaterMark, supply + virtualShares, PPS_ONE, Math.Rounding.Floor);
            feeAssets += Math.mulDiv(gain, performanceBps, BPS, Math.Rounding.Floor);
        }
        // Never more than half the vault, whatever the elapsed time (guards absurd gaps).
        if (feeAssets > totalAssets / 2) feeAssets = totalAssets / 2;
        if (feeAssets != 0) {
            // shares s with s * (ta + 1) / (supply + s + V) = fee  =>  s = fee * (supply + V) / (ta + 1 - fee)
            feeShares = Math.mulDiv(
                feeAssets,
                supply + virtualShares,
                totalAssets + 1 - feeAssets,
                Math.Rounding.Floor
            );
        }
        uint256 after_ = pricePerShare(totalAssets, supply + feeShares, virtualShares);
        newHighWaterMark = after_ > highWaterMark ? after_ : highWaterMark;
    }
}
