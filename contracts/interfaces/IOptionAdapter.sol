// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPositionAdapter} from "./IPositionAdapter.sol";

/// @title IOptionAdapter
/// @notice A position adapter for an options venue. The vault calls `open`/`close`/`settle` on
///         behalf of its keeper; the adapter enforces the option guards (premium budget per
///         window, notional cap per underlying, expiry band, strike band, maximum open series)
///         and holds the positions for the vault.
interface IOptionAdapter is IPositionAdapter {
    /// @notice A typed option order.
    /// @param underlying A risk asset registered in the vault (and listed on the venue).
    /// @param isCall True for a call, false for a put.
    /// @param strike Strike, 18-decimal USD per whole underlying token.
    /// @param expiry Expiry timestamp (seconds).
    /// @param amount Number of options, 18 decimals (1e18 = one option on one whole token).
    /// @param maxPremium Most the vault will pay, in asset units (the vault approves this much).
    struct OptionOrder {
        address underlying;
        bool isCall;
        uint256 strike;
        uint64 expiry;
        uint256 amount;
        uint256 maxPremium;
    }

    /// @notice Buys `order` with the vault's asset (pulled from the vault, at most `maxPremium`).
    /// @return seriesId The venue's series (ERC-1155 id) bought.
    /// @return premiumPaid Asset units paid.
    function open(OptionOrder calldata order) external returns (uint256 seriesId, uint256 premiumPaid);

    /// @notice Sells `amount` of series `seriesId` back to the venue; proceeds go to the vault.
    function close(uint256 seriesId, uint256 amount, uint256 minProceeds) external returns (uint256 proceeds);

    /// @notice Settles an expired series (anyone may call); the payout goes to the vault.
    function settle(uint256 seriesId, uint80 roundId) external returns (uint256 payout);
}
