// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IOptionAdapter} from "../interfaces/IOptionAdapter.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";
import {IRiskParityVault} from "../interfaces/IRiskParityVault.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {OracleLib} from "./OracleLib.sol";
import {PriceMath} from "./PriceMath.sol";
import {TradeMath} from "./TradeMath.sol";
import {SwapExecution} from "./SwapExecution.sol";
import {WindowBudget} from "./WindowBudget.sol";
import {ValuationLib} from "./ValuationLib.sol";
import {VaultGuardLib} from "./VaultGuardLib.sol";
import {VaultTypes} from "./VaultTypes.sol";

/// @title RebalanceLib
/// @notice The vault's keeper entry points: typed trades checked against the oracle and the
///         limits, option orders, and the risk-limit configuration. A linked library (DELEGATECALL
///         in the vault's context) so the vault stays under 24 KiB; access control, the reentrancy
///         guard and the share-supply check stay in the vault. Guard arithmetic comes from
///         LeverageLib, TradeMath, WindowBudget and SwapExecution.
library RebalanceLib {
    using SafeERC20 for IERC20;
    using WindowBudget for WindowBudget.Budget;

    uint256 internal constant BPS = 10_000;
    /// @notice Hard cap of the deleverage slippage vs the oracle (looser than keepers', still capped).
    uint256 internal constant MAX_DELEVERAGE_SLIPPAGE_BPS = 1_000;
    /// @notice Hard cap of the deleverage bounty rate.
    uint256 internal constant MAX_BOUNTY_BPS = 100;

    /// @notice Executes typed trades (see IRiskParityVault.rebalance). The caller (the vault)
    ///         checks the role, the reentrancy guard and that the share supply is unchanged.
    function rebalance(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        IRiskParityVault.Trade[] calldata trades,
        uint256 expectedNonce,
        uint256 deadline
    ) external {
        VaultTypes.RiskLimits memory lim = _rebalanceChecks(s, trades.length, expectedNonce, deadline);
        VaultGuardLib.Snapshot memory before = VaultGuardLib.snapshot(s, c.assetDecimals);
        (uint256 turnover, bool sellsOnly) = _executeTrades(s, c, before.assetPrice, lim, trades);
        _settle(s, c, lim, before, turnover, sellsOnly, trades.length);
    }

    /// @dev After the trades: interval, loss, weights, leverage, turnover budget, drawdown peak,
    ///      nonce and event.
    function _settle(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        VaultTypes.RiskLimits memory lim,
        VaultGuardLib.Snapshot memory before,
        uint256 turnover,
        bool sellsOnly,
        uint256 count
    ) private {
        VaultGuardLib.Snapshot memory afterSnap = VaultGuardLib.snapshot(s, c.assetDecimals);
        _checkInterval(s, lim, sellsOnly && afterSnap.gross < before.gross);
        uint256 loss = VaultGuardLib.checkOutcome(s, lim, before, afterSnap);
        s.turnoverBudget.setCapacity(Math.mulDiv(before.total, lim.turnoverBps, BPS), block.timestamp);
        s.turnoverBudget.consume(turnover, block.timestamp);
        VaultGuardLib.updatePeak(s, lim, afterSnap.total, c.supply);
        uint256 nonce = s.keeper.nonce;
        s.keeper.nonce = uint64(nonce + 1);
        s.keeper.lastRebalance = uint40(block.timestamp);
        s.keeper.ripcordLatched = false; // a successful rebalance ends at or below the maximum leverage
        emit IVaultEvents.Rebalanced(nonce, count, before.total, afterSnap.total, loss, turnover, afterSnap.leverage);
    }

    /// @dev Pause, deadline, nonce, non-empty batch and configured limits.
    function _rebalanceChecks(
        VaultTypes.Layout storage s,
        uint256 count,
        uint256 expectedNonce,
        uint256 deadline
    ) private view returns (VaultTypes.RiskLimits memory lim) {
        if (s.hot.rebalancePaused) revert IVaultEvents.RebalanceIsPaused();
        if (block.timestamp > deadline) revert IVaultEvents.RebalanceExpired(deadline, block.timestamp);
        uint256 nonce = s.keeper.nonce;
        if (expectedNonce != nonce) revert IVaultEvents.RebalanceNonceMismatch(expectedNonce, nonce);
        if (count == 0) revert IVaultEvents.EmptyRebalance();
        lim = s.limitsCfg;
        if (lim.maxLeverage == 0) revert IVaultEvents.LimitsNotSet();
    }

    /// @dev Runs every trade; returns the summed trade value and whether every trade sold into the asset.
    function _executeTrades(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        uint256 assetPrice,
        VaultTypes.RiskLimits memory lim,
        IRiskParityVault.Trade[] calldata trades
    ) private returns (uint256 turnover, bool sellsOnly) {
        sellsOnly = true;
        for (uint256 i; i < trades.length; ++i) {
            turnover += _trade(s, c.asset, c.assetDecimals, assetPrice, lim, trades[i]);
            if (trades[i].tokenOut != c.asset) sellsOnly = false;
        }
    }

    /// @dev The minimum interval between rebalances, waived for a gross-exposure-reducing batch.
    function _checkInterval(
        VaultTypes.Layout storage s,
        VaultTypes.RiskLimits memory lim,
        bool reduceOnly
    ) private view {
        uint256 last = s.keeper.lastRebalance;
        uint256 nextAllowed = last + lim.minRebalanceInterval;
        if (!reduceOnly && last != 0 && block.timestamp < nextAllowed) {
            revert IVaultEvents.RebalanceTooSoon(nextAllowed, block.timestamp);
        }
    }

    /// @notice Buys an option through a registered option adapter (approval of exactly `maxPremium`,
    ///         reset after), then checks leverage and the loss budget.
    function openOption(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        address adapter,
        IOptionAdapter.OptionOrder calldata order
    ) external returns (uint256 seriesId, uint256 premiumPaid) {
        VaultTypes.RiskLimits memory lim = _keeperChecks(s, adapter);
        ValuationLib.assetAt(s, order.underlying);
        if (order.maxPremium > s.hot.idle)
            revert IVaultEvents.InsufficientHolding(c.asset, order.maxPremium, s.hot.idle);
        VaultGuardLib.Snapshot memory before = VaultGuardLib.snapshot(s, c.assetDecimals);
        (seriesId, premiumPaid) = _open(c.asset, adapter, order);
        s.hot.idle -= SafeCast.toUint128(premiumPaid);
        uint256 loss = _afterOption(s, c, lim, before);
        emit IVaultEvents.OptionOpened(adapter, seriesId, order.underlying, order.amount, premiumPaid, loss);
    }

    /// @notice Sells `amount` of an option series back through its adapter; proceeds measured on
    ///         the vault's asset balance and required to be at least `minProceeds`.
    function closeOption(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        address adapter,
        uint256 seriesId,
        uint256 amount,
        uint256 minProceeds
    ) external returns (uint256 proceeds) {
        VaultTypes.RiskLimits memory lim = _keeperChecks(s, adapter);
        VaultGuardLib.Snapshot memory before = VaultGuardLib.snapshot(s, c.assetDecimals);
        proceeds = _close(c.asset, adapter, seriesId, amount, minProceeds);
        s.hot.idle += SafeCast.toUint128(proceeds);
        uint256 loss = _afterOption(s, c, lim, before);
        emit IVaultEvents.OptionClosed(adapter, seriesId, amount, proceeds, loss);
    }

    /// @dev Closes through the adapter and measures the proceeds on the vault's asset balance.
    function _close(
        address asset,
        address adapter,
        uint256 seriesId,
        uint256 amount,
        uint256 minProceeds
    ) private returns (uint256 proceeds) {
        uint256 balBefore = IERC20(asset).balanceOf(address(this));
        IOptionAdapter(adapter).close(seriesId, amount, minProceeds);
        uint256 balAfter = IERC20(asset).balanceOf(address(this));
        proceeds = balAfter > balBefore ? balAfter - balBefore : 0;
        if (proceeds < minProceeds) revert IVaultEvents.ProceedsBelowMin(proceeds, minProceeds);
    }

    /// @dev Approves exactly `maxPremium`, opens, resets the approval, measures the premium paid.
    function _open(
        address asset,
        address adapter,
        IOptionAdapter.OptionOrder calldata order
    ) private returns (uint256 seriesId, uint256 premiumPaid) {
        uint256 balBefore = IERC20(asset).balanceOf(address(this));
        IERC20(asset).forceApprove(adapter, order.maxPremium);
        (seriesId, ) = IOptionAdapter(adapter).open(order);
        IERC20(asset).forceApprove(adapter, 0);
        uint256 balAfter = IERC20(asset).balanceOf(address(this));
        premiumPaid = balBefore > balAfter ? balBefore - balAfter : 0;
        if (premiumPaid > order.maxPremium) revert IVaultEvents.PremiumAboveMax(premiumPaid, order.maxPremium);
    }

    /// @dev Loss, weight and leverage checks after an option order; records the drawdown peak.
    function _afterOption(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        VaultTypes.RiskLimits memory lim,
        VaultGuardLib.Snapshot memory before
    ) private returns (uint256 loss) {
        VaultGuardLib.Snapshot memory afterSnap = VaultGuardLib.snapshot(s, c.assetDecimals);
        loss = VaultGuardLib.checkOutcome(s, lim, before, afterSnap);
        VaultGuardLib.updatePeak(s, lim, afterSnap.total, c.supply);
    }

    /// @notice Validates and stores the limits; `onlyTighter` refuses any looser keeper limit.
    function setLimits(VaultTypes.Layout storage s, VaultTypes.RiskLimits calldata lim, bool onlyTighter) external {
        if (!(lim.targetLeverage <= lim.maxLeverage && lim.maxLeverage < lim.ripcordLeverage)) {
            revert IVaultEvents.InvalidLeverageLadder(lim.targetLeverage, lim.maxLeverage, lim.ripcordLeverage);
        }
        TradeMath.checkSlippageCap(lim.maxSlippageBps);
        if (lim.deleverageSlippageBps > MAX_DELEVERAGE_SLIPPAGE_BPS || lim.deleverageSlippageBps < lim.maxSlippageBps) {
            revert IVaultEvents.InvalidLimit(lim.deleverageSlippageBps, MAX_DELEVERAGE_SLIPPAGE_BPS);
        }
        if (lim.bountyBps > MAX_BOUNTY_BPS) revert IVaultEvents.InvalidLimit(lim.bountyBps, MAX_BOUNTY_BPS);
        if (lim.window == 0) revert IVaultEvents.InvalidLimit(0, 1);
        if (lim.maxLossPerRebalanceBps > BPS || lim.lossBudgetBps > BPS || lim.drawdownBps > BPS) {
            revert IVaultEvents.InvalidLimit(BPS + 1, BPS);
        }
        if (onlyTighter) _checkTighter(s.limitsCfg, lim);
        bool first = s.limitsCfg.window == 0;
        s.limitsCfg = lim;
        if (first) {
            s.lossBudget.init(0, lim.window, block.timestamp);
            s.turnoverBudget.init(0, lim.window, block.timestamp);
            s.deleverageBudget.init(0, lim.window, block.timestamp);
        } else {
            s.lossBudget.setWindow(lim.window, block.timestamp);
            s.turnoverBudget.setWindow(lim.window, block.timestamp);
            s.deleverageBudget.setWindow(lim.window, block.timestamp);
        }
        emit IVaultEvents.LimitsSet(lim, onlyTighter);
    }

    /// @notice Sets the swap adapter and route deleverage uses for `token` (adapter must be allowed).
    function setDeleverageRoute(
        VaultTypes.Layout storage s,
        address token,
        address adapter,
        ISwapAdapter.Route calldata route
    ) external {
        ValuationLib.assetAt(s, token);
        if (!s.swapAdapters[adapter]) revert IVaultEvents.SwapAdapterNotAllowed(adapter);
        s.routes[token] = VaultTypes.DeleverageRoute({
            adapter: adapter,
            fees: route.fees,
            intermediates: route.intermediates
        });
        emit IVaultEvents.DeleverageRouteSet(token, adapter, route.fees, route.intermediates);
    }

    /// @dev One keeper trade: checks, swap through the adapter (balances only), books update.
    ///      Returns the trade's value (asset units, rounded up) for the turnover budget.
    function _trade(
        VaultTypes.Layout storage s,
        address asset,
        uint8 assetDecimals,
        uint256 assetPrice,
        VaultTypes.RiskLimits memory lim,
        IRiskParityVault.Trade calldata t
    ) private returns (uint256 value) {
        uint256 minOut;
        (value, minOut) = _checkTrade(s, asset, assetDecimals, assetPrice, lim, t);
        (uint256 spent, uint256 received) = SwapExecution.execute(
            ISwapAdapter(t.adapter),
            t.tokenIn,
            t.tokenOut,
            t.amountIn,
            minOut,
            t.route
        );
        VaultGuardLib.book(s, asset, t.tokenIn, spent, false);
        VaultGuardLib.book(s, asset, t.tokenOut, received, true);
        emit IVaultEvents.TradeExecuted(t.tokenIn, t.tokenOut, t.adapter, spent, received, value);
    }

    /// @dev Per-trade checks: whitelisted adapter, distinct registered tokens, holding, value cap,
    ///      keeper minimum >= oracle minimum. Returns (value rounded up, minimum output to require).
    function _checkTrade(
        VaultTypes.Layout storage s,
        address asset,
        uint8 assetDecimals,
        uint256 assetPrice,
        VaultTypes.RiskLimits memory lim,
        IRiskParityVault.Trade calldata t
    ) private view returns (uint256 value, uint256 minOut) {
        if (!s.swapAdapters[t.adapter]) revert IVaultEvents.SwapAdapterNotAllowed(t.adapter);
        if (t.tokenIn == t.tokenOut) revert IVaultEvents.TradeSameToken(t.tokenIn);
        if (t.amountIn == 0) revert IVaultEvents.ZeroAmount();
        (uint256 priceIn, uint8 decIn, uint256 heldIn) = _priced(s, asset, assetDecimals, assetPrice, t.tokenIn);
        (uint256 priceOut, uint8 decOut, ) = _priced(s, asset, assetDecimals, assetPrice, t.tokenOut);
        if (t.amountIn > heldIn) revert IVaultEvents.InsufficientHolding(t.tokenIn, t.amountIn, heldIn);
        value = PriceMath.amountUp(PriceMath.valueUp(t.amountIn, priceIn, decIn), assetPrice, assetDecimals);
        if (value > lim.maxTradeValue) revert IVaultEvents.TradeTooLarge(value, lim.maxTradeValue);
        uint256 oracleMin = TradeMath.minAmountOut(t.amountIn, priceIn, decIn, priceOut, decOut, lim.maxSlippageBps);
        minOut = TradeMath.enforceMinOut(t.minAmountOut, oracleMin);
    }

    /// @dev Strict price, decimals and tracked balance of the asset or a registered risk asset.
    function _priced(
        VaultTypes.Layout storage s,
        address asset,
        uint8 assetDecimals,
        uint256 assetPrice,
        address token
    ) private view returns (uint256 price, uint8 dec, uint256 held) {
        if (token == asset) return (assetPrice, assetDecimals, s.hot.idle);
        VaultTypes.RiskAsset storage a = ValuationLib.assetAt(s, token);
        return (OracleLib.read(VaultTypes.feedOf(a)), a.decimals, a.balance);
    }

    function _keeperChecks(
        VaultTypes.Layout storage s,
        address adapter
    ) private view returns (VaultTypes.RiskLimits memory lim) {
        if (s.hot.rebalancePaused) revert IVaultEvents.RebalanceIsPaused();
        if (!s.isAdapter[adapter]) revert IVaultEvents.AdapterRegistration(adapter, false);
        lim = s.limitsCfg;
        if (lim.maxLeverage == 0) revert IVaultEvents.LimitsNotSet();
    }

    /// @dev A looser keeper limit than the current one is refused; deleverage parameters must be unchanged.
    function _checkTighter(VaultTypes.RiskLimits storage c, VaultTypes.RiskLimits calldata lim) private view {
        if (
            lim.targetLeverage > c.targetLeverage ||
            lim.maxLeverage > c.maxLeverage ||
            lim.ripcordLeverage > c.ripcordLeverage ||
            lim.maxSlippageBps > c.maxSlippageBps ||
            lim.maxLossPerRebalanceBps > c.maxLossPerRebalanceBps ||
            lim.lossBudgetBps > c.lossBudgetBps ||
            lim.maxTradeValue > c.maxTradeValue ||
            lim.turnoverBps > c.turnoverBps ||
            lim.minRebalanceInterval < c.minRebalanceInterval ||
            lim.window != c.window ||
            lim.deleverageSlippageBps != c.deleverageSlippageBps ||
            lim.deleverageCooldown != c.deleverageCooldown ||
            lim.deleverageChunkBps != c.deleverageChunkBps ||
            lim.deleverageBudgetBps != c.deleverageBudgetBps ||
            lim.drawdownBps != c.drawdownBps ||
            lim.bountyBps != c.bountyBps ||
            lim.maxBounty != c.maxBounty
        ) revert IVaultEvents.LimitsNotTighter();
    }
}
