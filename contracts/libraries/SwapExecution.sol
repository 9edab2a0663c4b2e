// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";

/// @title SwapExecution
/// @notice Runs one typed swap through an untrusted {ISwapAdapter} and trusts only balances:
///         approves exactly `amountIn`, calls the adapter, then requires that the caller's
///         `tokenIn` balance fell by at most `amountIn`, that its `tokenOut` balance rose by at
///         least `minAmountOut`, and resets the allowance to zero. The adapter's return value is
///         ignored. Reentrancy protection is the caller's job (hold a guard across this call).
library SwapExecution {
    using SafeERC20 for IERC20;

    /// @notice The adapter took more `tokenIn` than approved (only possible for odd tokens).
    error SwapExecutionOverspent(address tokenIn, uint256 spent, uint256 amountIn);
    /// @notice The caller's `tokenOut` balance rose by less than `minAmountOut`.
    error SwapExecutionInsufficientOutput(address tokenOut, uint256 received, uint256 minAmountOut);

    /// @notice Executes the swap and returns what was measured.
    /// @param adapter The swap adapter (must already be trusted enough to be registered).
    /// @param tokenIn Token sold.
    /// @param tokenOut Token bought.
    /// @param amountIn Exact amount approved to the adapter.
    /// @param minAmountOut Least acceptable increase of the caller's `tokenOut` balance.
    /// @param route Typed route passed to the adapter.
    /// @return spent Decrease of the caller's `tokenIn` balance (<= amountIn).
    /// @return received Increase of the caller's `tokenOut` balance (>= minAmountOut).
    function execute(
        ISwapAdapter adapter,
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        ISwapAdapter.Route calldata route
    ) internal returns (uint256 spent, uint256 received) {
        IERC20 inToken = IERC20(tokenIn);
        IERC20 outToken = IERC20(tokenOut);
        uint256 inBefore = inToken.balanceOf(address(this));
        uint256 outBefore = outToken.balanceOf(address(this));
        inToken.forceApprove(address(adapter), amountIn);
        adapter.swap(tokenIn, tokenOut, amountIn, minAmountOut, route);
        if (inToken.allowance(address(this), address(adapter)) != 0) inToken.forceApprove(address(adapter), 0);
        uint256 inAfter = inToken.balanceOf(address(this));
        spent = inBefore > inAfter ? inBefore - inAfter : 0;
        if (spent > amountIn) revert SwapExecutionOverspent(tokenIn, spent, amountIn);
        uint256 outAfter = outToken.balanceOf(address(this));
        received = outAfter > outBefore ? outAfter - outBefore : 0;
        if (received < minAmountOut) revert SwapExecutionInsufficientOutput(tokenOut, received, minAmountOut);
    }
}
