// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPositionAdapter} from "../interfaces/IPositionAdapter.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {OracleLib} from "./OracleLib.sol";
import {ValuationLib} from "./ValuationLib.sol";
import {VaultTypes} from "./VaultTypes.sol";

/// @title VaultAdminLib
/// @notice Registration of risk assets, feeds and position adapters for the RiskParityVault.
///         A linked library (external functions, run by DELEGATECALL in the vault's context) so the
///         vault's own bytecode stays under the 24 KiB limit. Access control stays in the vault.
library VaultAdminLib {
    using SafeERC20 for IERC20;

    uint256 internal constant MAX_RISK_ASSETS = 16;
    uint256 internal constant MAX_ADAPTERS = 8;
    uint256 internal constant BPS = 10_000;

    /// @notice Registers `token` (see RiskParityVault.addAsset for the checks).
    function addAsset(
        VaultTypes.Layout storage s,
        address asset,
        address token,
        OracleLib.Feed memory feed,
        uint16 maxWeightBps,
        address probeSource,
        uint256 probeAmount
    ) external {
        if (token == address(0)) revert IVaultEvents.ZeroAddress();
        if (token == asset || token == address(this) || s.assetIndex[token] != 0)
            revert IVaultEvents.AssetAlreadyRegistered(token);
        uint256 n = s.hot.assetCount;
        if (n >= MAX_RISK_ASSETS) revert IVaultEvents.TooMany(MAX_RISK_ASSETS);
        if (maxWeightBps > BPS) revert IVaultEvents.InvalidBps(maxWeightBps);
        uint8 dec = IERC20Metadata(token).decimals();
        if (dec < 6 || dec > 18) revert IVaultEvents.UnsupportedTokenDecimals(token, dec);
        OracleLib.validate(feed);
        _probe(IERC20(token), probeSource, probeAmount);
        VaultTypes.RiskAsset storage a = s.assets[n];
        (a.token, a.decimals, a.maxWeightBps, a.balance) = (token, dec, maxWeightBps, 0);
        _storeFeed(a, feed);
        s.assetIndex[token] = n + 1;
        s.hot.assetCount = uint8(n + 1);
        emit IVaultEvents.AssetAdded(token, dec, feed.feed, maxWeightBps);
        emit IVaultEvents.FeedSet(token, feed.feed, feed.heartbeat, feed.decimals, feed.minPrice, feed.maxPrice);
    }

    /// @notice Replaces the feed of a risk asset, or of the vault asset when `token == asset`
    ///         (zero feed address: 1 USD).
    function setFeed(VaultTypes.Layout storage s, address asset, address token, OracleLib.Feed memory feed) external {
        if (token == asset) {
            if (feed.feed != address(0)) OracleLib.validate(feed);
            s.assetFeed = feed;
            s.hot.hasAssetFeed = feed.feed != address(0);
        } else {
            VaultTypes.RiskAsset storage a = ValuationLib.assetAt(s, token);
            OracleLib.validate(feed);
            _storeFeed(a, feed);
        }
        emit IVaultEvents.FeedSet(token, feed.feed, feed.heartbeat, feed.decimals, feed.minPrice, feed.maxPrice);
    }

    /// @notice Sets the maximum weight of `token`; with `onlyLower`, refuses an increase.
    function setMaxWeight(VaultTypes.Layout storage s, address token, uint16 maxWeightBps, bool onlyLower) external {
        if (maxWeightBps > BPS) revert IVaultEvents.InvalidBps(maxWeightBps);
        VaultTypes.RiskAsset storage a = ValuationLib.assetAt(s, token);
        uint16 current = a.maxWeightBps;
        if (onlyLower && maxWeightBps > current) revert IVaultEvents.NotLower(current, maxWeightBps);
        a.maxWeightBps = maxWeightBps;
        emit IVaultEvents.MaxWeightSet(token, current, maxWeightBps);
    }

    /// @notice Removes a risk asset whose tracked balance is zero.
    function removeAsset(VaultTypes.Layout storage s, address token) external {
        uint256 idx = s.assetIndex[token];
        if (idx == 0) revert IVaultEvents.UnknownAsset(token);
        uint256 bal = s.assets[idx - 1].balance;
        if (bal != 0) revert IVaultEvents.NotEmpty(token, bal);
        uint256 last = s.hot.assetCount;
        if (idx != last) {
            s.assets[idx - 1] = s.assets[last - 1];
            s.assetIndex[s.assets[idx - 1].token] = idx;
        }
        delete s.assets[last - 1];
        delete s.assetIndex[token];
        s.hot.assetCount = uint8(last - 1);
        emit IVaultEvents.AssetRemoved(token);
    }

    /// @notice Sets the L2 sequencer-uptime feed (zero address: none); a set feed must report up.
    function setSequencer(VaultTypes.Layout storage s, address feed, uint32 gracePeriod) external {
        s.sequencer = OracleLib.Sequencer({feed: feed, gracePeriod: gracePeriod});
        s.hot.hasSequencer = feed != address(0);
        if (feed != address(0)) OracleLib.checkSequencer(s.sequencer);
        emit IVaultEvents.SequencerSet(feed, gracePeriod);
    }

    /// @notice Registers a position adapter serving this vault.
    function addAdapter(VaultTypes.Layout storage s, address adapter) external {
        if (s.isAdapter[adapter]) revert IVaultEvents.AdapterRegistration(adapter, true);
        uint256 m = s.hot.adapterCount;
        if (m >= MAX_ADAPTERS) revert IVaultEvents.TooMany(MAX_ADAPTERS);
        address served = IPositionAdapter(adapter).vault();
        if (served != address(this)) revert IVaultEvents.AdapterVaultMismatch(adapter, served);
        s.adapters[m] = adapter;
        s.hot.adapterCount = uint8(m + 1);
        s.isAdapter[adapter] = true;
        emit IVaultEvents.AdapterAdded(adapter);
    }

    /// @notice Removes an adapter that holds nothing (`realAssets() == 0` and no exposures).
    function removeAdapter(VaultTypes.Layout storage s, address adapter) external {
        if (!s.isAdapter[adapter]) revert IVaultEvents.AdapterRegistration(adapter, false);
        uint256 value = IPositionAdapter(adapter).realAssets();
        if (value != 0 || IPositionAdapter(adapter).exposures().length != 0)
            revert IVaultEvents.NotEmpty(adapter, value);
        uint256 m = s.hot.adapterCount;
        for (uint256 i; i < m; ++i) {
            if (s.adapters[i] == adapter) {
                s.adapters[i] = s.adapters[m - 1];
                delete s.adapters[m - 1];
                s.hot.adapterCount = uint8(m - 1);
                break;
            }
        }
        s.isAdapter[adapter] = false;
        emit IVaultEvents.AdapterRemoved(adapter);
    }

    /// @notice In-kind redemption payout (after the vault burned the shares): removes
    ///         `net / denominator` of every tracked holding from the books (rounded down), checks
    ///         `minAmounts` (empty, or one per holding: [asset, riskAsset(0), ...]), transfers the
    ///         slices and asks every position adapter for its slice; an adapter that reverts is skipped
    ///         (`InKindAdapterSkipped`) so that no adapter can lock exits. Reads no oracle.
    function payInKind(
        VaultTypes.Layout storage s,
        address asset,
        address receiver,
        uint256 net,
        uint256 denominator,
        uint256[] calldata minAmounts
    ) external returns (uint256[] memory amounts) {
        uint256 n = s.hot.assetCount;
        if (minAmounts.length != 0 && minAmounts.length != n + 1)
            revert IVaultEvents.LengthMismatch(n + 1, minAmounts.length);
        amounts = new uint256[](n + 1);
        uint256 amount = Math.mulDiv(s.hot.idle, net, denominator, Math.Rounding.Floor);
        s.hot.idle -= uint128(amount);
        amounts[0] = amount;
        for (uint256 i; i < n; ++i) {
            VaultTypes.RiskAsset storage a = s.assets[i];
            amount = Math.mulDiv(a.balance, net, denominator, Math.Rounding.Floor);
            a.balance -= uint128(amount);
            amounts[i + 1] = amount;
        }
        for (uint256 i; i <= n; ++i) {
            address token = i == 0 ? asset : s.assets[i - 1].token;
            if (minAmounts.length != 0 && amounts[i] < minAmounts[i]) {
                revert IVaultEvents.InKindSlippage(token, amounts[i], minAmounts[i]);
            }
            if (amounts[i] != 0) IERC20(token).safeTransfer(receiver, amounts[i]);
        }
        uint256 m = s.hot.adapterCount;
        bytes memory data = abi.encodeCall(IPositionAdapter.redeemInKind, (receiver, net, denominator));
        for (uint256 i; i < m; ++i) {
            address adapter = s.adapters[i];
            bool ok;
            // Exits never lock: an adapter that reverts (or returns garbage) is skipped, not obeyed.
            // A raw call copies no return data, so a huge revert reason cannot eat the exit's gas.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                ok := call(gas(), adapter, 0, add(data, 0x20), mload(data), 0, 0)
            }
            if (!ok) emit IVaultEvents.InKindAdapterSkipped(adapter, receiver, net, denominator);
        }
    }

    /// @notice Lenient valuation for views and fee accrual (never reverts; see ValuationLib).
    function lenientValuation(VaultTypes.Layout storage s, uint8 assetDecimals) external view returns (bool, uint256) {
        return ValuationLib.valuation(s, s.hot, false, assetDecimals);
    }

    /// @notice Sends what the vault holds of `token` beyond its books (donations) to `to`.
    function skim(VaultTypes.Layout storage s, address asset, address token, address to) external {
        uint256 tracked = token == asset ? s.hot.idle : ValuationLib.assetAt(s, token).balance;
        uint256 surplus = IERC20(token).balanceOf(address(this)) - tracked;
        IERC20(token).safeTransfer(to, surplus);
        emit IVaultEvents.Skimmed(token, to, surplus);
    }

    /// @dev Copies a validated feed configuration into the asset's packed slots.
    function _storeFeed(VaultTypes.RiskAsset storage a, OracleLib.Feed memory feed) private {
        (a.feed, a.heartbeat, a.feedDecimals, a.minPrice, a.maxPrice) = (
            feed.feed,
            feed.heartbeat,
            feed.decimals,
            feed.minPrice,
            feed.maxPrice
        );
    }

    /// @dev Pulls `amount` from `source` and sends it back. Both legs must move exactly `amount` on
    ///      both balances: a fee-on-transfer token delivers less, a share-based rebasing token
    ///      rounds the moved shares and so moves a different amount.
    function _probe(IERC20 token, address source, uint256 amount) private {
        if (amount == 0) revert IVaultEvents.ZeroAmount();
        uint256 vaultBefore = token.balanceOf(address(this));
        uint256 sourceBefore = token.balanceOf(source);
        token.safeTransferFrom(source, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - vaultBefore;
        uint256 taken = sourceBefore - token.balanceOf(source);
        if (received != amount || taken != amount)
            revert IVaultEvents.TokenNotPlain(address(token), amount, received, taken);
        token.safeTransfer(source, amount);
        uint256 sourceAfter = token.balanceOf(source);
        uint256 returned = sourceAfter + taken > sourceBefore ? sourceAfter + taken - sourceBefore : 0;
        if (returned != amount || token.balanceOf(address(this)) != vaultBefore) {
            revert IVaultEvents.TokenNotPlain(address(token), amount, received, returned);
        }
    }
}
