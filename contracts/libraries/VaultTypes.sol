// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleLib} from "./OracleLib.sol";
import {WindowBudget} from "./WindowBudget.sol";

/// @title VaultTypes
/// @notice Storage layout of the RiskParityVault, shared with its libraries (the vault keeps one
///         `Layout` and passes it by storage reference; linked libraries run in its context).
/// @dev Packed for the deposit path: a deposit reads the `Hot` slot, the `Limits` slot, the
///      `FeeConfig` slot and two slots per held risk asset, and writes `Hot` once.
library VaultTypes {
    /// @notice A registered risk asset. Slot 0 holds everything a valuation needs but the balance,
    ///         slot 1 the balance and the price bounds, slot 2 the token (only for transfers).
    struct RiskAsset {
        address feed;
        uint32 heartbeat;
        uint8 feedDecimals;
        uint8 decimals;
        uint16 maxWeightBps;
        uint128 balance;
        uint64 minPrice; // 8-decimal USD
        uint64 maxPrice; // 8-decimal USD
        address token;
    }

    /// @notice State every deposit and exit reads and writes, in one slot.
    struct Hot {
        uint128 idle; // asset units accounted as idle (donations are not counted)
        uint40 lastAccrual;
        uint16 entryBps;
        uint16 exitBps;
        uint8 assetCount;
        uint8 adapterCount;
        bool depositsPaused;
        bool rebalancePaused;
        bool hasAssetFeed;
        bool hasSequencer;
    }

    /// @notice Deposit cap and high-water mark (price per share, FeeMath.PPS_ONE units).
    struct Limits {
        uint128 depositCap;
        uint128 highWaterMark;
    }

    /// @notice Fee recipient and the time/performance fee rates.
    struct FeeConfig {
        address recipient;
        uint16 managementBps;
        uint16 performanceBps;
    }

    /// @notice Deposit cap and pause flags (view type).
    struct Config {
        uint128 depositCap;
        bool depositsPaused;
        bool rebalancePaused;
    }

    /// @notice Fee parameters and accrual state (view type).
    struct Fees {
        uint128 highWaterMark;
        uint64 lastAccrual;
        uint16 managementBps;
        uint16 performanceBps;
        uint16 entryBps;
        uint16 exitBps;
    }

    /// @notice Keeper and deleverage limits (set by the curator behind a delay, tightened at once by
    ///         the guardian). Leverage in 1e18 fixed point, ratios in bps of total value, values in
    ///         asset units, durations in seconds. One rolling `window` serves the loss, turnover and
    ///         deleverage budgets and the drawdown trigger.
    struct RiskLimits {
        uint64 targetLeverage;
        uint64 maxLeverage;
        uint64 ripcordLeverage;
        uint16 maxSlippageBps; // keeper trades vs the oracle, <= 300
        uint16 deleverageSlippageBps; // deleverage swaps vs the oracle, >= keeper's, <= 1 000
        uint16 maxLossPerRebalanceBps;
        uint16 lossBudgetBps; // per window
        uint128 maxTradeValue;
        uint32 window;
        uint32 minRebalanceInterval;
        uint32 deleverageCooldown;
        uint16 turnoverBps; // per window
        uint16 deleverageChunkBps; // most sold by one deleverage call
        uint16 deleverageBudgetBps; // most sold by deleverage per window
        uint16 drawdownBps; // deleverage trigger: price per share below the window's peak by this much
        uint16 bountyBps; // of the value sold, <= 100
        uint128 maxBounty;
    }

    /// @notice Swap adapter and typed route the permissionless deleverage sells a token through.
    struct DeleverageRoute {
        address adapter;
        uint24[] fees;
        address[] intermediates;
    }

    /// @notice Keeper/deleverage bookkeeping.
    struct KeeperState {
        uint64 nonce;
        uint40 lastRebalance;
        uint40 lastDeleverage;
        uint40 peakAt; // start of the drawdown window
        bool ripcordLatched; // a ripcord deleverage has started and leverage is still above the maximum
        uint128 peakPricePerShare; // highest price per share seen in the current drawdown window
    }

    /// @notice Every piece of vault state except the share token's own (ERC-20) storage.
    struct Layout {
        Hot hot;
        Limits limits;
        FeeConfig feeConfig;
        RiskAsset[16] assets;
        mapping(address token => uint256 indexPlusOne) assetIndex;
        address[8] adapters;
        mapping(address adapter => bool) isAdapter;
        OracleLib.Feed assetFeed;
        OracleLib.Sequencer sequencer;
        RiskLimits limitsCfg;
        KeeperState keeper;
        WindowBudget.Budget lossBudget;
        WindowBudget.Budget turnoverBudget;
        WindowBudget.Budget deleverageBudget;
        mapping(address adapter => bool) swapAdapters;
        mapping(address token => DeleverageRoute) routes;
    }

    /// @notice The oracle configuration of `a` as an OracleLib.Feed (reads slots 0 and 1).
    function feedOf(RiskAsset storage a) internal view returns (OracleLib.Feed memory) {
        return
            OracleLib.Feed({
                feed: a.feed,
                heartbeat: a.heartbeat,
                decimals: a.feedDecimals,
                minPrice: a.minPrice,
                maxPrice: a.maxPrice
            });
    }
}
