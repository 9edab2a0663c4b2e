// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ISwapAdapter} from "../../interfaces/ISwapAdapter.sol";
import {TradeMath} from "../../libraries/TradeMath.sol";

interface IMintable {
    function mint(address to, uint256 amount) external;
}

/// @title OracleSwapAdapter
/// @notice Test-only swap adapter for invariant tests: fills at the prices it is told (the test
///         keeps them equal to the vault's oracle) minus `slippageBps`, minting the output (open
///         mint test tokens) and keeping the input. Reverts below minAmountOut like a real router.
contract OracleSwapAdapter is ISwapAdapter {
    using SafeERC20 for IERC20;

    mapping(address token => uint256 price) public priceOf;
    uint256 public slippageBps;

    error OracleSwapAdapterNoPrice(address token);
    error OracleSwapAdapterTooLittle(uint256 amountOut, uint256 minAmountOut);

    /// @notice Sets the 18-decimal USD price used for `token`.
    function setPrice(address token, uint256 price) external {
        priceOf[token] = price;
    }

    /// @notice Sets the slippage paid vs the prices (bps, may exceed the keeper cap).
    function setSlippageBps(uint256 bps) external {
        slippageBps = bps;
    }

    /// @inheritdoc ISwapAdapter
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        Route calldata
    ) external returns (uint256 amountOut) {
        uint256 pIn = priceOf[tokenIn];
        uint256 pOut = priceOf[tokenOut];
        if (pIn == 0) revert OracleSwapAdapterNoPrice(tokenIn);
        if (pOut == 0) revert OracleSwapAdapterNoPrice(tokenOut);
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        uint256 fair = TradeMath.oracleAmountOutDown(
            amountIn,
            pIn,
            IERC20Metadata(tokenIn).decimals(),
            pOut,
            IERC20Metadata(tokenOut).decimals()
        );
        uint256 s = slippageBps > 10_000 ? 10_000 : slippageBps;
        amountOut = (fair * (10_000 - s)) / 10_000;
        if (amountOut < minAmountOut) revert OracleSwapAdapterTooLittle(amountOut, minAmountOut);
        if (amountOut > 0) IMintable(tokenOut).mint(msg.sender, amountOut);
    }
}
