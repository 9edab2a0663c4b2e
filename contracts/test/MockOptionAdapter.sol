// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IOptionAdapter} from "../interfaces/IOptionAdapter.sol";

interface IMintableUSDC {
    function mint(address to, uint256 amount) external;
}

/// @notice Test-only option adapter: `open` pulls a set premium and then reports a set value and a
///         set delta exposure on the order's underlying; `close` mints set proceeds to the vault.
contract MockOptionAdapter is IOptionAdapter {
    // solhint-disable-next-line immutable-vars-naming
    address public immutable vault;
    IERC20 public immutable ASSET;
    uint256 public value;
    uint256 public lastAllowance;
    uint256 internal _premium;
    uint256 internal _valueAfter;
    int256 internal _exposure;
    uint256 internal _proceeds;
    uint256 internal _closeValue;
    int256 internal _closeExposure;
    Exposure[] internal _exposures;

    error OnlyVault(address caller);

    constructor(address vault_, IERC20 asset_) {
        vault = vault_;
        ASSET = asset_;
    }

    /// @notice Next `open`: premium pulled, value and exposure afterwards.
    function setNext(uint256 premium, uint256 valueAfter, int256 exposure) external {
        (_premium, _valueAfter, _exposure) = (premium, valueAfter, exposure);
    }

    /// @notice Next `close`: proceeds paid, value and exposure afterwards.
    function setClose(uint256 proceeds, uint256 valueAfter, int256 exposure) external {
        (_proceeds, _closeValue, _closeExposure) = (proceeds, valueAfter, exposure);
    }

    /// @inheritdoc IOptionAdapter
    function open(OptionOrder calldata order) external returns (uint256 seriesId, uint256 premiumPaid) {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        lastAllowance = ASSET.allowance(vault, address(this));
        ASSET.transferFrom(vault, address(this), _premium);
        value = _valueAfter;
        delete _exposures;
        _exposures.push(Exposure({underlying: order.underlying, exposure: _exposure}));
        return (1, _premium);
    }

    /// @inheritdoc IOptionAdapter
    /// @dev Ignores `minProceeds` on purpose: the vault must check what it received.
    function close(uint256, uint256, uint256) external returns (uint256 proceeds) {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        IMintableUSDC(address(ASSET)).mint(vault, _proceeds);
        value = _closeValue;
        if (_exposures.length != 0) _exposures[0].exposure = _closeExposure;
        return _proceeds;
    }

    /// @inheritdoc IOptionAdapter
    function settle(uint256, uint80) external pure returns (uint256) {
        return 0;
    }

    /// @notice See IPositionAdapter.
    function realAssets() external view returns (uint256) {
        return value;
    }

    /// @notice See IPositionAdapter.
    function exposures() external view returns (Exposure[] memory) {
        return _exposures;
    }

    /// @notice See IPositionAdapter.
    function redeemInKind(address, uint256, uint256) external pure returns (bool) {
        return false;
    }
}
