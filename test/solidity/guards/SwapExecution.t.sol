// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ISwapAdapter} from "../../../contracts/interfaces/ISwapAdapter.sol";
import {SwapExecution} from "../../../contracts/libraries/SwapExecution.sol";
import {MockToken} from "../../../contracts/test/MockTokens.sol";
import {MaliciousSwapAdapter} from "../../../contracts/test/guards/MaliciousSwapAdapter.sol";
import {OracleSwapAdapter} from "../../../contracts/test/guards/OracleSwapAdapter.sol";

/// Token that charges the SENDER an extra fee on transferFrom (the payer loses more than `amount`).
contract SenderFeeToken is ERC20 {
    constructor() ERC20("Sender fee", "SFEE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        bool ok = super.transferFrom(from, to, value);
        _burn(from, value / 100 + 1);
        return ok;
    }
}

/// Calls SwapExecution from its own balance (SwapExecution takes a calldata route).
contract SwapExecutor {
    function run(
        ISwapAdapter adapter,
        address tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 minOut,
        ISwapAdapter.Route calldata route
    ) external returns (uint256 spent, uint256 received) {
        return SwapExecution.execute(adapter, tokenIn, tokenOut, amountIn, minOut, route);
    }
}

contract SwapExecutionTest is Test {
    SwapExecutor internal ex;
    MockToken internal a;
    MockToken internal b;
    OracleSwapAdapter internal fair;
    MaliciousSwapAdapter internal evil;
    ISwapAdapter.Route internal route;

    function setUp() public {
        ex = new SwapExecutor();
        a = new MockToken("A", "A", 18);
        b = new MockToken("B", "B", 6);
        fair = new OracleSwapAdapter();
        fair.setPrice(address(a), 2e18);
        fair.setPrice(address(b), 1e18);
        evil = new MaliciousSwapAdapter();
        route.fees.push(3000);
    }

    /// An honest fill: spent == amountIn, received == the adapter's output, nothing approved after.
    function testFuzz_honestFillMeasuredByBalances(uint96 amountRaw, uint16 slipRaw) public {
        uint256 amountIn = bound(amountRaw, 1e12, 1e30);
        uint256 slip = bound(slipRaw, 0, 500);
        fair.setSlippageBps(slip);
        a.mint(address(ex), amountIn);
        uint256 expected = (((amountIn * 2) / 1e12) * (10_000 - slip)) / 10_000;
        (uint256 spent, uint256 received) = ex.run(fair, address(a), address(b), amountIn, expected, route);
        assertEq(spent, amountIn);
        assertEq(received, expected);
        assertEq(b.balanceOf(address(ex)), expected);
        assertEq(a.allowance(address(ex), address(fair)), 0);
    }

    /// Any under-delivery, however small, is refused with the measured amounts.
    function testFuzz_underDeliveryRefused(uint96 minOutRaw, uint16 deliverBpsRaw) public {
        uint256 minOut = bound(minOutRaw, 10_000, 1e30);
        uint256 deliverBps = bound(deliverBpsRaw, 0, 9_999);
        evil.setDeliverBps(deliverBps);
        a.mint(address(ex), 1e18);
        uint256 delivered = (minOut * deliverBps) / 10_000;
        vm.expectRevert(
            abi.encodeWithSelector(
                SwapExecution.SwapExecutionInsufficientOutput.selector,
                address(b),
                delivered,
                minOut
            )
        );
        ex.run(evil, address(a), address(b), 1e18, minOut, route);
    }

    /// A token that makes the payer lose more than amountIn is caught as an overspend.
    function test_overspendRefused() public {
        SenderFeeToken t = new SenderFeeToken();
        t.mint(address(ex), 1_000_000);
        vm.expectRevert(
            abi.encodeWithSelector(SwapExecution.SwapExecutionOverspent.selector, address(t), 1_000 + 11, 1_000)
        );
        ex.run(evil, address(t), address(b), 1_000, 1, route);
    }

    /// An adapter that does not pull: the executor keeps its input and the allowance is reset.
    function test_noPullResetsAllowance() public {
        evil.setMode(evil.NO_PULL());
        a.mint(address(ex), 1e18);
        (uint256 spent, uint256 received) = ex.run(evil, address(a), address(b), 1e18, 5, route);
        assertEq(spent, 0);
        assertEq(received, 5);
        assertEq(a.allowance(address(ex), address(evil)), 0);
    }
}
