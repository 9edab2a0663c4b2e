// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @notice Test-only AccessManager for the options venue tests.
contract OptionsTestAccessManager is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}

/// @notice Test-only Chainlink feed (Chainlink's MockV3Aggregator) for the options venue tests.
contract OptionsMockAggregator is MockV3Aggregator {
    constructor(uint8 decimals_, int256 initialAnswer) MockV3Aggregator(decimals_, initialAnswer) {}
}
