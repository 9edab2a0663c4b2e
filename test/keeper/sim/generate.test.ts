import { expect } from "chai";
import { DEFAULT_ASSETS, DEFAULT_STRESS, generatePath } from "../../../keeper/sim/generate.ts";
import { daysBetween, logReturns } from "../../../keeper/sim/path.ts";

/** |actual - expected| <= tol (chai's closeTo is replaced by hardhat's bigint matcher when both run together). */
function near(actual: number | undefined, expected: number, tol: number, what = ""): void {
  expect(actual, what).to.be.a("number");
  expect(Math.abs((actual as number) - expected), `${what} ${actual} vs ${expected}`).to.be.at.most(tol);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
function corr(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < xs.length; k++) {
    const dx = (xs[k] as number) - mx;
    const dy = (ys[k] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
function stdev(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

describe("sim: regime-switching path generator", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generatePath({ assets: DEFAULT_ASSETS, days: 400, seed: 7 });
    const b = generatePath({ assets: DEFAULT_ASSETS, days: 400, seed: 7 });
    const c = generatePath({ assets: DEFAULT_ASSETS, days: 400, seed: 8 });
    expect(a).to.deep.equal(b);
    expect(a.prices).to.not.deep.equal(c.prices);
  });

  it("produces consecutive daily dates and positive prices for N assets", () => {
    const p = generatePath({
      assets: DEFAULT_ASSETS.slice(0, 3),
      days: 500,
      seed: 1,
      startDate: "2023-12-30",
    });
    expect(p.symbols).to.deep.equal(["WETH", "WBTC", "LINK"]);
    expect(p.dates).to.have.length(500);
    expect(p.dates[2]).to.equal("2024-01-01");
    for (let t = 1; t < p.dates.length; t++)
      expect(daysBetween(p.dates[t - 1] as string, p.dates[t] as string)).to.equal(1);
    for (const row of p.prices)
      for (const x of row) expect(x).to.be.greaterThan(0).and.lessThan(Number.POSITIVE_INFINITY);
    expect(p.prices[0]).to.deep.equal([3000, 60000, 15]);
  });

  it("has higher correlation and volatility in stress than in calm, near the regime parameters", () => {
    const days = 6000;
    const p = generatePath({ assets: DEFAULT_ASSETS, days, seed: 42, crash: null });
    const rets = logReturns(p);
    const regimes = p.regimes ?? [];
    const calmIdx: number[] = [];
    const stressIdx: number[] = [];
    rets.forEach((_, k) => (regimes[k + 1] === "stress" ? stressIdx : calmIdx).push(k));
    expect(calmIdx.length).to.be.greaterThan(1000);
    expect(stressIdx.length).to.be.greaterThan(300);
    const pairCorr = (idx: number[]): number => {
      const cs: number[] = [];
      for (let i = 0; i < 4; i++)
        for (let j = i + 1; j < 4; j++)
          cs.push(
            corr(
              idx.map((k) => (rets[k] as number[])[i] as number),
              idx.map((k) => (rets[k] as number[])[j] as number),
            ),
          );
      return mean(cs);
    };
    const calmCorr = pairCorr(calmIdx);
    const stressCorr = pairCorr(stressIdx);
    near(calmCorr, 0.35, 0.08);
    near(stressCorr, 0.85, 0.06);
    expect(stressCorr - calmCorr).to.be.greaterThan(0.35);
    // Volatility scales by the stress multiplier for every asset; annualised calm vol near the spec.
    for (let i = 0; i < 4; i++) {
      const calmVol = stdev(calmIdx.map((k) => (rets[k] as number[])[i] as number)) * Math.sqrt(365);
      const stressVol = stdev(stressIdx.map((k) => (rets[k] as number[])[i] as number)) * Math.sqrt(365);
      near(calmVol, (DEFAULT_ASSETS[i] as { annualVol: number }).annualVol, 0.08);
      near(stressVol / calmVol, DEFAULT_STRESS.volMultiplier, 0.3);
    }
  });

  it("puts a crash on the chosen day: the worst day of the basket, followed by forced stress", () => {
    const p = generatePath({
      assets: DEFAULT_ASSETS,
      days: 400,
      seed: 3,
      crash: { day: 200, drop: 0.4, stressDays: 20 },
    });
    const rets = logReturns(p);
    const basket = rets.map((r) => mean(r));
    const worst = basket.indexOf(Math.min(...basket));
    expect(worst + 1).to.equal(200);
    expect(Math.exp(basket[199] as number) - 1).to.be.lessThan(-0.3);
    for (let t = 200; t <= 220; t++) expect(p.regimes?.[t]).to.equal("stress");
  });

  it("rejects invalid options", () => {
    expect(() => generatePath({ assets: [], days: 10, seed: 1 })).to.throw(/at least one asset/);
    expect(() => generatePath({ assets: DEFAULT_ASSETS, days: 1, seed: 1 })).to.throw(/days/);
    expect(() => generatePath({ assets: DEFAULT_ASSETS, days: 10, seed: 1.5 })).to.throw(/seed/);
    expect(() =>
      generatePath({ assets: DEFAULT_ASSETS, days: 10, seed: 1, stress: { correlation: 1 } }),
    ).to.throw(/correlation/);
    expect(() =>
      generatePath({
        assets: DEFAULT_ASSETS,
        days: 10,
        seed: 1,
        crash: { day: 10, drop: 0.3, stressDays: 1 },
      }),
    ).to.throw(/crash.day/);
  });
});
