// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IOptionAdapter} from "../interfaces/IOptionAdapter.sol";

/// @notice Test-only stand-in for the vault: exposes `asset()` and a settable `totalAssets()`, and
///         forwards the vault-only calls to an option adapter the way the vault would.
contract OptionsMockVault {
    using SafeERC20 for IERC20;

    // `asset()` is the ERC-4626 getter the adapter reads.
    // solhint-disable-next-line immutable-vars-naming
    address public immutable asset;
    uint256 public totalAssets;

    constructor(address asset_, uint256 totalAssets_) {
        asset = asset_;
        totalAssets = totalAssets_;
    }

    /// @notice Sets the reported totalAssets().
    function setTotalAssets(uint256 value) external {
        totalAssets = value;
    }

    /// @notice Approves `maxPremium` to the adapter, opens, then clears the approval.
    function openOption(
        IOptionAdapter adapter,
        IOptionAdapter.OptionOrder calldata order
    ) external returns (uint256 seriesId, uint256 premiumPaid) {
        IERC20(asset).forceApprove(address(adapter), order.maxPremium);
        (seriesId, premiumPaid) = adapter.open(order);
        IERC20(asset).forceApprove(address(adapter), 0);
    }

    /// @notice Forwards {IOptionAdapter.close}.
    function closeOption(
        IOptionAdapter adapter,
        uint256 seriesId,
        uint256 amount,
        uint256 minProceeds
    ) external returns (uint256) {
        return adapter.close(seriesId, amount, minProceeds);
    }

    /// @notice Forwards {IPositionAdapter.redeemInKind}.
    function redeemInKind(
        IOptionAdapter adapter,
        address receiver,
        uint256 numerator,
        uint256 denominator
    ) external returns (bool) {
        return adapter.redeemInKind(receiver, numerator, denominator);
    }
}
