// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";
import {IUniswapV3SwapRouter} from "../interfaces/IUniswapV3SwapRouter.sol";

/// @title UniswapV3SwapAdapter
/// @notice Executes a typed exact-input swap on Uniswap V3 for its caller: pulls exactly
///         `amountIn` of `tokenIn` from `msg.sender`, swaps through one pool (`exactInputSingle`)
///         or along the packed path built from the typed route (`exactInput`), has the router send
///         the output straight to `msg.sender`, and requires at least `minAmountOut` measured on
///         the caller's balance. Holds nothing between calls: no balance and no allowance remain.
/// @dev Stateless apart from the immutable router, so anyone may call it (it can only ever move
///      the caller's own tokens). Fee-on-transfer or rebasing input tokens are refused (the pull
///      must deliver exactly `amountIn`). The vault measures its own balances again; the return
///      value is informational.
contract UniswapV3SwapAdapter is ISwapAdapter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Most pools a route may cross (a typed route with more fees is refused).
    uint256 public constant MAX_POOLS = 4;

    /// @notice The Uniswap V3 SwapRouter used for every swap.
    IUniswapV3SwapRouter public immutable ROUTER;

    /// @notice The router address is zero.
    error SwapAdapterZeroRouter();
    /// @notice `fees.length` must equal `intermediates.length + 1` and be between 1 and {MAX_POOLS}.
    error SwapAdapterBadRoute(uint256 fees, uint256 intermediates);
    /// @notice tokenIn equals tokenOut, or a token is the zero address.
    error SwapAdapterBadTokens(address tokenIn, address tokenOut);
    /// @notice A zero input amount.
    error SwapAdapterZeroAmount();
    /// @notice Pulling `amountIn` delivered a different amount (fee-on-transfer token).
    error SwapAdapterInputMismatch(uint256 expected, uint256 received);
    /// @notice The caller received less than `minAmountOut`.
    error SwapAdapterInsufficientOutput(uint256 received, uint256 minAmountOut);
    /// @notice Some of the input stayed in the adapter after the swap.
    error SwapAdapterLeftover(address token, uint256 amount);

    /// @notice A swap was executed for `caller`.
    event SwapExecuted(
        address indexed caller,
        address indexed tokenIn,
        address indexed tokenOut,
        uint256 amountIn,
        uint256 amountOut,
        uint256 pools
    );

    /// @param router The Uniswap V3 SwapRouter.
    constructor(IUniswapV3SwapRouter router) {
        if (address(router) == address(0)) revert SwapAdapterZeroRouter();
        ROUTER = router;
    }

    /// @inheritdoc ISwapAdapter
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        Route calldata route
    ) external nonReentrant returns (uint256 amountOut) {
        uint256 pools = route.fees.length;
        if (pools == 0 || pools > MAX_POOLS || route.intermediates.length + 1 != pools) {
            revert SwapAdapterBadRoute(pools, route.intermediates.length);
        }
        if (tokenIn == tokenOut || tokenIn == address(0) || tokenOut == address(0)) {
            revert SwapAdapterBadTokens(tokenIn, tokenOut);
        }
        if (amountIn == 0) revert SwapAdapterZeroAmount();

        IERC20 inToken = IERC20(tokenIn);
        uint256 inBefore = inToken.balanceOf(address(this));
        inToken.safeTransferFrom(msg.sender, address(this), amountIn);
        uint256 pulled = inToken.balanceOf(address(this)) - inBefore;
        if (pulled != amountIn) revert SwapAdapterInputMismatch(amountIn, pulled);

        uint256 outBefore = IERC20(tokenOut).balanceOf(msg.sender);
        inToken.forceApprove(address(ROUTER), amountIn);
        _route(tokenIn, tokenOut, amountIn, minAmountOut, route);
        // The router pulls exactly amountIn; clear any allowance a non-standard router left.
        if (inToken.allowance(address(this), address(ROUTER)) != 0) inToken.forceApprove(address(ROUTER), 0);
        uint256 inAfter = inToken.balanceOf(address(this));
        if (inAfter != inBefore) revert SwapAdapterLeftover(tokenIn, inAfter - inBefore);

        amountOut = IERC20(tokenOut).balanceOf(msg.sender) - outBefore;
        if (amountOut < minAmountOut) revert SwapAdapterInsufficientOutput(amountOut, minAmountOut);
        emit SwapExecuted(msg.sender, tokenIn, tokenOut, amountIn, amountOut, pools);
    }

    /// @dev Sends the swap to the router: one pool via exactInputSingle, several via exactInput.
    function _route(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        Route calldata route
    ) private {
        if (route.fees.length == 1) {
            ROUTER.exactInputSingle(
                IUniswapV3SwapRouter.ExactInputSingleParams({
                    tokenIn: tokenIn,
                    tokenOut: tokenOut,
                    fee: route.fees[0],
                    recipient: msg.sender,
                    deadline: block.timestamp,
                    amountIn: amountIn,
                    amountOutMinimum: minAmountOut,
                    sqrtPriceLimitX96: 0
                })
            );
        } else {
            ROUTER.exactInput(
                IUniswapV3SwapRouter.ExactInputParams({
                    path: encodePath(tokenIn, tokenOut, route),
                    recipient: msg.sender,
                    deadline: block.timestamp,
                    amountIn: amountIn,
                    amountOutMinimum: minAmountOut
                })
            );
        }
    }

    /// @notice Uniswap V3 packed path for a typed route:
    ///         abi.encodePacked(tokenIn, fees[0], intermediates[0], ..., fees[n-1], tokenOut).
    /// @param tokenIn First token of the path.
    /// @param tokenOut Last token of the path.
    /// @param route Fee tiers and intermediate tokens (`fees.length == intermediates.length + 1`).
    /// @return path The packed path.
    function encodePath(
        address tokenIn,
        address tokenOut,
        Route calldata route
    ) public pure returns (bytes memory path) {
        uint256 pools = route.fees.length;
        if (pools == 0 || route.intermediates.length + 1 != pools) {
            revert SwapAdapterBadRoute(pools, route.intermediates.length);
        }
        path = abi.encodePacked(tokenIn);
        for (uint256 i = 0; i < pools - 1; ++i) {
            path = abi.encodePacked(path, route.fees[i], route.intermediates[i]);
        }
        path = abi.encodePacked(path, route.fees[pools - 1], tokenOut);
    }
}
