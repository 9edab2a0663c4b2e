// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPositionAdapter} from "../interfaces/IPositionAdapter.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {OracleLib} from "./OracleLib.sol";
import {PriceMath} from "./PriceMath.sol";
import {VaultTypes} from "./VaultTypes.sol";

/// @title ValuationLib
/// @notice Values the vault's holdings in units of its asset. Two modes: strict (reverts with the
///         failing oracle's or adapter's error; used by deposits, asset-paid exits and guards) and
///         lenient (never reverts; a failing price source makes `healthy` false and its holding
///         counts as 0, a lower bound; used by views and fee accrual).
library ValuationLib {
    uint256 internal constant ONE_USD = 1e18;

    /// @notice The registered risk asset `token` (reverts `UnknownAsset`).
    function assetAt(VaultTypes.Layout storage s, address token) internal view returns (VaultTypes.RiskAsset storage) {
        uint256 idx = s.assetIndex[token];
        if (idx == 0) revert IVaultEvents.UnknownAsset(token);
        return s.assets[idx - 1];
    }

    /// @notice 18-decimal USD price of the vault asset (1 USD without a feed); lenient mode returns
    ///         0 when the feed is unhealthy.
    function assetPrice(VaultTypes.Layout storage s, bool hasFeed, bool strict) internal view returns (uint256) {
        if (!hasFeed) return ONE_USD;
        OracleLib.Feed memory f = s.assetFeed;
        if (strict) return OracleLib.read(f);
        (, uint256 price) = OracleLib.tryRead(f);
        return price;
    }

    /// @notice Value in asset units of `amount` token units at `price`, rounded down twice
    ///         (token -> USD, USD -> asset), i.e. in the vault's favour.
    function toAssetUnits(
        uint256 amount,
        uint256 price,
        uint8 tokenDecimals,
        uint256 assetPrice_,
        uint8 assetDecimals
    ) internal pure returns (uint256) {
        return PriceMath.amountDown(PriceMath.valueDown(amount, price, tokenDecimals), assetPrice_, assetDecimals);
    }

    /// @notice Idle + risk assets at oracle prices + adapters' `realAssets()`, asset units.
    /// @param h The hot slot, already loaded by the caller.
    /// @param strict Revert on the first unhealthy source instead of counting it as 0.
    function valuation(
        VaultTypes.Layout storage s,
        VaultTypes.Hot memory h,
        bool strict,
        uint8 assetDecimals
    ) internal view returns (bool healthy, uint256 total) {
        healthy = true;
        if (h.hasSequencer) {
            if (strict) OracleLib.checkSequencer(s.sequencer);
            else if (!OracleLib.sequencerUp(s.sequencer)) healthy = false;
        }
        uint256 ap = assetPrice(s, h.hasAssetFeed, strict);
        if (ap == 0) healthy = false;
        total = h.idle;
        uint256 n = h.assetCount;
        for (uint256 i; i < n; ++i) {
            VaultTypes.RiskAsset storage a = s.assets[i];
            uint256 bal = a.balance;
            if (bal == 0) continue;
            uint256 price;
            if (strict) {
                price = OracleLib.read(VaultTypes.feedOf(a));
            } else {
                bool ok;
                (ok, price) = OracleLib.tryRead(VaultTypes.feedOf(a));
                if (!ok || ap == 0) {
                    healthy = false;
                    continue;
                }
            }
            total += toAssetUnits(bal, price, a.decimals, ap, assetDecimals);
        }
        uint256 m = h.adapterCount;
        for (uint256 i; i < m; ++i) {
            (bool ok, uint256 value) = adapterValue(s.adapters[i]);
            if (!ok) {
                if (strict) revert IVaultEvents.AdapterValuationFailed(s.adapters[i]);
                healthy = false;
                continue;
            }
            total += value;
        }
    }

    /// @notice Strict-only valuation (the deposit/exit hot path): reverts with the failing source's
    ///         error. Same result as `valuation(s, s.hot, true, assetDecimals)`.
    function strictValuation(VaultTypes.Layout storage s, uint8 assetDecimals) internal view returns (uint256 total) {
        VaultTypes.Hot memory h = s.hot;
        if (h.hasSequencer) OracleLib.checkSequencer(s.sequencer);
        uint256 ap = h.hasAssetFeed ? OracleLib.read(s.assetFeed) : ONE_USD;
        total = h.idle;
        uint256 n = h.assetCount;
        for (uint256 i; i < n; ++i) {
            VaultTypes.RiskAsset storage a = s.assets[i];
            uint256 bal = a.balance;
            if (bal == 0) continue;
            total += toAssetUnits(bal, OracleLib.read(VaultTypes.feedOf(a)), a.decimals, ap, assetDecimals);
        }
        uint256 m = h.adapterCount;
        for (uint256 i; i < m; ++i) {
            (bool ok, uint256 value) = adapterValue(s.adapters[i]);
            if (!ok) revert IVaultEvents.AdapterValuationFailed(s.adapters[i]);
            total += value;
        }
    }

    /// @notice `realAssets()` through a low-level staticcall: a revert or malformed data is `ok = false`.
    function adapterValue(address adapter) internal view returns (bool ok, uint256 value) {
        (bool success, bytes memory data) = adapter.staticcall(abi.encodeCall(IPositionAdapter.realAssets, ()));
        if (!success || data.length < 32) return (false, 0);
        return (true, abi.decode(data, (uint256)));
    }
}
