// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @notice Test-only plain OpenZeppelin ERC-4626 (decimals offset 6), the gas baseline.
contract PlainERC4626 is ERC4626 {
    constructor(IERC20 asset_) ERC4626(asset_) ERC20("Plain Vault", "PLAIN") {}

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
