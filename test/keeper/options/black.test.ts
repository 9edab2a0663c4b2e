import { expect } from "chai";
import fc from "fast-check";
import {
  black76,
  blackScholes,
  normCdf,
  normInv,
  erfc,
  OptionInputError,
  type Greeks,
  type OptionType,
} from "../../../keeper/options/index.ts";

const NUM_RUNS = 300;

/** Richardson-extrapolated central difference: O(h^4) truncation error. */
function derivative(f: (x: number) => number, x: number, h: number): number {
  const d = (k: number) => (f(x + k) - f(x - k)) / (2 * k);
  return (4 * d(h / 2) - d(h)) / 3;
}

const params = fc.record({
  forward: fc.double({ min: 10, max: 1e5, noNaN: true }),
  logMoneyness: fc.double({ min: -1, max: 1, noNaN: true }),
  timeToExpiry: fc.double({ min: 1 / (365 * 24), max: 3, noNaN: true }),
  volatility: fc.double({ min: 0.05, max: 3, noNaN: true }),
  rate: fc.double({ min: -0.05, max: 0.1, noNaN: true }),
  type: fc.constantFrom<OptionType>("call", "put"),
});

function close(actual: number, expected: number, rel: number, abs: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).to.be.at.most(
    rel * Math.abs(expected) + abs,
  );
}

