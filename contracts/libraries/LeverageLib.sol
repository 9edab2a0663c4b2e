// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IPositionAdapter} from "../interfaces/IPositionAdapter.sol";

/// @title LeverageLib
/// @notice THE definition of exposure, leverage and weight used everywhere in the protocol.
///
///         For every registered underlying i:
///           netExposure_i = spotValue_i + Σ_adapters exposure_{a,i}      (signed, asset units)
///         and
///           leverage = Σ_i |netExposure_i| * 1e18 / totalValue            (rounded UP)
///
///         A protective put reports a negative exposure and so LOWERS leverage; a long call reports
///         a positive one and RAISES it. Spot holdings alone give leverage <= 1e18 whenever their
///         values sum to at most the vault's total value.
///
///         Weights: an underlying respects its cap when value_i * 10_000 <= maxWeightBps * total
///         (exact integer comparison; callers pass value_i rounded up and total rounded down so
///         the check is conservative).
/// @dev Every division names its rounding. Leverage rounds up (never under-reports risk).
library LeverageLib {
    /// @notice 1.0 in 18-decimal fixed point (1x leverage).
    uint256 internal constant ONE = 1e18;
    /// @notice Basis points in one whole.
    uint256 internal constant BPS = 10_000;

    /// @notice An adapter reported exposure on an underlying that is not registered.
    error LeverageUnknownUnderlying(address underlying);
    /// @notice The lengths of the underlying list and of the value list differ.
    error LeverageLengthMismatch(uint256 underlyings, uint256 values);
    /// @notice Leverage (1e18 fixed point) is above its maximum.
    error LeverageAboveMax(uint256 leverage, uint256 maxLeverage);
    /// @notice An underlying's value is above its weight cap.
    error LeverageWeightAboveMax(address underlying, uint256 value, uint256 totalValue, uint256 maxWeightBps);

    /// @notice Net exposure of one underlying: its spot value plus the adapters' signed exposure.
    /// @param spotValue Value of the vault's balance of the underlying (asset units).
    /// @param adapterExposure Sum of the adapters' delta-adjusted exposure to it (asset units, signed).
    function netExposure(uint256 spotValue, int256 adapterExposure) internal pure returns (int256) {
        return SafeCast.toInt256(spotValue) + adapterExposure;
    }

    /// @notice Net exposure per underlying: `spotValues[i]` plus every adapter exposure whose
    ///         `underlying == underlyings[i]`. Reverts on exposure to an unregistered underlying
    ///         (an adapter must never hide risk on an asset the vault cannot price or sell).
    /// @param underlyings Registered risk assets, in the vault's order.
    /// @param spotValues Value of the vault's balance of each, same order (asset units).
    /// @param adapterExposures One `exposures()` array per adapter.
    /// @return net Signed net exposure per underlying, same order (asset units).
    function netExposures(
        address[] memory underlyings,
        uint256[] memory spotValues,
        IPositionAdapter.Exposure[][] memory adapterExposures
    ) internal pure returns (int256[] memory net) {
        uint256 n = underlyings.length;
        if (spotValues.length != n) revert LeverageLengthMismatch(n, spotValues.length);
        net = new int256[](n);
        for (uint256 i = 0; i < n; ++i) {
            net[i] = SafeCast.toInt256(spotValues[i]);
        }
        for (uint256 a = 0; a < adapterExposures.length; ++a) {
            addExposures(underlyings, net, adapterExposures[a]);
        }
    }

    /// @notice Adds one adapter's exposures into `net` (in place), matching by underlying.
    /// @dev Reverts with {LeverageUnknownUnderlying} for an underlying not in `underlyings`.
    function addExposures(
        address[] memory underlyings,
        int256[] memory net,
        IPositionAdapter.Exposure[] memory exposures
    ) internal pure {
        uint256 n = underlyings.length;
        for (uint256 e = 0; e < exposures.length; ++e) {
            address u = exposures[e].underlying;
            uint256 i = 0;
            while (i < n && underlyings[i] != u) ++i;
            if (i == n) revert LeverageUnknownUnderlying(u);
            net[i] += exposures[e].exposure;
        }
    }

    /// @notice Gross exposure: Σ |net_i| (asset units). Exact.
    function grossExposure(int256[] memory net) internal pure returns (uint256 gross) {
        for (uint256 i = 0; i < net.length; ++i) {
            gross += SignedMath.abs(net[i]);
        }
    }

    /// @notice Leverage = gross * 1e18 / totalValue, rounded UP. Zero gross gives 0; a positive
    ///         gross over a zero (or wiped-out) total value gives `type(uint256).max`.
    function leverageOf(uint256 gross, uint256 totalValue) internal pure returns (uint256) {
        if (gross == 0) return 0;
        if (totalValue == 0) return type(uint256).max;
        return Math.mulDiv(gross, ONE, totalValue, Math.Rounding.Ceil);
    }

    /// @notice Leverage of a set of signed net exposures over `totalValue` (1e18 fixed point, rounded UP).
    function leverage(int256[] memory net, uint256 totalValue) internal pure returns (uint256) {
        return leverageOf(grossExposure(net), totalValue);
    }

    /// @notice Reverts with {LeverageAboveMax} when `lev > maxLeverage`.
    function checkLeverage(uint256 lev, uint256 maxLeverage) internal pure {
        if (lev > maxLeverage) revert LeverageAboveMax(lev, maxLeverage);
    }

    /// @notice Whether `value * 10_000 <= maxWeightBps * totalValue` (exact, no division).
    /// @dev A zero total admits only a zero value. Pass `value` rounded up and `totalValue`
    ///      rounded down for a conservative check.
    function weightWithin(uint256 value, uint256 totalValue, uint256 maxWeightBps) internal pure returns (bool) {
        // Full-precision products: value * BPS cannot overflow for value < 2^256 / 1e4, and
        // maxWeightBps * totalValue is computed with 512-bit mulDiv to stay exact.
        (bool okLeft, uint256 left) = Math.tryMul(value, BPS);
        (bool okRight, uint256 right) = Math.tryMul(maxWeightBps, totalValue);
        if (!okRight) return true; // right side >= 2^256 > any left side that fits
        if (!okLeft) return false;
        return left <= right;
    }

    /// @notice Reverts with {LeverageWeightAboveMax} when `underlying` breaks its weight cap.
    function checkWeight(address underlying, uint256 value, uint256 totalValue, uint256 maxWeightBps) internal pure {
        if (!weightWithin(value, totalValue, maxWeightBps)) {
            revert LeverageWeightAboveMax(underlying, value, totalValue, maxWeightBps);
        }
    }

    /// @notice Weight of `value` in `totalValue`, in bps, rounded UP (for reporting and planning).
    ///         A zero total gives 0 for a zero value and `type(uint256).max` otherwise.
    function weightBpsUp(uint256 value, uint256 totalValue) internal pure returns (uint256) {
        if (value == 0) return 0;
        if (totalValue == 0) return type(uint256).max;
        return Math.mulDiv(value, BPS, totalValue, Math.Rounding.Ceil);
    }
}
