// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISwapAdapter} from "../../interfaces/ISwapAdapter.sol";
import {IRiskParityVault} from "../../interfaces/IRiskParityVault.sol";
import {TradeMath} from "../../libraries/TradeMath.sol";
import {SwapExecution} from "../../libraries/SwapExecution.sol";
import {WindowBudget} from "../../libraries/WindowBudget.sol";
import {PriceMath} from "../../libraries/PriceMath.sol";

/// @title TradeGuardHarness
/// @notice Test-only composition of the trade guards, exactly as a vault applies them to one
///         keeper batch: per trade, the keeper's minAmountOut must be at least the oracle bound
///         ({TradeMath.minAmountOut} with `slippageBps` <= 300) and the trade value at most
///         `maxTradeValue`; the swap runs through {SwapExecution} (balances only); afterwards the
///         batch's value lost at the oracle (input valued up, output valued down) is charged to a
///         {WindowBudget} loss budget. Prices are set by the test (18-decimal USD).
contract TradeGuardHarness is ReentrancyGuardTransient {
    using WindowBudget for WindowBudget.Budget;

    mapping(address token => uint256 price) public priceOf;
    uint256 public slippageBps;
    uint256 public maxTradeValue; // 18-decimal USD
    WindowBudget.Budget internal _loss; // 18-decimal USD
    uint256 public totalLoss; // 18-decimal USD, cumulative

    error HarnessNoPrice(address token);
    error HarnessTradeTooLarge(uint256 value, uint256 maxTradeValue);

    event BatchExecuted(uint256 trades, uint256 valueIn, uint256 valueOut, uint256 loss);

    /// @notice Sets the oracle price of `token` (18-decimal USD per whole token).
    function setPrice(address token, uint256 price) external {
        priceOf[token] = price;
    }

    /// @notice Configures the guards: slippage allowance (reverts above the hard cap), per-trade
    ///         cap and the loss budget (capacity per window, 18-decimal USD).
    function configure(uint256 slippageBps_, uint256 maxTradeValue_, uint256 lossPerWindow, uint256 window) external {
        TradeMath.checkSlippageCap(slippageBps_);
        slippageBps = slippageBps_;
        maxTradeValue = maxTradeValue_;
        _loss.init(lossPerWindow, window, block.timestamp);
    }

    /// @notice Remaining loss budget now (18-decimal USD).
    function lossBudgetAvailable() external view returns (uint256) {
        return _loss.available(block.timestamp);
    }

    /// @notice Oracle-implied minimum output of a trade under the current allowance.
    function oracleMinOut(address tokenIn, address tokenOut, uint256 amountIn) public view returns (uint256) {
        return
            TradeMath.minAmountOut(
                amountIn,
                _price(tokenIn),
                IERC20Metadata(tokenIn).decimals(),
                _price(tokenOut),
                IERC20Metadata(tokenOut).decimals(),
                slippageBps
            );
    }

    /// @notice Executes a batch of typed trades under every guard.
    function execute(IRiskParityVault.Trade[] calldata trades) external nonReentrant {
        uint256 valueIn;
        uint256 valueOut;
        for (uint256 i = 0; i < trades.length; ++i) {
            IRiskParityVault.Trade calldata t = trades[i];
            uint8 decIn = IERC20Metadata(t.tokenIn).decimals();
            uint256 vIn = PriceMath.valueUp(t.amountIn, _price(t.tokenIn), decIn);
            if (vIn > maxTradeValue) revert HarnessTradeTooLarge(vIn, maxTradeValue);
            uint256 minOut = TradeMath.enforceMinOut(t.minAmountOut, oracleMinOut(t.tokenIn, t.tokenOut, t.amountIn));
            (uint256 spent, uint256 received) = SwapExecution.execute(
                ISwapAdapter(t.adapter),
                t.tokenIn,
                t.tokenOut,
                t.amountIn,
                minOut,
                t.route
            );
            valueIn += PriceMath.valueUp(spent, _price(t.tokenIn), decIn);
            valueOut += PriceMath.valueDown(received, _price(t.tokenOut), IERC20Metadata(t.tokenOut).decimals());
        }
        uint256 loss = valueIn > valueOut ? valueIn - valueOut : 0;
        _loss.consume(loss, block.timestamp);
        totalLoss += loss;
        emit BatchExecuted(trades.length, valueIn, valueOut, loss);
    }

    function _price(address token) internal view returns (uint256 p) {
        p = priceOf[token];
        if (p == 0) revert HarnessNoPrice(token);
    }
}
