// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOptionVenue
/// @notice What an option adapter needs from the reference options venue. Units: strikes, spot and
///         per-option prices are 18-decimal USD per whole underlying; `amount` is 18 decimals
///         (1e18 = one option on one whole token); premiums, proceeds and payouts are in units of the
///         venue's stablecoin asset.
interface IOptionVenue {
    /// @notice One option series (one ERC-1155 id).
    struct Series {
        address underlying;
        bool isCall;
        bool settled;
        uint64 expiry;
        uint256 strike;
        uint256 openInterest; // options outstanding, 18 decimals
        uint256 locked; // collateral locked for the open interest, asset units
        uint256 settlementPrice; // 18-decimal USD, set at settlement
        uint256 payoutPerOption; // 18-decimal USD per option, set at settlement
        uint256 owed; // payouts settled but not yet redeemed, asset units
    }

    /// @notice ERC-1155 id of a series: keccak256(abi.encode(underlying, isCall, strike, expiry)).
    function seriesId(address underlying, bool isCall, uint256 strike, uint64 expiry) external pure returns (uint256);

    /// @notice The stored series `id` (zero fields when never written).
    function series(uint256 id) external view returns (Series memory);

    /// @notice Oracle spot price of `underlying` (18-decimal USD); reverts when the feed is unhealthy.
    function spotPrice(address underlying) external view returns (uint256);

    /// @notice Premium (asset units, rounded up) and collateral (asset units, rounded up) to buy `amount`.
    ///         Premium = amount x max(fair x (1 + spread), collateral per option x minPremiumBps).
    function quoteBuy(
        address underlying,
        bool isCall,
        uint256 strike,
        uint64 expiry,
        uint256 amount
    ) external view returns (uint256 premium, uint256 collateral);

    /// @notice Proceeds (asset units, rounded down) of selling `amount` of series `id` back now.
    function quoteSell(uint256 id, uint256 amount) external view returns (uint256 proceeds);

    /// @notice Payout (asset units, rounded down) of redeeming `amount` of a settled series.
    function payoutOf(uint256 id, uint256 amount) external view returns (uint256 payout);

    /// @notice Payout (asset units, rounded down) of `amount` of series `id` if it settled now at the
    ///         oracle spot (its settled payout once settled); reverts while the feed is unhealthy.
    function payoutAtSpot(uint256 id, uint256 amount) external view returns (uint256 payout);

    /// @notice Delta of one option of series `id` (18 decimals, signed) and the spot it used.
    function delta(uint256 id) external view returns (int256 optionDelta, uint256 spot);

    /// @notice Buys `amount` options, paying at most `maxPremium`; the ERC-1155 goes to `receiver`.
    function buy(
        address underlying,
        bool isCall,
        uint256 strike,
        uint64 expiry,
        uint256 amount,
        uint256 maxPremium,
        address receiver
    ) external returns (uint256 id, uint256 premium);

    /// @notice Sells `amount` of the caller's series `id` back at the bid; proceeds go to `receiver`.
    function sell(
        uint256 id,
        uint256 amount,
        uint256 minProceeds,
        address receiver
    ) external returns (uint256 proceeds);

    /// @notice Settles expired series `id` with the first oracle round at or after expiry.
    function settle(uint256 id, uint80 roundId) external returns (uint256 settlementPrice);

    /// @notice Burns `amount` of the caller's settled series `id`; the payout goes to `receiver`.
    function redeemPosition(uint256 id, uint256 amount, address receiver) external returns (uint256 payout);
}
