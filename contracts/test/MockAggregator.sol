// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Test-only Chainlink feed: every field of the round settable, can revert, can return
///         short data. Also serves as an L2 sequencer-uptime feed (answer 0 up, 1 down).
contract MockAggregator {
    uint8 public decimals;
    int256 public answer;
    uint256 public startedAt;
    uint256 public updatedAt;
    uint80 public roundId;
    bool public reverts;
    bool public shortData;

    /// @notice Raised by `latestRoundData` while `reverts` is set.
    error MockAggregatorReverts();

    constructor(uint8 decimals_, int256 answer_) {
        decimals = decimals_;
        setAnswer(answer_);
    }

    /// @notice New round with `answer_` updated now.
    function setAnswer(int256 answer_) public {
        answer = answer_;
        startedAt = block.timestamp;
        updatedAt = block.timestamp;
        ++roundId;
    }

    /// @notice New round with explicit timestamps.
    function setRound(int256 answer_, uint256 startedAt_, uint256 updatedAt_) external {
        (answer, startedAt, updatedAt) = (answer_, startedAt_, updatedAt_);
        ++roundId;
    }

    /// @notice Changes the reported decimals.
    function setDecimals(uint8 d) external {
        decimals = d;
    }

    /// @notice Makes `latestRoundData` revert.
    function setReverts(bool r) external {
        reverts = r;
    }

    /// @notice Makes `latestRoundData` return 32 bytes only.
    function setShortData(bool s) external {
        shortData = s;
    }

    /// @notice Chainlink AggregatorV3Interface.latestRoundData.
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        if (reverts) revert MockAggregatorReverts();
        if (shortData) {
            assembly ("memory-safe") {
                mstore(0, 1)
                return(0, 32)
            }
        }
        return (roundId, answer, startedAt, updatedAt, roundId);
    }
}
