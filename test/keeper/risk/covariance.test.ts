import { expect } from "chai";
import fc from "fast-check";
import {
  type CovarianceOptions,
  DimensionError,
  estimateCovariance,
  InsufficientHistoryError,
  InvalidOptionError,
  NonFiniteInputError,
  symmetricEigen,
  ZeroVarianceError,
} from "../../../keeper/risk/index.ts";
import { normalSampler, rng } from "./helpers.ts";

/** Correlated Gaussian returns (daily scale), T x n, with optional NaN holes. */
function simulate(T: number, n: number, seed: number, holeRate = 0): number[][] {
  const r = rng(seed);
  const z = normalSampler(r);
  const vols = Array.from({ length: n }, (_, i) => 0.02 + 0.01 * i);
  const rows: number[][] = [];
  for (let t = 0; t < T; t++) {
    const common = z();
    rows.push(vols.map((v) => (r() < holeRate ? NaN : v * (0.6 * common + 0.8 * z()))));
  }
  return rows;
}

const A = 365;

describe("estimateCovariance: sample", () => {
  it("matches the textbook unbiased estimator on complete data (annualised)", () => {
    const X = simulate(300, 4, 1);
    const res = estimateCovariance(X, { method: "sample" });
    const T = X.length;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const mi = X.reduce((a, r) => a + r[i]!, 0) / T;
        const mj = X.reduce((a, r) => a + r[j]!, 0) / T;
        const c = X.reduce((a, r) => a + (r[i]! - mi) * (r[j]! - mj), 0) / (T - 1);
        expect(res.covariance.data[i * 4 + j]).to.be.closeTo(c * A, 1e-12 * A);
      }
      expect(res.volatilities[i]).to.be.closeTo(Math.sqrt(res.covariance.data[i * 5]!), 1e-15);
    }
    expect(res.observations).to.equal(300);
    expect(res.repaired).to.equal(false);
    expect(res.conditionNumber).to.be.greaterThan(1);
  });
  it("annualization 252 and 250 scale the same estimate; anything else is rejected", () => {
    const X = simulate(100, 3, 2);
    const a = estimateCovariance(X, { method: "sample" });
    const b = estimateCovariance(X, { method: "sample", annualization: 252 });
    const c = estimateCovariance(X, { method: "sample", annualization: 250 });
    expect(b.covariance.data[0]! / a.covariance.data[0]!).to.be.closeTo(252 / 365, 1e-14);
    expect(c.covariance.data[1]! / a.covariance.data[1]!).to.be.closeTo(250 / 365, 1e-14);
    expect(() => estimateCovariance(X, { method: "sample", annualization: 260 })).to.throw(
      InvalidOptionError,
      /365, 252 or 250/,
    );
  });
  it("uses pairwise-complete observations for NaN (never zero-filling)", () => {
    const X = simulate(400, 3, 3, 0.2);
    const res = estimateCovariance(X, { method: "sample" });
    // reference: pair (0, 1) on rows where both are present
    const rows = X.filter((r) => !Number.isNaN(r[0]!) && !Number.isNaN(r[1]!));
    const m0 = rows.reduce((a, r) => a + r[0]!, 0) / rows.length;
    const m1 = rows.reduce((a, r) => a + r[1]!, 0) / rows.length;
    const c01 = rows.reduce((a, r) => a + (r[0]! - m0) * (r[1]! - m1), 0) / (rows.length - 1);
    expect(res.covariance.data[1]).to.be.closeTo(c01 * A, 1e-10 * A);
    expect(res.pairObservations[1]).to.equal(rows.length);
    // zero-filling would give a visibly different (smaller) covariance
    const filled = X.map((r) => r.map((v) => (Number.isNaN(v) ? 0 : v)));
    const zf = estimateCovariance(filled, { method: "sample" });
    expect(Math.abs(zf.covariance.data[1]! - res.covariance.data[1]!)).to.be.greaterThan(
      0.05 * Math.abs(res.covariance.data[1]!),
    );
    // observations = the smallest pair count
    const own0 = X.filter((r) => !Number.isNaN(r[0]!)).length;
    expect(res.observations).to.be.at.most(own0);
  });
  it("repairs a pairwise estimate that is not PSD and reports it, keeping variances", () => {
    // x1 = x2 on block A, x2 = x3 on block B, x1 = -x3 on block C: pairwise rho 1, 1, -1
    const z = normalSampler(rng(4));
    const X: number[][] = [];
    for (let t = 0; t < 30; t++) {
      const v = z() * 0.03;
      if (t < 10) X.push([v, v, NaN]);
      else if (t < 20) X.push([NaN, v, v]);
      else X.push([v, NaN, -v]);
    }
    const res = estimateCovariance(X, { method: "sample" });
    expect(res.repaired).to.equal(true);
    expect(res.minEigenvalueBeforeRepair).to.be.lessThan(0);
    const ev = symmetricEigen(res.covariance.data, 3, false).values;
    expect(ev[0]!).to.be.greaterThan(0);
    expect(res.conditionNumber).to.be.closeTo(ev[2]! / ev[0]!, 1e-6 * res.conditionNumber);
    // variances equal the per-asset sample variances
    for (let i = 0; i < 3; i++) {
      const xs = X.map((r) => r[i]!).filter((v) => !Number.isNaN(v));
      const m = xs.reduce((a, c) => a + c, 0) / xs.length;
      const v = xs.reduce((a, c) => a + (c - m) ** 2, 0) / (xs.length - 1);
      expect(res.covariance.data[i * 4]).to.be.closeTo(v * A, 1e-9 * v * A);
    }
  });
  it("raises typed errors: ragged rows, Infinity, too little history, zero variance", () => {
    expect(() => estimateCovariance([[0.01, 0.02], [0.01]], { method: "sample" })).to.throw(DimensionError);
    expect(() =>
      estimateCovariance(
        [
          [0.01, Infinity],
          [0.02, 0.01],
          [0.0, 0.1],
        ],
        { method: "sample" },
      ),
    ).to.throw(NonFiniteInputError, /row 0, column 1/);
    expect(() => estimateCovariance([[0.01, 0.02]], { method: "sample" })).to.throw(InsufficientHistoryError);
    expect(() => estimateCovariance(simulate(50, 2, 5), { method: "sample", minObservations: 60 })).to.throw(
      InsufficientHistoryError,
      /60/,
    );
    const flat = simulate(50, 2, 6).map((r) => [r[0]!, 0.001]);
    expect(() => estimateCovariance(flat, { method: "sample" })).to.throw(ZeroVarianceError, /asset 1/);
    expect(() => estimateCovariance([], { method: "sample" })).to.throw(InsufficientHistoryError);
    // pairs that never overlap
    const disjoint = [
      [0.01, NaN],
      [0.02, NaN],
      [NaN, 0.01],
      [NaN, 0.03],
      [-0.01, NaN],
      [NaN, -0.02],
    ];
    expect(() => estimateCovariance(disjoint, { method: "sample" })).to.throw(InsufficientHistoryError);
    expect(() => estimateCovariance(simulate(20, 2, 1), { method: "ewma" } as CovarianceOptions)).to.throw(
      InvalidOptionError,
    );
    expect(() => estimateCovariance(simulate(20, 2, 1), { method: "ewma", halfLife: -1 })).to.throw(
      InvalidOptionError,
    );
    expect(() =>
      estimateCovariance(simulate(20, 2, 1), { method: "nope" } as unknown as CovarianceOptions),
    ).to.throw(InvalidOptionError);
  });
  it("accepts Float64Array rows", () => {
    const X = simulate(60, 3, 7);
    const a = estimateCovariance(X, { method: "sample" });
    const b = estimateCovariance(
      X.map((r) => Float64Array.from(r)),
      { method: "sample" },
    );
    expect(Array.from(b.covariance.data)).to.deep.equal(Array.from(a.covariance.data));
  });
});

