// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only 6-decimal stablecoin with open minting (options venue tests).
contract OptionsMockUSDC is ERC20 {
    constructor() ERC20("Mock USD Coin", "mUSDC") {}

    /// @notice Mints `amount` to `to` (anyone; test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice 6 decimals like USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
