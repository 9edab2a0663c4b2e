// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title GuardTestToken
/// @notice Test-only ERC-20 with EIP-2612 permit and configurable decimals; anyone may mint.
///         Used for USDC-like (6 decimals), WBTC-like (8) and 18-decimal risk tokens in the guard
///         and Uniswap tests. Never deploy to a real network.
contract GuardTestToken is ERC20, ERC20Permit {
    uint8 private immutable _DECIMALS;

    /// @param name_ Token name (also the EIP-712 domain name).
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) ERC20Permit(name_) {
        _DECIMALS = decimals_;
    }

    /// @notice Token decimals, fixed at construction.
    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }

    /// @notice Mints `amount` to `to` (test only: unrestricted).
    /// @param to Receiver.
    /// @param amount Token units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