describe("estimateCovariance: EWMA and iterated EWMA vs direct computation", () => {
  it("ewma equals sum_t w_t r_i r_j / sum_t w_t with w_t = lambda^(T-1-t) (pairwise with NaN)", () => {
    const X = simulate(250, 3, 8, 0.1);
    const hl = 20;
    const lambda = Math.pow(0.5, 1 / hl);
    const res = estimateCovariance(X, { method: "ewma", halfLife: hl });
    const viaLambda = estimateCovariance(X, { method: "ewma", lambda });
    const T = X.length;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let num = 0;
        let den = 0;
        for (let t = 0; t < T; t++) {
          const a = X[t]![i]!;
          const b = X[t]![j]!;
          if (Number.isNaN(a) || Number.isNaN(b)) continue;
          const w = Math.pow(lambda, T - 1 - t);
          num += w * a * b;
          den += w;
        }
        const expected = (num / den) * A;
        // repaired matrices keep variances but may move covariances: this input is PSD
        expect(res.repaired).to.equal(false);
        expect(res.covariance.data[i * 3 + j]).to.be.closeTo(expected, 1e-12 * Math.abs(expected) + 1e-18);
        expect(viaLambda.covariance.data[i * 3 + j]).to.be.closeTo(
          expected,
          1e-12 * Math.abs(expected) + 1e-18,
        );
      }
    }
  });
  it("iterated ewma: EWMA vols, returns standardised by the previous vol, EWMA correlation, rescaled", () => {
    const X = simulate(300, 3, 9, 0.05);
    const hv = 10;
    const hc = 40;
    const res = estimateCovariance(X, {
      method: "iterated-ewma",
      volatilityHalfLife: hv,
      correlationHalfLife: hc,
    });
    const lv = Math.pow(0.5, 1 / hv);
    const lc = Math.pow(0.5, 1 / hc);
    const T = X.length;
    const n = 3;
    // direct: vol path per asset
    const volBefore: number[][] = []; // volBefore[t][i] = EWMA vol from periods < t (NaN if none)
    const S = new Array<number>(n).fill(0);
    const W = new Array<number>(n).fill(0);
    for (let t = 0; t < T; t++) {
      volBefore.push(S.map((s, i) => (W[i]! > 0 ? Math.sqrt(s / W[i]!) : NaN)));
      for (let i = 0; i < n; i++) {
        S[i] = S[i]! * lv;
        W[i] = W[i]! * lv;
        const x = X[t]![i]!;
        if (!Number.isNaN(x)) {
          S[i] = S[i]! + (1 - lv) * x * x;
          W[i] = W[i]! + (1 - lv);
        }
      }
    }
    const volNow = S.map((s, i) => Math.sqrt(s / W[i]!));
    for (let i = 0; i < n; i++) {
      expect(res.volatilities[i]).to.be.closeTo(volNow[i]! * Math.sqrt(A), 1e-12);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        let sxy = 0;
        let sxx = 0;
        let syy = 0;
        for (let t = 0; t < T; t++) {
          const zi = X[t]![i]! / volBefore[t]![i]!;
          const zj = X[t]![j]! / volBefore[t]![j]!;
          if (!Number.isFinite(zi) || !Number.isFinite(zj)) continue;
          const w = Math.pow(lc, T - 1 - t);
          sxy += w * zi * zj;
          sxx += w * zi * zi;
          syy += w * zj * zj;
        }
        const rho = sxy / Math.sqrt(sxx * syy);
        expect(res.correlation.data[i * n + j]).to.be.closeTo(rho, 1e-10);
      }
    }
  });
});

