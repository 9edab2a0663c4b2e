// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ISwapAdapter} from "../../interfaces/ISwapAdapter.sol";

interface IMintableToken {
    function mint(address to, uint256 amount) external;
}

/// @title MaliciousSwapAdapter
/// @notice Test-only swap adapter that misbehaves in a chosen way. Output tokens are minted
///         (the test tokens have an open mint), so "delivering" costs the adapter nothing.
///         Modes:
///           0 HONEST        pulls amountIn, delivers `deliverBps` of minAmountOut (10_000 = exactly minOut)
///           1 LIE           pulls amountIn, delivers half of minAmountOut, returns minAmountOut
///           2 STEAL         pulls amountIn, delivers nothing, returns minAmountOut
///           3 REENTER       calls `reentryTarget` with `data` before delivering (bubbles its revert
///                           when `bubble`, otherwise records the outcome), then delivers minOut
///           4 PULL_MORE     tries to pull amountIn + 1
///           5 NO_PULL       delivers minAmountOut without pulling anything (allowance left unused)
contract MaliciousSwapAdapter is ISwapAdapter {
    uint8 public constant HONEST = 0;
    uint8 public constant LIE = 1;
    uint8 public constant STEAL = 2;
    uint8 public constant REENTER = 3;
    uint8 public constant PULL_MORE = 4;
    uint8 public constant NO_PULL = 5;

    uint8 public mode;
    uint256 public deliverBps = 10_000;
    address public reentryTarget;
    bytes public data;
    bool public bubble;
    bool public lastReentrySucceeded;
    bytes public lastReentryResult;
    uint256 public calls;

    error PullFailed();

    /// @notice Configures the misbehaviour.
    function setMode(uint8 mode_) external {
        mode = mode_;
    }

    /// @notice Fraction of minAmountOut delivered in HONEST mode (bps).
    function setDeliverBps(uint256 bps) external {
        deliverBps = bps;
    }

    /// @notice Reentrant call made in REENTER mode.
    function setReentry(address target_, bytes calldata data_, bool bubble_) external {
        (reentryTarget, data, bubble) = (target_, data_, bubble_);
    }

    /// @inheritdoc ISwapAdapter
    function swap(
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minAmountOut,
        Route calldata
    ) external returns (uint256 amountOut) {
        ++calls;
        uint8 m = mode;
        if (m == PULL_MORE) {
            if (!IERC20(tokenIn).transferFrom(msg.sender, address(this), amountIn + 1)) revert PullFailed();
        } else if (m != NO_PULL) {
            if (!IERC20(tokenIn).transferFrom(msg.sender, address(this), amountIn)) revert PullFailed();
        }
        if (m == REENTER) {
            // The arbitrary re-entrant call is the attack under test.
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = reentryTarget.call(data);
            lastReentrySucceeded = ok;
            lastReentryResult = ret;
            if (!ok && bubble) {
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
        uint256 deliver;
        if (m == HONEST) deliver = (minAmountOut * deliverBps) / 10_000;
        else if (m == LIE) deliver = minAmountOut / 2;
        else if (m == STEAL) deliver = 0;
        else deliver = minAmountOut;
        if (deliver > 0) IMintableToken(tokenOut).mint(msg.sender, deliver);
        return m == HONEST ? deliver : minAmountOut;
    }
}
