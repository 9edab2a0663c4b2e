// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTypes} from "../libraries/VaultTypes.sol";

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
    /// @notice An in-kind exit went on without `adapter`'s positions because its `redeemInKind`
    ///         reverted: the leaver's slice of them stays with the remaining holders.
    event InKindAdapterSkipped(
        address indexed adapter,
        address indexed receiver,
        uint256 numerator,
        uint256 denominator
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

    // ------------------------------------------------------------------ keeper and deleverage
    /// @notice A keeper rebalance executed (`nonce` is the one it consumed).
    event Rebalanced(
        uint256 indexed nonce,
        uint256 trades,
        uint256 valueBefore,
        uint256 valueAfter,
        uint256 loss,
        uint256 turnover,
        uint256 leverage
    );
    /// @notice One swap executed by a rebalance or a deleverage (`value` 0 for deleverage legs).
    event TradeExecuted(
        address indexed tokenIn,
        address indexed tokenOut,
        address adapter,
        uint256 spent,
        uint256 received,
        uint256 value
    );
    /// @notice One deleverage chunk (reason 1 ripcord, 2 drawdown).
    event Deleveraged(
        address indexed caller,
        uint8 reason,
        uint256 soldValue,
        uint256 bounty,
        uint256 leverageBefore,
        uint256 leverageAfter
    );
    /// @notice An option was bought through an option adapter.
    event OptionOpened(
        address indexed adapter,
        uint256 seriesId,
        address underlying,
        uint256 amount,
        uint256 premium,
        uint256 loss
    );
    /// @notice An option position was sold back through its adapter.
    event OptionClosed(address indexed adapter, uint256 seriesId, uint256 amount, uint256 proceeds, uint256 loss);
    /// @notice Risk limits changed (`tightened`: through the immediate guardian path).
    event LimitsSet(VaultTypes.RiskLimits limits, bool tightened);
    /// @notice A swap adapter was allowed or disallowed.
    event SwapAdapterSet(address indexed adapter, bool allowed);
    /// @notice The deleverage route of a token changed.
    event DeleverageRouteSet(address indexed token, address adapter, uint24[] fees, address[] intermediates);
    /// @notice A drawdown checkpoint was recorded.
    event Checkpoint(uint256 pricePerShare);

    /// @notice Keeper actions are paused by the guardian.
    error RebalanceIsPaused();
    /// @notice The rebalance deadline has passed.
    error RebalanceExpired(uint256 deadline, uint256 timestamp);
    /// @notice The keeper's expected nonce is not the current one (another keeper acted first).
    error RebalanceNonceMismatch(uint256 expected, uint256 current);
    /// @notice A rebalance without trades.
    error EmptyRebalance();
    /// @notice Risk limits were never configured.
    error LimitsNotSet();
    /// @notice A risk-increasing rebalance before the minimum interval elapsed.
    error RebalanceTooSoon(uint256 nextAllowed, uint256 timestamp);
    /// @notice The vault holds less of `token` than the trade or order needs.
    error InsufficientHolding(address token, uint256 amount, uint256 held);
    /// @notice The option adapter took more premium than the order allowed.
    error PremiumAboveMax(uint256 paid, uint256 maxPremium);
    /// @notice Closing an option returned less than the minimum.
    error ProceedsBelowMin(uint256 proceeds, uint256 minProceeds);
    /// @notice Neither the ripcord nor the drawdown trigger is hit.
    error DeleverageNotDue(uint256 leverage, uint256 ripcordLeverage);
    /// @notice The previous deleverage chunk was too recent.
    error DeleverageCooldown(uint256 nextAllowed, uint256 timestamp);
    /// @notice Nothing can be sold: already at the goal, chunk cap or window budget exhausted, or no route.
    error NothingToDeleverage(uint256 needed, uint256 chunkCap, uint256 budget);
    /// @notice The ladder must satisfy target <= max < ripcord.
    error InvalidLeverageLadder(uint256 target, uint256 max, uint256 ripcord);
    /// @notice A limit outside its hard bound.
    error InvalidLimit(uint256 value, uint256 bound);
    /// @notice A "tighten" call that loosens a limit or changes a deleverage parameter.
    error LimitsNotTighter();
    /// @notice The swap adapter is not whitelisted.
    error SwapAdapterNotAllowed(address adapter);
    /// @notice A trade with tokenIn == tokenOut.
    error TradeSameToken(address token);
    /// @notice A trade's value (asset units, rounded up) above the per-trade cap.
    error TradeTooLarge(uint256 value, uint256 maxTradeValue);
    /// @notice The value lost by one rebalance/option order (at the oracle) is above its bound.
    error RebalanceLossTooHigh(uint256 loss, uint256 maxLoss);
    /// @notice A keeper action changed the share supply.
    error SupplyChanged(uint256 supplyBefore, uint256 supplyAfter);

    // Mirrors of guard-library errors raised inside the linked RebalanceLib, declared here so the
    // vault's ABI decodes them (same signatures as in LeverageLib, TradeMath, SwapExecution, WindowBudget).
    /// @notice See LeverageLib.LeverageAboveMax.
    error LeverageAboveMax(uint256 leverage, uint256 maxLeverage);
    /// @notice See LeverageLib.LeverageWeightAboveMax.
    error LeverageWeightAboveMax(address underlying, uint256 value, uint256 totalValue, uint256 maxWeightBps);
    /// @notice See LeverageLib.LeverageUnknownUnderlying.
    error LeverageUnknownUnderlying(address underlying);
    /// @notice See TradeMath.TradeSlippageAboveCap.
    error TradeSlippageAboveCap(uint256 slippageBps, uint256 capBps);
    /// @notice See TradeMath.TradeMinOutBelowOracle.
    error TradeMinOutBelowOracle(uint256 minAmountOut, uint256 oracleMinOut);
    /// @notice See TradeMath.TradeZeroPrice.
    error TradeZeroPrice(uint256 priceIn, uint256 priceOut);
    /// @notice See SwapExecution.SwapExecutionOverspent.
    error SwapExecutionOverspent(address tokenIn, uint256 spent, uint256 amountIn);
    /// @notice See SwapExecution.SwapExecutionInsufficientOutput.
    error SwapExecutionInsufficientOutput(address tokenOut, uint256 received, uint256 minAmountOut);
    /// @notice See WindowBudget.WindowBudgetExceeded.
    error WindowBudgetExceeded(uint256 requested, uint256 available);
}
