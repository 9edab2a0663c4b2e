// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {LeverageLib} from "../../../contracts/libraries/LeverageLib.sol";
import {IPositionAdapter} from "../../../contracts/interfaces/IPositionAdapter.sol";

/// External wrapper so reverts can be asserted with expectRevert.
contract LeverageLibHarness {
    function netExposures(
        address[] memory underlyings,
        uint256[] memory spotValues,
        IPositionAdapter.Exposure[][] memory adapterExposures
    ) external pure returns (int256[] memory) {
        return LeverageLib.netExposures(underlyings, spotValues, adapterExposures);
    }

    function checkLeverage(uint256 lev, uint256 maxLev) external pure {
        LeverageLib.checkLeverage(lev, maxLev);
    }

    function checkWeight(address u, uint256 value, uint256 total, uint256 maxBps) external pure {
        LeverageLib.checkWeight(u, value, total, maxBps);
    }
}

contract LeverageLibTest is Test {
    LeverageLibHarness internal h;

    function setUp() public {
        h = new LeverageLibHarness();
    }

    function _tokens(uint256 n) internal pure returns (address[] memory t) {
        t = new address[](n);
        for (uint256 i = 0; i < n; ++i) t[i] = address(uint160(0x1000 + i));
    }

    /// Spot holdings only, summing to at most the vault's value: leverage never exceeds 1x.
    function testFuzz_spotOnlyLeverageAtMostOne(uint96[8] memory raw, uint8 nRaw, uint96 idle) public pure {
        uint256 n = bound(nRaw, 0, 8);
        uint256[] memory spot = new uint256[](n);
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            spot[i] = raw[i];
            sum += raw[i];
        }
        uint256 total = sum + idle;
        int256[] memory net = LeverageLib.netExposures(_tokens(n), spot, new IPositionAdapter.Exposure[][](0));
        uint256 lev = LeverageLib.leverage(net, total);
        assertLe(lev, 1e18, "spot-only leverage above 1x");
        if (idle == 0 && sum > 0) assertEq(lev, 1e18, "fully invested spot is exactly 1x");
        if (sum == 0) assertEq(lev, 0);
    }

    /// Leverage is the ceiling of gross * 1e18 / value: never under-reports, off by < 1 unit.
    function testFuzz_leverageRoundsUp(uint128 gross, uint128 total) public pure {
        vm.assume(gross > 0 && total > 0);
        uint256 lev = LeverageLib.leverageOf(gross, total);
        // lev * total >= gross * 1e18 > (lev - 1) * total, all products fit in 256 bits
        assertGe(lev * total, uint256(gross) * 1e18);
        assertLt((lev - 1) * total, uint256(gross) * 1e18);
    }

    function test_leverageEdgeCases() public pure {
        assertEq(LeverageLib.leverageOf(0, 0), 0);
        assertEq(LeverageLib.leverageOf(1, 0), type(uint256).max);
        assertEq(LeverageLib.leverageOf(1, 3), 333333333333333334); // ceil(1e18/3)
    }

    /// A protective put (negative exposure, at most the spot value) lowers leverage; a long call raises it.
    function testFuzz_putLowersCallRaises(uint96 spotRaw, uint96 putRaw, uint96 callRaw, uint96 idle) public pure {
        uint256 spot = bound(spotRaw, 1, type(uint96).max);
        uint256 put = bound(putRaw, 1, spot);
        uint256 callExp = bound(callRaw, 1, type(uint96).max);
        uint256 total = spot + idle;
        address[] memory t = _tokens(1);
        uint256[] memory v = new uint256[](1);
        v[0] = spot;

        uint256 base = LeverageLib.leverage(
            LeverageLib.netExposures(t, v, new IPositionAdapter.Exposure[][](0)),
            total
        );

        IPositionAdapter.Exposure[][] memory withPut = new IPositionAdapter.Exposure[][](1);
        withPut[0] = new IPositionAdapter.Exposure[](1);
        withPut[0][0] = IPositionAdapter.Exposure(t[0], -int256(put));
        int256[] memory netPut = LeverageLib.netExposures(t, v, withPut);
        assertEq(netPut[0], int256(spot) - int256(put));
        assertLe(LeverageLib.leverage(netPut, total), base, "put raised leverage");

        IPositionAdapter.Exposure[][] memory withCall = new IPositionAdapter.Exposure[][](1);
        withCall[0] = new IPositionAdapter.Exposure[](1);
        withCall[0][0] = IPositionAdapter.Exposure(t[0], int256(callExp));
        uint256 levCall = LeverageLib.leverage(LeverageLib.netExposures(t, v, withCall), total);
        assertGe(levCall, base, "call lowered leverage");
        // strictly higher once the call adds at least one leverage unit's worth
        if (callExp * 1e18 >= total) assertGt(levCall, base);
    }

    /// A short overlay larger than the spot position counts by its absolute value.
    function testFuzz_netShortCountsAbsolute(uint96 spotRaw, uint96 extra, uint96 idle) public pure {
        uint256 spot = bound(spotRaw, 0, type(uint96).max);
        uint256 over = bound(extra, 1, type(uint96).max);
        address[] memory t = _tokens(1);
        uint256[] memory v = new uint256[](1);
        v[0] = spot;
        IPositionAdapter.Exposure[][] memory ex = new IPositionAdapter.Exposure[][](1);
        ex[0] = new IPositionAdapter.Exposure[](1);
        ex[0][0] = IPositionAdapter.Exposure(t[0], -int256(spot + over));
        int256[] memory net = LeverageLib.netExposures(t, v, ex);
        assertEq(LeverageLib.grossExposure(net), over);
        uint256 total = uint256(spot) + idle + 1;
        assertEq(LeverageLib.leverage(net, total), Math.mulDiv(over, 1e18, total, Math.Rounding.Ceil));
    }

    /// Exposures from several adapters on several underlyings add up per underlying.
    function testFuzz_exposuresMatchedByUnderlying(
        int64[4] memory a,
        int64[4] memory b,
        uint64[4] memory spotRaw
    ) public pure {
        address[] memory t = _tokens(4);
        uint256[] memory v = new uint256[](4);
        IPositionAdapter.Exposure[][] memory ex = new IPositionAdapter.Exposure[][](2);
        ex[0] = new IPositionAdapter.Exposure[](4);
        ex[1] = new IPositionAdapter.Exposure[](4);
        for (uint256 i = 0; i < 4; ++i) {
            v[i] = spotRaw[i];
            ex[0][i] = IPositionAdapter.Exposure(t[i], a[i]);
            // second adapter reports in reverse order
            ex[1][i] = IPositionAdapter.Exposure(t[3 - i], b[3 - i]);
        }
        int256[] memory net = LeverageLib.netExposures(t, v, ex);
        uint256 gross;
        for (uint256 i = 0; i < 4; ++i) {
            int256 want = int256(uint256(spotRaw[i])) + a[i] + b[i];
            assertEq(net[i], want);
            gross += want >= 0 ? uint256(want) : uint256(-want);
        }
        assertEq(LeverageLib.grossExposure(net), gross);
    }

    function test_unknownUnderlyingReverts() public {
        address[] memory t = _tokens(2);
        uint256[] memory v = new uint256[](2);
        IPositionAdapter.Exposure[][] memory ex = new IPositionAdapter.Exposure[][](1);
        ex[0] = new IPositionAdapter.Exposure[](1);
        ex[0][0] = IPositionAdapter.Exposure(address(0xBEEF), 1);
        vm.expectRevert(abi.encodeWithSelector(LeverageLib.LeverageUnknownUnderlying.selector, address(0xBEEF)));
        h.netExposures(t, v, ex);
    }

    function test_lengthMismatchReverts() public {
        vm.expectRevert(abi.encodeWithSelector(LeverageLib.LeverageLengthMismatch.selector, 2, 1));
        h.netExposures(_tokens(2), new uint256[](1), new IPositionAdapter.Exposure[][](0));
    }

    function testFuzz_checkLeverage(uint256 lev, uint256 maxLev) public {
        if (lev > maxLev) {
            vm.expectRevert(abi.encodeWithSelector(LeverageLib.LeverageAboveMax.selector, lev, maxLev));
        }
        h.checkLeverage(lev, maxLev);
    }

    /// The weight check is exactly value / total <= maxBps / 10000 (compared in 512 bits here).
    function testFuzz_weightWithinIsExact(uint256 value, uint256 total, uint16 maxBpsRaw) public pure {
        uint256 maxBps = bound(maxBpsRaw, 0, 10_000);
        (uint256 lh, uint256 ll) = Math.mul512(value, 10_000);
        (uint256 rh, uint256 rl) = Math.mul512(maxBps, total);
        bool want = lh < rh || (lh == rh && ll <= rl);
        assertEq(LeverageLib.weightWithin(value, total, maxBps), want);
    }

    function testFuzz_weightBoundary(uint96 total, uint16 maxBpsRaw) public {
        uint256 maxBps = bound(maxBpsRaw, 1, 10_000);
        vm.assume(total > 0);
        // the largest value allowed: floor(maxBps * total / 1e4)
        uint256 maxValue = (uint256(maxBps) * total) / 10_000;
        h.checkWeight(address(1), maxValue, total, maxBps);
        vm.expectRevert(
            abi.encodeWithSelector(LeverageLib.LeverageWeightAboveMax.selector, address(1), maxValue + 1, total, maxBps)
        );
        h.checkWeight(address(1), maxValue + 1, total, maxBps);
        // reported weight rounds up: never below the true weight
        uint256 w = LeverageLib.weightBpsUp(maxValue + 1, total);
        assertGe(w * uint256(total), (maxValue + 1) * 10_000);
    }

    /// Deleverage arithmetic: selling x of spot on an underlying whose net exposure is >= x moves x
    /// into idle (total unchanged up to a loss): leverage never rises. On an underlying that is
    /// net SHORT (puts larger than spot), the same sale raises |net| and so raises leverage: a
    /// deleverage must not sell spot of a net-short underlying.
    function testFuzz_sellingSpotOfNetLongLowersLeverage(
        uint96 spotRaw,
        int96 overlayRaw,
        uint96 xRaw,
        uint96 otherRaw
    ) public pure {
        uint256 spot = bound(spotRaw, 1, type(uint96).max);
        int256 overlay = int256(bound(overlayRaw, -int256(uint256(spot)) + 1, type(int96).max));
        int256[] memory net = new int256[](2);
        net[0] = int256(spot) + overlay; // > 0
        net[1] = int256(uint256(otherRaw));
        uint256 total = spot + otherRaw + 1;
        uint256 x = bound(xRaw, 0, spot < uint256(net[0]) ? spot : uint256(net[0]));
        uint256 before = LeverageLib.leverage(net, total);
        net[0] -= int256(x); // the sale's proceeds sit in idle: total unchanged
        uint256 afterLev = LeverageLib.leverage(net, total);
        assertLe(afterLev, before);
        // and by exactly the sold share, up to the two ceilings
        assertGe(before - afterLev + 1, (x * 1e18) / total);
    }

    function testFuzz_sellingSpotOfNetShortRaisesLeverage(uint96 spotRaw, uint96 extraShort, uint96 xRaw) public pure {
        uint256 spot = bound(spotRaw, 2, type(uint96).max);
        uint256 x = bound(xRaw, 1, spot);
        int256[] memory net = new int256[](1);
        net[0] = -int256(bound(extraShort, 1, type(uint96).max)); // spot + puts < 0
        uint256 total = spot + 1;
        uint256 before = LeverageLib.leverage(net, total);
        net[0] -= int256(x); // selling spot makes the short larger
        assertGe(LeverageLib.leverage(net, total), before);
    }
}
