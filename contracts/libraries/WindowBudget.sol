// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title WindowBudget
/// @notice A rolling budget that refills linearly: `capacity` units are available when idle, and
///         used units come back at `capacity / window` per second (rounded DOWN, so the budget is
///         never more generous than the exact rate), never above `capacity`.
///         Used for the loss budget, the turnover cap and the deleverage notional per window.
///
///         Guarantee (what the fuzz tests check): over ANY interval of length `t`, the total
///         consumed is at most `capacity + capacity * t / window`. So within one window length at
///         most 2 x capacity can pass (a full burst at the start, the full refill by its end),
///         and over a long period the average is at most `capacity` per window. No rolling budget
///         with linear refill can promise "at most capacity in every window" (a unit consumed at
///         time s is already partly back before s + window); a caller that needs that strict
///         bound B sets `capacity = B / 2`.
/// @dev Two storage slots. Time is passed explicitly (`nowTs`) so views and tests are exact;
///      callers pass `block.timestamp`.
library WindowBudget {
    /// @notice The budget state. `used` is as of `lastUpdate`.
    struct Budget {
        uint128 capacity;
        uint128 used;
        uint64 window;
        uint64 lastUpdate;
    }

    /// @notice `consume` asked for more than is available.
    error WindowBudgetExceeded(uint256 requested, uint256 available);
    /// @notice A window of zero seconds was configured.
    error WindowBudgetZeroWindow();
    /// @notice `nowTs` is before the last update (time cannot go backwards).
    error WindowBudgetTimeTravel(uint256 nowTs, uint256 lastUpdate);

    /// @notice Configures a budget, full (nothing used) at `nowTs`.
    /// @param capacity Units available when idle (and the amount refilled per `window`).
    /// @param window Refill period in seconds (> 0).
    function init(Budget storage b, uint256 capacity, uint256 window, uint256 nowTs) internal {
        if (window == 0) revert WindowBudgetZeroWindow();
        b.capacity = SafeCast.toUint128(capacity);
        b.window = SafeCast.toUint64(window);
        b.used = 0;
        b.lastUpdate = SafeCast.toUint64(nowTs);
    }

    /// @notice Units used as of `nowTs`, after the linear refill (pure; works on a memory copy).
    function usedAt(Budget memory b, uint256 nowTs) internal pure returns (uint256) {
        if (nowTs < b.lastUpdate) revert WindowBudgetTimeTravel(nowTs, b.lastUpdate);
        uint256 elapsed = nowTs - b.lastUpdate;
        if (b.used == 0) return 0;
        if (elapsed >= b.window) return 0;
        // Refill rounded DOWN: the budget never refills faster than capacity per window.
        uint256 refill = Math.mulDiv(b.capacity, elapsed, b.window, Math.Rounding.Floor);
        return refill >= b.used ? 0 : b.used - refill;
    }

    /// @notice Units available at `nowTs` (pure; works on a memory copy).
    function availableAt(Budget memory b, uint256 nowTs) internal pure returns (uint256) {
        uint256 used = usedAt(b, nowTs);
        return used >= b.capacity ? 0 : b.capacity - used;
    }

    /// @notice Units available at `nowTs`.
    /// @dev Declared `pure` because solc classifies reads through a storage-pointer parameter of an
    ///      internal library function as pure (and warns on `view`); it does read `b`.
    function available(Budget storage b, uint256 nowTs) internal pure returns (uint256) {
        return availableAt(b, nowTs);
    }

    /// @notice Consumes `amount` at `nowTs`; reverts with {WindowBudgetExceeded} when more than
    ///         available. Consuming zero is allowed and only settles the refill.
    /// @return remaining Units still available after the consumption.
    function consume(Budget storage b, uint256 amount, uint256 nowTs) internal returns (uint256 remaining) {
        Budget memory m = b;
        uint256 used = usedAt(m, nowTs);
        uint256 avail = used >= m.capacity ? 0 : m.capacity - used;
        if (amount > avail) revert WindowBudgetExceeded(amount, avail);
        // used + amount <= capacity < 2^128
        b.used = uint128(used + amount);
        b.lastUpdate = SafeCast.toUint64(nowTs);
        return avail - amount;
    }

    /// @notice Changes the capacity at `nowTs`, keeping what has been used (settled first).
    ///         Lowering the capacity below the used amount leaves zero available until refilled.
    function setCapacity(Budget storage b, uint256 capacity, uint256 nowTs) internal {
        uint256 used = usedAt(b, nowTs);
        b.capacity = SafeCast.toUint128(capacity);
        b.used = SafeCast.toUint128(used);
        b.lastUpdate = SafeCast.toUint64(nowTs);
    }

    /// @notice Changes the refill window at `nowTs`, keeping what has been used (settled first).
    function setWindow(Budget storage b, uint256 window, uint256 nowTs) internal {
        if (window == 0) revert WindowBudgetZeroWindow();
        uint256 used = usedAt(b, nowTs);
        b.window = SafeCast.toUint64(window);
        b.used = SafeCast.toUint128(used);
        b.lastUpdate = SafeCast.toUint64(nowTs);
    }
}
