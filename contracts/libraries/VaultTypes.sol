// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleLib} from "./OracleLib.sol";

/// @title VaultTypes
/// @notice Storage layout of the RiskParityVault, shared with its libraries (the vault keeps one
///         `Layout` and passes it by storage reference; linked libraries run in its context).
library VaultTypes {
    /// @notice A registered risk asset: config (three slots) plus the internally tracked balance.
    struct RiskAsset {
        address token;
        uint8 decimals;
        uint16 maxWeightBps;
        OracleLib.Feed feed;
        uint256 balance;
    }

    /// @notice Fee parameters and accrual state, packed into one slot.
    struct Fees {
        uint128 highWaterMark;
        uint64 lastAccrual;
        uint16 managementBps;
        uint16 performanceBps;
        uint16 entryBps;
        uint16 exitBps;
    }

    /// @notice Deposit cap and pause flags, packed into one slot.
    struct Config {
        uint128 depositCap;
        bool depositsPaused;
        bool rebalancePaused;
    }

    /// @notice Every piece of vault state except the share token's own (ERC-20) storage.
    struct Layout {
        Config config;
        Fees fees;
        address feeRecipient;
        uint256 idle;
        RiskAsset[] assets;
        mapping(address token => uint256 indexPlusOne) assetIndex;
        address[] adapters;
        mapping(address adapter => bool) isAdapter;
        OracleLib.Feed assetFeed;
        OracleLib.Sequencer sequencer;
    }
}
