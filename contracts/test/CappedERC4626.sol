// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Test-only ERC-4626 (decimals offset 6) with a settable deposit cap and an exit fee kept
///         by the pool: exercises ERC4626SwapAdapter's deposit limit and ERC4626SharePriceFeed's use
///         of `previewRedeem` (net of the fee).
contract CappedERC4626 is ERC4626 {
    /// @notice Most assets `maxDeposit` allows per call (type(uint256).max = none).
    uint256 public depositCap = type(uint256).max;
    /// @notice Exit fee in bps of the redeemed assets, kept by the pool.
    uint256 public exitFeeBps;

    /// @notice Emitted when the cap or the fee changes.
    event CappedParamsSet(uint256 depositCap, uint256 exitFeeBps);

    constructor(IERC20 asset_) ERC4626(asset_) ERC20("Capped Vault", "CAP") {}

    /// @notice Sets the deposit cap and the exit fee (anyone; test only).
    function setParams(uint256 cap, uint256 feeBps) external {
        (depositCap, exitFeeBps) = (cap, feeBps);
        emit CappedParamsSet(cap, feeBps);
    }

    /// @notice The deposit cap.
    function maxDeposit(address) public view override returns (uint256) {
        return depositCap;
    }

    /// @notice Assets paid for `shares`, net of the exit fee (rounded down).
    function previewRedeem(uint256 shares) public view override returns (uint256) {
        uint256 gross = _convertToAssets(shares, Math.Rounding.Floor);
        return gross - Math.mulDiv(gross, exitFeeBps, 10_000, Math.Rounding.Ceil);
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }
}
