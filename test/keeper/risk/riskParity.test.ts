import { expect } from "chai";
import fc from "fast-check";
import {
  DimensionError,
  InvalidOptionError,
  NonFiniteInputError,
  NotPositiveDefiniteError,
  NotSymmetricError,
  type RiskParityMethod,
  solveRiskParity,
} from "../../../keeper/risk/index.ts";
import { covFromVolCorr, factorCovariance, flat, randomCovariance, riskContribs } from "./helpers.ts";

const METHODS: RiskParityMethod[] = ["ccd", "newton"];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ""): void {
  expect(actual.length, what).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(
      Math.abs(actual[i]! - expected[i]!),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    ).to.be.at.most(tol);
  }
}

/** Checks the defining property directly: RC_i = b_i, weights positive, sum 1. */
function expectRiskBudgeted(
  S: { n: number; data: ArrayLike<number> },
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  tol: number,
): void {
  const rc = riskContribs(S, w);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    expect(w[i]!).to.be.greaterThan(0);
    sum += w[i]!;
    expect(Math.abs(rc[i]! - b[i]!), `RC[${i}] ${rc[i]} vs ${b[i]}`).to.be.at.most(tol);
  }
  expect(Math.abs(sum - 1)).to.be.below(1e-12);
}

describe("solveRiskParity: published fixtures", () => {
  // Maillard, Roncalli & Teiletche (2010), section 3.1 example
  const mrt = covFromVolCorr(
    [0.1, 0.2, 0.3, 0.4],
    [
      [1, 0.8, 0, 0],
      [0.8, 1, 0, 0],
      [0, 0, 1, -0.5],
      [0, 0, -0.5, 1],
    ],
  );
  // Richard & Roncalli (2019), example 1: all correlations 0.5 except rho34 = 0.75
  const rr = covFromVolCorr(
    [0.1, 0.15, 0.2, 0.3],
    [
      [1, 0.5, 0.5, 0.5],
      [0.5, 1, 0.5, 0.5],
      [0.5, 0.5, 1, 0.75],
      [0.5, 0.5, 0.75, 1],
    ],
  );
  for (const method of METHODS) {
    it(`${method}: MRT (2010) ERC weights 38.36/19.18/24.26/18.20 %, vol 10.29 %`, () => {
      const r = solveRiskParity(mrt, { method });
      expect(r.converged).to.equal(true);
      expectClose(r.weights, [0.3836, 0.1918, 0.2426, 0.182], 5e-5, "weights");
      expect(r.volatility).to.be.closeTo(0.1029, 5e-5);
      expectRiskBudgeted(flat(mrt), r.weights, [0.25, 0.25, 0.25, 0.25], 1e-10);
    });
    it(`${method}: Richard & Roncalli (2019) ex. 1 ERC 41.01/27.34/18.99/12.66 %`, () => {
      const r = solveRiskParity(rr, { method });
      expectClose(r.weights, [0.4101, 0.2734, 0.1899, 0.1266], 5e-5, "weights");
      expectRiskBudgeted(flat(rr), r.weights, [0.25, 0.25, 0.25, 0.25], 1e-10);
    });
    it(`${method}: Richard & Roncalli (2019) ex. 1 budgets 30/30/19.5/20.5 % -> 45.05/30.04/14.67/10.24 %`, () => {
      const b = [0.3, 0.3, 0.195, 0.205];
      const r = solveRiskParity(rr, { method, budgets: b });
      expectClose(r.weights, [0.4505, 0.3004, 0.1467, 0.1024], 5e-5, "weights");
      expectClose(r.riskContributions, b, 1e-10, "RC");
      expectRiskBudgeted(flat(rr), r.weights, b, 1e-10);
    });
    it(`${method}: diag(4, 9) -> (0.6, 0.4) exactly`, () => {
      const r = solveRiskParity(
        [
          [4, 0],
          [0, 9],
        ],
        { method },
      );
      expectClose(r.weights, [0.6, 0.4], 1e-12);
    });
    it(`${method}: two assets (any correlation) and constant correlation give inverse-vol weights`, () => {
      for (const rho of [-0.9, -0.3, 0, 0.5, 0.95]) {
        const r = solveRiskParity(
          covFromVolCorr(
            [0.3, 0.8],
            [
              [1, rho],
              [rho, 1],
            ],
          ),
          { method },
        );
        expectClose(r.weights, [0.8 / 1.1, 0.3 / 1.1], 1e-10, `rho=${rho}`);
      }
      const vols = [0.2, 0.45, 0.7, 1.1, 0.9];
      for (const rho of [0, 0.3, 0.8]) {
        const corr = vols.map((_, i) => vols.map((__, j) => (i === j ? 1 : rho)));
        const r = solveRiskParity(covFromVolCorr(vols, corr), { method });
        const inv = vols.map((v) => 1 / v);
        const s = inv.reduce((a, c) => a + c, 0);
        expectClose(
          r.weights,
          inv.map((x) => x / s),
          1e-10,
          `constant rho=${rho}`,
        );
      }
    });
  }
  it("accepts flat matrices and Float64Array rows identically", () => {
    const a = solveRiskParity(mrt);
    const b = solveRiskParity(flat(mrt));
    const c = solveRiskParity(mrt.map((r) => Float64Array.from(r)));
    expectClose(b.weights, a.weights, 0);
    expectClose(c.weights, a.weights, 0);
  });
});

