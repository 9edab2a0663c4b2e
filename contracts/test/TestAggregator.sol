// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TestAggregator
/// @notice Test-only Chainlink-style aggregator proxy with phases: round ids are
///         `phase << 64 | aggregatorRound`, like Chainlink's AggregatorProxy. The test pushes rounds
///         with explicit timestamps to build a price history.
contract TestAggregator {
    struct Round {
        int256 answer;
        uint256 updatedAt;
    }

    uint8 private immutable DECIMALS;
    /// @notice Current phase (starts at 1).
    uint16 public phase = 1;
    /// @notice Last aggregator round per phase.
    mapping(uint16 phase => uint64 lastRound) public lastRoundOf;
    mapping(uint256 roundId => Round) private _rounds;

    /// @notice Emitted for every pushed round.
    event RoundPushed(uint80 indexed roundId, int256 answer, uint256 updatedAt);
    /// @notice Emitted when a new phase starts.
    event PhaseStarted(uint16 phase);

    /// @notice Reverts for a round that does not exist (like Chainlink's proxy).
    error NoDataPresent(uint80 roundId);

    /// @param decimals_ feed decimals
    constructor(uint8 decimals_) {
        DECIMALS = decimals_;
    }

    /// @notice Feed decimals (Chainlink's `decimals`).
    function decimals() external view returns (uint8) {
        return DECIMALS;
    }

    /// @notice Appends a round to the current phase.
    /// @param answer the price
    /// @param updatedAt its timestamp
    function pushRound(int256 answer, uint256 updatedAt) public returns (uint80 roundId) {
        uint64 r = lastRoundOf[phase] + 1;
        lastRoundOf[phase] = r;
        roundId = uint80((uint256(phase) << 64) | r);
        _rounds[roundId] = Round(answer, updatedAt);
        emit RoundPushed(roundId, answer, updatedAt);
    }

    /// @notice Appends many rounds (one transaction for a long history).
    /// @param answers prices
    /// @param times timestamps, same length
    function pushRounds(int256[] calldata answers, uint256[] calldata times) external {
        for (uint256 i = 0; i < answers.length; ++i) pushRound(answers[i], times[i]);
    }

    /// @notice Starts a new phase (a new underlying aggregator).
    function startPhase() external {
        phase += 1;
        emit PhaseStarted(phase);
    }

    /// @notice Chainlink's `latestRoundData`.
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        uint80 id = uint80((uint256(phase) << 64) | lastRoundOf[phase]);
        return getRoundData(id);
    }

    /// @notice Chainlink's `getRoundData`.
    /// @param roundId phase-encoded round id
    function getRoundData(uint80 roundId) public view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = _rounds[roundId];
        if (r.updatedAt == 0) revert NoDataPresent(roundId);
        return (roundId, r.answer, r.updatedAt, r.updatedAt, roundId);
    }
}
