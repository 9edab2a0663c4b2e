// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {RiskParityVault} from "../RiskParityVault.sol";
import {ValuationLib} from "../libraries/ValuationLib.sol";

/// @notice Test-only vault with a helper that credits holdings (standing in for trades), so
///         valuation, fees and in-kind exits can be tested with risk assets on the books.
contract RiskParityVaultHarness is RiskParityVault {
    using SafeERC20 for IERC20;

    constructor(
        IERC20Metadata asset_,
        string memory name_,
        string memory symbol_,
        address authority_
    ) RiskParityVault(asset_, name_, symbol_, authority_) {}

    /// @notice Pulls `amount` of `token` from the caller and adds it to the tracked holdings
    ///         without minting shares (a gain for every holder, like a profitable trade).
    function harnessCredit(address token, uint256 amount) external {
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        if (token == asset()) _s.hot.idle += uint128(amount);
        else ValuationLib.assetAt(_s, token).balance += uint128(amount);
    }

    /// @notice Sends `amount` of tracked `token` to the caller (a loss for every holder).
    function harnessDebit(address token, uint256 amount) external {
        if (token == asset()) _s.hot.idle -= uint128(amount);
        else ValuationLib.assetAt(_s, token).balance -= uint128(amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }
}
