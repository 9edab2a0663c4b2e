// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title KeeperNonceTarget
/// @notice Test-only contract: a nonce-guarded action, the smallest stand-in for the vault's
///         `rebalance(..., expectedNonce, ...)`. Used to test the keeper's sender and journal.
contract KeeperNonceTarget {
    /// @notice The nonce the next `execute` must carry.
    uint256 public nonce;
    /// @notice How many times `execute` succeeded (must equal `nonce`).
    uint256 public executions;

    /// @notice Emitted once per successful execution.
    event Executed(uint256 indexed nonce, address indexed caller, uint256 amount);

    /// @notice The caller's expected nonce is not the current one.
    error NonceMismatch(uint256 expected, uint256 actual);
    /// @notice The amount exceeds the cap.
    error AmountTooLarge(uint256 amount, uint256 cap);

    /// @notice Maximum amount accepted by `executeAmount`.
    uint256 public constant CAP = 1000;

    /// @notice Executes once for `expectedNonce`, then increments the nonce.
    /// @param expectedNonce must equal `nonce`
    function execute(uint256 expectedNonce) external {
        _execute(expectedNonce, 0);
    }

    /// @notice Like `execute`, with an amount bounded by `CAP`.
    /// @param expectedNonce must equal `nonce`
    /// @param amount at most `CAP`
    function executeAmount(uint256 expectedNonce, uint256 amount) external {
        if (amount > CAP) revert AmountTooLarge(amount, CAP);
        _execute(expectedNonce, amount);
    }

    function _execute(uint256 expectedNonce, uint256 amount) private {
        if (expectedNonce != nonce) revert NonceMismatch(expectedNonce, nonce);
        nonce = expectedNonce + 1;
        executions += 1;
        emit Executed(expectedNonce, msg.sender, amount);
    }
}
