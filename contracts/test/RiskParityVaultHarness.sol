// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {RiskParityVault} from "../RiskParityVault.sol";
import {VaultTypes} from "../libraries/VaultTypes.sol";

/// @notice Test-only linked library holding the harness logic (keeps the harness under 24 KiB).
library HarnessLib {
    /// @notice See {RiskParityVaultHarness.harnessMove}.
    function move(VaultTypes.Layout storage s, address asset, address token, int256 delta) external {
        if (delta > 0) IERC20(token).transferFrom(msg.sender, address(this), uint256(delta));
        if (token == asset) {
            s.hot.idle = uint128(uint256(int256(uint256(s.hot.idle)) + delta));
        } else {
            VaultTypes.RiskAsset storage a = s.assets[s.assetIndex[token] - 1];
            a.balance = uint128(uint256(int256(uint256(a.balance)) + delta));
        }
        if (delta < 0) IERC20(token).transfer(msg.sender, uint256(-delta));
    }
}

/// @notice Test-only vault with a helper that credits or debits holdings (standing in for trades),
///         so valuation, fees and in-kind exits can be tested with risk assets on the books.
contract RiskParityVaultHarness is RiskParityVault {
    constructor(
        IERC20Metadata asset_,
        string memory name_,
        string memory symbol_,
        address authority_
    ) RiskParityVault(asset_, name_, symbol_, authority_) {}

    /// @notice `delta > 0`: pulls `delta` of `token` from the caller and adds it to the tracked
    ///         holdings without minting shares (a gain for every holder, like a profitable trade).
    ///         `delta < 0`: removes `-delta` from the books and sends it to the caller (a loss).
    function harnessMove(address token, int256 delta) external {
        HarnessLib.move(_s, asset(), token, delta);
    }
}
