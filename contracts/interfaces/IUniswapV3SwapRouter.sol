// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUniswapV3SwapRouter
/// @notice The part of Uniswap V3's periphery `SwapRouter` (v1.4.4, deployed from its npm
///         artifact) that the swap adapter uses: exact-input swaps, one hop or a packed path.
///         Declared here so the product compiles against 0.8.28 without the periphery's sources.
interface IUniswapV3SwapRouter {
    /// @notice Parameters of a single-pool exact-input swap.
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }

    /// @notice Parameters of a multi-pool exact-input swap. `path` is
    ///         abi.encodePacked(tokenIn, fee, token, fee, ..., tokenOut) (address 20 bytes, fee 3 bytes).
    struct ExactInputParams {
        bytes path;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
    }

    /// @notice Swaps `amountIn` of one token for as much as possible of another, through one pool.
    /// @param params The swap parameters.
    /// @return amountOut The amount of the output token sent to `recipient`.
    function exactInputSingle(ExactInputSingleParams calldata params) external payable returns (uint256 amountOut);

    /// @notice Swaps `amountIn` of one token for as much as possible of another along `path`.
    /// @param params The swap parameters.
    /// @return amountOut The amount of the output token sent to `recipient`.
    function exactInput(ExactInputParams calldata params) external payable returns (uint256 amountOut);
}