describe("solveRiskParity: bounds (Richard & Roncalli 2019)", () => {
  const mrt = covFromVolCorr(
    [0.1, 0.2, 0.3, 0.4],
    [
      [1, 0.8, 0, 0],
      [0.8, 1, 0, 0],
      [0, 0, 1, -0.5],
      [0, 0, -0.5, 1],
    ],
  );
  for (const method of METHODS) {
    it(`${method}: non-binding bounds give the unconstrained solution`, () => {
      const free = solveRiskParity(mrt, { method });
      const r = solveRiskParity(mrt, {
        method,
        lowerBounds: [0.05, 0.05, 0.05, 0.05],
        upperBounds: [0.5, 0.5, 0.5, 0.5],
      });
      expect(r.converged).to.equal(true);
      expectClose(r.weights, free.weights, 1e-9);
      expect(r.atBounds).to.deep.equal([]);
    });
    it(`${method}: a binding upper bound holds exactly and the others keep equal risk`, () => {
      const r = solveRiskParity(mrt, { method, upperBounds: [0.3, 1, 1, 1] });
      expect(r.converged).to.equal(true);
      expect(r.weights[0]).to.equal(0.3);
      expect(r.atBounds).to.deep.equal([0]);
      const sum = r.weights.reduce((a, c) => a + c, 0);
      expect(Math.abs(sum - 1)).to.be.below(1e-12);
      const rc = riskContribs(flat(mrt), r.weights);
      expect(rc[1]).to.be.closeTo(rc[2]!, 1e-9);
      expect(rc[2]).to.be.closeTo(rc[3]!, 1e-9);
      // capped asset wants more weight: its RC is below the common level
      expect(rc[0]).to.be.lessThan(rc[1]!);
    });
    it(`${method}: a binding lower bound holds exactly and its RC is above the common level`, () => {
      const r = solveRiskParity(mrt, { method, lowerBounds: [0, 0, 0, 0.3] });
      expect(r.weights[3]).to.equal(0.3);
      const rc = riskContribs(flat(mrt), r.weights);
      expect(rc[0]).to.be.closeTo(rc[1]!, 1e-9);
      expect(rc[3]).to.be.greaterThan(rc[0]!);
    });
  }
  it("bounds that pin every weight return them", () => {
    const r = solveRiskParity(mrt, { upperBounds: [0.25, 0.25, 0.25, 0.25] });
    expectClose(r.weights, [0.25, 0.25, 0.25, 0.25], 0);
  });
});

describe("solveRiskParity: hand-over between methods", () => {
  it("realistic factor-model covariances converge by CCD alone (no hand-over)", () => {
    for (const seed of [1, 2, 3]) {
      const F = factorCovariance(150, 3, seed);
      const r = solveRiskParity(F, { method: "ccd" });
      expect(r.converged).to.equal(true);
      expect(r.handover).to.equal(false);
      const c = solveRiskParity(F, { method: "newton" });
      expect(c.handover).to.equal(false);
    }
  });
  it("a pathological random-rotation matrix (cond 1e8) is finished by Newton and says so", () => {
    const S = randomCovariance(100, 1e8, 7);
    const r = solveRiskParity(S, { method: "ccd" });
    expect(r.converged).to.equal(true);
    expect(r.handover).to.equal(true);
    expect(r.iterations).to.be.greaterThan(3000);
    expectRiskBudgeted(S, r.weights, new Array<number>(100).fill(1 / 100), 1e-10);
  });
});

