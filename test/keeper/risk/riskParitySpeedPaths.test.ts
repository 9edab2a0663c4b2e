/**
 * Tests of the code paths added for speed in keeper/risk/riskParity.ts: the tiled validation
 * screen (must reject exactly what the exact checks reject, with the same typed errors), the
 * half-matrix CCD sweep in blocks of 4/2/1 rows (every n mod 4, reported RC exact), and the
 * module-level CCD workspace (results must not depend on earlier calls).
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  NonFiniteInputError,
  NotPositiveDefiniteError,
  NotSymmetricError,
  solveRiskParity,
} from "../../../keeper/risk/index.ts";
import { factorCovariance, riskContribs } from "./helpers.ts";

type Defect = "nan" | "inf-pair" | "asym-big" | "asym-tiny" | "corr-gt-1" | "diag-zero" | "diag-nan";

const DEFECTS: Defect[] = ["nan", "inf-pair", "asym-big", "asym-tiny", "corr-gt-1", "diag-zero", "diag-nan"];

describe("solveRiskParity: validation screen", () => {
  it("a single defect anywhere (n 1..70, across the 32x32 tiles) gets the typed error; tolerated asymmetry passes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.constantFrom(...DEFECTS),
        fc.nat(),
        fc.nat(),
        (n, seed, defect, pi, pj) => {
          const S = factorCovariance(n, 3, seed);
          const d = S.data;
          let scale = 0;
          for (let k = 0; k < n; k++) scale = Math.max(scale, d[k * n + k]!);
          const i = pi % n;
          let j = pj % n;
          const offDiagonal = !defect.startsWith("diag");
          if (offDiagonal) {
            if (n < 2) return; // no off-diagonal entry to damage
            if (j === i) j = (i + 1) % n;
          }
          let expected: (new (...args: never[]) => Error) | null;
          switch (defect) {
            case "nan":
              d[i * n + j] = NaN; // one side only
              expected = NonFiniteInputError;
              break;
            case "inf-pair":
              d[i * n + j] = Infinity;
              d[j * n + i] = Infinity;
              expected = NonFiniteInputError;
              break;
            case "asym-big":
              // 1e-8 * max diagonal exceeds the tolerance 1e-10 max(|c|, |d|, 1e-6 scale)
              d[i * n + j] = d[i * n + j]! + 1e-8 * scale;
              expected = NotSymmetricError;
              break;
            case "asym-tiny":
              d[i * n + j] = d[i * n + j]! * (1 + 1e-13);
              expected = null;
              break;
            case "corr-gt-1": {
              const c = 1.01 * Math.sqrt(d[i * n + i]! * d[j * n + j]!);
              d[i * n + j] = c;
              d[j * n + i] = c;
              expected = NotPositiveDefiniteError;
              break;
            }
            case "diag-zero":
              d[i * n + i] = 0;
              expected = NotPositiveDefiniteError;
              break;
            case "diag-nan":
              d[i * n + i] = NaN;
              expected = NonFiniteInputError;
              break;
          }
          if (expected === null) {
            const r = solveRiskParity(S);
            expect(r.converged).to.equal(true);
          } else {
            expect(() => solveRiskParity(S), `${defect} at (${i}, ${j}) n=${n}`).to.throw(expected);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("reports the same first offending pair as a plain row-major scan", () => {
    // two asymmetric pairs in different tiles: the error must name the first in row-major order
    const n = 70;
    const S = factorCovariance(n, 3, 99);
    S.data[5 * n + 60] = S.data[5 * n + 60]! + 0.01;
    S.data[40 * n + 41] = S.data[40 * n + 41]! + 0.01;
    try {
      solveRiskParity(S);
      expect.fail("no error");
    } catch (e) {
      expect(e).to.be.instanceOf(NotSymmetricError);
      expect((e as NotSymmetricError).row).to.equal(5);
      expect((e as NotSymmetricError).column).to.equal(60);
    }
  });
});

describe("solveRiskParity: half-matrix CCD sweep and reused workspace", () => {
  it("every n mod 4 (n 1..13, 31..33, 97): reported RC equal a fresh x_i (S x)_i / x'Sx and meet the budgets", () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 31, 32, 33, 97]) {
      const S = factorCovariance(n, 3, 500 + n);
      const budgets = Array.from({ length: n }, (_, i) => 1 + (i % 3));
      const total = budgets.reduce((a, c) => a + c, 0);
      const b = budgets.map((x) => x / total);
      const r = solveRiskParity(S, { budgets: b });
      expect(r.converged, `n=${n}`).to.equal(true);
      const rc = riskContribs(S, r.weights);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(r.riskContributions[i]! - rc[i]!), `n=${n} RC[${i}]`).to.be.below(1e-13);
        worst = Math.max(worst, Math.abs(rc[i]! - b[i]!));
      }
      expect(worst, `n=${n}`).to.be.at.most(1e-10);
      expect(Math.abs(r.error - worst), `n=${n} error field`).to.be.below(1e-13);
    }
  });

  it("results do not depend on earlier calls (workspace reuse across sizes, methods and bounds)", () => {
    const A = factorCovariance(37, 3, 1);
    const B = factorCovariance(64, 2, 2);
    const first = solveRiskParity(A);
    solveRiskParity(B);
    solveRiskParity(B, { upperBounds: new Array<number>(64).fill(0.03) });
    solveRiskParity(A, { method: "newton" });
    solveRiskParity(A, { initialWeights: new Array<number>(37).fill(1) });
    const again = solveRiskParity(A);
    expect(Array.from(again.weights)).to.deep.equal(Array.from(first.weights));
    expect(again.iterations).to.equal(first.iterations);
  });
});
