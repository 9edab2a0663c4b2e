// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRiskParityVault} from "../interfaces/IRiskParityVault.sol";

/// @title MockRiskParityVault
/// @notice Test-only stand-in for the vault's keeper surface: bounds are set by the test, and
///         `rebalance` only checks the nonce, the deadline, the pause flag and the per-trade cap
///         (no swaps). Used to test the keeper shell end to end before the real vault exists.
contract MockRiskParityVault is IRiskParityVault {
    RebalanceBounds private _bounds;
    /// @notice How many rebalances succeeded.
    uint256 public rebalances;
    /// @notice How many trades were accepted in total.
    uint256 public tradesExecuted;
    /// @notice When non-zero, the per-trade cap actually enforced (lets a test make the reported
    ///         bounds optimistic, to exercise the keeper's reaction to a cap revert).
    uint256 public hiddenCap;

    /// @notice Emitted for every accepted trade.
    event TradeAccepted(uint256 indexed nonce, uint256 index, address tokenIn, address tokenOut, uint256 amountIn);
    /// @notice Emitted once per successful rebalance.
    event Rebalanced(uint256 indexed nonce, address indexed keeper, uint256 trades);
    /// @notice Emitted when a deleverage chunk runs.
    event Deleveraged(address indexed caller, uint256 soldValue, uint256 bounty);
    /// @notice Emitted when the test changes the bounds.
    event BoundsSet();

    /// @notice The expected nonce is stale or ahead.
    error RebalanceNonceMismatch(uint256 expected, uint256 actual);
    /// @notice One trade is worth more than the per-trade cap.
    error TradeAboveCap(uint256 index, uint256 value, uint256 cap);
    /// @notice The deadline passed.
    error DeadlinePassed(uint256 deadline, uint256 timestamp);
    /// @notice Rebalancing is paused.
    error RebalancePaused();
    /// @notice Deleverage is not due.
    error DeleverageNotDue(uint256 leverage, uint256 ripcord);

    /// @notice Sets every scalar of the bounds (the nonce included); assets are set separately.
    /// @param b the new bounds; `b.assets` is ignored
    function setBounds(RebalanceBounds calldata b) external {
        _bounds.nonce = b.nonce;
        _bounds.rebalancePaused = b.rebalancePaused;
        _bounds.oraclesHealthy = b.oraclesHealthy;
        _bounds.totalValue = b.totalValue;
        _bounds.idle = b.idle;
        _bounds.leverage = b.leverage;
        _bounds.targetLeverage = b.targetLeverage;
        _bounds.maxLeverage = b.maxLeverage;
        _bounds.ripcordLeverage = b.ripcordLeverage;
        _bounds.maxTradeValue = b.maxTradeValue;
        _bounds.maxSlippageBps = b.maxSlippageBps;
        _bounds.minRebalanceInterval = b.minRebalanceInterval;
        _bounds.cooldownRemaining = b.cooldownRemaining;
        _bounds.maxLossPerRebalance = b.maxLossPerRebalance;
        _bounds.lossBudgetRemaining = b.lossBudgetRemaining;
        _bounds.turnoverRemaining = b.turnoverRemaining;
        emit BoundsSet();
    }

    /// @notice Sets the enforced per-trade cap (0: use the reported one).
    /// @param cap asset units
    function setHiddenCap(uint256 cap) external {
        hiddenCap = cap;
        emit BoundsSet();
    }

    /// @notice Replaces the asset list.
    /// @param assets the new per-asset states
    function setAssets(AssetState[] calldata assets) external {
        delete _bounds.assets;
        for (uint256 i = 0; i < assets.length; ++i) {
            _bounds.assets.push(assets[i]);
        }
        emit BoundsSet();
    }

    /// @inheritdoc IRiskParityVault
    function rebalance(Trade[] calldata trades, uint256 expectedNonce, uint256 deadline) external {
        if (_bounds.rebalancePaused) revert RebalancePaused();
        if (expectedNonce != _bounds.nonce) revert RebalanceNonceMismatch(expectedNonce, _bounds.nonce);
        // solhint-disable-next-line not-rely-on-time -- a deadline is a timestamp by definition
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        uint256 cap = hiddenCap != 0 ? hiddenCap : _bounds.maxTradeValue;
        for (uint256 i = 0; i < trades.length; ++i) {
            uint256 value = _valueOf(trades[i].tokenIn, trades[i].amountIn);
            if (value > cap) revert TradeAboveCap(i, value, cap);
            emit TradeAccepted(expectedNonce, i, trades[i].tokenIn, trades[i].tokenOut, trades[i].amountIn);
        }
        _bounds.nonce = expectedNonce + 1;
        rebalances += 1;
        tradesExecuted += trades.length;
        emit Rebalanced(expectedNonce, msg.sender, trades.length);
    }

    /// @inheritdoc IRiskParityVault
    function rebalanceBounds() external view returns (RebalanceBounds memory) {
        return _bounds;
    }

    /// @inheritdoc IRiskParityVault
    function shouldDeleverage() public view returns (bool due, uint8 reason) {
        if (_bounds.leverage > _bounds.ripcordLeverage) return (true, 1);
        return (false, 0);
    }

    /// @inheritdoc IRiskParityVault
    function deleverage() external returns (uint256 soldValue, uint256 bounty) {
        (bool due, ) = shouldDeleverage();
        if (!due) revert DeleverageNotDue(_bounds.leverage, _bounds.ripcordLeverage);
        soldValue = _bounds.totalValue / 10;
        bounty = soldValue / 1000;
        _bounds.leverage = _bounds.maxLeverage;
        emit Deleveraged(msg.sender, soldValue, bounty);
    }

    /// @dev Value of `amount` of `token` in asset units (6 decimals); unknown tokens count as the asset.
    function _valueOf(address token, uint256 amount) private view returns (uint256) {
        for (uint256 i = 0; i < _bounds.assets.length; ++i) {
            AssetState storage a = _bounds.assets[i];
            if (a.token == token) return (amount * a.price) / (10 ** a.decimals) / 1e12;
        }
        return amount;
    }
}
