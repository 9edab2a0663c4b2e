// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";
import {IRiskParityVault} from "../interfaces/IRiskParityVault.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {OracleLib} from "./OracleLib.sol";
import {LeverageLib} from "./LeverageLib.sol";
import {TradeMath} from "./TradeMath.sol";
import {SwapExecution} from "./SwapExecution.sol";
import {WindowBudget} from "./WindowBudget.sol";
import {ValuationLib} from "./ValuationLib.sol";
import {VaultGuardLib} from "./VaultGuardLib.sol";
import {VaultTypes} from "./VaultTypes.sol";

/// @title DeleverageLib
/// @notice The permissionless deleverage (ripcord above the maximum leverage, or a drawdown of the
///         price per share within the window): bounded pro-rata chunks sold through curator-set
///         routes, chunk cooldown, notional budget per window, oracle slippage bound, capped bounty.
///         Also the keeper's bounds view and the drawdown checkpoint. A linked library.
library DeleverageLib {
    using SafeERC20 for IERC20;
    using WindowBudget for WindowBudget.Budget;

    uint256 internal constant BPS = 10_000;
    /// @notice Reasons reported by {shouldDeleverage}.
    uint8 internal constant REASON_NONE = 0;
    uint8 internal constant REASON_RIPCORD = 1;
    uint8 internal constant REASON_DRAWDOWN = 2;

    /// @notice Whether {deleverage} may run now and why (ignores the cooldown, like the interface).
    function shouldDeleverage(
        VaultTypes.Layout storage s,
        uint8 assetDecimals,
        uint256 supply
    ) external view returns (bool due, uint8 reason) {
        (bool healthy, uint256 total, uint256 gross) = _lenientGross(s, assetDecimals);
        if (!healthy) return (false, REASON_NONE);
        return _due(s, s.limitsCfg, total, gross, supply);
    }

    /// @notice Sells one bounded, pro-rata chunk of the routable spot holdings for the asset and
    ///         pays the caller a capped bounty (see IRiskParityVault.deleverage).
    function deleverage(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c
    ) external returns (uint256 soldValue, uint256 bounty) {
        VaultTypes.RiskLimits memory lim = s.limitsCfg;
        VaultGuardLib.Snapshot memory snap = VaultGuardLib.snapshot(s, c.assetDecimals);
        uint8 reason = _checkDue(s, lim, snap, c.supply);
        uint256 target = _chunkTarget(s, lim, snap, reason);
        soldValue = _sellProRata(s, c, snap, lim, target);
        if (soldValue == 0) revert IVaultEvents.NothingToDeleverage(target, 0, 0);
        s.deleverageBudget.consume(Math.min(soldValue, s.deleverageBudget.available(block.timestamp)), block.timestamp);
        s.keeper.lastDeleverage = uint40(block.timestamp);
        bounty = _payBounty(s, c.asset, lim, soldValue);
        uint256 leverageBefore = snap.leverage;
        snap = VaultGuardLib.snapshot(s, c.assetDecimals);
        s.keeper.ripcordLatched = reason == REASON_RIPCORD && snap.leverage > lim.maxLeverage;
        emit IVaultEvents.Deleveraged(msg.sender, reason, soldValue, bounty, leverageBefore, snap.leverage);
    }

    /// @dev Pays min(soldValue x bountyBps, maxBounty, idle) to the caller, once per chunk.
    function _payBounty(
        VaultTypes.Layout storage s,
        address asset,
        VaultTypes.RiskLimits memory lim,
        uint256 soldValue
    ) private returns (uint256 bounty) {
        bounty = Math.min(Math.mulDiv(soldValue, lim.bountyBps, BPS, Math.Rounding.Floor), lim.maxBounty);
        if (bounty > s.hot.idle) bounty = s.hot.idle;
        if (bounty != 0) {
            s.hot.idle -= uint128(bounty);
            IERC20(asset).safeTransfer(msg.sender, bounty);
        }
    }

    /// @dev Reverts unless a deleverage is due and the chunk cooldown has passed; returns the reason.
    function _checkDue(
        VaultTypes.Layout storage s,
        VaultTypes.RiskLimits memory lim,
        VaultGuardLib.Snapshot memory snap,
        uint256 supply
    ) private view returns (uint8 reason) {
        bool due;
        (due, reason) = _due(s, lim, snap.total, snap.gross, supply);
        if (!due) revert IVaultEvents.DeleverageNotDue(snap.leverage, lim.ripcordLeverage);
        uint256 last = s.keeper.lastDeleverage;
        if (last != 0 && block.timestamp < last + lim.deleverageCooldown) {
            revert IVaultEvents.DeleverageCooldown(last + lim.deleverageCooldown, block.timestamp);
        }
    }

    /// @dev Value to sell: toward the maximum leverage (ripcord) or one chunk (drawdown), never more
    ///      than the chunk cap or what is left of the window's deleverage budget.
    function _chunkTarget(
        VaultTypes.Layout storage s,
        VaultTypes.RiskLimits memory lim,
        VaultGuardLib.Snapshot memory snap,
        uint8 reason
    ) private returns (uint256 target) {
        // Ripcord: sell toward the maximum leverage. Drawdown: de-risk by one chunk whatever the
        // leverage (a spot-only book is always at or below 1x, so a leverage goal would sell nothing);
        // the chunk cap, the cooldown and the window budget are what bound it.
        uint256 needed = snap.gross;
        if (reason == REASON_RIPCORD) {
            // Aim below the maximum by the slippage allowance, so slippage and the bounty cannot leave
            // leverage a hair above it (which would otherwise take another, dust-sized chunk).
            uint256 goal = Math.mulDiv(lim.maxLeverage, BPS - lim.deleverageSlippageBps, BPS, Math.Rounding.Floor);
            uint256 goalGross = Math.mulDiv(snap.total, goal, LeverageLib.ONE, Math.Rounding.Floor);
            needed = snap.gross > goalGross ? snap.gross - goalGross : 0;
        }
        uint256 chunk = Math.mulDiv(snap.total, lim.deleverageChunkBps, BPS);
        s.deleverageBudget.setCapacity(Math.mulDiv(snap.total, lim.deleverageBudgetBps, BPS), block.timestamp);
        uint256 budget = s.deleverageBudget.available(block.timestamp);
        target = Math.min(needed, Math.min(chunk, budget));
        if (target == 0) revert IVaultEvents.NothingToDeleverage(needed, chunk, budget);
    }

    /// @notice Every limit and remaining budget (see IRiskParityVault.RebalanceBounds). Never
    ///         reverts on unhealthy oracles: prices read 0 and `oraclesHealthy` is false.
    function bounds(
        VaultTypes.Layout storage s,
        uint8 assetDecimals
    ) external view returns (IRiskParityVault.RebalanceBounds memory b) {
        VaultTypes.RiskLimits memory lim = s.limitsCfg;
        b.nonce = s.keeper.nonce;
        b.rebalancePaused = s.hot.rebalancePaused;
        b.idle = s.hot.idle;
        (b.oraclesHealthy, b.totalValue) = ValuationLib.valuation(s, s.hot, false, assetDecimals);
        b.targetLeverage = lim.targetLeverage;
        b.maxLeverage = lim.maxLeverage;
        b.ripcordLeverage = lim.ripcordLeverage;
        b.maxTradeValue = lim.maxTradeValue;
        b.maxSlippageBps = lim.maxSlippageBps;
        b.minRebalanceInterval = lim.minRebalanceInterval;
        uint256 next = uint256(s.keeper.lastRebalance) + lim.minRebalanceInterval;
        b.cooldownRemaining = s.keeper.lastRebalance == 0 || block.timestamp >= next ? 0 : next - block.timestamp;
        b.maxLossPerRebalance = Math.mulDiv(b.totalValue, lim.maxLossPerRebalanceBps, BPS);
        b.lossBudgetRemaining = VaultGuardLib.availableWith(
            s.lossBudget,
            Math.mulDiv(b.totalValue, lim.lossBudgetBps, BPS)
        );
        b.turnoverRemaining = VaultGuardLib.availableWith(
            s.turnoverBudget,
            Math.mulDiv(b.totalValue, lim.turnoverBps, BPS)
        );
        b.assets = _assetStates(s, assetDecimals);
        uint256 gross;
        for (uint256 i; i < b.assets.length; ++i) gross += SignedMath.abs(b.assets[i].netExposure);
        b.leverage = LeverageLib.leverageOf(gross, b.totalValue);
    }

    /// @dev Sells `target` value pro rata across the spot holdings that have a deleverage route.
    function _sellProRata(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        VaultGuardLib.Snapshot memory snap,
        VaultTypes.RiskLimits memory lim,
        uint256 target
    ) private returns (uint256 sold) {
        uint256 n = snap.values.length;
        uint256 routable;
        for (uint256 i; i < n; ++i) {
            if (_sellable(s, snap, i)) routable += snap.values[i];
        }
        if (routable == 0) return 0;
        if (target > routable) target = routable;
        for (uint256 i; i < n; ++i) {
            if (!_sellable(s, snap, i)) continue;
            uint256 amountIn = Math.mulDiv(s.assets[i].balance, target, routable, Math.Rounding.Floor);
            // Legs worth less than one whole asset unit (1 USDC) are skipped: dust swaps round to
            // less than the oracle minimum and would revert the whole chunk.
            uint256 legValue = ValuationLib.toAssetUnits(
                amountIn,
                snap.prices[i],
                s.assets[i].decimals,
                snap.assetPrice,
                c.assetDecimals
            );
            if (legValue >= 10 ** c.assetDecimals) sold += _sellLeg(s, c, snap, lim.deleverageSlippageBps, i, amountIn);
        }
    }

    /// @dev A holding deleverage may sell: held, routed, and net long (selling spot of a net-short
    ///      underlying, where puts exceed spot, would raise |net| and so leverage).
    function _sellable(
        VaultTypes.Layout storage s,
        VaultGuardLib.Snapshot memory snap,
        uint256 i
    ) private view returns (bool) {
        return snap.values[i] != 0 && snap.net[i] > 0 && s.routes[s.assets[i].token].adapter != address(0);
    }

    /// @dev One deleverage leg: risk asset `i` -> asset through its stored route, minimum output the
    ///      oracle amount minus the deleverage slippage (rounded up). Returns the value sold.
    function _sellLeg(
        VaultTypes.Layout storage s,
        VaultGuardLib.Ctx memory c,
        VaultGuardLib.Snapshot memory snap,
        uint256 slippageBps,
        uint256 i,
        uint256 amountIn
    ) private returns (uint256 sold) {
        address token = s.assets[i].token;
        uint8 dec = s.assets[i].decimals;
        uint256 spent;
        {
            uint256 minOut = Math.mulDiv(
                TradeMath.minAmountOut(amountIn, snap.prices[i], dec, snap.assetPrice, c.assetDecimals, 0),
                BPS - slippageBps,
                BPS,
                Math.Rounding.Ceil
            );
            uint256 received;
            (spent, received) = _swapStored(s.routes[token], token, c.asset, amountIn, minOut);
            VaultGuardLib.book(s, c.asset, c.asset, received, true);
            emit IVaultEvents.TradeExecuted(token, c.asset, s.routes[token].adapter, spent, received, 0);
        }
        VaultGuardLib.book(s, c.asset, token, spent, false);
        sold = ValuationLib.toAssetUnits(spent, snap.prices[i], dec, snap.assetPrice, c.assetDecimals);
    }

    /// @dev SwapExecution for a route held in storage (SwapExecution takes calldata routes): exact
    ///      approval, reset to zero, balances measured, output at least `minOut`.
    function _swapStored(
        VaultTypes.DeleverageRoute storage r,
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minOut
    ) private returns (uint256 spent, uint256 received) {
        uint256 inBefore = IERC20(tokenIn).balanceOf(address(this));
        uint256 outBefore = IERC20(tokenOut).balanceOf(address(this));
        _callStored(r, tokenIn, tokenOut, amountIn, minOut);
        uint256 inAfter = IERC20(tokenIn).balanceOf(address(this));
        spent = inBefore > inAfter ? inBefore - inAfter : 0;
        if (spent > amountIn) revert SwapExecution.SwapExecutionOverspent(tokenIn, spent, amountIn);
        uint256 outAfter = IERC20(tokenOut).balanceOf(address(this));
        received = outAfter > outBefore ? outAfter - outBefore : 0;
        if (received < minOut) revert SwapExecution.SwapExecutionInsufficientOutput(tokenOut, received, minOut);
    }

    /// @dev Exact approval, the adapter call with the stored route, approval reset to zero.
    function _callStored(
        VaultTypes.DeleverageRoute storage r,
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minOut
    ) private {
        address adapter = r.adapter;
        ISwapAdapter.Route memory route = ISwapAdapter.Route({fees: r.fees, intermediates: r.intermediates});
        IERC20(tokenIn).forceApprove(adapter, amountIn);
        ISwapAdapter(adapter).swap(tokenIn, tokenOut, amountIn, minOut, route);
        IERC20(tokenIn).forceApprove(adapter, 0);
    }

    /// @dev Whether deleverage is due: leverage above the ripcord, or price per share below the
    ///      drawdown window's peak by more than `drawdownBps`.
    function _due(
        VaultTypes.Layout storage s,
        VaultTypes.RiskLimits memory lim,
        uint256 total,
        uint256 gross,
        uint256 supply
    ) private view returns (bool, uint8) {
        if (lim.ripcordLeverage == 0) return (false, REASON_NONE);
        uint256 leverage = LeverageLib.leverageOf(gross, total);
        VaultTypes.KeeperState memory k = s.keeper;
        // Hysteresis: once a ripcord deleverage has started it stays due until leverage is back at
        // or below the maximum (not merely below the ripcord), so chunks bring it all the way down.
        if (leverage > lim.ripcordLeverage || (k.ripcordLatched && leverage > lim.maxLeverage)) {
            return (true, REASON_RIPCORD);
        }
        if (lim.drawdownBps != 0 && k.peakPricePerShare != 0 && block.timestamp <= uint256(k.peakAt) + lim.window) {
            uint256 pps = VaultGuardLib.pricePerShare(total, supply);
            if (pps * BPS < uint256(k.peakPricePerShare) * (BPS - lim.drawdownBps)) return (true, REASON_DRAWDOWN);
        }
        return (false, REASON_NONE);
    }

    /// @notice Records the price per share for the drawdown trigger (permissionless via the vault).
    function checkpoint(VaultTypes.Layout storage s, uint8 assetDecimals, uint256 supply) external {
        (, uint256 total) = ValuationLib.valuation(s, s.hot, true, assetDecimals);
        VaultGuardLib.updatePeak(s, s.limitsCfg, total, supply);
        emit IVaultEvents.Checkpoint(VaultGuardLib.pricePerShare(total, supply));
    }

    /// @dev Lenient gross exposure for views: (healthy, total, gross).
    function _lenientGross(
        VaultTypes.Layout storage s,
        uint8 assetDecimals
    ) private view returns (bool, uint256, uint256) {
        (bool healthy, uint256 total) = ValuationLib.valuation(s, s.hot, false, assetDecimals);
        if (!healthy) return (false, total, 0);
        IRiskParityVault.AssetState[] memory st = _assetStates(s, assetDecimals);
        uint256 gross;
        for (uint256 i; i < st.length; ++i) gross += SignedMath.abs(st[i].netExposure);
        return (true, total, gross);
    }

    /// @dev Per-asset state for the bounds view (lenient: price 0 when its feed is unhealthy).
    function _assetStates(
        VaultTypes.Layout storage s,
        uint8 assetDecimals
    ) private view returns (IRiskParityVault.AssetState[] memory st) {
        uint256 n = s.hot.assetCount;
        st = new IRiskParityVault.AssetState[](n);
        address[] memory tokens = new address[](n);
        int256[] memory net = new int256[](n);
        uint256 ap = ValuationLib.assetPrice(s, s.hot.hasAssetFeed, false);
        for (uint256 i; i < n; ++i) {
            VaultTypes.RiskAsset storage a = s.assets[i];
            (bool ok, uint256 price) = OracleLib.tryRead(VaultTypes.feedOf(a));
            uint256 v = ok && ap != 0 ? ValuationLib.toAssetUnits(a.balance, price, a.decimals, ap, assetDecimals) : 0;
            tokens[i] = a.token;
            net[i] = SafeCast.toInt256(v);
            st[i] = IRiskParityVault.AssetState({
                token: a.token,
                decimals: a.decimals,
                price: ok ? price : 0,
                balance: a.balance,
                value: v,
                netExposure: 0,
                maxWeightBps: a.maxWeightBps
            });
        }
        for (uint256 j; j < s.hot.adapterCount; ++j) {
            LeverageLib.addExposures(tokens, net, VaultGuardLib.exposures(s.adapters[j], false));
        }
        for (uint256 i; i < n; ++i) st[i].netExposure = net[i];
    }
}
