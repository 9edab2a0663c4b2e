// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// forge-std's Test.sol pulls in safeconsole.sol (428 KB of source); the slim base keeps this test's
// compilation input well under the wasm solc's ~1.3 MB input limit (see docs/options-venue.md).
import {StdAssertions} from "forge-std/StdAssertions.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {BlackScholesLib} from "../../../contracts/options/libraries/BlackScholesLib.sol";
import {SD59x18, exp} from "@prb/math/src/SD59x18.sol";

/// Property tests of the on-chain Black-Scholes: CDF shape, no-arbitrage bounds, put-call parity,
/// monotonicity in strike and volatility.
contract BlackScholesTest is StdAssertions, StdUtils {
    uint256 internal constant ONE = 1e18;

    function _inputs(
        uint256 spot,
        uint256 strikeRatio,
        uint256 tau,
        uint256 vol,
        uint256 rate
    ) internal pure returns (BlackScholesLib.Inputs memory p) {
        p.spot = bound(spot, 1e15, 1e24); // 0.001 .. 1,000,000 USD
        p.strike = (p.spot * bound(strikeRatio, 0.25e18, 4e18)) / ONE;
        p.tau = bound(tau, 1 hours, 2 * 365 days);
        p.volatility = bound(vol, 0.05e18, 3e18);
        p.rate = bound(rate, 0, 0.2e18);
    }

    function _discountedStrike(BlackScholesLib.Inputs memory p) internal pure returns (uint256) {
        int256 t = int256((p.tau * ONE) / 365 days);
        return (p.strike * uint256(exp(SD59x18.wrap(-(int256(p.rate) * t) / 1e18)).unwrap())) / ONE;
    }

    /// N is monotone and N(x) + N(-x) = 1 exactly.
    function testFuzz_cdfMonotoneAndSymmetric(int256 a, int256 b) public pure {
        a = bound(a, -12e18, 12e18);
        b = bound(b, -12e18, 12e18);
        if (a > b) (a, b) = (b, a);
        assertLe(BlackScholesLib.cdf(a), BlackScholesLib.cdf(b));
        assertEq(BlackScholesLib.cdf(a) + BlackScholesLib.cdf(-a), ONE);
        assertLe(BlackScholesLib.cdf(b), ONE);
    }

    /// max(S - K e^{-rT}, 0) <= C <= S and max(K e^{-rT} - S, 0) <= P <= K e^{-rT} (within 1e-12 relative).
    function testFuzz_noArbitrageBounds(
        uint256 spot,
        uint256 ratio,
        uint256 tau,
        uint256 vol,
        uint256 rate
    ) public pure {
        BlackScholesLib.Inputs memory p = _inputs(spot, ratio, tau, vol, rate);
        uint256 kd = _discountedStrike(p);
        uint256 call = BlackScholesLib.price(p, true);
        uint256 put = BlackScholesLib.price(p, false);
        uint256 tol = (p.spot + p.strike) / 1e12 + 10;
        assertLe(call, p.spot + tol);
        assertLe(put, kd + tol);
        assertGe(call + tol, p.spot > kd ? p.spot - kd : 0);
        assertGe(put + tol, kd > p.spot ? kd - p.spot : 0);
    }

    /// C - P = S - K e^{-rT} within 1e-9 of max(S, K).
    function testFuzz_putCallParity(uint256 spot, uint256 ratio, uint256 tau, uint256 vol, uint256 rate) public pure {
        BlackScholesLib.Inputs memory p = _inputs(spot, ratio, tau, vol, rate);
        int256 lhs = int256(BlackScholesLib.price(p, true)) - int256(BlackScholesLib.price(p, false));
        int256 rhs = int256(p.spot) - int256(_discountedStrike(p));
        uint256 scale = p.spot > p.strike ? p.spot : p.strike;
        assertApproxEqAbs(lhs, rhs, scale / 1e9 + 10);
    }

    /// Puts rise with strike, calls fall with strike; both rise with volatility (within rounding).
    function testFuzz_monotone(uint256 spot, uint256 ratio, uint256 tau, uint256 vol, uint256 bump) public pure {
        BlackScholesLib.Inputs memory p = _inputs(spot, ratio, tau, vol, 0);
        BlackScholesLib.Inputs memory q = _inputs(spot, ratio, tau, vol, 0);
        q.strike = p.strike + (p.strike * bound(bump, 1e15, 0.5e18)) / ONE; // +0.1% .. +50%
        uint256 tol = p.spot / 1e14 + 2;
        assertGe(BlackScholesLib.price(q, false) + tol, BlackScholesLib.price(p, false));
        assertLe(BlackScholesLib.price(q, true), BlackScholesLib.price(p, true) + tol);
        BlackScholesLib.Inputs memory v = _inputs(spot, ratio, tau, vol, 0);
        v.volatility = p.volatility + (p.volatility * bound(bump, 1e15, 0.5e18)) / ONE;
        assertGe(BlackScholesLib.price(v, true) + tol, BlackScholesLib.price(p, true));
        assertGe(BlackScholesLib.price(v, false) + tol, BlackScholesLib.price(p, false));
    }

    /// Delta lies in [0, 1] for calls and [-1, 0] for puts, and call delta - put delta = 1.
    function testFuzz_deltaBounds(uint256 spot, uint256 ratio, uint256 tau, uint256 vol, uint256 rate) public pure {
        BlackScholesLib.Inputs memory p = _inputs(spot, ratio, tau, vol, rate);
        int256 dc = BlackScholesLib.delta(p, true);
        int256 dp = BlackScholesLib.delta(p, false);
        assertGe(dc, 0);
        assertLe(dc, 1e18);
        assertGe(dp, -1e18);
        assertLe(dp, 0);
        assertEq(dc - dp, 1e18);
    }
}
