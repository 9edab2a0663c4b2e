// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {OracleLib} from "./libraries/OracleLib.sol";
import {FeeMath} from "./libraries/FeeMath.sol";
import {ValuationLib} from "./libraries/ValuationLib.sol";
import {VaultAdminLib} from "./libraries/VaultAdminLib.sol";
import {VaultTypes} from "./libraries/VaultTypes.sol";
import {IVaultEvents} from "./interfaces/IVaultEvents.sol";
import {IRiskParityVault} from "./interfaces/IRiskParityVault.sol";
import {IOptionAdapter} from "./interfaces/IOptionAdapter.sol";
import {ISwapAdapter} from "./interfaces/ISwapAdapter.sol";
import {RebalanceLib} from "./libraries/RebalanceLib.sol";
import {DeleverageLib} from "./libraries/DeleverageLib.sol";
import {VaultGuardLib} from "./libraries/VaultGuardLib.sol";

/// @title RiskParityVault
/// @notice ERC-4626 vault over a stablecoin holding up to 16 oracle-priced risk assets and position
///         adapters. Holdings are accounted internally (donations never move the share price);
///         exits are never paused and {redeemInKind} works without oracles, keeper or unpause.
/// @dev Roles come from an OpenZeppelin AccessManager (see docs/vault.md for the function/role map).
contract RiskParityVault is
    ERC4626,
    ERC20Permit,
    AccessManaged,
    ReentrancyGuardTransient,
    IVaultEvents,
    IRiskParityVault
{
    using SafeERC20 for IERC20;
    using Math for uint256;

    // ------------------------------------------------------------------ constants
    /// @notice Most risk assets the vault may register.
    uint256 public constant MAX_RISK_ASSETS = 16;
    /// @notice Most position adapters the vault may register.
    uint256 public constant MAX_ADAPTERS = 8;
    /// @notice Hard cap of the entry and of the exit fee, bps.
    uint256 public constant MAX_ENTRY_EXIT_FEE_BPS = 100;
    /// @notice Hard cap of the yearly management fee, bps.
    uint256 public constant MAX_MANAGEMENT_FEE_BPS = 200;
    /// @notice Hard cap of the performance fee, bps.
    uint256 public constant MAX_PERFORMANCE_FEE_BPS = 2_000;
    /// @dev Extra share decimals (virtual shares 10**6 make first-depositor inflation uneconomic).
    uint8 private constant DECIMALS_OFFSET = 6;
    uint256 private constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;

    // ------------------------------------------------------------------ storage
    uint8 private immutable ASSET_DECIMALS;
    /// @dev All vault state except the share token's ERC-20 storage (see VaultTypes).
    VaultTypes.Layout internal _s;

    /// @param asset_ The stablecoin (USDC in production).
    /// @param name_ Share token name (also the EIP-712 domain name).
    /// @param symbol_ Share token symbol.
    /// @param authority_ The AccessManager deployed beside the vault.
    constructor(
        IERC20Metadata asset_,
        string memory name_,
        string memory symbol_,
        address authority_
    ) ERC4626(asset_) ERC20(name_, symbol_) ERC20Permit(name_) AccessManaged(authority_) {
        ASSET_DECIMALS = asset_.decimals();
        _s.limits = VaultTypes.Limits({
            depositCap: type(uint128).max,
            highWaterMark: uint128(FeeMath.pricePerShare(0, 0, VIRTUAL_SHARES))
        });
        _s.hot.lastAccrual = uint40(block.timestamp);
    }

    // ================================================================== views

    /// @inheritdoc ERC20
    function decimals() public view override(ERC20, ERC4626) returns (uint8) {
        return super.decimals();
    }

    /// @notice Idle asset + every risk-asset balance at its oracle price + every adapter's
    ///         conservative value, in asset units (rounded down). Never reverts: while an oracle or
    ///         adapter is unhealthy the holdings it prices count as 0 (a lower bound); see {isHealthy}.
    function totalAssets() public view override returns (uint256 total) {
        (, total) = _valuation(false);
    }

    /// @notice True when every oracle and adapter the valuation needs is healthy.
    function isHealthy() external view returns (bool healthy) {
        (healthy, ) = _valuation(false);
    }

    /// @notice Asset units accounted as idle (what {withdraw}/{redeem} can pay now).
    function idleAssets() external view returns (uint256) {
        return _s.hot.idle;
    }

    /// @notice Number of registered risk assets.
    function riskAssetCount() external view returns (uint256) {
        return _s.hot.assetCount;
    }

    /// @notice Tracked balance of a registered risk asset (or of the asset itself).
    function trackedBalance(address token) external view returns (uint256) {
        if (token == asset()) return _s.hot.idle;
        return ValuationLib.assetAt(_s, token).balance;
    }

    /// @notice Raw packed state: the hot slot (idle, last accrual, entry/exit fee, counts, pause
    ///         and presence flags), deposit cap and high-water mark, fee recipient and rates.
    function vaultState()
        external
        view
        returns (VaultTypes.Hot memory hot, VaultTypes.Limits memory limits, VaultTypes.FeeConfig memory feeConfig)
    {
        return (_s.hot, _s.limits, _s.feeConfig);
    }

    /// @notice Assets to shares at the current value, rounded down (no fee). Never reverts.
    function convertToShares(uint256 assets) public view override returns (uint256) {
        (, uint256 ta, uint256 supply) = _viewState(false);
        return _toShares(assets, ta, supply, Math.Rounding.Floor);
    }

    /// @notice Shares to assets at the current value, rounded down (no fee). Never reverts.
    function convertToAssets(uint256 shares) public view override returns (uint256) {
        (, uint256 ta, uint256 supply) = _viewState(false);
        return _toAssets(shares, ta, supply, Math.Rounding.Floor);
    }

    /// @notice Most assets `deposit` accepts now: 0 while paused or while any oracle is unhealthy,
    ///         else the room under the cap. Never reverts.
    function maxDeposit(address) public view override returns (uint256) {
        if (_s.hot.depositsPaused) return 0;
        (bool healthy, uint256 ta) = _valuation(false);
        if (!healthy) return 0;
        uint256 cap = _s.limits.depositCap;
        if (cap == type(uint128).max) return type(uint256).max;
        return ta >= cap ? 0 : cap - ta;
    }

    /// @notice Most shares `mint` accepts now (see {maxDeposit}). Never reverts.
    function maxMint(address receiver) public view override returns (uint256) {
        uint256 room = maxDeposit(receiver);
        if (room == 0 || room == type(uint256).max) return room;
        (, uint256 ta, uint256 supply) = _viewState(false);
        return _sharesForDeposit(room, ta, supply);
    }

    /// @notice Most assets `owner` can withdraw now: min(value of its shares net of the exit fee,
    ///         idle asset). 0 while any oracle is unhealthy (use {redeemInKind}). Never reverts.
    function maxWithdraw(address owner) public view override returns (uint256) {
        (bool healthy, uint256 ta, uint256 supply) = _viewState(false);
        if (!healthy) return 0;
        uint256 net = _assetsForRedeem(balanceOf(owner), ta, supply);
        return net < _s.hot.idle ? net : _s.hot.idle;
    }

    /// @notice Most shares `owner` can redeem now for the asset: all its shares if idle covers them,
    ///         else the shares whose net value equals the idle asset (rounded down). 0 while any
    ///         oracle is unhealthy (use {redeemInKind}) or when the shares would pay nothing. Never reverts.
    function maxRedeem(address owner) public view override returns (uint256) {
        (bool healthy, uint256 ta, uint256 supply) = _viewState(false);
        if (!healthy) return 0;
        uint256 bal = balanceOf(owner);
        uint256 idle = _s.hot.idle;
        uint256 shares = bal;
        if (_assetsForRedeem(bal, ta, supply) > idle) {
            uint256 gross = idle + FeeMath.feeOnRaw(idle, _s.hot.exitBps);
            uint256 fit = _toShares(gross, ta, supply, Math.Rounding.Floor);
            if (fit < shares) shares = fit;
        }
        // `redeem` refuses a redemption that pays nothing.
        return _assetsForRedeem(shares, ta, supply) == 0 ? 0 : shares;
    }

    /// @notice Shares `deposit(assets)` mints now (net of the entry fee, rounded down). Reverts with
    ///         the oracle's error while an oracle is unhealthy (as `deposit` would).
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        (, uint256 ta, uint256 supply) = _viewState(true);
        return _sharesForDeposit(assets, ta, supply);
    }

    /// @notice Assets `mint(shares)` pulls now (entry fee included, rounded up).
    function previewMint(uint256 shares) public view override returns (uint256) {
        (, uint256 ta, uint256 supply) = _viewState(true);
        return _assetsForMint(shares, ta, supply);
    }

    /// @notice Shares `withdraw(assets)` burns now (exit fee included, rounded up).
    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        (, uint256 ta, uint256 supply) = _viewState(true);
        return _sharesForWithdraw(assets, ta, supply);
    }

    /// @notice Assets `redeem(shares)` pays now (net of the exit fee, rounded down).
    function previewRedeem(uint256 shares) public view override returns (uint256) {
        (, uint256 ta, uint256 supply) = _viewState(true);
        return _assetsForRedeem(shares, ta, supply);
    }

    // ================================================================== deposits

    /// @notice Deposits `assets` for shares to `receiver` (see {previewDeposit}).
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        return _depositAssets(assets, receiver);
    }

    /// @notice Mints exactly `shares` to `receiver`, pulling {previewMint} assets.
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        (uint256 ta, uint256 supply) = _enter();
        assets = _assetsForMint(shares, ta, supply);
        _checkCap(ta, assets);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @notice {deposit} after an EIP-2612 permit on the asset. A permit that reverts (for example
    ///         front-run by someone who submitted the same signature) is tolerated when the allowance
    ///         already covers `assets`.
    function depositWithPermit(
        uint256 assets,
        address receiver,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 shares) {
        address owner = _msgSender();
        // a failed permit is handled in the catch block
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(asset()).permit(owner, address(this), assets, deadline, v, r, s) {} catch {
            uint256 allowance = IERC20(asset()).allowance(owner, address(this));
            if (allowance < assets) revert PermitFailed(allowance, assets);
        }
        return _depositAssets(assets, receiver);
    }

    // ================================================================== exits

    /// @notice Burns shares to pay exactly `assets` from idle asset (exit fee on top, shares rounded up).
    function withdraw(
        uint256 assets,
        address receiver,
        address owner
    ) public override nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        (uint256 ta, uint256 supply) = _exit();
        if (assets > _s.hot.idle) revert InsufficientIdle(assets, _s.hot.idle);
        shares = _sharesForWithdraw(assets, ta, supply);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @notice Burns exactly `shares` for the asset from idle (exit fee deducted, rounded down).
    function redeem(
        uint256 shares,
        address receiver,
        address owner
    ) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        (uint256 ta, uint256 supply) = _exit();
        assets = _assetsForRedeem(shares, ta, supply);
        if (assets == 0) revert ZeroAssets(shares);
        if (assets > _s.hot.idle) revert InsufficientIdle(assets, _s.hot.idle);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @notice Burns `shares` of `owner` for a pro-rata slice of every holding: the asset, each risk
    ///         asset and each adapter's positions (`IPositionAdapter.redeemInKind`). Works while
    ///         paused, with every oracle stale or reverting, and without a keeper. The exit fee is
    ///         kept in the vault; every amount is rounded down.
    /// @param minAmounts Empty, or one minimum per holding: [asset, riskAsset(0), ...].
    /// @return amounts Paid amounts in the same order as `minAmounts`.
    function redeemInKind(
        uint256 shares,
        address receiver,
        address owner,
        uint256[] calldata minAmounts
    ) external nonReentrant returns (uint256[] memory amounts) {
        if (shares == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        address caller = _msgSender();
        if (caller != owner) _spendAllowance(owner, caller, shares);

        // Fees accrue only when the valuation is healthy; never a reason to revert here.
        (bool healthy, uint256 ta) = _valuation(false);
        if (healthy) _accrue(ta);

        uint256 denominator = totalSupply() + VIRTUAL_SHARES;
        uint256 net = shares - FeeMath.feeOnTotal(shares, _s.hot.exitBps);
        _burn(owner, shares);
        amounts = VaultAdminLib.payInKind(_s, asset(), receiver, net, denominator, minAmounts);
        emit RedeemedInKind(caller, receiver, owner, shares, amounts);
    }

    /// @notice Accrues management and performance fees now (skipped while oracles are unhealthy).
    function accrueFees() external nonReentrant {
        (bool healthy, uint256 ta) = _valuation(false);
        if (healthy) _accrue(ta);
    }

    // ================================================================== curator (delayed)

    /// @notice Registers a risk asset. Refuses the asset/share token, duplicates, decimals outside
    ///         6..18, a feed whose decimals differ from `feed.decimals` or that fails a read, and
    ///         fee-on-transfer or rebasing tokens: `probeAmount` is pulled from `probeSource`
    ///         (which must have approved the vault) and sent back, and both legs must move exactly
    ///         `probeAmount` on both balances.
    function addAsset(
        address token,
        OracleLib.Feed calldata feed,
        uint16 maxWeightBps,
        address probeSource,
        uint256 probeAmount
    ) external restricted nonReentrant {
        VaultAdminLib.addAsset(_s, asset(), token, feed, maxWeightBps, probeSource, probeAmount);
    }

    /// @notice Replaces the feed of a risk asset, or of the asset itself when `token == asset()`
    ///         (a zero feed address then means "1 USD"). Validated like {addAsset}.
    function setFeed(address token, OracleLib.Feed calldata feed) external restricted {
        VaultAdminLib.setFeed(_s, asset(), token, feed);
    }

    /// @notice Sets (raises or lowers) the maximum weight of a risk asset.
    function setMaxWeight(address token, uint16 maxWeightBps) external restricted {
        VaultAdminLib.setMaxWeight(_s, token, maxWeightBps, false);
    }

    /// @notice Sets the L2 sequencer-uptime feed (zero address: none).
    function setSequencer(address feed, uint32 gracePeriod) external restricted {
        VaultAdminLib.setSequencer(_s, feed, gracePeriod);
    }

    /// @notice Registers a position adapter serving this vault.
    function addAdapter(address adapter) external restricted {
        VaultAdminLib.addAdapter(_s, adapter);
    }

    /// @notice Sets the deposit cap (asset units; `type(uint128).max` = none).
    function setDepositCap(uint256 cap) external restricted {
        _setDepositCap(cap);
    }

    // ================================================================== guardian (immediate)

    /// @notice Lowers the deposit cap (risk-reducing, immediate).
    function lowerDepositCap(uint256 cap) external restricted {
        if (cap > _s.limits.depositCap) revert NotLower(_s.limits.depositCap, cap);
        _setDepositCap(cap);
    }

    /// @notice Lowers the maximum weight of a risk asset (risk-reducing, immediate).
    function lowerMaxWeight(address token, uint16 maxWeightBps) external restricted {
        VaultAdminLib.setMaxWeight(_s, token, maxWeightBps, true);
    }

    /// @notice Removes a risk asset whose tracked balance is zero.
    function removeAsset(address token) external restricted {
        VaultAdminLib.removeAsset(_s, token);
    }

    /// @notice Removes an adapter that holds nothing (`realAssets() == 0`, no exposures).
    function removeAdapter(address adapter) external restricted {
        VaultAdminLib.removeAdapter(_s, adapter);
    }

    /// @notice Pauses deposits (exits are never paused).
    function pauseDeposits() external restricted {
        _s.hot.depositsPaused = true;
        emit DepositsPausedSet(true);
    }

    /// @notice Pauses keeper rebalances (deleverage and exits stay available).
    function pauseRebalance() external restricted {
        _s.hot.rebalancePaused = true;
        emit RebalancePausedSet(true);
    }

    // ================================================================== admin

    /// @notice Resumes deposits.
    function unpauseDeposits() external restricted {
        _s.hot.depositsPaused = false;
        emit DepositsPausedSet(false);
    }

    /// @notice Resumes keeper rebalances.
    function unpauseRebalance() external restricted {
        _s.hot.rebalancePaused = false;
        emit RebalancePausedSet(false);
    }

    /// @notice Sets the fees (hard caps: 2 %/year management, 20 % performance, 1 % entry and exit).
    ///         Fees due under the old parameters are accrued first (when oracles are healthy).
    function setFees(uint16 managementBps, uint16 performanceBps, uint16 entryBps, uint16 exitBps) external restricted {
        if (managementBps > MAX_MANAGEMENT_FEE_BPS) revert FeeAboveCap(managementBps, MAX_MANAGEMENT_FEE_BPS);
        if (performanceBps > MAX_PERFORMANCE_FEE_BPS) revert FeeAboveCap(performanceBps, MAX_PERFORMANCE_FEE_BPS);
        if (entryBps > MAX_ENTRY_EXIT_FEE_BPS) revert FeeAboveCap(entryBps, MAX_ENTRY_EXIT_FEE_BPS);
        if (exitBps > MAX_ENTRY_EXIT_FEE_BPS) revert FeeAboveCap(exitBps, MAX_ENTRY_EXIT_FEE_BPS);
        (bool healthy, uint256 ta) = _valuation(false);
        if (healthy) _accrue(ta);
        (_s.feeConfig.managementBps, _s.feeConfig.performanceBps) = (managementBps, performanceBps);
        (_s.hot.entryBps, _s.hot.exitBps) = (entryBps, exitBps);
        emit FeesSet(managementBps, performanceBps, entryBps, exitBps);
    }

    /// @notice Sets the fee recipient (fees are not charged while it is zero).
    function setFeeRecipient(address recipient) external restricted {
        (bool healthy, uint256 ta) = _valuation(false);
        if (healthy) _accrue(ta);
        _s.feeConfig.recipient = recipient;
        // No performance fee on gains made while no fee was charged.
        if (healthy) _raiseHighWaterMark(FeeMath.pricePerShare(ta, totalSupply(), VIRTUAL_SHARES));
        emit FeeRecipientSet(recipient);
    }

    /// @notice Sends tokens the vault holds beyond its accounting (donations) to `to`.
    function skim(address token, address to) external restricted nonReentrant {
        VaultAdminLib.skim(_s, asset(), token, to);
    }

    // ================================================================== keeper (KEEPER role)

    /// @notice Executes typed trades if `expectedNonce` is current and every guard passes: per trade
    ///         registered tokens, whitelisted adapter, value <= per-trade cap, `minAmountOut` >= the
    ///         oracle-implied output minus the allowed slippage, output measured on balances; after
    ///         the batch: share supply unchanged, loss <= per-rebalance bound and within the rolling
    ///         loss budget, turnover within its budget, weights and leverage within their maxima, and
    ///         the minimum interval (waived for a batch that only sells into the asset and lowers gross
    ///         exposure). Increments the nonce.
    function rebalance(
        Trade[] calldata trades,
        uint256 expectedNonce,
        uint256 deadline
    ) external restricted nonReentrant {
        uint256 supply = totalSupply();
        RebalanceLib.rebalance(_s, VaultGuardLib.Ctx(asset(), ASSET_DECIMALS, supply), trades, expectedNonce, deadline);
        _checkSupply(supply);
    }

    /// @notice Buys an option through a registered option adapter: approves exactly `maxPremium`,
    ///         resets the approval, then checks leverage (adapter exposures included) and the loss budget.
    function openOption(
        address adapter,
        IOptionAdapter.OptionOrder calldata order
    ) external restricted nonReentrant returns (uint256 seriesId, uint256 premiumPaid) {
        uint256 supply = totalSupply();
        (seriesId, premiumPaid) = RebalanceLib.openOption(
            _s,
            VaultGuardLib.Ctx(asset(), ASSET_DECIMALS, supply),
            adapter,
            order
        );
        _checkSupply(supply);
    }

    /// @notice Sells `amount` of option series `seriesId` back through `adapter` for at least
    ///         `minProceeds` of the asset, then checks leverage and the loss budget.
    function closeOption(
        address adapter,
        uint256 seriesId,
        uint256 amount,
        uint256 minProceeds
    ) external restricted nonReentrant returns (uint256 proceeds) {
        uint256 supply = totalSupply();
        proceeds = RebalanceLib.closeOption(
            _s,
            VaultGuardLib.Ctx(asset(), ASSET_DECIMALS, supply),
            adapter,
            seriesId,
            amount,
            minProceeds
        );
        _checkSupply(supply);
    }

    /// @notice Every limit and remaining budget the keeper plans inside (never reverts on oracles).
    function rebalanceBounds() external view returns (RebalanceBounds memory) {
        return DeleverageLib.bounds(_s, ASSET_DECIMALS);
    }

    /// @notice True when `adapter` may execute keeper swaps and deleverage routes.
    function isSwapAdapter(address adapter) external view returns (bool) {
        return _s.swapAdapters[adapter];
    }

    // ================================================================== deleverage (anyone)

    /// @notice Whether {deleverage} may run (cooldown aside) and why: 1 leverage above the ripcord,
    ///         2 price per share fell more than the drawdown trigger within the window.
    function shouldDeleverage() public view returns (bool due, uint8 reason) {
        return DeleverageLib.shouldDeleverage(_s, ASSET_DECIMALS, totalSupply());
    }

    /// @notice Sells one bounded pro-rata chunk of exposure for the asset and pays the caller a
    ///         capped bounty. Works while keeper rebalances are paused.
    function deleverage() public nonReentrant returns (uint256 soldValue, uint256 bounty) {
        uint256 supply = totalSupply();
        (soldValue, bounty) = DeleverageLib.deleverage(_s, VaultGuardLib.Ctx(asset(), ASSET_DECIMALS, supply));
        _checkSupply(supply);
    }

    /// @notice Records the price per share for the drawdown trigger (anyone; keeper actions do it too).
    function checkpoint() external nonReentrant {
        DeleverageLib.checkpoint(_s, ASSET_DECIMALS, totalSupply());
    }

    // ================================================================== risk configuration

    /// @notice Sets every keeper/deleverage limit (curator, behind the delay).
    function setLimits(VaultTypes.RiskLimits calldata limits_) external restricted {
        _setLimits(limits_, false);
    }

    /// @notice Tightens keeper limits immediately (guardian/curator); refuses any loosening.
    function tightenLimits(VaultTypes.RiskLimits calldata limits_) external restricted {
        _setLimits(limits_, true);
    }

    function _setLimits(VaultTypes.RiskLimits calldata limits_, bool onlyTighter) internal {
        RebalanceLib.setLimits(_s, limits_, onlyTighter);
    }

    /// @notice Whitelists a swap adapter (curator, behind the delay).
    function setSwapAdapter(address adapter) external restricted {
        if (adapter == address(0)) revert ZeroAddress();
        _s.swapAdapters[adapter] = true;
        emit SwapAdapterSet(adapter, true);
    }

    /// @notice Removes a swap adapter from the whitelist (guardian, immediate).
    function removeSwapAdapter(address adapter) external restricted {
        _s.swapAdapters[adapter] = false;
        emit SwapAdapterSet(adapter, false);
    }

    /// @notice Sets the swap adapter and route deleverage sells `token` through (curator, delayed).
    function setDeleverageRoute(address token, address adapter, ISwapAdapter.Route calldata route) external restricted {
        RebalanceLib.setDeleverageRoute(_s, token, adapter, route);
    }

    // ================================================================== internal: flows

    function _depositAssets(uint256 assets, address receiver) internal returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        (uint256 ta, uint256 supply) = _enter();
        _checkCap(ta, assets);
        shares = _sharesForDeposit(assets, ta, supply);
        if (shares == 0) revert ZeroShares(assets);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @dev Entry checks: not paused, strict valuation (reverts naming an unhealthy feed), fees accrued.
    function _enter() internal returns (uint256 ta, uint256 supply) {
        if (_s.hot.depositsPaused) revert DepositsPaused();
        (, ta) = _valuation(true);
        _accrue(ta);
        supply = totalSupply();
    }

    /// @dev Exit checks for asset-paid exits: strict valuation, fees accrued. Never checks pauses.
    function _exit() internal returns (uint256 ta, uint256 supply) {
        (, ta) = _valuation(true);
        _accrue(ta);
        supply = totalSupply();
    }

    function _checkSupply(uint256 supplyBefore) internal view {
        uint256 supplyAfter = totalSupply();
        if (supplyAfter != supplyBefore) revert SupplyChanged(supplyBefore, supplyAfter);
    }

    function _checkCap(uint256 ta, uint256 assets) internal view {
        uint256 cap = _s.limits.depositCap;
        if (cap != type(uint128).max && ta + assets > cap) revert DepositCapExceeded(ta, assets, cap);
    }

    /// @dev Adds the deposit to the tracked idle balance, then OpenZeppelin's flow.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        _s.hot.idle = SafeCast.toUint128(_s.hot.idle + assets);
        super._deposit(caller, receiver, assets, shares);
    }

    /// @dev Removes the payment from the tracked idle balance, then OpenZeppelin's flow.
    function _withdraw(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares
    ) internal override {
        _s.hot.idle -= uint128(assets);
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    /// @dev Mints pending management/performance fee shares; raises the high-water mark.
    function _accrue(uint256 ta) internal {
        uint256 last = _s.hot.lastAccrual;
        if (last == block.timestamp) return;
        VaultTypes.FeeConfig memory fc = _s.feeConfig;
        if (fc.recipient != address(0)) {
            uint256 hwm = _s.limits.highWaterMark;
            (uint256 feeShares, uint256 newHwm) = FeeMath.accrual(
                ta,
                totalSupply(),
                VIRTUAL_SHARES,
                block.timestamp - last,
                fc.managementBps,
                fc.performanceBps,
                hwm
            );
            if (feeShares != 0) {
                _mint(fc.recipient, feeShares);
                emit FeesAccrued(fc.recipient, feeShares, ta, newHwm);
            }
            if (newHwm != hwm) _s.limits.highWaterMark = uint128(newHwm);
        }
        _s.hot.lastAccrual = uint40(block.timestamp);
    }

    function _raiseHighWaterMark(uint256 pps) internal {
        if (pps > _s.limits.highWaterMark) _s.limits.highWaterMark = uint128(pps);
    }

    function _setDepositCap(uint256 cap) internal {
        if (cap > type(uint128).max) cap = type(uint128).max;
        emit DepositCapSet(_s.limits.depositCap, cap);
        _s.limits.depositCap = uint128(cap);
    }

    // ================================================================== internal: valuation

    function _valuation(bool strict) internal view returns (bool healthy, uint256 total) {
        if (strict) return (true, ValuationLib.strictValuation(_s, ASSET_DECIMALS));
        return VaultAdminLib.lenientValuation(_s, ASSET_DECIMALS);
    }

    /// @dev (healthy, totalAssets, supply including fee shares that would accrue now).
    function _viewState(bool strict) internal view returns (bool healthy, uint256 ta, uint256 supply) {
        (healthy, ta) = _valuation(strict);
        supply = totalSupply();
        uint256 last = _s.hot.lastAccrual;
        VaultTypes.FeeConfig memory fc = _s.feeConfig;
        if (healthy && fc.recipient != address(0) && last != block.timestamp) {
            (uint256 feeShares, ) = FeeMath.accrual(
                ta,
                supply,
                VIRTUAL_SHARES,
                block.timestamp - last,
                fc.managementBps,
                fc.performanceBps,
                _s.limits.highWaterMark
            );
            supply += feeShares;
        }
    }

    // ================================================================== internal: conversions

    function _toShares(uint256 assets, uint256 ta, uint256 supply, Math.Rounding r) internal pure returns (uint256) {
        return assets.mulDiv(supply + VIRTUAL_SHARES, ta + 1, r);
    }

    function _toAssets(uint256 shares, uint256 ta, uint256 supply, Math.Rounding r) internal pure returns (uint256) {
        return shares.mulDiv(ta + 1, supply + VIRTUAL_SHARES, r);
    }

    /// @dev Shares for a deposit: entry fee taken from the gross amount (rounded up), shares rounded down.
    function _sharesForDeposit(uint256 assets, uint256 ta, uint256 supply) internal view returns (uint256) {
        return _toShares(assets - FeeMath.feeOnTotal(assets, _s.hot.entryBps), ta, supply, Math.Rounding.Floor);
    }

    /// @dev Assets for a mint: assets rounded up plus the entry fee on top (rounded up).
    function _assetsForMint(uint256 shares, uint256 ta, uint256 supply) internal view returns (uint256) {
        uint256 assets = _toAssets(shares, ta, supply, Math.Rounding.Ceil);
        return assets + FeeMath.feeOnRaw(assets, _s.hot.entryBps);
    }

    /// @dev Shares for a withdrawal: exit fee on top of the assets (rounded up), shares rounded up.
    function _sharesForWithdraw(uint256 assets, uint256 ta, uint256 supply) internal view returns (uint256) {
        return _toShares(assets + FeeMath.feeOnRaw(assets, _s.hot.exitBps), ta, supply, Math.Rounding.Ceil);
    }

    /// @dev Assets for a redemption: assets rounded down minus the exit fee (rounded up).
    function _assetsForRedeem(uint256 shares, uint256 ta, uint256 supply) internal view returns (uint256) {
        uint256 assets = _toAssets(shares, ta, supply, Math.Rounding.Floor);
        return assets - FeeMath.feeOnTotal(assets, _s.hot.exitBps);
    }

    /// @dev Share decimals = asset decimals + 6.
    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }
}
