// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title VaultAccessManager
/// @notice OpenZeppelin's AccessManager, deployed beside the RiskParityVault (its authority).
///         Role ids: 0 admin, 1 curator (risk-increasing changes, behind an execution delay),
///         2 guardian (risk-reducing changes, immediate), 3 keeper (rebalance entry points).
///         See docs/vault.md and deploy/vault.ts for the function-to-role map.
contract VaultAccessManager is AccessManager {
    /// @param initialAdmin Holder of the admin role (id 0).
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