describe("solveRiskParity: input validation", () => {
  it("rejects non-square, non-symmetric, non-finite, not PSD and bad budgets/bounds with typed errors", () => {
    expect(() => solveRiskParity([[1, 0], [0]])).to.throw(DimensionError);
    expect(() =>
      solveRiskParity([
        [1, 0.5],
        [0.1, 1],
      ]),
    ).to.throw(NotSymmetricError);
    expect(() =>
      solveRiskParity([
        [1, NaN],
        [NaN, 1],
      ]),
    ).to.throw(NonFiniteInputError);
    expect(() =>
      solveRiskParity([
        [1, Infinity],
        [Infinity, 1],
      ]),
    ).to.throw(NonFiniteInputError);
    expect(() =>
      solveRiskParity([
        [0, 0],
        [0, 1],
      ]),
    ).to.throw(NotPositiveDefiniteError);
    expect(() =>
      solveRiskParity([
        [1, 2],
        [2, 1],
      ]),
    ).to.throw(NotPositiveDefiniteError, /correlation/);
    // passes the 2x2-minor test but is indefinite: pairwise correlations 0.9, 0.9, -0.9
    const bad = covFromVolCorr(
      [1, 1, 1],
      [
        [1, 0.9, 0.9],
        [0.9, 1, -0.9],
        [0.9, -0.9, 1],
      ],
    );
    expect(() => solveRiskParity(bad, { checkPositiveDefinite: true })).to.throw(NotPositiveDefiniteError);
    const ok = [
      [0.04, 0],
      [0, 0.09],
    ];
    expect(() => solveRiskParity(ok, { budgets: [0.5, 0.6] })).to.throw(InvalidOptionError, /sum/);
    expect(() => solveRiskParity(ok, { budgets: [1, 0] })).to.throw(InvalidOptionError);
    expect(() => solveRiskParity(ok, { budgets: [1] })).to.throw(DimensionError);
    expect(() => solveRiskParity(ok, { upperBounds: [0.4, 0.4] })).to.throw(InvalidOptionError, /infeasible/);
    expect(() => solveRiskParity(ok, { lowerBounds: [0.6, 0.6] })).to.throw(InvalidOptionError, /infeasible/);
    expect(() => solveRiskParity(ok, { lowerBounds: [0.6, 0], upperBounds: [0.5, 1] })).to.throw(
      InvalidOptionError,
    );
    expect(() => solveRiskParity(ok, { method: "bogus" as RiskParityMethod })).to.throw(InvalidOptionError);
  });
  it("reports non-convergence honestly when the iteration cap is tiny", () => {
    const S = randomCovariance(30, 1e6, 3);
    const r = solveRiskParity(S, { method: "ccd", maxIterations: 2 });
    expect(r.converged).to.equal(false);
    expect(r.error).to.be.greaterThan(1e-10);
  });
});

