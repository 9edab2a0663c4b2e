// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

/// @title ERC4626SharePriceFeed
/// @notice A Chainlink-compatible feed (18 decimals) for the USD price of ONE WHOLE share of an
///         ERC-4626 pool: what the pool pays for it (`previewRedeem`, rounded down) times the USD
///         price of the pool's asset from that asset's own Chainlink feed. The round fields
///         (`roundId`, `startedAt`, `updatedAt`, `answeredInRound`) are the asset feed's, so a
///         consumer's staleness check (the vault's OracleLib heartbeat) applies to the asset feed;
///         a non-positive asset answer is passed through unchanged so the consumer rejects it.
/// @dev Risks, stated plainly (docs/options.md, "Yield leg"):
///      - The pool's rate is its own accounting. For the reference OptionVenue it is
///        `(balance - owed) / supply`: premiums count as income when received and the liability of
///        open options appears only at settlement, so while sold options are in the money the rate
///        is optimistic by at most the pool's locked collateral. The venue does not enumerate its
///        series, so this feed cannot mark them; the vault bounds the exposure with the asset's
///        max weight instead.
///      - A donation raises the rate, but it is real value held by the pool and shared by all its
///        LPs: the donor cannot gain (see test/contracts/yield). The pool's decimals offset makes
///        a first-depositor inflation attack uneconomic.
///      - `getRoundData` combines a historical asset round with the CURRENT pool rate (the pool
///        keeps no rate history); use it for the asset's history, not the share's.
contract ERC4626SharePriceFeed is AggregatorV3Interface {
    /// @notice Decimals of every answer.
    // The AggregatorV3Interface getter must be named `decimals()`.
    // solhint-disable-next-line const-name-snakecase
    uint8 public constant override decimals = 18;
    /// @notice Extra precision of the rate read: the pool prices this many whole shares at once.
    uint256 private constant PRECISION = 1e18;

    /// @notice The ERC-4626 pool whose share is priced.
    IERC4626 public immutable POOL;
    /// @notice The USD feed of the pool's asset.
    AggregatorV3Interface public immutable ASSET_FEED;
    /// @notice The asset feed's decimals (cached; at most 18).
    uint8 public immutable ASSET_FEED_DECIMALS;
    /// @notice One whole share in share units (10 ** share decimals).
    uint256 public immutable ONE_SHARE;
    /// @notice One whole asset token in asset units (10 ** asset decimals).
    uint256 public immutable ONE_ASSET;

    /// @notice A zero address was given.
    error SharePriceFeedZeroAddress();
    /// @notice The asset feed reports more than 18 decimals.
    error SharePriceFeedBadDecimals(uint8 decimals);

    /// @param pool The ERC-4626 pool.
    /// @param assetFeed The Chainlink USD feed of the pool's asset (e.g. USDC / USD).
    constructor(IERC4626 pool, AggregatorV3Interface assetFeed) {
        if (address(pool) == address(0) || address(assetFeed) == address(0)) revert SharePriceFeedZeroAddress();
        uint8 feedDecimals = assetFeed.decimals();
        if (feedDecimals > 18) revert SharePriceFeedBadDecimals(feedDecimals);
        POOL = pool;
        ASSET_FEED = assetFeed;
        ASSET_FEED_DECIMALS = feedDecimals;
        ONE_SHARE = 10 ** IERC20Metadata(address(pool)).decimals();
        ONE_ASSET = 10 ** IERC20Metadata(pool.asset()).decimals();
    }

    /// @notice "<share symbol> / USD".
    function description() external view returns (string memory) {
        return string.concat(IERC20Metadata(address(POOL)).symbol(), " / USD");
    }

    /// @notice Interface version (1).
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @notice The asset feed's round `roundId` with its answer converted to the share price at the
    ///         pool's CURRENT rate (the pool has no rate history).
    function getRoundData(
        uint80 roundId
    )
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        int256 assetAnswer;
        (roundId_, assetAnswer, startedAt, updatedAt, answeredInRound) = ASSET_FEED.getRoundData(roundId);
        answer = _compose(assetAnswer);
    }

    /// @notice The asset feed's latest round with its answer converted to the USD price of one
    ///         whole share (18 decimals, rounded down).
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        int256 assetAnswer;
        (roundId, assetAnswer, startedAt, updatedAt, answeredInRound) = ASSET_FEED.latestRoundData();
        answer = _compose(assetAnswer);
    }

    /// @notice Assets (asset units x 1e18) the pool pays for one whole share now, rounded down.
    function assetsPerShareScaled() public view returns (uint256) {
        return POOL.previewRedeem(ONE_SHARE * PRECISION);
    }

    /// @dev price = assetsPerShare x assetUsd, 18 decimals, rounded down (a lower price values the
    ///      vault's holding lower). A non-positive asset answer is returned unchanged.
    function _compose(int256 assetAnswer) private view returns (int256) {
        if (assetAnswer <= 0) return assetAnswer;
        uint256 assetUsd18 = uint256(assetAnswer) * 10 ** (18 - ASSET_FEED_DECIMALS);
        uint256 price = Math.mulDiv(assetsPerShareScaled(), assetUsd18, ONE_ASSET * PRECISION, Math.Rounding.Floor);
        // An int256 overflow would need a share worth more than 5.7e58 USD.
        return int256(price);
    }
}
