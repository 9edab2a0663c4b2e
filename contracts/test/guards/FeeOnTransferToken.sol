// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice Test-only ERC-20 that burns `feeBps` of every transfer (an under-delivering token).
contract FeeOnTransferToken is ERC20 {
    /// @notice Fee burnt on each transfer, bps.
    uint256 public immutable FEE_BPS;

    /// @param feeBps Fee burnt on each transfer, bps.
    constructor(uint256 feeBps) ERC20("Fee on transfer", "FOT") {
        FEE_BPS = feeBps;
    }

    /// @notice Mints `amount` to `to` (test only: unrestricted).
    /// @param to Receiver.
    /// @param amount Token units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * FEE_BPS) / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