describe("solveRiskParity: properties", () => {
  const gen = (maxN: number) =>
    fc.record({
      n: fc.integer({ min: 2, max: maxN }),
      logCond: fc.double({ min: 0, max: 8, noNaN: true }),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
      budgetSeed: fc.integer({ min: 1, max: 2 ** 30 }),
    });
  const budgetsFor = (n: number, seed: number): number[] => {
    let s = seed;
    const raw = Array.from({ length: n }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return 0.2 + (s / 2 ** 32) * 2;
    });
    const t = raw.reduce((a, c) => a + c, 0);
    return raw.map((x) => x / t);
  };

  it("both methods converge to the budgets and agree (n 2..30, cond up to 1e8)", () => {
    fc.assert(
      fc.property(gen(30), ({ n, logCond, seed, budgetSeed }) => {
        const S = randomCovariance(n, 10 ** logCond, seed);
        const b = budgetsFor(n, budgetSeed);
        const a = solveRiskParity(S, { method: "ccd", budgets: b });
        const c = solveRiskParity(S, { method: "newton", budgets: b });
        expect(a.converged && c.converged).to.equal(true);
        expectRiskBudgeted(S, a.weights, b, 1e-10);
        expectRiskBudgeted(S, c.weights, b, 1e-10);
        for (let i = 0; i < n; i++)
          expect(Math.abs(a.weights[i]! - c.weights[i]!) / c.weights[i]!).to.be.below(1e-5);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it("medium and large n (up to 500), few runs", function () {
    this.timeout(30000);
    for (const [n, cond, seed] of [
      [100, 1e8, 11],
      [200, 1e4, 12],
      [500, 1e5, 13],
    ] as const) {
      const S = randomCovariance(n, cond, seed);
      const a = solveRiskParity(S, { method: "ccd" });
      const c = solveRiskParity(S, { method: "newton" });
      const b = new Array<number>(n).fill(1 / n);
      expectRiskBudgeted(S, a.weights, b, 1e-10);
      expectRiskBudgeted(S, c.weights, b, 1e-10);
      for (let i = 0; i < n; i++)
        expect(Math.abs(a.weights[i]! - c.weights[i]!) / c.weights[i]!).to.be.below(1e-5);
    }
    const F = factorCovariance(500, 3, 5);
    const a = solveRiskParity(F, { method: "ccd" });
    expectRiskBudgeted(F, a.weights, new Array<number>(500).fill(1 / 500), 1e-10);
  });

  it("permutation invariance and scale invariance", () => {
    fc.assert(
      fc.property(
        gen(20),
        fc.double({ min: -6, max: 6, noNaN: true }),
        ({ n, logCond, seed, budgetSeed }, logScale) => {
          const S = randomCovariance(n, 10 ** logCond, seed);
          const b = budgetsFor(n, budgetSeed);
          const base = solveRiskParity(S, { budgets: b });
          // permutation: reverse + rotate
          const perm = Array.from({ length: n }, (_, i) => (n - 1 - i + seed) % n);
          const P = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) P[i * n + j] = S.data[perm[i]! * n + perm[j]!]!;
          const pb = perm.map((k) => b[k]!);
          for (const method of METHODS) {
            const r = solveRiskParity({ n, data: P }, { budgets: pb, method });
            for (let i = 0; i < n; i++)
              expect(Math.abs(r.weights[i]! - base.weights[perm[i]!]!) / base.weights[perm[i]!]!).to.be.below(
                1e-6,
              );
            const k = 10 ** logScale;
            const scaled = solveRiskParity({ n, data: S.data.map((x) => x * k) }, { budgets: b, method });
            for (let i = 0; i < n; i++)
              expect(Math.abs(scaled.weights[i]! - base.weights[i]!) / base.weights[i]!).to.be.below(1e-6);
            expect(scaled.volatility).to.be.closeTo(
              base.volatility * Math.sqrt(k),
              1e-6 * base.volatility * Math.sqrt(k),
            );
          }
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it("random feasible bounds: weights inside the box, sum 1, KKT signs, methods agree", () => {
    fc.assert(
      fc.property(
        gen(15),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 30, maxLength: 30 }),
        ({ n, logCond, seed }, u) => {
          const S = randomCovariance(n, 10 ** Math.min(logCond, 6), seed);
          // box around 1/n with random widths, always feasible (contains 1/n)
          const lo = Array.from({ length: n }, (_, i) => (u[i]! < 0.3 ? 0 : (u[i]! * 0.9) / n));
          const hi = Array.from({ length: n }, (_, i) => Math.min(1, (1 + 3 * u[(i + 7) % 30]!) / n));
          const res = METHODS.map((method) =>
            solveRiskParity(S, { method, lowerBounds: lo, upperBounds: hi }),
          );
          for (const r of res) {
            expect(r.converged).to.equal(true);
            let sum = 0;
            for (let i = 0; i < n; i++) {
              expect(r.weights[i]!).to.be.at.least(lo[i]!);
              expect(r.weights[i]!).to.be.at.most(hi[i]!);
              expect(r.weights[i]!).to.be.greaterThan(0);
              sum += r.weights[i]!;
            }
            expect(Math.abs(sum - 1)).to.be.below(1e-11);
            const rc = riskContribs(S, r.weights);
            // "interior" with a margin: within 2e-6 of a bound counts as on it (the solver pins boxes
            // with less than 1e-6 of slack to the bound, see docs/risk.md)
            const interior = Array.from({ length: n }, (_, i) => i).filter(
              (i) => r.weights[i]! > lo[i]! + 2e-6 && r.weights[i]! < hi[i]! - 2e-6,
            );
            if (interior.length > 0) {
              const level = rc[interior[0]!]! * n; // equal budgets: RC_i / b_i
              for (const i of interior) expect(rc[i]! * n).to.be.closeTo(level, 1e-7 * Math.max(1, level));
              for (let i = 0; i < n; i++) {
                if (r.weights[i] === hi[i] && hi[i]! > lo[i]! + 1e-9)
                  expect(rc[i]! * n).to.be.at.most(level + 1e-6);
                if (r.weights[i] === lo[i] && lo[i]! > 0 && lo[i]! < hi[i]! - 1e-9)
                  expect(rc[i]! * n).to.be.at.least(level - 1e-6);
              }
            }
          }
          for (let i = 0; i < n; i++) expect(res[0]!.weights[i]!).to.be.closeTo(res[1]!.weights[i]!, 1e-6);
        },
      ),
      { numRuns: 30, seed: 9 },
    );
  });
});

describe("solveRiskParity: warm starts", () => {
  it("any positive initial weights lead to the same solution; yesterday's weights save sweeps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
        (n, seed, w0) => {
          const S = factorCovariance(n, 3, seed);
          const cold = solveRiskParity(S);
          for (const method of METHODS) {
            const warm = solveRiskParity(S, { method, initialWeights: w0.slice(0, n) });
            expect(warm.converged).to.equal(true);
            for (let i = 0; i < n; i++) expect(warm.weights[i]!).to.be.closeTo(cold.weights[i]!, 1e-8);
          }
        },
      ),
      { numRuns: 30, seed: 17 },
    );
    const S = factorCovariance(200, 3, 99);
    const cold = solveRiskParity(S);
    const again = solveRiskParity(S, { initialWeights: cold.weights });
    expect(again.iterations).to.be.lessThan(cold.iterations);
  });
});
