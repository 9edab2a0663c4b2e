// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title LocalToken
/// @notice Test-only ERC-20 with EIP-2612 permit and configurable decimals, minted by its owner.
///         The local world and the demo use it for the USDC-like asset (6 decimals), the WBTC-like
///         token (8 decimals) and the other risk tokens (18 decimals). Never deploy it to a real
///         network: the owner can mint without limit.
contract LocalToken is ERC20, ERC20Permit, Ownable {
    uint8 private immutable _DECIMALS;

    /// @notice Emitted when the owner mints.
    event Minted(address indexed to, uint256 amount);

    /// @param name_ Token name (also the EIP-712 domain name).
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    /// @param owner_ Account allowed to mint.
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        address owner_
    ) ERC20(name_, symbol_) ERC20Permit(name_) Ownable(owner_) {
        _DECIMALS = decimals_;
    }

    /// @notice Token decimals, fixed at construction.
    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }

    /// @notice Mints `amount` to `to`. Only the owner.
    /// @param to Receiver.
    /// @param amount Token units.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
        emit Minted(to, amount);
    }
}