describe("estimateCovariance: Ledoit-Wolf", () => {
  it("identity target, hand-checked: y = (2,0),(-2,0),(0,1),(0,-1) -> delta = 17/18", () => {
    // S = diag(2, 0.5) (1/T), mu = 1.25, ||S - mu I||^2 = 1.125,
    // pi_11 = 4, pi_22 = 0.25, pi_12 = 0 -> sum pi / T = 1.0625 -> delta = 1.0625 / 1.125 = 17/18
    const X = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ];
    const res = estimateCovariance(X, { method: "ledoit-wolf", target: "identity" });
    expect(res.shrinkage).to.be.closeTo(17 / 18, 1e-15);
    expect(res.covariance.data[0]! / A).to.be.closeTo((17 / 18) * 1.25 + (1 / 18) * 2, 1e-14);
    expect(res.covariance.data[3]! / A).to.be.closeTo((17 / 18) * 1.25 + (1 / 18) * 0.5, 1e-14);
    expect(res.covariance.data[1]).to.equal(0);
  });

  /** Reference: the published formulas written out literally (complete data). */
  function lwReference(X: number[][], target: "identity" | "constant-correlation"): number {
    const T = X.length;
    const n = X[0]!.length;
    const m = Array.from({ length: n }, (_, i) => X.reduce((a, r) => a + r[i]!, 0) / T);
    const Y = X.map((r) => r.map((v, i) => v - m[i]!));
    const s = (i: number, j: number): number => Y.reduce((a, r) => a + r[i]! * r[j]!, 0) / T;
    const pi = (i: number, j: number): number =>
      Y.reduce((a, r) => a + (r[i]! * r[j]! - s(i, j)) ** 2, 0) / T;
    let piHat = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) piHat += pi(i, j);
    if (target === "identity") {
      let mu = 0;
      for (let i = 0; i < n; i++) mu += s(i, i) / n;
      let d2 = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d2 += (s(i, j) - (i === j ? mu : 0)) ** 2;
      return Math.min(piHat / T, d2) / d2;
    }
    let rbar = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) rbar += s(i, j) / Math.sqrt(s(i, i) * s(j, j));
    rbar = (2 * rbar) / (n * (n - 1));
    const theta = (k: number, i: number, j: number): number =>
      Y.reduce((a, r) => a + (r[k]! * r[k]! - s(k, k)) * (r[i]! * r[j]! - s(i, j)), 0) / T;
    let rho = 0;
    for (let i = 0; i < n; i++) rho += pi(i, i);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        rho +=
          (rbar / 2) *
          (Math.sqrt(s(j, j) / s(i, i)) * theta(i, i, j) + Math.sqrt(s(i, i) / s(j, j)) * theta(j, i, j));
      }
    }
    let gamma = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const f = i === j ? s(i, i) : rbar * Math.sqrt(s(i, i) * s(j, j));
        gamma += (f - s(i, j)) ** 2;
      }
    }
    return Math.max(0, Math.min(1, (piHat - rho) / gamma / T));
  }

  it("intensity equals the closed form (both targets) and lies in [0, 1] on random data", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 8, max: 80 }),
        fc.integer({ min: 1, max: 1e9 }),
        (n, T, seed) => {
          const X = simulate(T, n, seed);
          for (const target of ["identity", "constant-correlation"] as const) {
            const res = estimateCovariance(X, { method: "ledoit-wolf", target });
            const ref = lwReference(X, target);
            expect(res.shrinkage!).to.be.at.least(0);
            expect(res.shrinkage!).to.be.at.most(1);
            expect(res.shrinkage!).to.be.closeTo(ref, 1e-9);
          }
        },
      ),
      { numRuns: 40, seed: 3 },
    );
  });
  it("shrinks more with less data towards a mis-specified target (identity vs correlated assets)", () => {
    const short = estimateCovariance(simulate(30, 8, 11), { method: "ledoit-wolf", target: "identity" });
    const long = estimateCovariance(simulate(3000, 8, 11), { method: "ledoit-wolf", target: "identity" });
    expect(short.shrinkage!).to.be.greaterThan(long.shrinkage!);
    expect(long.shrinkage!).to.be.below(0.2);
  });
  it("a correct constant-correlation target gets heavy shrinkage even with long history", () => {
    // simulate() has the same correlation (0.36) for every pair
    const long = estimateCovariance(simulate(3000, 8, 11), {
      method: "ledoit-wolf",
      target: "constant-correlation",
    });
    expect(long.shrinkage!).to.be.above(0.5);
  });
});

