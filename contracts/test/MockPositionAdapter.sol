// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPositionAdapter} from "../interfaces/IPositionAdapter.sol";

/// @notice Test-only position adapter: holds `token` for the vault, reports a settable value and
///         settable exposures, can be made to revert on valuation; in-kind redemption transfers the
///         pro-rata slice of its token balance (works without any oracle).
contract MockPositionAdapter is IPositionAdapter {
    using SafeERC20 for IERC20;

    // `vault()` is part of IPositionAdapter
    // solhint-disable immutable-vars-naming
    address public immutable vault;
    IERC20 public immutable token;
    // solhint-enable immutable-vars-naming
    uint256 public value;
    bool public valuationReverts;
    bool public inKindReverts;
    /// @notice 0: none; 1: `redeemInKind` reverts with `bombSize` bytes of data; 2: it burns all its gas.
    uint8 public inKindGrief;
    uint256 public bombSize;
    Exposure[] internal _exposures;

    error OnlyVault(address caller);
    error ValuationUnavailable();
    error InKindUnavailable();

    constructor(address vault_, IERC20 token_) {
        vault = vault_;
        token = token_;
    }

    /// @notice Sets the reported value.
    function setValue(uint256 v) external {
        value = v;
    }

    /// @notice Makes `realAssets` revert.
    function setValuationReverts(bool r) external {
        valuationReverts = r;
    }

    /// @notice Makes `redeemInKind` revert.
    function setInKindReverts(bool r) external {
        inKindReverts = r;
    }

    /// @notice Makes `redeemInKind` grief the caller: `mode` 1 reverts with `size` bytes of return
    ///         data (a return-data bomb), `mode` 2 burns every unit of gas it is given.
    function setInKindGrief(uint8 mode, uint256 size) external {
        inKindGrief = mode;
        bombSize = size;
    }

    /// @notice Replaces the reported exposures.
    function setExposures(Exposure[] calldata e) external {
        delete _exposures;
        for (uint256 i; i < e.length; ++i) _exposures.push(e[i]);
    }

    /// @inheritdoc IPositionAdapter
    function realAssets() external view returns (uint256) {
        if (valuationReverts) revert ValuationUnavailable();
        return value;
    }

    /// @inheritdoc IPositionAdapter
    function exposures() external view returns (Exposure[] memory) {
        return _exposures;
    }

    /// @inheritdoc IPositionAdapter
    function redeemInKind(address receiver, uint256 numerator, uint256 denominator) external returns (bool) {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        if (inKindReverts) revert InKindUnavailable();
        if (inKindGrief == 1) {
            uint256 size = bombSize;
            // solhint-disable-next-line no-inline-assembly
            assembly {
                revert(0, size)
            }
        }
        if (inKindGrief == 2) {
            // solhint-disable-next-line no-empty-blocks
            while (gasleft() > 0) {}
        }
        uint256 amount = Math.mulDiv(token.balanceOf(address(this)), numerator, denominator);
        value -= Math.mulDiv(value, numerator, denominator, Math.Rounding.Ceil);
        if (amount == 0) return false;
        token.safeTransfer(receiver, amount);
        return true;
    }
}
