// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ISwapAdapter} from "./ISwapAdapter.sol";

/// @title IRiskParityVault
/// @notice The keeper-facing surface of the vault: typed trades, the bounds view the keeper plans
///         inside, and the permissionless deleverage. Units: values in the vault asset's units,
///         prices as 18-decimal USD per whole token, leverage as 18-decimal fixed point (1e18 = 1x),
///         ratios in basis points.
interface IRiskParityVault {
    /// @notice One typed trade. Both tokens must be registered (the vault asset or a risk asset).
    struct Trade {
        address tokenIn;
        address tokenOut;
        uint256 amountIn;
        uint256 minAmountOut;
        address adapter;
        ISwapAdapter.Route route;
    }

    /// @notice Current state of one risk asset as the guards see it.
    struct AssetState {
        address token;
        uint8 decimals;
        uint256 price; // 18-decimal USD per whole token (0 when its oracle is unhealthy)
        uint256 balance; // token units held by the vault
        uint256 value; // balance at the oracle price, in asset units, rounded down
        int256 netExposure; // value + adapter exposure on this underlying, in asset units
        uint16 maxWeightBps;
    }

    /// @notice Every limit and remaining budget the keeper must plan inside, in one call.
    struct RebalanceBounds {
        uint256 nonce; // expected nonce for the next rebalance
        bool rebalancePaused;
        bool oraclesHealthy;
        uint256 totalValue; // totalAssets(), asset units
        uint256 idle; // asset balance, asset units
        uint256 leverage; // 1e18 fixed point
        uint256 targetLeverage;
        uint256 maxLeverage;
        uint256 ripcordLeverage;
        uint256 maxTradeValue; // per-trade cap, asset units
        uint16 maxSlippageBps; // keeper slippage allowance vs the oracle
        uint256 minRebalanceInterval; // seconds
        uint256 cooldownRemaining; // seconds until a risk-increasing rebalance is allowed
        uint256 maxLossPerRebalance; // asset units
        uint256 lossBudgetRemaining; // asset units, rolling window, refills linearly
        uint256 turnoverRemaining; // asset units, rolling window
        AssetState[] assets;
    }

    /// @notice Executes `trades` if `expectedNonce` equals the current nonce and every guard passes.
    function rebalance(Trade[] calldata trades, uint256 expectedNonce, uint256 deadline) external;

    /// @notice All current limits and budgets (see {RebalanceBounds}).
    function rebalanceBounds() external view returns (RebalanceBounds memory);

    /// @notice Whether anyone may call {deleverage} now, and why (0 none, 1 leverage above the
    ///         ripcord, 2 drawdown trigger).
    function shouldDeleverage() external view returns (bool due, uint8 reason);

    /// @notice Sells one bounded, pro-rata chunk of exposure for the asset and pays the caller a
    ///         capped bounty. Reverts unless {shouldDeleverage} is true and the chunk cooldown passed.
    function deleverage() external returns (uint256 soldValue, uint256 bounty);
}
