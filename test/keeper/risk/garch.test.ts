import { expect } from "chai";
import {
  fitGarch11,
  forecastGarch11,
  InsufficientHistoryError,
  InvalidOptionError,
  NonFiniteInputError,
} from "../../../keeper/risk/index.ts";
import { normalSampler, rng } from "./helpers.ts";

function simulateGarch(T: number, omega: number, alpha: number, beta: number, seed: number): number[] {
  const z = normalSampler(rng(seed));
  let h = omega / (1 - alpha - beta);
  let prev = 0;
  const out: number[] = [];
  for (let t = 0; t < T + 500; t++) {
    if (t > 0) h = omega + alpha * prev * prev + beta * h;
    prev = Math.sqrt(h) * z();
    if (t >= 500) out.push(prev); // burn-in
  }
  return out;
}

describe("GARCH(1,1)", () => {
  it("recovers its parameters from a long simulated series (seeded)", function () {
    this.timeout(20000);
    const truth = { omega: 2e-6, alpha: 0.08, beta: 0.9 };
    const r = simulateGarch(20000, truth.omega, truth.alpha, truth.beta, 2024);
    const fit = fitGarch11(r);
    expect(fit.alpha).to.be.closeTo(truth.alpha, 0.015);
    expect(fit.beta).to.be.closeTo(truth.beta, 0.02);
    expect(fit.alpha + fit.beta).to.be.closeTo(0.98, 0.01);
    expect(fit.longRunVariance / (truth.omega / (1 - 0.98))).to.be.within(0.7, 1.4);
    expect(fit.omega).to.be.greaterThan(0);
    expect(fit.alpha + fit.beta).to.be.lessThan(1);
    // the fitted likelihood beats the true parameters' only by sampling noise and is >= it
    const nll = (o: number, a: number, b: number): number => {
      let h = r.reduce((s, x) => s + x * x, 0) / r.length;
      let ll = 0;
      for (let t = 0; t < r.length; t++) {
        if (t > 0) h = o + a * r[t - 1]! ** 2 + b * h;
        ll -= 0.5 * (Math.log(h) + r[t]! ** 2 / h);
      }
      return ll;
    };
    expect(nll(fit.omega, fit.alpha, fit.beta)).to.be.at.least(
      nll(truth.omega, truth.alpha, truth.beta) - 1e-6,
    );
  });
  it("a second parameter set (low persistence) is recovered too", function () {
    this.timeout(20000);
    const r = simulateGarch(15000, 1e-4, 0.15, 0.6, 7);
    const fit = fitGarch11(r);
    expect(fit.alpha).to.be.closeTo(0.15, 0.03);
    expect(fit.beta).to.be.closeTo(0.6, 0.08);
  });
  it("forecasts mean-revert geometrically to the long-run variance", () => {
    const fit = {
      omega: 1e-5,
      alpha: 0.1,
      beta: 0.85,
      longRunVariance: 2e-4,
      mean: 0,
      nextVariance: 8e-4,
      logLikelihood: 0,
      observations: 1000,
      iterations: 0,
      converged: true,
    };
    const f = forecastGarch11(fit, 50);
    const v = 1e-5 / 0.05;
    for (let h = 0; h < 50; h++)
      expect(f.variances[h]).to.be.closeTo(v + Math.pow(0.95, h) * (8e-4 - v), 1e-15);
    expect(f.cumulativeVariance).to.be.closeTo(
      f.variances.reduce((a, c) => a + c, 0),
      1e-15,
    );
    expect(f.averageVariance).to.be.closeTo(f.cumulativeVariance / 50, 1e-18);
    expect(f.variances[49]! - v).to.be.lessThan(f.variances[0]! - v);
    expect(() => forecastGarch11(fit, 0)).to.throw(InvalidOptionError);
    expect(() => forecastGarch11({ ...fit, alpha: 0.5, beta: 0.6 }, 5)).to.throw(InvalidOptionError);
  });
  it("drops NaN, rejects Infinity and short series", () => {
    expect(() => fitGarch11(new Array(50).fill(0.01))).to.throw(InsufficientHistoryError);
    const r = simulateGarch(300, 1e-5, 0.1, 0.8, 3);
    expect(() => fitGarch11([...r, Infinity])).to.throw(NonFiniteInputError);
    const withNaN = [...r.slice(0, 100), NaN, ...r.slice(100)];
    expect(fitGarch11(withNaN).observations).to.equal(300);
  });
});
