// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {PriceMath} from "./PriceMath.sol";

/// @title OracleLib
/// @notice The one place where Chainlink feeds are read. Every read checks: the call succeeds and
///         returns a full round, the answer is positive, `updatedAt` is not in the future and is
///         within the feed's heartbeat, the raw answer lies within the feed's configured bounds, and
///         (when configured) the L2 sequencer is up and past its grace period. Answers are then
///         normalised to 18 decimals with {PriceMath.normalize}.
/// @dev Two entry points: {read} reverts with a custom error naming the feed and the offending
///      values; {tryRead} never reverts and returns `ok = false` instead (for views and fee accrual).
library OracleLib {
    /// @notice A feed and the checks applied to it.
    /// @param feed Chainlink AggregatorV3Interface.
    /// @param heartbeat Maximum age of `updatedAt`, seconds.
    /// @param decimals Feed decimals, cached at registration (checked against `feed.decimals()`).
    /// @param minPrice Smallest accepted price, 8-decimal USD (whatever the feed's decimals).
    /// @param maxPrice Largest accepted price, 8-decimal USD.
    struct Feed {
        address feed;
        uint32 heartbeat;
        uint8 decimals;
        uint64 minPrice;
        uint64 maxPrice;
    }

    /// @notice Bounds are stored as 8-decimal USD; multiply by this to compare with 18-decimal prices.
    uint256 internal constant BOUND_SCALE = 1e10;

    /// @notice Optional L2 sequencer-uptime feed (answer 0 = up, 1 = down).
    struct Sequencer {
        address feed;
        uint32 gracePeriod;
    }

    /// @dev Failure codes shared by {read} and {tryRead}.
    uint8 private constant OK = 0;
    uint8 private constant CALL_FAILED = 1;
    uint8 private constant NON_POSITIVE = 2;
    uint8 private constant STALE = 3;
    uint8 private constant OUT_OF_BOUNDS = 4;

    /// @notice The feed call reverted, is not a contract, or returned malformed data.
    error OracleCallFailed(address feed);
    /// @notice The feed answered zero or a negative number.
    error OracleNonPositiveAnswer(address feed, int256 answer);
    /// @notice The feed's last update is older than its heartbeat (or in the future).
    error OracleStale(address feed, uint256 updatedAt, uint256 heartbeat, uint256 timestamp);
    /// @notice The feed's price is outside its configured bounds (`price` 18-decimal USD; bounds
    ///         8-decimal USD as configured).
    error OracleOutOfBounds(address feed, uint256 price, uint256 minPrice, uint256 maxPrice);
    /// @notice The L2 sequencer reports it is down.
    error SequencerDown(address feed, int256 answer);
    /// @notice The L2 sequencer came back up less than `gracePeriod` seconds ago.
    error SequencerGracePeriod(address feed, uint256 startedAt, uint256 gracePeriod, uint256 timestamp);
    /// @notice A feed's `decimals()` differs from the expected value (or exceeds 18).
    error OracleWrongDecimals(address feed, uint8 expected, uint8 actual);

    /// @notice Reads `f`, reverting with a named error on any failed check.
    /// @return price 18-decimal USD price per whole token.
    function read(Feed memory f) internal view returns (uint256 price) {
        uint8 code;
        int256 answer;
        uint256 updatedAt;
        (code, answer, updatedAt, price) = _query(f);
        if (code == OK) return price;
        if (code == CALL_FAILED) revert OracleCallFailed(f.feed);
        if (code == NON_POSITIVE) revert OracleNonPositiveAnswer(f.feed, answer);
        if (code == STALE) revert OracleStale(f.feed, updatedAt, f.heartbeat, block.timestamp);
        revert OracleOutOfBounds(f.feed, price, f.minPrice, f.maxPrice);
    }

    /// @notice Reads `f` without reverting.
    /// @return ok False when any check fails (then `price` is 0).
    /// @return price 18-decimal USD price per whole token.
    function tryRead(Feed memory f) internal view returns (bool ok, uint256 price) {
        uint8 code;
        (code, , , price) = _query(f);
        if (code != OK) return (false, 0);
        return (true, price);
    }

    /// @notice Reverts unless the sequencer (if configured) is up and past its grace period.
    function checkSequencer(Sequencer memory s) internal view {
        if (s.feed == address(0)) return;
        (bool success, int256 answer, uint256 startedAt) = _sequencer(s.feed);
        if (!success) revert OracleCallFailed(s.feed);
        if (answer != 0) revert SequencerDown(s.feed, answer);
        if (startedAt == 0 || block.timestamp < startedAt + s.gracePeriod) {
            revert SequencerGracePeriod(s.feed, startedAt, s.gracePeriod, block.timestamp);
        }
    }

    /// @notice Non-reverting {checkSequencer}: true when no sequencer feed is configured or it is up
    ///         and past its grace period.
    function sequencerUp(Sequencer memory s) internal view returns (bool) {
        if (s.feed == address(0)) return true;
        (bool success, int256 answer, uint256 startedAt) = _sequencer(s.feed);
        return success && answer == 0 && startedAt != 0 && block.timestamp >= startedAt + s.gracePeriod;
    }

    /// @notice Checks a feed before it is configured: `decimals()` must equal `expected` and be at
    ///         most 18, bounds must be ordered, and a reverting {read} must succeed now.
    function validate(Feed memory f) internal view returns (uint256 price) {
        uint8 actual;
        try AggregatorV3Interface(f.feed).decimals() returns (uint8 d) {
            actual = d;
        } catch {
            revert OracleCallFailed(f.feed);
        }
        if (actual != f.decimals || actual > PriceMath.PRICE_DECIMALS)
            revert OracleWrongDecimals(f.feed, f.decimals, actual);
        if (f.minPrice == 0 || f.minPrice > f.maxPrice || f.heartbeat == 0) {
            revert OracleOutOfBounds(f.feed, 0, f.minPrice, f.maxPrice);
        }
        return read(f);
    }

    /// @dev One low-level `latestRoundData` call (a revert, a non-contract or short return data is
    ///      CALL_FAILED rather than a revert), then the checks in order.
    function _query(Feed memory f) private view returns (uint8 code, int256 answer, uint256 updatedAt, uint256 price) {
        bool ok;
        (ok, answer, , updatedAt) = _latestRound(f.feed);
        if (!ok) return (CALL_FAILED, 0, 0, 0);
        if (answer <= 0) return (NON_POSITIVE, answer, updatedAt, 0);
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > f.heartbeat)
            return (STALE, answer, updatedAt, 0);
        price = PriceMath.normalize(uint256(answer), f.decimals);
        if (price < uint256(f.minPrice) * BOUND_SCALE || price > uint256(f.maxPrice) * BOUND_SCALE) {
            return (OUT_OF_BOUNDS, answer, updatedAt, price);
        }
        return (OK, answer, updatedAt, price);
    }

    /// @dev `latestRoundData()` through a staticcall that uses the free memory as scratch space
    ///      without allocating (no memory growth per read). Words are read whole, so malformed
    ///      high bits cannot make a decoder revert; fewer than 160 bytes returned is `ok = false`.
    function _latestRound(
        address feed
    ) private view returns (bool ok, int256 answer, uint256 startedAt, uint256 updatedAt) {
        bytes4 selector = AggregatorV3Interface.latestRoundData.selector;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            let success := staticcall(gas(), feed, ptr, 4, ptr, 160)
            ok := and(success, gt(returndatasize(), 159))
            if ok {
                answer := mload(add(ptr, 32))
                startedAt := mload(add(ptr, 64))
                updatedAt := mload(add(ptr, 96))
            }
        }
    }

    /// @dev Reads the sequencer feed: (call ok, answer, startedAt).
    function _sequencer(address feed) private view returns (bool success, int256 answer, uint256 startedAt) {
        (success, answer, startedAt, ) = _latestRound(feed);
    }
}
