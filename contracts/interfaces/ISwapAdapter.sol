// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ISwapAdapter
/// @notice Executes one typed swap for the vault. The vault approves exactly `amountIn` of
///         `tokenIn`, calls `swap`, and measures what it actually received; the adapter's return
///         value is informational only. No raw calldata ever reaches an adapter.
interface ISwapAdapter {
    /// @notice A typed route: `fees[i]` is the pool fee tier between hop i and hop i+1, where the
    ///         hops are tokenIn, intermediates..., tokenOut. So `fees.length == intermediates.length + 1`.
    struct Route {
        uint24[] fees;
        address[] intermediates;
    }

    /// @notice Pulls `amountIn` of `tokenIn` from the caller, swaps along `route`, and sends at
    ///         least `minAmountOut` of `tokenOut` to the caller.
    /// @return amountOut The amount of `tokenOut` sent to the caller.
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        Route calldata route
    ) external returns (uint256 amountOut);
}
