// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AutomationCompatibleInterface} from "@chainlink/contracts/src/v0.8/automation/interfaces/AutomationCompatibleInterface.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IRiskParityVault} from "./interfaces/IRiskParityVault.sol";

/// @title DeleverageUpkeep
/// @notice Chainlink Automation entry point for the vault's permissionless deleverage, deployed
///         beside the vault (kept out of the vault itself for bytecode size). `checkUpkeep` reports
///         a due deleverage; `performUpkeep` runs `vault.deleverage()` and forwards the bounty to
///         `beneficiary` (for example the upkeep's funding account).
contract DeleverageUpkeep is AutomationCompatibleInterface {
    using SafeERC20 for IERC20;

    /// @notice The vault whose deleverage this upkeep triggers.
    IRiskParityVault public immutable VAULT;
    /// @notice Receives the deleverage bounties.
    address public immutable BENEFICIARY;

    /// @notice A deleverage ran through this upkeep.
    event UpkeepPerformed(uint8 reason, uint256 soldValue, uint256 bounty);

    /// @param vault The RiskParityVault.
    /// @param beneficiary Receiver of the bounties.
    constructor(IRiskParityVault vault, address beneficiary) {
        VAULT = vault;
        BENEFICIARY = beneficiary;
    }

    /// @notice Whether a deleverage is due (reason encoded in `performData`). A call inside the
    ///         chunk cooldown would revert on chain; Automation simulates before sending.
    function checkUpkeep(bytes calldata) external view returns (bool upkeepNeeded, bytes memory performData) {
        uint8 reason;
        (upkeepNeeded, reason) = VAULT.shouldDeleverage();
        performData = abi.encode(reason);
    }

    /// @notice Runs one deleverage chunk and forwards the bounty.
    function performUpkeep(bytes calldata performData) external {
        (uint256 soldValue, uint256 bounty) = VAULT.deleverage();
        if (bounty != 0) IERC20(IERC4626(address(VAULT)).asset()).safeTransfer(BENEFICIARY, bounty);
        emit UpkeepPerformed(performData.length >= 32 ? abi.decode(performData, (uint8)) : 0, soldValue, bounty);
    }
}
