// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {TradeMath} from "../../../contracts/libraries/TradeMath.sol";
import {PriceMath} from "../../../contracts/libraries/PriceMath.sol";

contract TradeMathHarness {
    function minAmountOut(
        uint256 a,
        uint256 pIn,
        uint8 dIn,
        uint256 pOut,
        uint8 dOut,
        uint256 s
    ) external pure returns (uint256) {
        return TradeMath.minAmountOut(a, pIn, dIn, pOut, dOut, s);
    }

    function enforceMinOut(uint256 keeperMin, uint256 oracleMin) external pure returns (uint256) {
        return TradeMath.enforceMinOut(keeperMin, oracleMin);
    }

    function checkReceived(uint256 received, uint256 required) external pure {
        TradeMath.checkReceived(received, required);
    }
}

contract TradeMathTest is Test {
    TradeMathHarness internal h;

    function setUp() public {
        h = new TradeMathHarness();
    }

    struct Case {
        uint256 amountIn;
        uint256 pIn;
        uint256 pOut;
        uint8 dIn;
        uint8 dOut;
        uint256 slip;
    }

    function _case(
        uint96 amountIn,
        uint80 pIn,
        uint80 pOut,
        uint8 dIn,
        uint8 dOut,
        uint16 slip
    ) internal pure returns (Case memory c) {
        c.amountIn = amountIn;
        c.pIn = bound(pIn, 1e12, 1e24); // 1e-6 .. 1e6 USD
        c.pOut = bound(pOut, 1e12, 1e24);
        c.dIn = uint8(bound(dIn, 0, 18));
        c.dOut = uint8(bound(dOut, 0, 18));
        c.slip = bound(slip, 0, TradeMath.MAX_KEEPER_SLIPPAGE_BPS);
    }

    /// minOut is the exact ceiling of the real-number bound: got * den >= amountIn * num and
    /// (got - 1) * den < amountIn * num, compared in 512 bits.
    function testFuzz_minOutIsCeilOfOracleBound(
        uint96 a,
        uint80 pIn,
        uint80 pOut,
        uint8 dIn,
        uint8 dOut,
        uint16 s
    ) public pure {
        Case memory c = _case(a, pIn, pOut, dIn, dOut, s);
        uint256 got = TradeMath.minAmountOut(c.amountIn, c.pIn, c.dIn, c.pOut, c.dOut, c.slip);
        uint256 num = c.pIn * (10_000 - c.slip) * 10 ** c.dOut;
        uint256 den = c.pOut * 10_000 * 10 ** c.dIn;
        assertTrue(_ge512(got, den, c.amountIn, num), "minOut below the oracle bound");
        if (got > 0) assertFalse(_ge512(got - 1, den, c.amountIn, num), "minOut more than 1 unit above the bound");
    }

    /// Through the value route of PriceMath (round value up, then amount up) the result is never
    /// lower: the two agree to within one unit plus 1e-18 USD worth.
    function testFuzz_minOutConsistentWithPriceMath(
        uint96 a,
        uint80 pIn,
        uint80 pOut,
        uint8 dIn,
        uint8 dOut
    ) public pure {
        Case memory c = _case(a, pIn, pOut, dIn, dOut, 0);
        uint256 got = TradeMath.minAmountOut(c.amountIn, c.pIn, c.dIn, c.pOut, c.dOut, 0);
        uint256 viaValue = PriceMath.amountUp(PriceMath.valueUp(c.amountIn, c.pIn, c.dIn), c.pOut, c.dOut);
        assertLe(got, viaValue);
        assertLe(viaValue - got, 1 + PriceMath.amountUp(1, c.pOut, c.dOut));
    }

    function _ge512(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (bool) {
        (uint256 lh, uint256 ll) = Math.mul512(a, b);
        (uint256 rh, uint256 rl) = Math.mul512(c, d);
        return lh > rh || (lh == rh && ll >= rl);
    }

    /// More slippage allowance never raises the minimum; zero slippage is at least the oracle amount.
    function testFuzz_minOutMonotoneInSlippage(
        uint96 a,
        uint80 pIn,
        uint80 pOut,
        uint8 dIn,
        uint8 dOut,
        uint16 s
    ) public pure {
        Case memory c = _case(a, pIn, pOut, dIn, dOut, s);
        uint256 lo = TradeMath.minAmountOut(c.amountIn, c.pIn, c.dIn, c.pOut, c.dOut, c.slip);
        uint256 zero = TradeMath.minAmountOut(c.amountIn, c.pIn, c.dIn, c.pOut, c.dOut, 0);
        assertLe(lo, zero);
        assertGe(zero, TradeMath.oracleAmountOutDown(c.amountIn, c.pIn, c.dIn, c.pOut, c.dOut));
    }

    /// Same token, same price: zero slippage asks for exactly amountIn back.
    function testFuzz_identityTrade(uint96 a, uint80 p, uint8 d) public pure {
        uint256 price = bound(p, 1, type(uint80).max);
        uint8 dec = uint8(bound(d, 0, 18));
        assertEq(TradeMath.minAmountOut(a, price, dec, price, dec, 0), a);
        assertEq(TradeMath.oracleAmountOutDown(a, price, dec, price, dec), a);
    }

    function testFuzz_slippageAboveCapReverts(uint256 s) public {
        s = bound(s, TradeMath.MAX_KEEPER_SLIPPAGE_BPS + 1, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(TradeMath.TradeSlippageAboveCap.selector, s, TradeMath.MAX_KEEPER_SLIPPAGE_BPS)
        );
        h.minAmountOut(1e18, 1e18, 18, 1e18, 18, s);
    }

    function test_zeroPriceReverts() public {
        vm.expectRevert(abi.encodeWithSelector(TradeMath.TradeZeroPrice.selector, 0, 1e18));
        h.minAmountOut(1, 0, 18, 1e18, 18, 0);
    }

    /// Known conversion: 1 WETH (18 dec) at 3000 USD into USDC (6 dec) at 1 USD, 1 % slippage.
    function test_wethToUsdcExample() public pure {
        uint256 got = TradeMath.minAmountOut(1e18, 3_000e18, 18, 1e18, 6, 100);
        assertEq(got, 2_970e6);
        // 2970 USDC into WBTC (8 dec) at 60000 USD: 0.0495 WBTC = 4_950_000 sats, 0 slippage
        assertEq(TradeMath.minAmountOut(2_970e6, 1e18, 6, 60_000e18, 8, 0), 4_950_000);
        // a non-exact one rounds up: 1 USDC unit at 1 USD into WBTC at 60000 USD -> ceil(1e-6/6e4*1e8)=1
        assertEq(TradeMath.minAmountOut(1, 1e18, 6, 60_000e18, 8, 0), 1);
        assertEq(TradeMath.oracleAmountOutDown(1, 1e18, 6, 60_000e18, 8), 0);
    }

    function testFuzz_enforceMinOut(uint256 keeperMin, uint256 oracleMin) public {
        if (keeperMin < oracleMin) {
            vm.expectRevert(abi.encodeWithSelector(TradeMath.TradeMinOutBelowOracle.selector, keeperMin, oracleMin));
            h.enforceMinOut(keeperMin, oracleMin);
        } else {
            assertEq(h.enforceMinOut(keeperMin, oracleMin), keeperMin);
        }
    }

    function testFuzz_checkReceived(uint256 received, uint256 required) public {
        if (received < required) {
            vm.expectRevert(abi.encodeWithSelector(TradeMath.TradeInsufficientOutput.selector, received, required));
        }
        h.checkReceived(received, required);
    }

    /// Measured slippage rounds up and is zero for fills at or above the oracle.
    function testFuzz_slippageBpsUp(uint128 oracleOut, uint128 received) public pure {
        uint256 bps = TradeMath.slippageBpsUp(oracleOut, received);
        if (received >= oracleOut) {
            assertEq(bps, 0);
        } else {
            assertGe(bps * uint256(oracleOut), (uint256(oracleOut) - received) * 10_000);
            assertLt((bps - 1) * uint256(oracleOut), (uint256(oracleOut) - received) * 10_000);
        }
    }
}
