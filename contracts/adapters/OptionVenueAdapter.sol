// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {IOptionAdapter} from "../interfaces/IOptionAdapter.sol";
import {IPositionAdapter} from "../interfaces/IPositionAdapter.sol";
import {PriceMath} from "../libraries/PriceMath.sol";
import {IOptionVenue} from "../options/IOptionVenue.sol";

/// @notice The two vault functions the adapter reads.
interface IOptionVaultView {
    /// @notice The vault's asset.
    function asset() external view returns (address);
    /// @notice The vault's total value in asset units.
    function totalAssets() external view returns (uint256);
}

/// @title OptionVenueAdapter
/// @notice Holds option positions bought on an {IOptionVenue} for exactly one vault and enforces the
///         option guards on every `open`: premium per rolling window <= a budget (bps of the vault's
///         totalAssets()), notional per underlying <= a cap, expiry within [min, max] days, strike
///         within a band around spot, at most `maxOpenSeries` series held.
///         Values are conservative: {realAssets} is what selling everything back to the venue would
///         fetch now plus settled payouts not yet collected, rounded down. A series past expiry but
///         not yet settled is valued at its payoff at the oracle spot (settlement is permissionless
///         and pays that payoff at the first round after expiry): valuing it at 0 would let anyone
///         deposit cheaply before settling it themselves.
/// @dev Parameter changes go through the AccessManager, like the vault: `setGuardParams` and
///      `setNotionalCap` (either direction) belong to the curator role behind an execution delay;
///      `tightenGuardParams` and `lowerNotionalCap` (only risk-reducing, enforced here) belong to
///      the guardian role, immediate. See docs/options-venue.md.
contract OptionVenueAdapter is IOptionAdapter, AccessManaged, ERC1155Holder, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.UintSet;

    /// @notice Guard parameters.
    struct GuardParams {
        uint16 premiumBudgetBps; // premium per window, bps of vault totalAssets()
        uint32 premiumWindow; // seconds; spent premium refills linearly over this window
        uint16 minExpiryDays;
        uint16 maxExpiryDays;
        uint16 strikeBandBps; // |strike / spot - 1| <= band
        uint8 maxOpenSeries;
    }

    uint256 private constant BPS = 10_000;
    uint256 private constant ONE = 1e18;
    /// @notice Hard bound on maxOpenSeries (bounds the loops of the views and of redeemInKind).
    uint8 public constant MAX_OPEN_SERIES_LIMIT = 32;
    /// @notice Hard bound on maxExpiryDays.
    uint16 public constant MAX_EXPIRY_DAYS_LIMIT = 730;

    // Immutables double as camelCase getters: `vault()` is fixed by IPositionAdapter; the others match it.
    // solhint-disable immutable-vars-naming
    /// @inheritdoc IPositionAdapter
    address public immutable vault;
    /// @notice The options venue.
    IOptionVenue public immutable venue;
    /// @notice The vault's (and the venue's) asset.
    IERC20 public immutable asset;
    uint8 private immutable _assetDecimals;
    // solhint-enable immutable-vars-naming

    GuardParams private _params;
    /// @notice Settlement payouts received and held for the vault until it collects them (a
    ///         `close` of amount 0), asset units. Counted in {realAssets} and paid pro rata in kind.
    uint256 public pendingPayout;

    /// @notice Notional cap per underlying, asset units (0: that underlying may not be bought).
    mapping(address underlying => uint256) public notionalCap;
    uint256 private _premiumSpent; // at _premiumSpentAt
    uint64 private _premiumSpentAt;
    EnumerableSet.UintSet private _openSeries;

    /// @notice Emitted when the guard parameters change.
    event GuardParamsSet(GuardParams params);
    /// @notice Emitted when the notional cap of `underlying` changes.
    event NotionalCapSet(address indexed underlying, uint256 cap);
    /// @notice Emitted when an option is bought for the vault.
    event OptionOpened(uint256 indexed seriesId, address indexed underlying, uint256 amount, uint256 premium);
    /// @notice Emitted when options are sold back for the vault.
    event OptionClosed(uint256 indexed seriesId, uint256 amount, uint256 proceeds);
    /// @notice Emitted when a series is settled and its payout sent to the vault.
    event OptionSettled(uint256 indexed seriesId, uint256 amount, uint256 payout);
    /// @notice Emitted when positions are transferred in kind.
    event RedeemedInKind(address indexed receiver, uint256 numerator, uint256 denominator);
    /// @notice Emitted when held settlement payouts leave the adapter (`to` the vault, or an
    ///         in-kind redeemer's pro-rata share).
    event PayoutsReleased(address indexed to, uint256 amount);

    /// @notice Caller is not the vault.
    error AdapterNotVault(address caller);
    /// @notice The venue's asset differs from the vault's.
    error AdapterAssetMismatch(address vaultAsset, address venueAsset);
    /// @notice A guard parameter outside its allowed range.
    error AdapterInvalidParams(GuardParams params);
    /// @notice `expiry` is outside [earliest, latest].
    error AdapterExpiryOutOfRange(uint64 expiry, uint256 earliest, uint256 latest);
    /// @notice `strike` is outside [low, high] around spot.
    error AdapterStrikeOutOfBand(uint256 strike, uint256 low, uint256 high);
    /// @notice Notional on `underlying` after the order would exceed its cap (asset units).
    error AdapterNotionalCapExceeded(address underlying, uint256 notional, uint256 cap);
    /// @notice A new series would exceed the maximum number of open series.
    error AdapterTooManyOpenSeries(uint256 openSeries, uint256 maxOpenSeries);
    /// @notice The premium exceeds the remaining budget of the window.
    error AdapterPremiumBudgetExceeded(uint256 premium, uint256 remaining);
    /// @notice The premium exceeds the order's maximum.
    error AdapterPremiumAboveMax(uint256 premium, uint256 maxPremium);
    /// @notice The adapter does not hold series `seriesId`.
    error AdapterUnknownSeries(uint256 seriesId);
    /// @notice A guardian change that would not reduce risk (every field must be at least as strict).
    error AdapterNotRiskReducing(GuardParams current, GuardParams requested);
    /// @notice A guardian cap change that is not a reduction.
    error AdapterNotLower(uint256 current, uint256 requested);
    /// @notice numerator > denominator or denominator == 0.
    error AdapterInvalidFraction(uint256 numerator, uint256 denominator);

    modifier onlyVault() {
        if (msg.sender != vault) revert AdapterNotVault(msg.sender);
        _;
    }

    /// @param vault_ The vault served (must expose asset() and totalAssets()).
    /// @param venue_ The options venue (an ERC-4626 pool over the same asset, and the ERC-1155).
    /// @param authority The AccessManager governing the curator setters.
    /// @param params Initial guard parameters.
    constructor(
        address vault_,
        IOptionVenue venue_,
        address authority,
        GuardParams memory params
    ) AccessManaged(authority) {
        address vaultAsset = IOptionVaultView(vault_).asset();
        address venueAsset = IERC4626(address(venue_)).asset();
        if (vaultAsset != venueAsset) revert AdapterAssetMismatch(vaultAsset, venueAsset);
        vault = vault_;
        venue = venue_;
        asset = IERC20(vaultAsset);
        _assetDecimals = IERC20Metadata(vaultAsset).decimals();
        _setParams(params);
    }

    // ------------------------------------------------------------------ curator

    /// @notice Sets every guard parameter at once (curator; see the contract notes on delays).
    function setGuardParams(GuardParams calldata params) external restricted {
        _setParams(params);
    }

    /// @notice Sets the notional cap of `underlying` in asset units (curator; raising it adds risk).
    function setNotionalCap(address underlying, uint256 cap) external restricted {
        notionalCap[underlying] = cap;
        emit NotionalCapSet(underlying, cap);
    }

    /// @notice Risk-reducing guard change (guardian, immediate): every field must be at least as
    ///         strict as now (budget and band not higher, window not shorter, expiry range not wider,
    ///         maxOpenSeries not higher).
    function tightenGuardParams(GuardParams calldata params) external restricted {
        GuardParams memory c = _params;
        if (
            params.premiumBudgetBps > c.premiumBudgetBps ||
            params.premiumWindow < c.premiumWindow ||
            params.minExpiryDays < c.minExpiryDays ||
            params.maxExpiryDays > c.maxExpiryDays ||
            params.strikeBandBps > c.strikeBandBps ||
            params.maxOpenSeries > c.maxOpenSeries
        ) revert AdapterNotRiskReducing(c, params);
        _setParams(params);
    }

    /// @notice Lowers the notional cap of `underlying` (guardian, immediate).
    function lowerNotionalCap(address underlying, uint256 cap) external restricted {
        uint256 current = notionalCap[underlying];
        if (cap > current) revert AdapterNotLower(current, cap);
        notionalCap[underlying] = cap;
        emit NotionalCapSet(underlying, cap);
    }

    // ------------------------------------------------------------------ vault actions

    /// @inheritdoc IOptionAdapter
    function open(
        OptionOrder calldata order
    ) external onlyVault nonReentrant returns (uint256 seriesId, uint256 premiumPaid) {
        GuardParams memory g = _params;
        {
            uint256 earliest = block.timestamp + uint256(g.minExpiryDays) * 1 days;
            uint256 latest = block.timestamp + uint256(g.maxExpiryDays) * 1 days;
            if (order.expiry < earliest || order.expiry > latest) {
                revert AdapterExpiryOutOfRange(order.expiry, earliest, latest);
            }
        }
        uint256 spot = venue.spotPrice(order.underlying);
        {
            uint256 low = Math.mulDiv(spot, BPS - Math.min(g.strikeBandBps, BPS), BPS, Math.Rounding.Ceil);
            uint256 high = Math.mulDiv(spot, BPS + g.strikeBandBps, BPS);
            if (order.strike < low || order.strike > high) revert AdapterStrikeOutOfBand(order.strike, low, high);
        }
        seriesId = venue.seriesId(order.underlying, order.isCall, order.strike, order.expiry);
        if (!_openSeries.contains(seriesId) && _openSeries.length() >= g.maxOpenSeries) {
            revert AdapterTooManyOpenSeries(_openSeries.length(), g.maxOpenSeries);
        }
        {
            uint256 held = _liveAmount(order.underlying) + order.amount;
            uint256 notional = _toAssetsUp(PriceMath.valueUp(held, spot, 18));
            uint256 cap = notionalCap[order.underlying];
            if (notional > cap) revert AdapterNotionalCapExceeded(order.underlying, notional, cap);
        }
        (uint256 premium, ) = venue.quoteBuy(order.underlying, order.isCall, order.strike, order.expiry, order.amount);
        if (premium > order.maxPremium) revert AdapterPremiumAboveMax(premium, order.maxPremium);
        {
            uint256 used = premiumUsed();
            uint256 budget = premiumBudget();
            if (used + premium > budget)
                revert AdapterPremiumBudgetExceeded(premium, budget > used ? budget - used : 0);
            _premiumSpent = used + premium;
            _premiumSpentAt = uint64(block.timestamp);
        }

        asset.safeTransferFrom(vault, address(this), premium);
        asset.forceApprove(address(venue), premium);
        uint256 before = asset.balanceOf(address(this));
        venue.buy(order.underlying, order.isCall, order.strike, order.expiry, order.amount, premium, address(this));
        premiumPaid = before - asset.balanceOf(address(this));
        asset.forceApprove(address(venue), 0);
        _openSeries.add(seriesId);
        emit OptionOpened(seriesId, order.underlying, order.amount, premiumPaid);
    }

    /// @inheritdoc IOptionAdapter
    function close(
        uint256 seriesId,
        uint256 amount,
        uint256 minProceeds
    ) external onlyVault nonReentrant returns (uint256 proceeds) {
        // Held settlement payouts always go back with any close; `amount == 0` only collects them
        // (the vault measures its balance change and books it, so nothing escapes its accounting).
        uint256 payouts = pendingPayout;
        if (payouts > 0) {
            pendingPayout = 0;
            asset.safeTransfer(vault, payouts);
            emit PayoutsReleased(vault, payouts);
        }
        if (amount == 0) return payouts;
        if (!_openSeries.contains(seriesId)) revert AdapterUnknownSeries(seriesId);
        proceeds = venue.sell(seriesId, amount, minProceeds, vault);
        if (_balance(seriesId) == 0) _openSeries.remove(seriesId);
        emit OptionClosed(seriesId, amount, proceeds);
        proceeds += payouts;
    }

    /// @inheritdoc IOptionAdapter
    /// @dev Anyone may call. Settles on the venue if nobody has yet (`roundId` is then verified by
    ///      the venue) and redeems the whole balance INTO THE ADAPTER: the payout is held in
    ///      {pendingPayout}, counted in {realAssets}, until the vault collects it through `close`
    ///      (sending it straight to the vault would bypass the vault's internal accounting and the
    ///      holders would lose it).
    function settle(uint256 seriesId, uint80 roundId) external nonReentrant returns (uint256 payout) {
        if (!_openSeries.contains(seriesId)) revert AdapterUnknownSeries(seriesId);
        if (!venue.series(seriesId).settled) venue.settle(seriesId, roundId);
        uint256 amount = _balance(seriesId);
        _openSeries.remove(seriesId);
        if (amount > 0) payout = venue.redeemPosition(seriesId, amount, address(this));
        pendingPayout += payout;
        emit OptionSettled(seriesId, amount, payout);
    }

    /// @inheritdoc IPositionAdapter
    /// @dev Works without oracles: ERC-1155 transfers plus the pro-rata share of held settlement
    ///      payouts. A contract `receiver` must implement IERC1155Receiver.
    function redeemInKind(
        address receiver,
        uint256 numerator,
        uint256 denominator
    ) external onlyVault nonReentrant returns (bool transferred) {
        if (denominator == 0 || numerator > denominator) revert AdapterInvalidFraction(numerator, denominator);
        uint256[] memory ids = _openSeries.values();
        for (uint256 i; i < ids.length; ++i) {
            uint256 balance = _balance(ids[i]);
            uint256 amount = Math.mulDiv(balance, numerator, denominator); // rounded down
            if (amount == 0) continue;
            IERC1155(address(venue)).safeTransferFrom(address(this), receiver, ids[i], amount, "");
            transferred = true;
            if (amount == balance) _openSeries.remove(ids[i]);
        }
        uint256 payoutShare = Math.mulDiv(pendingPayout, numerator, denominator); // rounded down
        if (payoutShare > 0) {
            pendingPayout -= payoutShare;
            asset.safeTransfer(receiver, payoutShare);
            emit PayoutsReleased(receiver, payoutShare);
            transferred = true;
        }
        emit RedeemedInKind(receiver, numerator, denominator);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPositionAdapter
    /// @dev Live series at the venue's bid, settled ones at their payout, expired-unsettled ones at
    ///      their payoff at the oracle spot (rounded down); reverts while a needed feed is unhealthy.
    function realAssets() external view returns (uint256 value) {
        value = pendingPayout;
        uint256 n = _openSeries.length();
        for (uint256 i; i < n; ++i) {
            uint256 id = _openSeries.at(i);
            uint256 balance = _balance(id);
            if (balance == 0) continue;
            IOptionVenue.Series memory s = venue.series(id);
            if (s.settled) value += venue.payoutOf(id, balance);
            else if (block.timestamp < s.expiry) value += venue.quoteSell(id, balance);
            else value += venue.payoutAtSpot(id, balance);
        }
    }

    /// @inheritdoc IPositionAdapter
    /// @dev delta x amount x spot per underlying, asset units, magnitude rounded down. Only live
    ///      (unexpired, unsettled) series carry exposure.
    function exposures() external view returns (Exposure[] memory result) {
        uint256 n = _openSeries.length();
        Exposure[] memory acc = new Exposure[](n);
        uint256 count;
        for (uint256 i; i < n; ++i) {
            uint256 id = _openSeries.at(i);
            IOptionVenue.Series memory s = venue.series(id);
            if (s.settled || block.timestamp >= s.expiry) continue;
            (int256 d, uint256 spot) = venue.delta(id);
            uint256 magnitude = Math.mulDiv(Math.mulDiv(_abs(d), _balance(id), ONE), spot, ONE);
            int256 e = int256(_toAssetsDown(magnitude));
            if (d < 0) e = -e;
            uint256 j;
            while (j < count && acc[j].underlying != s.underlying) ++j;
            if (j == count) {
                acc[j].underlying = s.underlying;
                ++count;
            }
            acc[j].exposure += e;
        }
        result = new Exposure[](count);
        for (uint256 i; i < count; ++i) {
            result[i] = acc[i];
        }
    }

    /// @notice Guard parameters in force.
    function guardParams() external view returns (GuardParams memory) {
        return _params;
    }

    /// @notice Series ids currently held.
    function openSeries() external view returns (uint256[] memory) {
        return _openSeries.values();
    }

    /// @notice Premium budget of a window: premiumBudgetBps of the vault's totalAssets(), rounded down.
    function premiumBudget() public view returns (uint256) {
        return Math.mulDiv(IOptionVaultView(vault).totalAssets(), _params.premiumBudgetBps, BPS);
    }

    /// @notice Premium counted against the budget now: spending decays linearly to zero over the
    ///         window (rounded up, against the keeper).
    function premiumUsed() public view returns (uint256) {
        uint256 window = _params.premiumWindow;
        uint256 elapsed = block.timestamp - _premiumSpentAt;
        if (elapsed >= window) return 0;
        return Math.mulDiv(_premiumSpent, window - elapsed, window, Math.Rounding.Ceil);
    }

    /// @notice Options held on `underlying` in live series (18 decimals).
    function liveAmount(address underlying) external view returns (uint256) {
        return _liveAmount(underlying);
    }

    // ------------------------------------------------------------------ internal

    function _setParams(GuardParams memory p) internal {
        if (
            p.premiumBudgetBps > BPS ||
            p.premiumWindow == 0 ||
            p.premiumWindow > 365 days ||
            p.minExpiryDays > p.maxExpiryDays ||
            p.maxExpiryDays > MAX_EXPIRY_DAYS_LIMIT ||
            p.strikeBandBps > BPS ||
            p.maxOpenSeries > MAX_OPEN_SERIES_LIMIT
        ) revert AdapterInvalidParams(p);
        _params = p;
        emit GuardParamsSet(p);
    }

    function _liveAmount(address underlying) internal view returns (uint256 amount) {
        uint256 n = _openSeries.length();
        for (uint256 i; i < n; ++i) {
            uint256 id = _openSeries.at(i);
            IOptionVenue.Series memory s = venue.series(id);
            if (s.underlying == underlying && !s.settled && block.timestamp < s.expiry) amount += _balance(id);
        }
    }

    function _balance(uint256 id) internal view returns (uint256) {
        return IERC1155(address(venue)).balanceOf(address(this), id);
    }

    function _toAssetsUp(uint256 usd) internal view returns (uint256) {
        return PriceMath.amountUp(usd, ONE, _assetDecimals);
    }

    function _toAssetsDown(uint256 usd) internal view returns (uint256) {
        return PriceMath.amountDown(usd, ONE, _assetDecimals);
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x < 0 ? uint256(-x) : uint256(x);
    }
}
