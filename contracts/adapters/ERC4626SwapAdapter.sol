// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";

/// @title ERC4626SwapAdapter
/// @notice Presents one ERC-4626 pool as a "swap" between its asset and its share token, so a
///         vault can hold the pool's shares as an ordinary risk asset (the yield leg, see
///         docs/options.md): buying the share = `deposit` of the asset for the caller, selling the
///         share = `redeem` of the caller's shares for the asset. Both directions measure what the
///         caller actually received and require at least `minAmountOut`.
/// @dev Stateless apart from the immutable pool, so anyone may call it: it only ever moves the
///      caller's own tokens and holds nothing between calls. The route must be empty (a pool share
///      has exactly one venue; a non-empty route is a keeper mistake and is refused). A redemption
///      the pool cannot honour (an options pool limits `maxRedeem` to its unlocked assets) reverts
///      with {ERC4626AdapterRedeemLimited} before any token moves; likewise a deposit above
///      `maxDeposit` reverts with {ERC4626AdapterDepositLimited}.
contract ERC4626SwapAdapter is ISwapAdapter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The ERC-4626 pool whose shares this adapter mints and redeems.
    IERC4626 public immutable POOL;
    /// @notice The pool's underlying asset.
    IERC20 public immutable ASSET;

    /// @notice The pool address is zero.
    error ERC4626AdapterZeroPool();
    /// @notice The pair is not (asset, share) or (share, asset) of this pool.
    error ERC4626AdapterBadTokens(address tokenIn, address tokenOut);
    /// @notice The route is not empty (`fees` and `intermediates` lengths given).
    error ERC4626AdapterRouteNotEmpty(uint256 fees, uint256 intermediates);
    /// @notice A zero input amount.
    error ERC4626AdapterZeroAmount();
    /// @notice Pulling `expected` of the input delivered `received` (fee-on-transfer token).
    error ERC4626AdapterInputMismatch(uint256 expected, uint256 received);
    /// @notice The pool accepts at most `maxDeposit` assets for the caller now.
    error ERC4626AdapterDepositLimited(uint256 assets, uint256 maxDeposit);
    /// @notice The pool lets the caller redeem at most `maxRedeem` shares now (e.g. collateral is
    ///         locked by open options); `shares` were asked for.
    error ERC4626AdapterRedeemLimited(uint256 shares, uint256 maxRedeem);
    /// @notice The caller received `received` of the output, less than `minAmountOut`.
    error ERC4626AdapterInsufficientOutput(uint256 received, uint256 minAmountOut);
    /// @notice `amount` of `token` stayed in the adapter after the operation.
    error ERC4626AdapterLeftover(address token, uint256 amount);

    /// @notice `caller` deposited `assets` into the pool and received `shares`.
    event PoolDeposited(address indexed caller, uint256 assets, uint256 shares);
    /// @notice `caller` redeemed `shares` from the pool and received `assets`.
    event PoolRedeemed(address indexed caller, uint256 shares, uint256 assets);

    /// @param pool The ERC-4626 pool (e.g. the OptionVenue LP pool).
    constructor(IERC4626 pool) {
        if (address(pool) == address(0)) revert ERC4626AdapterZeroPool();
        POOL = pool;
        ASSET = IERC20(pool.asset());
    }

    /// @inheritdoc ISwapAdapter
    /// @dev tokenIn = asset, tokenOut = share: deposit. tokenIn = share, tokenOut = asset: redeem.
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        Route calldata route
    ) external nonReentrant returns (uint256 amountOut) {
        if (route.fees.length != 0 || route.intermediates.length != 0) {
            revert ERC4626AdapterRouteNotEmpty(route.fees.length, route.intermediates.length);
        }
        if (amountIn == 0) revert ERC4626AdapterZeroAmount();
        address pool = address(POOL);
        address asset = address(ASSET);
        bool isDeposit = tokenIn == asset && tokenOut == pool;
        if (!isDeposit && !(tokenIn == pool && tokenOut == asset)) {
            revert ERC4626AdapterBadTokens(tokenIn, tokenOut);
        }
        if (isDeposit) {
            uint256 maxAssets = POOL.maxDeposit(msg.sender);
            if (amountIn > maxAssets) revert ERC4626AdapterDepositLimited(amountIn, maxAssets);
        } else {
            // The caller owns the shares now; the pool's limit for it equals the limit the adapter
            // will have once it holds them (the venue caps every owner at the unlocked assets).
            uint256 maxShares = POOL.maxRedeem(msg.sender);
            if (amountIn > maxShares) revert ERC4626AdapterRedeemLimited(amountIn, maxShares);
        }

        IERC20 inToken = IERC20(tokenIn);
        uint256 inBefore = inToken.balanceOf(address(this));
        uint256 outBefore = IERC20(tokenOut).balanceOf(msg.sender);
        inToken.safeTransferFrom(msg.sender, address(this), amountIn);
        uint256 pulled = inToken.balanceOf(address(this)) - inBefore;
        if (pulled != amountIn) revert ERC4626AdapterInputMismatch(amountIn, pulled);

        if (isDeposit) {
            ASSET.forceApprove(pool, amountIn);
            POOL.deposit(amountIn, msg.sender);
            if (ASSET.allowance(address(this), pool) != 0) ASSET.forceApprove(pool, 0);
        } else {
            POOL.redeem(amountIn, msg.sender, address(this));
        }
        uint256 inAfter = inToken.balanceOf(address(this));
        if (inAfter != inBefore) revert ERC4626AdapterLeftover(tokenIn, inAfter - inBefore);

        amountOut = IERC20(tokenOut).balanceOf(msg.sender) - outBefore;
        if (amountOut < minAmountOut) revert ERC4626AdapterInsufficientOutput(amountOut, minAmountOut);
        if (isDeposit) emit PoolDeposited(msg.sender, amountIn, amountOut);
        else emit PoolRedeemed(msg.sender, amountIn, amountOut);
    }
}
