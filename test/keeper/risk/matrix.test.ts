import { expect } from "chai";
import fc from "fast-check";
import { cholesky, symmetricEigen } from "../../../keeper/risk/index.ts";
import { normalSampler, rng } from "./helpers.ts";

function randomSymmetric(n: number, seed: number): Float64Array {
  const z = normalSampler(rng(seed));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = z();
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  return A;
}

describe("symmetricEigen", () => {
  it("diagonalises random symmetric matrices: A v = lambda v, V orthonormal, sorted", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1e9 }), (n, seed) => {
        const A = randomSymmetric(n, seed);
        const { values, vectors } = symmetricEigen(A, n, true);
        const V = vectors!;
        let scale = 1;
        for (const v of values) scale = Math.max(scale, Math.abs(v));
        for (let k = 0; k < n; k++) {
          if (k > 0) expect(values[k]!).to.be.at.least(values[k - 1]!);
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let j = 0; j < n; j++) av += A[i * n + j]! * V[j * n + k]!;
            expect(Math.abs(av - values[k]! * V[i * n + k]!)).to.be.below(1e-11 * scale * n);
          }
          for (let l = 0; l < n; l++) {
            let d = 0;
            for (let i = 0; i < n; i++) d += V[i * n + k]! * V[i * n + l]!;
            expect(Math.abs(d - (k === l ? 1 : 0))).to.be.below(1e-12 * n);
          }
        }
        // values-only mode gives the same spectrum
        const only = symmetricEigen(A, n, false).values;
        for (let k = 0; k < n; k++) expect(only[k]!).to.be.closeTo(values[k]!, 1e-11 * scale * n);
      }),
      { numRuns: 40, seed: 1 },
    );
  });
  it("known spectrum: [[2,1],[1,2]] has eigenvalues 1 and 3; trace and determinant preserved", () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2, false);
    expect(values[0]).to.be.closeTo(1, 1e-15);
    expect(values[1]).to.be.closeTo(3, 1e-15);
    const n = 3;
    const A = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const ev = symmetricEigen(A, n, false).values;
    expect(ev[0]! + ev[1]! + ev[2]!).to.be.closeTo(12, 1e-13);
    const det = 4 * (3 * 5 - 0) - 1 * (1 * 5 - 0) + 2 * (0 - 3 * 2);
    expect(ev[0]! * ev[1]! * ev[2]!).to.be.closeTo(det, 1e-12);
  });
  it("cholesky factors SPD matrices and refuses indefinite ones", () => {
    const L = cholesky(Float64Array.from([4, 2, 2, 3]), 2)!;
    expect(Array.from(L)).to.deep.equal([2, 0, 1, Math.sqrt(2)]);
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).to.equal(null);
  });
});
