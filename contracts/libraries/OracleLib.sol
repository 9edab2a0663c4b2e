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
    /// @notice A feed and the checks applied to it. Packs into two storage slots.
    /// @param feed Chainlink AggregatorV3Interface.
    /// @param heartbeat Maximum age of `updatedAt`, seconds.
    /// @param decimals Feed decimals, cached at registration (checked against `feed.decimals()`).
    /// @param minAnswer Smallest accepted raw answer (feed decimals).
    /// @param maxAnswer Largest accepted raw answer (feed decimals).
    struct Feed {
        address feed;
        uint32 heartbeat;
        uint8 decimals;
        uint128 minAnswer;
        uint128 maxAnswer;
    }

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
    /// @notice The feed's answer is outside its configured bounds.
    error OracleOutOfBounds(address feed, int256 answer, uint256 minAnswer, uint256 maxAnswer);
    /// @notice The L2 sequencer reports it is down.
    error SequencerDown(address feed, int256 answer);
    /// @notice The L2 sequencer came back up less than `gracePeriod` seconds ago.
    error SequencerGracePeriod(address feed, uint256 startedAt, uint256 gracePeriod, uint256 timestamp);
    /// @notice A feed's `decimals()` differs from the expected value (or exceeds 18).
    error OracleWrongDecimals(address feed, uint8 expected, uint8 actual);

    /// @notice Reads `f`, reverting with a named error on any failed check.
    /// @return price 18-decimal USD price per whole token.
    function read(Feed memory f) internal view returns (uint256 price) {
        (uint8 code, int256 answer, uint256 updatedAt) = _query(f);
        if (code == OK) return PriceMath.normalize(uint256(answer), f.decimals);
        if (code == CALL_FAILED) revert OracleCallFailed(f.feed);
        if (code == NON_POSITIVE) revert OracleNonPositiveAnswer(f.feed, answer);
        if (code == STALE) revert OracleStale(f.feed, updatedAt, f.heartbeat, block.timestamp);
        revert OracleOutOfBounds(f.feed, answer, f.minAnswer, f.maxAnswer);
    }

    /// @notice Reads `f` without reverting.
    /// @return ok False when any check fails (then `price` is 0).
    /// @return price 18-decimal USD price per whole token.
    function tryRead(Feed memory f) internal view returns (bool ok, uint256 price) {
        (uint8 code, int256 answer, ) = _query(f);
        if (code != OK) return (false, 0);
        return (true, PriceMath.normalize(uint256(answer), f.decimals));
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
        if (actual != f.decimals || actual > PriceMath.PRICE_DECIMALS) revert OracleWrongDecimals(f.feed, f.decimals, actual);
        if (f.minAnswer == 0 || f.minAnswer > f.maxAnswer || f.heartbeat == 0) {
            revert OracleOutOfBounds(f.feed, 0, f.minAnswer, f.maxAnswer);
        }
        return read(f);
    }

    /// @dev One low-level `latestRoundData` call (a revert, a non-contract or short return data is
    ///      CALL_FAILED rather than a revert), then the checks in order.
    function _query(Feed memory f) private view returns (uint8 code, int256 answer, uint256 updatedAt) {
        (bool success, bytes memory data) = f.feed.staticcall(
            abi.encodeCall(AggregatorV3Interface.latestRoundData, ())
        );
        if (!success || data.length < 160) return (CALL_FAILED, 0, 0);
        // Decoded as full words so malformed high bits cannot make the decoder revert.
        (, answer, , updatedAt, ) = abi.decode(data, (uint256, int256, uint256, uint256, uint256));
        if (answer <= 0) return (NON_POSITIVE, answer, updatedAt);
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > f.heartbeat) return (STALE, answer, updatedAt);
        if (uint256(answer) < f.minAnswer || uint256(answer) > f.maxAnswer) return (OUT_OF_BOUNDS, answer, updatedAt);
        return (OK, answer, updatedAt);
    }

    /// @dev Reads the sequencer feed: (call ok, answer, startedAt).
    function _sequencer(address feed) private view returns (bool success, int256 answer, uint256 startedAt) {
        bytes memory data;
        (success, data) = feed.staticcall(abi.encodeCall(AggregatorV3Interface.latestRoundData, ()));
        if (!success || data.length < 160) return (false, 0, 0);
        (, answer, startedAt, , ) = abi.decode(data, (uint256, int256, uint256, uint256, uint256));
    }
}
