// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";

/// @title LocalPriceFeed
/// @notice Test-only Chainlink feed for the local world and the demo: Chainlink's own
///         MockV3Aggregator (anyone may `updateAnswer`), given a local name so it has an artifact
///         that deployment modules can deploy by name. Real networks use Chainlink's feeds.
contract LocalPriceFeed is MockV3Aggregator {
    /// @param decimals_ Answer decimals (Chainlink USD feeds use 8).
    /// @param initialAnswer First answer, recorded as round 1 at deployment time.
    constructor(uint8 decimals_, int256 initialAnswer) MockV3Aggregator(decimals_, initialAnswer) {}
}
