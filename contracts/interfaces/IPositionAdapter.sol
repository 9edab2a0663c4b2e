// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPositionAdapter
/// @notice A position the vault holds outside itself (an options venue, later a lending market).
///         One adapter instance serves exactly one vault (`vault()`); only that vault may call the
///         mutating functions. Adapters report a conservative value and their delta-adjusted
///         exposure per underlying so the vault can value and bound them.
interface IPositionAdapter {
    /// @notice Delta-adjusted exposure of the adapter's positions to one underlying.
    /// @param underlying The risk asset (a token registered in the vault).
    /// @param exposure Signed exposure in units of the vault's asset (delta x notional x price):
    ///        a protective put reports a negative number, a long call a positive one.
    struct Exposure {
        address underlying;
        int256 exposure;
    }

    /// @notice The vault this adapter works for.
    function vault() external view returns (address);

    /// @notice Conservative value of every position held for the vault, in units of the vault's
    ///         asset: what closing them now would fetch, rounded down. May revert when its oracles
    ///         are unhealthy; the vault treats a revert as "valuation unavailable".
    function realAssets() external view returns (uint256 value);

    /// @notice Delta-adjusted exposure per underlying (one entry per underlying with open positions).
    function exposures() external view returns (Exposure[] memory);

    /// @notice Transfers `numerator / denominator` of every transferable position to `receiver`,
    ///         rounded down (in the vault's favour). Must work without oracles. Only the vault.
    /// @return transferred True when at least one position moved.
    function redeemInKind(address receiver, uint256 numerator, uint256 denominator) external returns (bool transferred);
}
