// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {IPositionAdapter} from "../interfaces/IPositionAdapter.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {OracleLib} from "./OracleLib.sol";
import {LeverageLib} from "./LeverageLib.sol";
import {WindowBudget} from "./WindowBudget.sol";
import {ValuationLib} from "./ValuationLib.sol";
import {VaultTypes} from "./VaultTypes.sol";

/// @title VaultGuardLib
/// @notice Internal helpers shared by the vault's keeper (RebalanceLib) and deleverage
///         (DeleverageLib) libraries: the strict snapshot of holdings with exposures and leverage,
///         the after-action checks (loss per action and loss budget, weights, leverage), the
///         drawdown peak, and the internal books.
library VaultGuardLib {
    using WindowBudget for WindowBudget.Budget;

    uint256 internal constant BPS = 10_000;

    /// @notice Vault context passed by the vault: its asset, the asset's decimals, the share supply.
    struct Ctx {
        address asset;
        uint8 assetDecimals;
        uint256 supply;
    }

    /// @notice Holdings valued at the oracle, with exposures (strict: reverts on an unhealthy source).
    struct Snapshot {
        uint256 total; // totalAssets, asset units
        uint256 gross; // sum |net exposure|
        uint256 leverage; // 1e18, rounded up
        uint256 assetPrice; // 18-decimal USD price of the vault asset
        uint256[] prices; // per risk asset (0 when not read: zero balance)
        uint256[] values; // spot value per risk asset, asset units, rounded down
        int256[] net; // spot value + adapter exposure per risk asset
    }

    /// @notice Strict snapshot: total value, per-asset spot values and prices, net exposures
    ///         including every adapter's exposures, gross exposure and leverage.
    function snapshot(VaultTypes.Layout storage s, uint8 assetDecimals) internal view returns (Snapshot memory snap) {
        VaultTypes.Hot memory h = s.hot;
        if (h.hasSequencer) OracleLib.checkSequencer(s.sequencer);
        snap.assetPrice = ValuationLib.assetPrice(s, h.hasAssetFeed, true);
        uint256 n = h.assetCount;
        address[] memory tokens = new address[](n);
        snap.prices = new uint256[](n);
        snap.values = new uint256[](n);
        snap.net = new int256[](n);
        snap.total = h.idle;
        for (uint256 i; i < n; ++i) {
            VaultTypes.RiskAsset storage a = s.assets[i];
            tokens[i] = a.token;
            uint256 bal = a.balance;
            if (bal == 0) continue;
            uint256 price = OracleLib.read(VaultTypes.feedOf(a));
            uint256 v = ValuationLib.toAssetUnits(bal, price, a.decimals, snap.assetPrice, assetDecimals);
            (snap.prices[i], snap.values[i], snap.net[i]) = (price, v, SafeCast.toInt256(v));
            snap.total += v;
        }
        for (uint256 j; j < h.adapterCount; ++j) {
            address ad = s.adapters[j];
            (bool ok, uint256 value) = ValuationLib.adapterValue(ad);
            if (!ok) revert IVaultEvents.AdapterValuationFailed(ad);
            snap.total += value;
            LeverageLib.addExposures(tokens, snap.net, exposures(ad, true));
        }
        snap.gross = LeverageLib.grossExposure(snap.net);
        snap.leverage = LeverageLib.leverageOf(snap.gross, snap.total);
    }

    /// @dev After-action checks shared by rebalances and option orders: loss per action and loss
    ///      budget, per-asset weight and leverage (a limit already breached may not get worse).
    function checkOutcome(
        VaultTypes.Layout storage s,
        VaultTypes.RiskLimits memory lim,
        Snapshot memory before,
        Snapshot memory afterSnap
    ) internal returns (uint256 loss) {
        loss = before.total > afterSnap.total ? before.total - afterSnap.total : 0;
        uint256 maxLoss = Math.mulDiv(before.total, lim.maxLossPerRebalanceBps, BPS);
        if (loss > maxLoss) revert IVaultEvents.RebalanceLossTooHigh(loss, maxLoss);
        s.lossBudget.setCapacity(Math.mulDiv(before.total, lim.lossBudgetBps, BPS), block.timestamp);
        s.lossBudget.consume(loss, block.timestamp);
        uint256 n = afterSnap.net.length;
        for (uint256 i; i < n; ++i) {
            uint256 w = SignedMath.abs(afterSnap.net[i]);
            uint256 maxW = s.assets[i].maxWeightBps;
            if (!LeverageLib.weightWithin(w, afterSnap.total, maxW) && w > SignedMath.abs(before.net[i])) {
                LeverageLib.checkWeight(s.assets[i].token, w, afterSnap.total, maxW);
            }
        }
        if (afterSnap.leverage > lim.maxLeverage && afterSnap.leverage >= before.leverage) {
            LeverageLib.checkLeverage(afterSnap.leverage, lim.maxLeverage);
        }
    }

    /// @dev Records the price per share for the drawdown trigger (a new window starts when the
    ///      current one has elapsed).
    function updatePeak(
        VaultTypes.Layout storage s,
        VaultTypes.RiskLimits memory lim,
        uint256 total,
        uint256 supply
    ) internal {
        uint256 pps = pricePerShare(total, supply);
        VaultTypes.KeeperState storage k = s.keeper;
        if (block.timestamp > uint256(k.peakAt) + lim.window || pps > k.peakPricePerShare) {
            if (block.timestamp > uint256(k.peakAt) + lim.window) k.peakAt = uint40(block.timestamp);
            k.peakPricePerShare = SafeCast.toUint128(pps);
        }
    }

    function pricePerShare(uint256 total, uint256 supply) internal pure returns (uint256) {
        return Math.mulDiv(total + 1, 1e18, supply + 1e6, Math.Rounding.Floor);
    }

    function book(VaultTypes.Layout storage s, address asset, address token, uint256 amount, bool add) internal {
        if (token == asset) {
            s.hot.idle = add ? SafeCast.toUint128(s.hot.idle + amount) : s.hot.idle - SafeCast.toUint128(amount);
        } else {
            VaultTypes.RiskAsset storage a = ValuationLib.assetAt(s, token);
            a.balance = add ? SafeCast.toUint128(a.balance + amount) : a.balance - SafeCast.toUint128(amount);
        }
    }

    /// @dev An adapter's exposures; strict mode reverts with AdapterValuationFailed, lenient returns empty.
    function exposures(address adapter, bool strict) internal view returns (IPositionAdapter.Exposure[] memory e) {
        try IPositionAdapter(adapter).exposures() returns (IPositionAdapter.Exposure[] memory got) {
            return got;
        } catch {
            if (strict) revert IVaultEvents.AdapterValuationFailed(adapter);
        }
    }

    function availableWith(WindowBudget.Budget storage b, uint256 capacity) internal view returns (uint256) {
        WindowBudget.Budget memory m = b;
        m.capacity = SafeCast.toUint128(capacity);
        if (m.window == 0) return 0;
        return WindowBudget.availableAt(m, block.timestamp);
    }
}
