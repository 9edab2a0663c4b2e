// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

import {OracleLib} from "../libraries/OracleLib.sol";
import {PriceMath} from "../libraries/PriceMath.sol";
import {BlackScholesLib} from "./libraries/BlackScholesLib.sol";
import {BlackScholesPricer} from "./BlackScholesPricer.sol";
import {IOptionVenue} from "./IOptionVenue.sol";
import {VolatilityOracle} from "./VolatilityOracle.sol";

/// @title OptionVenue
/// @notice A reference on-chain options venue: European, cash-settled in the stablecoin asset.
///         - Liquidity providers deposit the asset into this contract, an ERC-4626 pool (decimals
///           offset 6), which writes every option fully collateralised.
///         - Puts: collateral = strike x amount. Calls are call spreads: the payoff is
///           min(max(S - K, 0), K x (callCapRatio - 1)), so collateral = K x (callCapRatio - 1) x amount,
///           and the premium is priced as C(K) - C(K x callCapRatio).
///         - Buyers pay the Black-Scholes price (oracle spot, implied volatility from a bounded,
///           staleness-checked {VolatilityOracle}) plus a spread; they may sell back before expiry at
///           the fair price minus the spread.
///         - Positions are ERC-1155 tokens, id = keccak256(abi.encode(underlying, isCall, strike, expiry)).
///         - Settlement uses the first Chainlink round at or after expiry (see {settle}).
///         - LPs can only withdraw assets not locked as collateral; new writes obey a utilisation cap.
///         The stablecoin is the unit of account: one USD of payoff pays one whole asset token.
contract OptionVenue is IOptionVenue, ERC4626, ERC1155, AccessManaged, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    uint256 private constant ONE = 1e18;
    /// @notice Highest spread the admin may set (20%).
    uint16 public constant MAX_SPREAD_BPS = 2_000;
    /// @notice Highest minimum premium the admin may set (10% of the collateral).
    uint16 public constant MAX_MIN_PREMIUM_BPS = 1_000;
    /// @notice Highest risk-free rate the admin may set (50% a year).
    uint64 public constant MAX_RATE = 0.5e18;
    /// @notice Longest time to expiry the admin may allow.
    uint32 public constant MAX_TIME_TO_EXPIRY_LIMIT = 2 * 365 days;

    // Immutables double as the camelCase getters of the public API (pricer(), volatilityOracle(), ...).
    // solhint-disable immutable-vars-naming
    /// @notice Black-Scholes math (a separate stateless contract; see {BlackScholesPricer}).
    BlackScholesPricer public immutable pricer;
    /// @notice Source of implied volatilities.
    VolatilityOracle public immutable volatilityOracle;
    /// @notice A call's payoff is capped at strike x (callCapRatio - 1); 18 decimals, > 1e18.
    uint256 public immutable callCapRatio;
    uint8 private immutable _assetDecimals;
    // solhint-enable immutable-vars-naming

    /// @notice Spread (bps) added to the fair price on buys and taken off on sells.
    uint16 public spreadBps;
    /// @notice The ask is at least this share (bps) of the option's collateral, so collateral can
    ///         never be locked (and LP withdrawals blocked) for free with far out-of-the-money options.
    uint16 public minPremiumBps;
    /// @notice New writes may lock at most this share (bps) of totalAssets().
    uint16 public maxUtilisationBps;
    /// @notice Longest time to expiry of a new series (seconds).
    uint32 public maxTimeToExpiry;
    /// @notice Annual risk-free rate used by the pricer (18 decimals).
    uint64 public riskFreeRate;
    /// @notice Collateral locked for all open interest (asset units).
    uint256 public totalLocked;
    /// @notice Settled payouts not yet redeemed (asset units); excluded from totalAssets().
    uint256 public totalOwed;

    mapping(address underlying => OracleLib.Feed) private _feeds;
    OracleLib.Sequencer private _sequencer;
    mapping(uint256 id => Series) private _series;

    /// @notice Emitted when `underlying` is listed or its feed changes.
    event UnderlyingListed(
        address indexed underlying,
        address feed,
        uint32 heartbeat,
        uint8 decimals,
        uint64 minPrice,
        uint64 maxPrice
    );
    /// @notice Emitted when the L2 sequencer-uptime feed changes.
    event SequencerSet(address feed, uint32 gracePeriod);
    /// @notice Emitted when the spread changes.
    event SpreadSet(uint16 spreadBps);
    /// @notice Emitted when the minimum premium changes.
    event MinPremiumSet(uint16 minPremiumBps);
    /// @notice Emitted when the utilisation cap changes.
    event MaxUtilisationSet(uint16 maxUtilisationBps);
    /// @notice Emitted when the risk-free rate changes.
    event RiskFreeRateSet(uint64 rate);
    /// @notice Emitted when the longest allowed time to expiry changes.
    event MaxTimeToExpirySet(uint32 maxTimeToExpiry);
    /// @notice Emitted when a series is written for the first time.
    event SeriesCreated(uint256 indexed id, address indexed underlying, bool isCall, uint256 strike, uint64 expiry);
    /// @notice Emitted on every buy.
    event OptionBought(
        uint256 indexed id,
        address indexed buyer,
        address indexed receiver,
        uint256 amount,
        uint256 premium
    );
    /// @notice Emitted on every sell-back.
    event OptionSold(
        uint256 indexed id,
        address indexed seller,
        address indexed receiver,
        uint256 amount,
        uint256 proceeds
    );
    /// @notice Emitted when a series settles.
    event SeriesSettled(
        uint256 indexed id,
        uint80 roundId,
        uint256 settlementPrice,
        uint256 payoutPerOption,
        uint256 owed
    );
    /// @notice Emitted when settled options are redeemed.
    event PositionRedeemed(
        uint256 indexed id,
        address indexed holder,
        address indexed receiver,
        uint256 amount,
        uint256 payout
    );

    /// @notice A parameter outside its allowed range.
    error VenueInvalidParameter(uint256 value, uint256 maxValue);
    /// @notice The call cap ratio must lie in (1e18, 10e18].
    error VenueInvalidCallCap(uint256 callCapRatio);
    /// @notice `underlying` has no price feed.
    error VenueUnderlyingNotListed(address underlying);
    /// @notice Zero amount or zero strike.
    error VenueZeroAmount();
    /// @notice Zero strike.
    error VenueZeroStrike();
    /// @notice `expiry` is not in (now, now + maxTimeToExpiry].
    error VenueExpiryOutOfRange(uint64 expiry, uint256 earliest, uint256 latest);
    /// @notice The premium exceeds the buyer's limit.
    error VenuePremiumAboveMax(uint256 premium, uint256 maxPremium);
    /// @notice Sell-back proceeds below the seller's limit.
    error VenueProceedsBelowMin(uint256 proceeds, uint256 minProceeds);
    /// @notice After this write, locked collateral would exceed the utilisation cap.
    error VenueUtilisationCapExceeded(uint256 locked, uint256 cap);
    /// @notice The series was never written.
    error VenueUnknownSeries(uint256 id);
    /// @notice The series has expired (no more buys or sell-backs).
    error VenueSeriesExpired(uint256 id, uint64 expiry);
    /// @notice The series has not expired yet.
    error VenueSeriesNotExpired(uint256 id, uint64 expiry);
    /// @notice The series is already settled.
    error VenueSeriesAlreadySettled(uint256 id);
    /// @notice The series is not settled yet.
    error VenueSeriesNotSettled(uint256 id);
    /// @notice The settlement round's answer is not positive or lies outside the feed's bounds.
    error VenueSettlementAnswerInvalid(uint80 roundId, int256 answer);
    /// @notice The settlement round was updated before expiry.
    error VenueSettlementRoundTooEarly(uint80 roundId, uint256 updatedAt, uint64 expiry);
    /// @notice The round before the settlement round was already at or after expiry: not the first.
    error VenueSettlementRoundNotFirst(uint80 roundId, uint256 previousUpdatedAt, uint64 expiry);
    /// @notice The settlement round is the first of its phase (its predecessor cannot be checked),
    ///         or its predecessor has no data.
    error VenueSettlementRoundUnverifiable(uint80 roundId);

    /// @param asset_ The stablecoin (USD unit of account, e.g. USDC with 6 decimals).
    /// @param authority The AccessManager governing the admin functions.
    /// @param pricer_ Black-Scholes pricer.
    /// @param volatilityOracle_ Implied volatility source.
    /// @param callCapRatio_ Call payoff cap as a multiple of strike (18 decimals, e.g. 2e18).
    constructor(
        IERC20 asset_,
        address authority,
        BlackScholesPricer pricer_,
        VolatilityOracle volatilityOracle_,
        uint256 callCapRatio_
    ) ERC20("Option Venue LP", "ovLP") ERC4626(asset_) ERC1155("") AccessManaged(authority) {
        if (callCapRatio_ <= ONE || callCapRatio_ > 10 * ONE) revert VenueInvalidCallCap(callCapRatio_);
        pricer = pricer_;
        volatilityOracle = volatilityOracle_;
        callCapRatio = callCapRatio_;
        _assetDecimals = IERC20Metadata(address(asset_)).decimals();
        spreadBps = 100;
        minPremiumBps = 10;
        maxUtilisationBps = 8_000;
        maxTimeToExpiry = 365 days;
    }

    // ------------------------------------------------------------------ admin

    /// @notice Lists `underlying` (or replaces its feed): Chainlink feed, heartbeat, decimals and
    ///         answer bounds, validated by {OracleLib.validate} (decimals match, bounds ordered, a
    ///         healthy read now).
    function listUnderlying(address underlying, OracleLib.Feed calldata feed) external restricted {
        OracleLib.validate(feed);
        _feeds[underlying] = feed;
        emit UnderlyingListed(underlying, feed.feed, feed.heartbeat, feed.decimals, feed.minPrice, feed.maxPrice);
    }

    /// @notice Sets the L2 sequencer-uptime feed (zero address: none, e.g. on L1). While the sequencer
    ///         is down or within `gracePeriod` of restarting, spot reads revert: no buys, sell-backs
    ///         or quotes (settlement uses historical rounds and is unaffected).
    function setSequencer(address feed, uint32 gracePeriod) external restricted {
        _sequencer = OracleLib.Sequencer(feed, gracePeriod);
        emit SequencerSet(feed, gracePeriod);
    }

    /// @notice Sets the spread in bps (at most MAX_SPREAD_BPS).
    function setSpread(uint16 newSpreadBps) external restricted {
        if (newSpreadBps > MAX_SPREAD_BPS) revert VenueInvalidParameter(newSpreadBps, MAX_SPREAD_BPS);
        spreadBps = newSpreadBps;
        emit SpreadSet(newSpreadBps);
    }

    /// @notice Sets the minimum premium in bps of the collateral (at most MAX_MIN_PREMIUM_BPS).
    function setMinPremium(uint16 newMinPremiumBps) external restricted {
        if (newMinPremiumBps > MAX_MIN_PREMIUM_BPS) revert VenueInvalidParameter(newMinPremiumBps, MAX_MIN_PREMIUM_BPS);
        minPremiumBps = newMinPremiumBps;
        emit MinPremiumSet(newMinPremiumBps);
    }

    /// @notice Sets the utilisation cap on new writes, in bps of totalAssets() (at most 100%).
    function setMaxUtilisation(uint16 newMaxUtilisationBps) external restricted {
        if (newMaxUtilisationBps > BPS) revert VenueInvalidParameter(newMaxUtilisationBps, BPS);
        maxUtilisationBps = newMaxUtilisationBps;
        emit MaxUtilisationSet(newMaxUtilisationBps);
    }

    /// @notice Sets the annual risk-free rate (18 decimals, at most MAX_RATE).
    function setRiskFreeRate(uint64 rate) external restricted {
        if (rate > MAX_RATE) revert VenueInvalidParameter(rate, MAX_RATE);
        riskFreeRate = rate;
        emit RiskFreeRateSet(rate);
    }

    /// @notice Sets the longest time to expiry of a new series (seconds).
    function setMaxTimeToExpiry(uint32 newMaxTimeToExpiry) external restricted {
        if (newMaxTimeToExpiry > MAX_TIME_TO_EXPIRY_LIMIT) {
            revert VenueInvalidParameter(newMaxTimeToExpiry, MAX_TIME_TO_EXPIRY_LIMIT);
        }
        maxTimeToExpiry = newMaxTimeToExpiry;
        emit MaxTimeToExpirySet(newMaxTimeToExpiry);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOptionVenue
    function seriesId(address underlying, bool isCall, uint256 strike, uint64 expiry) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(underlying, isCall, strike, expiry)));
    }

    /// @inheritdoc IOptionVenue
    function series(uint256 id) external view returns (Series memory) {
        return _series[id];
    }

    /// @notice Feed configuration of `underlying`.
    function feedConfig(address underlying) external view returns (OracleLib.Feed memory) {
        return _feeds[underlying];
    }

    /// @inheritdoc IOptionVenue
    function spotPrice(address underlying) public view returns (uint256) {
        return _spotPrice(underlying);
    }

    /// @notice Fair (mid) Black-Scholes value of one option (18-decimal USD); for calls, of the call spread.
    function fairPrice(address underlying, bool isCall, uint256 strike, uint64 expiry) public view returns (uint256) {
        if (block.timestamp >= expiry) revert VenueSeriesExpired(seriesId(underlying, isCall, strike, expiry), expiry);
        return pricer.optionPrice(_inputs(underlying, strike, expiry), isCall, isCall ? _capStrike(strike) : 0);
    }

    /// @inheritdoc IOptionVenue
    function quoteBuy(
        address underlying,
        bool isCall,
        uint256 strike,
        uint64 expiry,
        uint256 amount
    ) public view returns (uint256 premium, uint256 collateral) {
        if (_feeds[underlying].feed == address(0)) revert VenueUnderlyingNotListed(underlying);
        uint256 perOption = _collateralPerOption(isCall, strike);
        uint256 ask = Math.max(
            Math.mulDiv(fairPrice(underlying, isCall, strike, expiry), BPS + spreadBps, BPS, Math.Rounding.Ceil),
            Math.mulDiv(perOption, minPremiumBps, BPS, Math.Rounding.Ceil)
        );
        premium = _toAssetsUp(Math.mulDiv(amount, ask, ONE, Math.Rounding.Ceil));
        collateral = _toAssetsUp(Math.mulDiv(amount, perOption, ONE, Math.Rounding.Ceil));
    }

    /// @inheritdoc IOptionVenue
    function quoteSell(uint256 id, uint256 amount) public view returns (uint256 proceeds) {
        Series storage s = _existing(id);
        if (s.settled || block.timestamp >= s.expiry) revert VenueSeriesExpired(id, s.expiry);
        uint256 bid = Math.mulDiv(fairPrice(s.underlying, s.isCall, s.strike, s.expiry), BPS - spreadBps, BPS);
        proceeds = _toAssetsDown(Math.mulDiv(amount, bid, ONE));
    }

    /// @inheritdoc IOptionVenue
    function payoutOf(uint256 id, uint256 amount) public view returns (uint256) {
        Series storage s = _series[id];
        if (!s.settled) return 0;
        return _toAssetsDown(Math.mulDiv(amount, s.payoutPerOption, ONE));
    }

    /// @inheritdoc IOptionVenue
    function payoutAtSpot(uint256 id, uint256 amount) external view returns (uint256) {
        Series storage s = _existing(id);
        uint256 perOption = s.settled ? s.payoutPerOption : _payoff(s.isCall, s.strike, _spotPrice(s.underlying));
        return _toAssetsDown(Math.mulDiv(amount, perOption, ONE));
    }

    /// @inheritdoc IOptionVenue
    function delta(uint256 id) external view returns (int256 optionDelta, uint256 spot) {
        Series storage s = _existing(id);
        if (s.settled || block.timestamp >= s.expiry) return (0, 0);
        BlackScholesLib.Inputs memory p = _inputs(s.underlying, s.strike, s.expiry);
        spot = p.spot;
        optionDelta = pricer.optionDelta(p, s.isCall, s.isCall ? _capStrike(s.strike) : 0);
    }

    /// @notice Assets not locked as collateral: the most LPs can withdraw in total.
    function freeAssets() public view returns (uint256) {
        uint256 assets = totalAssets();
        return assets > totalLocked ? assets - totalLocked : 0;
    }

    /// @notice Pool assets: the asset balance minus settled payouts owed to option holders.
    /// @dev Premiums count as pool income as soon as they are received; open options are not marked
    ///      to market here (their collateral is locked instead; see docs/options-venue.md).
    function totalAssets() public view override returns (uint256) {
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        return balance > totalOwed ? balance - totalOwed : 0;
    }

    /// @notice At most the owner's assets, and never more than the unlocked assets.
    function maxWithdraw(address owner) public view override returns (uint256) {
        return Math.min(super.maxWithdraw(owner), freeAssets());
    }

    /// @notice At most the owner's shares, and never more than the shares of the unlocked assets (rounded down).
    function maxRedeem(address owner) public view override returns (uint256) {
        return Math.min(super.maxRedeem(owner), _convertToShares(freeAssets(), Math.Rounding.Floor));
    }

    // ------------------------------------------------------------------ trading

    /// @inheritdoc IOptionVenue
    function buy(
        address underlying,
        bool isCall,
        uint256 strike,
        uint64 expiry,
        uint256 amount,
        uint256 maxPremium,
        address receiver
    ) external nonReentrant returns (uint256 id, uint256 premium) {
        if (amount == 0) revert VenueZeroAmount();
        if (strike == 0) revert VenueZeroStrike();
        uint256 latest = block.timestamp + maxTimeToExpiry;
        if (expiry <= block.timestamp || expiry > latest)
            revert VenueExpiryOutOfRange(expiry, block.timestamp + 1, latest);
        (premium, ) = quoteBuy(underlying, isCall, strike, expiry, amount);
        if (premium > maxPremium) revert VenuePremiumAboveMax(premium, maxPremium);

        id = seriesId(underlying, isCall, strike, expiry);
        Series storage s = _series[id];
        if (s.expiry == 0) {
            s.underlying = underlying;
            s.isCall = isCall;
            s.strike = strike;
            s.expiry = expiry;
            emit SeriesCreated(id, underlying, isCall, strike, expiry);
        }
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), premium);
        s.openInterest += amount;
        _relock(s);
        uint256 cap = Math.mulDiv(totalAssets(), maxUtilisationBps, BPS);
        if (totalLocked > cap) revert VenueUtilisationCapExceeded(totalLocked, cap);
        emit OptionBought(id, msg.sender, receiver, amount, premium);
        _mint(receiver, id, amount, "");
    }

    /// @inheritdoc IOptionVenue
    function sell(
        uint256 id,
        uint256 amount,
        uint256 minProceeds,
        address receiver
    ) external nonReentrant returns (uint256 proceeds) {
        if (amount == 0) revert VenueZeroAmount();
        proceeds = quoteSell(id, amount);
        if (proceeds < minProceeds) revert VenueProceedsBelowMin(proceeds, minProceeds);
        _burn(msg.sender, id, amount);
        Series storage s = _series[id];
        s.openInterest -= amount;
        _relock(s);
        emit OptionSold(id, msg.sender, receiver, amount, proceeds);
        IERC20(asset()).safeTransfer(receiver, proceeds);
    }

    /// @inheritdoc IOptionVenue
    /// @dev Anyone may settle. `roundId` must be the FIRST round of the underlying's feed updated at
    ///      or after expiry: its updatedAt >= expiry, and the round before it (same phase: roundId - 1,
    ///      which requires the round's aggregator part to be > 1) was updated before expiry. A round that
    ///      opens a new phase cannot be verified this way and is rejected (documented limitation).
    function settle(uint256 id, uint80 roundId) external nonReentrant returns (uint256 settlementPrice) {
        Series storage s = _existing(id);
        if (s.settled) revert VenueSeriesAlreadySettled(id);
        if (block.timestamp < s.expiry) revert VenueSeriesNotExpired(id, s.expiry);
        settlementPrice = _settlementPrice(s.underlying, roundId, s.expiry);

        uint256 payout = _payoff(s.isCall, s.strike, settlementPrice);
        s.settled = true;
        s.settlementPrice = settlementPrice;
        s.payoutPerOption = payout;
        totalLocked -= s.locked;
        s.locked = 0;
        uint256 owed = _toAssetsUp(Math.mulDiv(s.openInterest, payout, ONE, Math.Rounding.Ceil));
        s.owed = owed;
        totalOwed += owed;
        emit SeriesSettled(id, roundId, settlementPrice, payout, owed);
    }

    /// @inheritdoc IOptionVenue
    function redeemPosition(
        uint256 id,
        uint256 amount,
        address receiver
    ) external nonReentrant returns (uint256 payout) {
        Series storage s = _existing(id);
        if (!s.settled) revert VenueSeriesNotSettled(id);
        if (amount == 0) revert VenueZeroAmount();
        payout = payoutOf(id, amount);
        _burn(msg.sender, id, amount);
        s.openInterest -= amount;
        // The series owed amount was rounded up; the last redemption releases the rounding dust.
        uint256 released = s.openInterest == 0 ? s.owed : payout;
        s.owed -= released;
        totalOwed -= released;
        emit PositionRedeemed(id, msg.sender, receiver, amount, payout);
        IERC20(asset()).safeTransfer(receiver, payout);
    }

    // ------------------------------------------------------------------ internal

    /// @dev The ONE place the venue reads a spot price: the L2 sequencer check (when configured),
    ///      then {OracleLib.read} (positive answer, within the heartbeat and the feed's bounds,
    ///      normalised to 18 decimals).
    function _spotPrice(address underlying) internal view returns (uint256) {
        OracleLib.Feed memory f = _feeds[underlying];
        if (f.feed == address(0)) revert VenueUnderlyingNotListed(underlying);
        OracleLib.checkSequencer(_sequencer);
        return OracleLib.read(f);
    }

    /// @dev Price of the first round at or after `expiry` (see {settle}), 18 decimals.
    function _settlementPrice(address underlying, uint80 roundId, uint64 expiry) internal view returns (uint256) {
        OracleLib.Feed memory f = _feeds[underlying];
        AggregatorV3Interface feed = AggregatorV3Interface(f.feed);
        (, int256 answer, , uint256 updatedAt, ) = feed.getRoundData(roundId);
        if (updatedAt < expiry) revert VenueSettlementRoundTooEarly(roundId, updatedAt, expiry);
        if (answer <= 0) revert VenueSettlementAnswerInvalid(roundId, answer);
        uint256 price = PriceMath.normalize(uint256(answer), f.decimals);
        if (
            price < uint256(f.minPrice) * OracleLib.BOUND_SCALE || price > uint256(f.maxPrice) * OracleLib.BOUND_SCALE
        ) {
            revert VenueSettlementAnswerInvalid(roundId, answer);
        }
        // Aggregator round ids (the low 64 bits) are consecutive within a phase; id 1 opens a phase.
        if (uint64(roundId) <= 1) revert VenueSettlementRoundUnverifiable(roundId);
        (, , , uint256 previousUpdatedAt, ) = feed.getRoundData(roundId - 1);
        if (previousUpdatedAt == 0) revert VenueSettlementRoundUnverifiable(roundId);
        if (previousUpdatedAt >= expiry) revert VenueSettlementRoundNotFirst(roundId, previousUpdatedAt, expiry);
        return price;
    }

    function _inputs(
        address underlying,
        uint256 strike,
        uint64 expiry
    ) internal view returns (BlackScholesLib.Inputs memory) {
        return
            BlackScholesLib.Inputs({
                spot: _spotPrice(underlying),
                strike: strike,
                tau: expiry - block.timestamp,
                volatility: volatilityOracle.getVolatility(underlying),
                rate: riskFreeRate
            });
    }

    function _existing(uint256 id) internal view returns (Series storage s) {
        s = _series[id];
        if (s.expiry == 0) revert VenueUnknownSeries(id);
    }

    /// @dev Payoff of one option at `price` (18-decimal USD): a put pays K - S, a call S - K capped
    ///      at K x (callCapRatio - 1).
    function _payoff(bool isCall, uint256 strike, uint256 price) internal view returns (uint256) {
        if (!isCall) return strike > price ? strike - price : 0;
        return price > strike ? Math.min(price - strike, _capStrike(strike) - strike) : 0;
    }

    /// @dev Upper strike of a call spread (rounded down, so the cap never exceeds the collateral).
    function _capStrike(uint256 strike) internal view returns (uint256) {
        return Math.mulDiv(strike, callCapRatio, ONE);
    }

    /// @dev Largest payoff of one option (18-decimal USD).
    function _collateralPerOption(bool isCall, uint256 strike) internal view returns (uint256) {
        return isCall ? _capStrike(strike) - strike : strike;
    }

    /// @dev Recomputes the collateral locked for `s` from its open interest (rounded up).
    function _relock(Series storage s) internal {
        uint256 locked = _toAssetsUp(
            Math.mulDiv(s.openInterest, _collateralPerOption(s.isCall, s.strike), ONE, Math.Rounding.Ceil)
        );
        totalLocked = totalLocked - s.locked + locked;
        s.locked = locked;
    }

    function _toAssetsUp(uint256 usd) internal view returns (uint256) {
        return PriceMath.amountUp(usd, ONE, _assetDecimals);
    }

    function _toAssetsDown(uint256 usd) internal view returns (uint256) {
        return PriceMath.amountDown(usd, ONE, _assetDecimals);
    }

    /// @dev Decimals offset against share-price inflation by donation.
    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