describe("estimateCovariance: GARCH volatility forecast", () => {
  it("replaces volatilities by GARCH forecasts and keeps the correlations", () => {
    const X = simulate(600, 2, 12);
    const base = estimateCovariance(X, { method: "sample" });
    const g = estimateCovariance(X, { method: "sample", volatilityForecast: "garch" });
    expect(g.correlation.data[1]).to.be.closeTo(base.correlation.data[1]!, 1e-12);
    // i.i.d. data: the forecast is near the sample volatility but not identical
    for (let i = 0; i < 2; i++) {
      expect(g.volatilities[i]! / base.volatilities[i]!).to.be.within(0.8, 1.25);
      expect(g.volatilities[i]).to.not.equal(base.volatilities[i]);
    }
  });
});

describe("estimateCovariance: property — always a valid covariance", () => {
  it("random data with random holes: symmetric, PSD, unit-diagonal correlation, finite condition number", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 12, max: 120 }),
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom<CovarianceOptions>(
          { method: "sample" },
          { method: "ewma", halfLife: 15 },
          { method: "iterated-ewma", volatilityHalfLife: 5, correlationHalfLife: 20 },
          { method: "ledoit-wolf", target: "identity" },
          { method: "ledoit-wolf", target: "constant-correlation" },
        ),
        (n, T, holes, seed, opts) => {
          const X = simulate(T, n, seed, holes);
          let res;
          try {
            res = estimateCovariance(X, opts);
          } catch (e) {
            // only "too little overlap" may legitimately stop it on very holey data
            expect(e).to.be.instanceOf(InsufficientHistoryError);
            return;
          }
          const C = res.covariance.data;
          const ev = symmetricEigen(C, n, false).values;
          for (let i = 0; i < n; i++) {
            expect(res.correlation.data[i * n + i]).to.equal(1);
            expect(res.volatilities[i]!).to.be.greaterThan(0);
            for (let j = 0; j < n; j++) {
              expect(C[i * n + j]).to.equal(C[j * n + i]);
              expect(Math.abs(res.correlation.data[i * n + j]!)).to.be.at.most(1 + 1e-12);
            }
          }
          expect(ev[0]!).to.be.greaterThan(0);
          expect(Number.isFinite(res.conditionNumber)).to.equal(true);
          expect(res.conditionNumber).to.be.at.most(1.0001e10);
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });
});
