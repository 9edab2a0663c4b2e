// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @notice Test-only: compares each preview with the actual call in the same transaction (same
///         block, so pending fee accrual is identical), returning both numbers.
contract PreviewProbe {
    /// @notice Pulls `assets` of the vault asset from the caller, then for deposit, mint, withdraw
    ///         and redeem returns [preview, actual] pairs.
    function run(IERC4626 vault, uint256 assets) external returns (uint256[8] memory r) {
        IERC20 asset = IERC20(vault.asset());
        asset.transferFrom(msg.sender, address(this), assets);
        asset.approve(address(vault), type(uint256).max);
        uint256 half = assets / 2;
        r[0] = vault.previewDeposit(half);
        r[1] = vault.deposit(half, address(this));
        uint256 shares = r[1] / 2;
        r[2] = vault.previewMint(shares);
        r[3] = vault.mint(shares, address(this));
        uint256 out = vault.maxWithdraw(address(this)) / 3;
        r[4] = vault.previewWithdraw(out);
        r[5] = vault.withdraw(out, address(this), address(this));
        uint256 burn = vault.balanceOf(address(this)) / 2;
        r[6] = vault.previewRedeem(burn);
        r[7] = vault.redeem(burn, address(this), address(this));
    }
}
