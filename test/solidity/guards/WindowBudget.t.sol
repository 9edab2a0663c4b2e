// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {WindowBudget} from "../../../contracts/libraries/WindowBudget.sol";

/// Holds one budget in storage so reverts and storage behaviour can be tested.
contract WindowBudgetHarness {
    using WindowBudget for WindowBudget.Budget;

    WindowBudget.Budget internal b;

    function init(uint256 capacity, uint256 window, uint256 nowTs) external {
        b.init(capacity, window, nowTs);
    }

    function consume(uint256 amount, uint256 nowTs) external returns (uint256) {
        return b.consume(amount, nowTs);
    }

    function available(uint256 nowTs) external view returns (uint256) {
        return b.available(nowTs);
    }

    function setCapacity(uint256 capacity, uint256 nowTs) external {
        b.setCapacity(capacity, nowTs);
    }

    function setWindow(uint256 window, uint256 nowTs) external {
        b.setWindow(window, nowTs);
    }
}

contract WindowBudgetTest is Test {
    WindowBudgetHarness internal h;

    function setUp() public {
        h = new WindowBudgetHarness();
    }

    /// Random consumption attempts at random times: every interval of length t starting at a
    /// consumption sees at most capacity + capacity * t / window; available never exceeds capacity;
    /// an attempt is refused exactly when it asks for more than available.
    function testFuzz_neverMoreThanRateAllows(
        uint64 capRaw,
        uint32 windowRaw,
        uint32[24] memory dts,
        uint64[24] memory amounts
    ) public {
        uint256 cap = bound(capRaw, 1, type(uint64).max);
        uint256 window = bound(windowRaw, 1, 30 days);
        uint256 t = 1_000_000;
        h.init(cap, window, t);
        uint256[24] memory times;
        uint256[24] memory used;
        uint256 n;
        for (uint256 k = 0; k < 24; ++k) {
            t += bound(dts[k], 0, window);
            uint256 avail = h.available(t);
            assertLe(avail, cap, "available above capacity");
            uint256 amount = bound(amounts[k], 0, cap + cap / 4);
            if (amount > avail) {
                vm.expectRevert(abi.encodeWithSelector(WindowBudget.WindowBudgetExceeded.selector, amount, avail));
                h.consume(amount, t);
                continue;
            }
            assertEq(h.consume(amount, t), avail - amount);
            times[n] = t;
            used[n] = amount;
            ++n;
            // every interval [times[j], t] respects the token-bucket bound
            uint256 sum;
            for (uint256 j = n; j > 0; --j) {
                sum += used[j - 1];
                uint256 span = t - times[j - 1];
                assertLe(sum, cap + (cap * span) / window, "rate bound broken");
                if (span < window) assertLe(sum, 2 * cap, "more than 2x capacity in one window");
            }
        }
    }

    /// Refill is linear (never faster than capacity/window, rounded down), monotone and capped.
    function testFuzz_refillLinearAndCapped(
        uint64 capRaw,
        uint32 windowRaw,
        uint64 usedRaw,
        uint32 dt1,
        uint32 dt2
    ) public {
        uint256 cap = bound(capRaw, 1, type(uint64).max);
        uint256 window = bound(windowRaw, 1, 30 days);
        uint256 amount = bound(usedRaw, 1, cap);
        uint256 t0 = 1_000;
        h.init(cap, window, t0);
        h.consume(amount, t0);
        uint256 a = bound(dt1, 0, 2 * window);
        uint256 b = bound(dt2, a, 2 * window);
        uint256 availA = h.available(t0 + a);
        uint256 availB = h.available(t0 + b);
        assertGe(availB, availA, "refill not monotone");
        assertLe(availB, cap);
        // exactly the floor of the linear refill (independent computation, 512-bit safe at these sizes)
        uint256 refillA = (cap * a) / window;
        assertEq(availA, refillA >= amount ? cap : cap - amount + refillA);
        // at most the linear rate between two times (+1 for the two floors)
        assertLe(availB - availA, (cap * (b - a)) / window + 1);
        // a full window after the last use, everything is back
        assertEq(h.available(t0 + window), cap);
    }

    function test_zeroWindowRejected() public {
        vm.expectRevert(WindowBudget.WindowBudgetZeroWindow.selector);
        h.init(1, 0, 0);
        h.init(1, 1, 0);
        vm.expectRevert(WindowBudget.WindowBudgetZeroWindow.selector);
        h.setWindow(0, 0);
    }

    function test_timeTravelRejected() public {
        h.init(100, 100, 50);
        h.consume(10, 60);
        vm.expectRevert(abi.encodeWithSelector(WindowBudget.WindowBudgetTimeTravel.selector, 59, 60));
        h.available(59);
    }

    /// The 2x burst across a window boundary is real (documented): the bound above is tight.
    function test_burstAcrossWindowIsTwoCapacity() public {
        h.init(1_000, 3_600, 0);
        h.consume(1_000, 0);
        assertEq(h.available(3_599), 999); // floor(1000 * 3599 / 3600)
        h.consume(999, 3_599);
        assertEq(h.available(3_599), 0);
    }

    /// Lowering capacity below what is used leaves nothing available until the refill catches up.
    function testFuzz_setCapacityKeepsUsed(uint64 capRaw, uint64 newCapRaw, uint64 usedRaw) public {
        uint256 cap = bound(capRaw, 1, type(uint64).max);
        uint256 used = bound(usedRaw, 0, cap);
        uint256 newCap = bound(newCapRaw, 0, type(uint64).max);
        h.init(cap, 100, 0);
        h.consume(used, 0);
        h.setCapacity(newCap, 0);
        assertEq(h.available(0), newCap > used ? newCap - used : 0);
        assertEq(h.available(100), newCap);
    }

    function testFuzz_setWindowKeepsUsed(uint64 capRaw, uint64 usedRaw, uint32 w1, uint32 w2, uint32 dt) public {
        uint256 cap = bound(capRaw, 1, type(uint64).max);
        uint256 used = bound(usedRaw, 0, cap);
        uint256 win1 = bound(w1, 1, 30 days);
        uint256 win2 = bound(w2, 1, 30 days);
        uint256 d = bound(dt, 0, win1);
        h.init(cap, win1, 0);
        h.consume(used, 0);
        uint256 before = h.available(d);
        h.setWindow(win2, d);
        assertEq(h.available(d), before);
        assertEq(h.available(d + win2), cap);
    }
}
