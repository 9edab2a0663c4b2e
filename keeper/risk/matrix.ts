/**
 * Small dense linear algebra on flat row-major Float64Arrays: conversion and validation of inputs,
 * a symmetric eigensolver (Householder tridiagonalisation + implicit QL, after the classic
 * EISPACK tred2/tql2 pair), a Cholesky factorisation and a few products. Written here so the pure
 * core has no dependency and every step is inspectable.
 */
import { DimensionError, NonFiniteInputError, NotSymmetricError } from "./errors.ts";

/** A square matrix given either as rows or as a flat row-major array with its dimension. */
export type MatrixInput =
  ReadonlyArray<ArrayLike<number>> | { readonly n: number; readonly data: ArrayLike<number> };

/** A square symmetric matrix stored flat, row-major. */
export interface SquareMatrix {
  readonly n: number;
  readonly data: Float64Array;
}

export function isFlatMatrix(m: MatrixInput): m is { readonly n: number; readonly data: ArrayLike<number> } {
  return !Array.isArray(m) && typeof (m as { n?: unknown }).n === "number";
}

/**
 * Copies a square matrix into a flat row-major Float64Array; checks shape and finiteness.
 * With `copy = false` a flat Float64Array input is used as is (the caller promises not to write).
 * With `checkFinite = false` the caller promises to check finiteness itself (see `assertFinite`).
 */
export function toSquare(m: MatrixInput, what = "matrix", copy = true, checkFinite = true): SquareMatrix {
  let n: number;
  const data = (() => {
    if (isFlatMatrix(m)) {
      n = m.n;
      if (!Number.isInteger(n) || n < 1)
        throw new DimensionError(`${what}: dimension must be a positive integer, got ${n}`);
      if (m.data.length !== n * n)
        throw new DimensionError(`${what}: flat data has ${m.data.length} entries, expected ${n * n}`);
      if (m.data instanceof Float64Array) return copy ? m.data.slice() : m.data;
      return Float64Array.from(m.data);
    }
    const rows = m as ReadonlyArray<ArrayLike<number>>;
    n = rows.length;
    if (n < 1) throw new DimensionError(`${what}: empty matrix`);
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (r.length !== n)
        throw new DimensionError(`${what}: row ${i} has ${r.length} entries, expected ${n} (not square)`);
      for (let j = 0; j < n; j++) out[i * n + j] = r[j]!;
    }
    return out;
  })();
  const nn = n!;
  if (checkFinite) assertFinite(data, nn);
  return { n: nn, data };
}

/** Throws NonFiniteInputError for the first non-finite entry (row-major order) of a flat n x n matrix. */
export function assertFinite(data: Float64Array, n: number): void {
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k]!)) throw new NonFiniteInputError(Math.floor(k / n), k % n, data[k]!);
  }
}

/** Throws NotSymmetricError unless |a_ij - a_ji| <= relTol * max(|a_ij|, |a_ji|, scale). */
export function assertSymmetric(m: SquareMatrix, relTol = 1e-10): void {
  const { n, data } = m;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(data[i * n + i]!));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = data[i * n + j]!;
      const b = data[j * n + i]!;
      if (Math.abs(a - b) > relTol * Math.max(Math.abs(a), Math.abs(b), scale * 1e-6)) {
        throw new NotSymmetricError(i, j, a, b);
      }
    }
  }
}

/** Makes the matrix exactly symmetric by averaging mirrored entries, in place. */
export function symmetrize(m: SquareMatrix): void {
  const { n, data } = m;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (data[i * n + j]! + data[j * n + i]!);
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  }
}

/** y = A x for a flat row-major n x n matrix. */
export function matVec(
  a: Float64Array,
  n: number,
  x: ArrayLike<number>,
  out = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += a[row + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** x' A x. */
export function quadForm(a: Float64Array, n: number, x: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += a[row + j]! * x[j]!;
    total += x[i]! * s;
  }
  return total;
}

export function toRows(m: SquareMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.n; i++) out.push(Array.from(m.data.subarray(i * m.n, (i + 1) * m.n)));
  return out;
}

export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of a flat row-major n x n matrix (column k pairs with values[k]); absent when not requested. */
  readonly vectors?: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric matrix (only the lower triangle's symmetric counterpart is
 * assumed equal; pass an exactly symmetric matrix). Householder reduction to tridiagonal form, then
 * the implicit QL algorithm with Wilkinson-like shifts. O(n^3); with `vectors: false` the
 * back-accumulation is skipped (about 3x cheaper).
 */
export function symmetricEigen(a: Float64Array, n: number, wantVectors = true): SymmetricEigen {
  const V = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 1) {
    d[0] = V[0]!;
    V[0] = 1;
    return wantVectors ? { values: d, vectors: V } : { values: d };
  }
  // --- Householder tridiagonalisation (V holds the transformations) ---
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V[k * n + j]!;
          g += vkj * d[k]!;
          e[k] = e[k]! + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (wantVectors) {
    for (let i = 0; i < n - 1; i++) {
      V[(n - 1) * n + i] = V[i * n + i]!;
      V[i * n + i] = 1;
      const h = d[i + 1]!;
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
        for (let j = 0; j <= i; j++) {
          let g = 0;
          for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
          for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
        }
      }
      for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = V[(n - 1) * n + j]!;
      V[(n - 1) * n + j] = 0;
    }
    V[(n - 1) * n + (n - 1)] = 1;
  } else {
    // d[i] currently holds h_i; the diagonal of the tridiagonal matrix is on V's diagonal.
    for (let j = 0; j < n; j++) d[j] = V[j * n + j]!;
  }
  e[0] = 0;
  // --- implicit QL on the tridiagonal (d, e) ---
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m === n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 60) throw new Error("symmetricEigen: QL iteration did not converge");
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (wantVectors) {
            for (let k = 0; k < n; k++) {
              const idx = k * n + i;
              const hk = V[idx + 1]!;
              const vk = V[idx]!;
              V[idx + 1] = s * vk + c * hk;
              V[idx] = c * vk - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  // --- sort ascending ---
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = d[order[k]!]!;
  if (!wantVectors) return { values };
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k]!;
    for (let i = 0; i < n; i++) vectors[i * n + k] = V[i * n + src]!;
  }
  return { values, vectors };
}

/**
 * Cholesky factor L (lower, flat row-major) of a symmetric positive-definite matrix, or null if a
 * pivot is <= 0. O(n^3 / 3).
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
  }
  return L;
}

/** Solves L L' x = b given the Cholesky factor L. */
export function choleskySolve(
  L: Float64Array,
  n: number,
  b: ArrayLike<number>,
  out = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * out[k]!;
    out[i] = s / L[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * out[k]!;
    out[i] = s / L[i * n + i]!;
  }
  return out;
}
