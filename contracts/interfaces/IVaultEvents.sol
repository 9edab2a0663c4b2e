// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IVaultEvents
/// @notice Events and custom errors of the RiskParityVault. Declared in one interface so the vault
///         and its linked libraries (which run in the vault's context) share them, and so they all
///         appear in the vault's ABI.
interface IVaultEvents {
    // ------------------------------------------------------------------ events
    /// @notice A risk asset was registered.
    event AssetAdded(address indexed token, uint8 decimals, address feed, uint16 maxWeightBps);
    /// @notice A risk asset was removed (it held nothing).
    event AssetRemoved(address indexed token);
    /// @notice The feed of a risk asset (or of the asset itself, `token == asset()`) changed.
    event FeedSet(
        address indexed token,
        address feed,
        uint32 heartbeat,
        uint8 decimals,
        uint64 minPrice,
        uint64 maxPrice
    );
    /// @notice The maximum weight of a risk asset changed.
    event MaxWeightSet(address indexed token, uint16 oldBps, uint16 newBps);
    /// @notice The sequencer-uptime feed changed.
    event SequencerSet(address feed, uint32 gracePeriod);
    /// @notice A position adapter was registered.
    event AdapterAdded(address indexed adapter);
    /// @notice A position adapter was removed (it held nothing).
    event AdapterRemoved(address indexed adapter);
    /// @notice The deposit cap changed.
    event DepositCapSet(uint256 oldCap, uint256 newCap);
    /// @notice Deposits were paused or unpaused.
    event DepositsPausedSet(bool paused);
    /// @notice Keeper rebalances were paused or unpaused.
    event RebalancePausedSet(bool paused);
    /// @notice Fee parameters changed.
    event FeesSet(uint16 managementBps, uint16 performanceBps, uint16 entryBps, uint16 exitBps);
    /// @notice The fee recipient changed.
    event FeeRecipientSet(address recipient);
    /// @notice Fees were accrued as shares.
    event FeesAccrued(address indexed recipient, uint256 feeShares, uint256 totalAssets, uint256 highWaterMark);
    /// @notice A pro-rata in-kind redemption: `amounts[0]` is the asset, `amounts[i+1]` risk asset i.
    event RedeemedInKind(
        address indexed caller,
        address indexed receiver,
        address indexed owner,
        uint256 shares,
        uint256[] amounts
    );
    /// @notice Untracked tokens (donations) were sent out.
    event Skimmed(address indexed token, address to, uint256 amount);

    // ------------------------------------------------------------------ errors
    /// @notice A zero amount was passed.
    error ZeroAmount();
    /// @notice A zero address was passed.
    error ZeroAddress();
    /// @notice The deposit would mint no shares.
    error ZeroShares(uint256 assets);
    /// @notice The redemption would pay no assets.
    error ZeroAssets(uint256 shares);
    /// @notice Deposits are paused by the guardian.
    error DepositsPaused();
    /// @notice The deposit would push total assets above the cap.
    error DepositCapExceeded(uint256 totalAssets, uint256 assets, uint256 cap);
    /// @notice Not enough idle asset to pay the withdrawal (use {redeemInKind}).
    error InsufficientIdle(uint256 requested, uint256 idle);
    /// @notice An adapter's `realAssets()` reverted or returned malformed data.
    error AdapterValuationFailed(address adapter);
    /// @notice The EIP-2612 permit failed and the allowance does not cover the deposit.
    error PermitFailed(uint256 allowance, uint256 assets);
    /// @notice An in-kind amount is below the caller's minimum.
    error InKindSlippage(address token, uint256 amount, uint256 minAmount);
    /// @notice `minAmounts` must be empty or have one entry per holding.
    error LengthMismatch(uint256 expected, uint256 actual);
    /// @notice A fee above its hard cap.
    error FeeAboveCap(uint256 bps, uint256 cap);
    /// @notice The token is not a registered risk asset.
    error UnknownAsset(address token);
    /// @notice The token is already registered (or is the asset or the share token).
    error AssetAlreadyRegistered(address token);
    /// @notice Already 16 risk assets (or 8 adapters).
    error TooMany(uint256 max);
    /// @notice Token decimals outside 6..18.
    error UnsupportedTokenDecimals(address token, uint8 decimals);
    /// @notice The probe transfer showed a fee-on-transfer or rebasing token.
    error TokenNotPlain(address token, uint256 probeAmount, uint256 received, uint256 returned);
    /// @notice Something is still held in the asset or adapter being removed.
    error NotEmpty(address target, uint256 amount);
    /// @notice The adapter does not serve this vault.
    error AdapterVaultMismatch(address adapter, address vault);
    /// @notice The adapter is already registered / not registered.
    error AdapterRegistration(address adapter, bool registered);
    /// @notice A "lower"/"tighten" call that would not lower.
    error NotLower(uint256 current, uint256 requested);
    /// @notice A weight above 100 %.
    error InvalidBps(uint256 bps);
    /// @notice Mirror of OracleLib.OracleWrongDecimals (raised during registration in a linked library,
    ///         declared here so it appears in the vault's ABI).
    error OracleWrongDecimals(address feed, uint8 expected, uint8 actual);
}
