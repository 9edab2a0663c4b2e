import { expect } from "chai";
import fc from "fast-check";
import { generatePath, DEFAULT_ASSETS } from "../../../keeper/sim/generate.ts";
import {
  annualisedReturn,
  annualisedVolatility,
  constantMixBenchmark,
  dispersion,
  drawdownSeries,
  maxDrawdown,
  riskContributionsAt,
  totalReturn,
} from "../../../keeper/sim/metrics.ts";

/** |actual - expected| <= tol (chai's closeTo is replaced by hardhat's bigint matcher when both run together). */
function near(actual: number | undefined, expected: number, tol: number, what = ""): void {
  expect(actual, what).to.be.a("number");
  expect(Math.abs((actual as number) - expected), `${what} ${actual} vs ${expected}`).to.be.at.most(tol);
}

describe("sim: run metrics", () => {
  it("returns and drawdowns on a hand-made series", () => {
    const v = [100, 120, 90, 135, 108];
    near(totalReturn(v), 0.08, 1e-12);
    expect(drawdownSeries(v)).to.deep.equal([0, 0, 90 / 120 - 1, 0, 108 / 135 - 1]);
    near(maxDrawdown(v), 0.25, 1e-12);
    near(annualisedReturn([100, 121], 730), 0.1, 1e-12);
  });

  it("max drawdown is in [0, 1) and zero for a non-decreasing series (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (xs) => {
          const dd = maxDrawdown(xs);
          expect(dd).to.be.at.least(0).and.lessThan(1);
          expect(maxDrawdown([...xs].sort((a, b) => a - b))).to.equal(0);
        },
      ),
    );
  });

  it("annualised volatility recovers the generator's volatility, and counts gaps as days", () => {
    const p = generatePath({
      assets: [{ symbol: "A", initialPrice: 100, annualVol: 0.5, annualDrift: 0 }],
      days: 4000,
      seed: 11,
      crash: null,
      stress: { volMultiplier: 1, correlation: 0, driftShift: 0, meanDurationDays: 1 },
    });
    const v = p.prices.map((r) => r[0] as number);
    near(annualisedVolatility(v, p.dates), 0.5, 0.03);
    // Keep every other day: the same process sampled every 2 days has the same annualised vol.
    const idx = v.map((_, i) => i).filter((i) => i % 2 === 0);
    near(
      annualisedVolatility(
        idx.map((i) => v[i] as number),
        idx.map((i) => p.dates[i] as string),
      ),
      0.5,
      0.04,
    );
    expect(() => annualisedVolatility([1, 2], ["2020-01-01"])).to.throw(/length/);
  });

  it("constant-mix benchmark: all-in one asset tracks that asset; cash stays flat", () => {
    const p = generatePath({ assets: DEFAULT_ASSETS, days: 50, seed: 5 });
    const btc = constantMixBenchmark(p, [0, 1, 0, 0], 7, 1000);
    p.prices.forEach((row, t) => near(btc[t], (1000 * (row[1] as number)) / 60000, 1e-6));
    expect(constantMixBenchmark(p, [0, 0, 0, 0], 7, 1000).every((x) => x === 1000)).to.equal(true);
  });

  it("risk contributions sum to one, are equal for identical assets, and undefined without history", () => {
    const p = generatePath({ assets: DEFAULT_ASSETS, days: 120, seed: 9 });
    const rc = riskContributionsAt(p, 100, [0.25, 0.25, 0.25, 0.25]);
    expect(rc).to.not.equal(undefined);
    near(
      (rc as number[]).reduce((s, x) => s + x, 0),
      1,
      1e-9,
    );
    expect(riskContributionsAt(p, 5, [0.25, 0.25, 0.25, 0.25])).to.equal(undefined);
    const twin = { ...p, symbols: ["A", "B"], prices: p.prices.map((r) => [r[0] as number, r[0] as number]) };
    const rcTwin = riskContributionsAt(twin, 100, [0.5, 0.5]) as number[];
    near(rcTwin[0], 0.5, 1e-9);
    near(dispersion(rcTwin), 0, 1e-9);
    near(dispersion([0.1, 0.5, 0.4]), 0.4, 1e-12);
  });
});