describe("normal distribution", () => {
  it("N(x) + N(-x) = 1 and N agrees with erfc where the argument scaling is exact", () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).to.be.at.most(2.3e-16);
        const y = Math.abs(x) * Math.SQRT2; // N(-y) = erfc(|x|)/2 up to the rounding of y (y^2 eps)
        close(normCdf(-y), 0.5 * erfc(Math.abs(x)), 4e-15 + 4 * y * y * Number.EPSILON, 0, "tail");
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it("matches known high-precision tail values (Abramowitz-Stegun tables / mpmath)", () => {
    // Reference values of N(-x), 21 significant digits, from mpmath 1.3.0 ncdf at 40 digits
    // (python3 -c "import mpmath as m; m.mp.dps=40; print(m.ncdf(-37))").
    /* eslint-disable no-loss-of-precision -- 21-digit references, compared at 1e-14 */
    const ref: [number, number][] = [
      [1, 0.158655253931457051415],
      [5, 2.86651571879193911674e-7],
      [10, 7.61985302416052606597e-24],
      [20, 2.75362411860623369508e-89],
      [37, 5.72557122252457682268e-300],
    ];
    /* eslint-enable no-loss-of-precision */
    for (const [x, p] of ref) close(normCdf(-x), p, 1e-14, 0, `N(-${x})`);
  });
  it("normInv inverts normCdf to 1e-14 relative", () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 0, noNaN: true }), (x) => {
        close(normInv(normCdf(x)), x, 1e-13, 1e-15, "normInv");
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("black76", () => {
  it("put-call parity: C - P = D (F - K) to 1e-12 max(F, K)", () => {
    fc.assert(
      fc.property(params, (p) => {
        const K = p.forward * Math.exp(p.logMoneyness);
        const base = {
          forward: p.forward,
          strike: K,
          timeToExpiry: p.timeToExpiry,
          volatility: p.volatility,
          rate: p.rate,
        };
        const c = black76({ ...base, type: "call" });
        const q = black76({ ...base, type: "put" });
        const D = Math.exp(-p.rate * p.timeToExpiry);
        expect(Math.abs(c.price - q.price - D * (p.forward - K))).to.be.at.most(
          1e-12 * Math.max(p.forward, K),
        );
        expect(Math.abs(c.delta - q.delta - D)).to.be.at.most(1e-12);
        expect(Math.abs(c.gamma - q.gamma)).to.be.at.most(1e-12 * Math.abs(c.gamma));
        expect(Math.abs(c.vega - q.vega)).to.be.at.most(1e-12 * Math.abs(c.vega));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("Greeks equal finite differences of the price to 1e-6 relative", () => {
    fc.assert(
      fc.property(params, (p) => {
        const K = p.forward * Math.exp(p.logMoneyness);
        const at = (
          o: Partial<{ forward: number; timeToExpiry: number; volatility: number; rate: number }>,
        ): Greeks =>
          black76({
            forward: p.forward,
            strike: K,
            timeToExpiry: p.timeToExpiry,
            volatility: p.volatility,
            rate: p.rate,
            type: p.type,
            ...o,
          });
        const g = at({});
        const s = p.volatility * Math.sqrt(p.timeToExpiry);
        const hF = 0.004 * p.forward * Math.min(s, 1);
        const floor = 1e-11 * p.forward; // absolute floor for Greeks that are essentially zero
        close(
          g.delta,
          derivative((F) => at({ forward: F }).price, p.forward, hF),
          1e-6,
          floor / p.forward,
          "delta",
        );
        close(
          g.gamma,
          derivative((F) => at({ forward: F }).delta, p.forward, hF),
          1e-6,
          floor / (p.forward * p.forward * Math.min(s, 1)),
          "gamma",
        );
        close(
          g.vega,
          0.01 * derivative((v) => at({ volatility: v }).price, p.volatility, 0.004 * p.volatility),
          1e-6,
          floor,
          "vega",
        );
        close(
          g.theta,
          -derivative((T) => at({ timeToExpiry: T }).price, p.timeToExpiry, 0.004 * p.timeToExpiry) / 365,
          1e-6,
          floor,
          "theta",
        );
        close(g.rho, 0.01 * derivative((r) => at({ rate: r }).price, p.rate, 1e-3), 1e-6, floor, "rho");
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("prices are within no-arbitrage bounds and monotone in volatility", () => {
    fc.assert(
      fc.property(params, fc.double({ min: 1.001, max: 2, noNaN: true }), (p, bump) => {
        const K = p.forward * Math.exp(p.logMoneyness);
        const base = {
          forward: p.forward,
          strike: K,
          timeToExpiry: p.timeToExpiry,
          rate: p.rate,
          type: p.type,
        };
        const g = black76({ ...base, volatility: p.volatility });
        const D = Math.exp(-p.rate * p.timeToExpiry);
        const intrinsic = p.type === "call" ? Math.max(p.forward - K, 0) : Math.max(K - p.forward, 0);
        expect(g.price).to.be.at.least(D * intrinsic * (1 - 1e-15));
        expect(g.price).to.be.at.most(D * (p.type === "call" ? p.forward : K));
        expect(black76({ ...base, volatility: p.volatility * bump }).price).to.be.at.least(g.price);
        expect(g.gamma).to.be.at.least(0);
        expect(g.vega).to.be.at.least(0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("never returns NaN for any finite valid input (including T = 0, vol = 0, extreme moneyness)", () => {
    const anyPositive = fc.double({
      min: Number.MIN_VALUE,
      max: 1e300,
      noNaN: true,
      noDefaultInfinity: true,
    });
    const anyNonNegative = fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(
        anyPositive,
        anyPositive,
        anyNonNegative,
        anyNonNegative,
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.constantFrom<OptionType>("call", "put"),
        (F, K, T, v, r, type) => {
          let g: Greeks;
          try {
            g = black76({ forward: F, strike: K, timeToExpiry: T, volatility: v, rate: r, type });
          } catch (e) {
            // only a discount factor overflow may be refused, with a typed error
            expect(e).to.be.instanceOf(OptionInputError);
            return;
          }
          for (const [k, val] of Object.entries(g))
            expect(Number.isNaN(val), `${k} NaN for ${F} ${K} ${T} ${v} ${r} ${type}`).to.equal(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("zero volatility with a huge discount factor and huge forward x strike: vega is 0, not Infinity x 0 = NaN", () => {
    // found by the property above (seed 1667214179): D = e^457, sqrt(F K) ~ 1.8e111 overflow together
    const g = black76({
      forward: 1.4105920341420403e90,
      strike: 2.2492157373399832e133,
      timeToExpiry: 457.07234966408276,
      volatility: 0,
      rate: -0.9999999999999994,
      type: "call",
    });
    expect(g.vega).to.equal(0);
    for (const [k, val] of Object.entries(g)) expect(Number.isNaN(val), k).to.equal(false);
  });

  it("limits: expired and zero-vol options are worth discounted intrinsic value", () => {
    const e = black76({ forward: 110, strike: 100, timeToExpiry: 0, volatility: 0.5, type: "call" });
    expect(e.price).to.equal(10);
    expect(e.delta).to.equal(1);
    const z = black76({ forward: 90, strike: 100, timeToExpiry: 1, volatility: 0, rate: 0.05, type: "put" });
    expect(z.price).to.be.closeTo(10 * Math.exp(-0.05), 1e-12);
    const tiny = black76({ forward: 100, strike: 100, timeToExpiry: 1e-12, volatility: 0.5, type: "call" });
    expect(tiny.delta).to.be.closeTo(0.5, 1e-6);
    expect(
      black76({ forward: 1, strike: 1e6, timeToExpiry: 1, volatility: 0.2, type: "call" }).price,
    ).to.equal(0);
  });

  it("rejects invalid inputs with typed errors", () => {
    const ok = { forward: 100, strike: 100, timeToExpiry: 1, volatility: 0.5, type: "call" as const };
    const bad: [Record<string, unknown>, string][] = [
      [{ forward: 0 }, "forward"],
      [{ forward: Number.NaN }, "forward"],
      [{ strike: -1 }, "strike"],
      [{ timeToExpiry: -1e-9 }, "timeToExpiry"],
      [{ volatility: Number.POSITIVE_INFINITY }, "volatility"],
      [{ rate: Number.NaN }, "rate"],
      [{ type: "straddle" }, "type"],
    ];
    for (const [patch, field] of bad) {
      expect(() => black76({ ...ok, ...patch } as never))
        .to.throw(OptionInputError)
        .with.property("field", field);
    }
  });
});

describe("blackScholes", () => {
  it("equals black76 on the forward S e^{bT}; Greeks match finite differences in spot", () => {
    fc.assert(
      fc.property(params, fc.double({ min: -0.1, max: 0.1, noNaN: true }), (p, carry) => {
        const S = p.forward;
        const K = S * Math.exp(p.logMoneyness);
        const at = (
          o: Partial<{ spot: number; timeToExpiry: number; volatility: number; rate: number; carry: number }>,
        ): Greeks =>
          blackScholes({
            spot: S,
            strike: K,
            timeToExpiry: p.timeToExpiry,
            volatility: p.volatility,
            rate: p.rate,
            carry,
            type: p.type,
            ...o,
          });
        const g = at({});
        const b76 = black76({
          forward: S * Math.exp(carry * p.timeToExpiry),
          strike: K,
          timeToExpiry: p.timeToExpiry,
          volatility: p.volatility,
          rate: p.rate,
          type: p.type,
        });
        close(g.price, b76.price, 1e-13, 1e-13 * S, "price");
        const s = p.volatility * Math.sqrt(p.timeToExpiry);
        const hS = 0.004 * S * Math.min(s, 1);
        const floor = 1e-11 * S;
        close(
          g.delta,
          derivative((x) => at({ spot: x }).price, S, hS),
          1e-6,
          floor / S,
          "delta",
        );
        close(
          g.gamma,
          derivative((x) => at({ spot: x }).delta, S, hS),
          1e-6,
          floor / (S * S * Math.min(s, 1)),
          "gamma",
        );
        close(
          g.theta,
          -derivative((T) => at({ timeToExpiry: T }).price, p.timeToExpiry, 0.004 * p.timeToExpiry) / 365,
          1e-6,
          floor,
          "theta",
        );
        // rho with the yield r - b fixed: move rate and carry together
        const rhoFd =
          0.01 * derivative((r) => at({ rate: r, carry: carry + (r - p.rate) }).price, p.rate, 1e-3);
        close(g.rho, rhoFd, 1e-6, floor, "rho");
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it("textbook value: S=100, K=100, T=1, r=5%, sigma=20%, call = 10.4506", () => {
    const g = blackScholes({
      spot: 100,
      strike: 100,
      timeToExpiry: 1,
      volatility: 0.2,
      rate: 0.05,
      carry: 0.05,
      type: "call",
    });
    expect(g.price).to.be.closeTo(10.450583572185565, 1e-9); // Hull, Options Futures and Other Derivatives
    expect(g.delta).to.be.closeTo(0.6368306511756191, 1e-9);
  });
});
