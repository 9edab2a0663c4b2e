/**
 * Long-only risk budgeting (equal risk contribution when the budgets are equal).
 *
 * Both methods minimise Spinu's strictly convex objective
 *     f(x) = 1/2 x' S x - lambda * sum_i b_i ln x_i      (x > 0, optionally l <= x <= u)
 * whose unconstrained minimiser satisfies x_i (S x)_i = lambda b_i: after normalising w = x / sum(x)
 * the risk contributions w_i (S w)_i / w' S w equal the budgets b_i exactly.
 *
 * - "ccd": cyclical coordinate descent (Griveau-Billion, Richard & Roncalli 2013). Each coordinate
 *   step solves the 1-D quadratic S_ii x^2 + c_i x - lambda b_i = 0 (c_i = (S x)_i - S_ii x_i) in
 *   closed form. A sweep costs O(n^2) but reads only the lower triangle of S (a dot product with
 *   the new x, then a scatter of the new x_i into U x, rows in blocks of four), and leaves the
 *   exact S x behind for the O(n) convergence test. Sweeps are accelerated with safeguarded
 *   Anderson acceleration (ring buffers in a reused workspace); after 3000 sweeps (pathological
 *   conditioning only) the iterate is handed to Newton (`handover` in the result).
 * - "newton": Newton on f (Spinu 2013). Each step solves (S + diag(lambda b / x^2)) d = -grad by
 *   Cholesky; the step is Armijo backtracking from the fraction-to-the-boundary step, never below
 *   the self-concordant damped step 1 / (1 + M lambda_N), which provably keeps x > 0 and decreases
 *   f. A cold start begins with 5 CCD sweeps; a stall at the rounding floor is finished by sweeps.
 *
 * Bounds (Richard & Roncalli 2019, "Constrained risk budgeting portfolios"): for a fixed lambda the
 * box-constrained problem is solved exactly (coordinate steps clipped to [l_i, u_i] for CCD, an
 * active-set projected Newton for "newton"); an outer safeguarded secant/bisection search on lambda
 * makes sum(x*(lambda)) = 1, which is increasing in lambda. The weights are then x*(lambda) itself,
 * so the bounds hold exactly and the interior assets keep risk contributions proportional to their
 * budgets.
 */
import {
  ConvergenceError,
  DimensionError,
  InvalidOptionError,
  NotPositiveDefiniteError,
  NotSymmetricError,
} from "./errors.ts";
import { assertFinite, cholesky, choleskySolve, type MatrixInput, toSquare } from "./matrix.ts";

export type RiskParityMethod = "ccd" | "newton";

export interface RiskParityOptions {
  /** Solver; default "ccd". */
  method?: RiskParityMethod;
  /** Risk budgets: positive, summing to 1 (within 1e-9). Default equal (ERC). */
  budgets?: ArrayLike<number>;
  /** Per-asset lower bounds on weights, in [0, 1], sum <= 1. */
  lowerBounds?: ArrayLike<number>;
  /** Per-asset upper bounds on weights, in (0, 1], sum >= 1. */
  upperBounds?: ArrayLike<number>;
  /** Stop when max_i |RC_i - b_i| <= tolerance (unbounded case). Default 1e-10. */
  tolerance?: number;
  /** Maximum sweeps (CCD) or Newton steps per inner solve. Default 10000 (CCD) / 200 (Newton). */
  maxIterations?: number;
  /** Warm start: previous weights (positive). Scaled internally. */
  initialWeights?: ArrayLike<number>;
  /** Also run a full Cholesky positive-definiteness check (O(n^3)); default false (O(n^2) 2x2-minor check only). */
  checkPositiveDefinite?: boolean;
  /** Throw ConvergenceError instead of returning converged: false. Default false. */
  throwOnNoConvergence?: boolean;
}

export interface RiskParityResult {
  /** Weights, summing to 1. */
  weights: Float64Array;
  /** Risk contributions as fractions of portfolio variance (sum to 1). */
  riskContributions: Float64Array;
  /** Portfolio volatility sqrt(w' S w), in the units of the covariance (annualised if S is). */
  volatility: number;
  /** CCD sweeps or Newton steps, summed over the outer lambda search when bounds are given. */
  iterations: number;
  converged: boolean;
  method: RiskParityMethod;
  /** max_i |RC_i - b_i| (unbounded) or the KKT residual of the bounded problem. */
  error: number;
  /** Indices whose weight sits on a bound (bounded problems). */
  atBounds: number[];
  /**
   * True when the other method finished the solve: CCD hands over to Newton after 3000 sweeps on
   * extremely ill-conditioned problems; Newton finishes with coordinate sweeps when it stalls at
   * its rounding floor. Never happens on realistic covariances (see docs/risk.md).
   */
  handover: boolean;
}

interface Problem {
  n: number;
  S: Float64Array;
  b: Float64Array;
  lo: Float64Array | null;
  hi: Float64Array | null;
}

function validateVector(v: ArrayLike<number>, n: number, what: string): Float64Array {
  if (v.length !== n) throw new DimensionError(`${what} has length ${v.length}, expected ${n}`);
  const out = Float64Array.from(v);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]!)) throw new InvalidOptionError(`${what}[${i}] is not finite (${out[i]})`);
  }
  return out;
}

/**
 * Fast validity screen of a flat covariance, one pass over the upper triangle in cache-sized tiles
 * (the mirrored entry S_ji is read from a tile that stays in cache). Returns false on anything the
 * exact checks in `validateCovariance` might reject: a non-finite entry, a diagonal entry <= 0, an
 * asymmetry above the relative tolerance, or a 2x2 principal minor S_ij^2 > S_ii S_jj. The finite,
 * symmetric, 2x2-valid case costs one comparison chain per pair and no extra pass for finiteness
 * (a non-finite entry fails the minor test or the symmetry test).
 */
function quickValid(S: Float64Array, n: number): boolean {
  let scale = 0;
  const dg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = S[i * n + i]!;
    if (!(v > 0 && v < Infinity)) return false;
    if (v > scale) scale = v;
    dg[i] = v;
  }
  // |c - d| <= 5e-11 (|c| + floor) implies the exact test |c - d| <= 1e-10 max(|c|, |d|, floor)
  const floor = scale * 1e-6;
  const B = 32; // 16 is 1.5x slower at n = 1000 (cache-set conflicts of the column reads)
  for (let ib = 0; ib < n; ib += B) {
    const iEnd = Math.min(n, ib + B);
    for (let jb = ib; jb < n; jb += B) {
      const jEnd = Math.min(n, jb + B);
      for (let i = ib; i < iEnd; i++) {
        const ri = i * n;
        const lim = dg[i]! * (1 + 2e-9);
        for (let j = jb > i ? jb : i + 1; j < jEnd; j++) {
          const c = S[ri + j]!;
          const d = S[j * n + i]!;
          if (!(c * c <= lim * dg[j]!) || !(Math.abs(c - d) <= 5e-11 * (Math.abs(c) + floor))) return false;
        }
      }
    }
  }
  return true;
}

/** Exact validation with typed errors, in the documented order (finiteness, diagonal, pairs). */
function validateCovariance(S: Float64Array, n: number): void {
  assertFinite(S, n);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const v = S[i * n + i]!;
    if (!(v > 0)) throw new NotPositiveDefiniteError(`covariance diagonal [${i}] = ${v} must be > 0`);
    scale = Math.max(scale, v);
  }
  // One pass over the upper triangle: symmetry (relative 1e-10) and the 2x2 principal minors
  // S_ij^2 <= S_ii S_jj (necessary for positive semi-definiteness), O(n^2) without square roots.
  for (let i = 0; i < n; i++) {
    const sii = S[i * n + i]!;
    for (let j = i + 1; j < n; j++) {
      const c = S[i * n + j]!;
      const d = S[j * n + i]!;
      if (c !== d && Math.abs(c - d) > 1e-10 * Math.max(Math.abs(c), Math.abs(d), scale * 1e-6)) {
        throw new NotSymmetricError(i, j, c, d);
      }
      if (c * c > sii * S[j * n + j]! * (1 + 2e-9)) {
        const lim = Math.sqrt(sii * S[j * n + j]!);
        throw new NotPositiveDefiniteError(
          `covariance [${i}][${j}] = ${c} exceeds sqrt(S_ii S_jj) = ${lim}: implied |correlation| > 1`,
        );
      }
    }
  }
}

function prepare(cov: MatrixInput, options: RiskParityOptions): Problem {
  const m = toSquare(cov, "covariance", false, false); // read-only here; finiteness checked below
  const { n, data: S } = m;
  // the screen accepts only matrices the exact checks accept; anything else gets the typed error
  if (!quickValid(S, n)) validateCovariance(S, n);
  if (options.checkPositiveDefinite && cholesky(S, n) === null) {
    throw new NotPositiveDefiniteError("covariance is not positive definite (Cholesky failed)");
  }
  let b: Float64Array;
  if (options.budgets !== undefined) {
    b = validateVector(options.budgets, n, "budgets");
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (!(b[i]! > 0)) throw new InvalidOptionError(`budgets[${i}] = ${b[i]} must be > 0`);
      sum += b[i]!;
    }
    if (Math.abs(sum - 1) > 1e-9) throw new InvalidOptionError(`budgets sum to ${sum}, expected 1`);
    for (let i = 0; i < n; i++) b[i] = b[i]! / sum;
  } else {
    b = new Float64Array(n).fill(1 / n);
  }
  let lo: Float64Array | null = null;
  let hi: Float64Array | null = null;
  if (options.lowerBounds !== undefined || options.upperBounds !== undefined) {
    lo =
      options.lowerBounds !== undefined
        ? validateVector(options.lowerBounds, n, "lowerBounds")
        : new Float64Array(n);
    hi =
      options.upperBounds !== undefined
        ? validateVector(options.upperBounds, n, "upperBounds")
        : new Float64Array(n).fill(1);
    let sl = 0;
    let su = 0;
    for (let i = 0; i < n; i++) {
      if (lo[i]! < 0) throw new InvalidOptionError(`lowerBounds[${i}] = ${lo[i]} must be >= 0 (long-only)`);
      if (!(hi[i]! > 0) || hi[i]! > 1)
        throw new InvalidOptionError(`upperBounds[${i}] = ${hi[i]} must be in (0, 1]`);
      if (lo[i]! > hi[i]!)
        throw new InvalidOptionError(`lowerBounds[${i}] = ${lo[i]} > upperBounds[${i}] = ${hi[i]}`);
      sl += lo[i]!;
      su += hi[i]!;
    }
    if (sl > 1 + 1e-12) throw new InvalidOptionError(`lower bounds sum to ${sl} > 1: infeasible`);
    if (su < 1 - 1e-12) throw new InvalidOptionError(`upper bounds sum to ${su} < 1: infeasible`);
  }
  return { n, S, b, lo, hi };
}

/** Positive root of a x^2 + c x - k = 0 (a, k > 0), computed without cancellation. */
function coordRoot(a: number, c: number, k: number): number {
  const disc = Math.sqrt(c * c + 4 * a * k);
  return c >= 0 ? (2 * k) / (c + disc) : (disc - c) / (2 * a);
}

/** Coordinate minimiser: positive root of a x^2 + c x - k = 0, clipped to the box if any. */
function coordStep(
  a: number,
  c: number,
  k: number,
  lo: Float64Array | null,
  hi: Float64Array | null,
  i: number,
): number {
  const v = coordRoot(a, c, k);
  if (lo === null) return v;
  if (v < lo[i]!) return lo[i]!;
  if (v > hi![i]!) return hi![i]!;
  return v;
}

/** y = S x. */
function mulS(S: Float64Array, n: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const r = i * n;
    for (let j = 0; j < n; j++) s += S[r + j]! * x[j]!;
    y[i] = s;
  }
}

/** max_i |x_i y_i / x'y - b_i| for the unbounded problem. */
function rcError(x: Float64Array, y: Float64Array, b: Float64Array, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v += x[i]! * y[i]!;
  if (!(v > 0))
    throw new NotPositiveDefiniteError(`portfolio variance ${v} <= 0: covariance is not positive definite`);
  const iv = 1 / v;
  let err = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(x[i]! * y[i]! * iv - b[i]!);
    if (e > err) err = e;
  }
  return err;
}

/**
 * Initial point: x_i proportional to b_i / sigma_i (or warm start), scaled so x'Sx = lambda sum(b)
 * unless `scaled` is false (the unbounded CCD rescales its start itself from half a product).
 */
function initialPoint(
  p: Problem,
  lambda: number,
  warm: ArrayLike<number> | undefined,
  scaled = true,
): Float64Array {
  const { n, S, b } = p;
  const x = new Float64Array(n);
  if (warm !== undefined && warm.length === n) {
    for (let i = 0; i < n; i++)
      x[i] = warm[i]! > 0 && Number.isFinite(warm[i]!) ? warm[i]! : b[i]! / Math.sqrt(S[i * n + i]!);
  } else {
    for (let i = 0; i < n; i++) x[i] = b[i]! / Math.sqrt(S[i * n + i]!);
  }
  if (!scaled) return x;
  const y = new Float64Array(n);
  mulS(S, n, x, y);
  let v = 0;
  for (let i = 0; i < n; i++) v += x[i]! * y[i]!;
  const scale = Math.sqrt(lambda / v);
  for (let i = 0; i < n; i++) x[i] = x[i]! * scale;
  return x;
}

interface InnerResult {
  iterations: number;
  converged: boolean;
  error: number;
  /** True when the other method finished the job (CCD -> Newton hand-over, Newton -> CCD polish). */
  switched?: boolean;
}

/** u = (strict upper triangle of S) x, i.e. u_i = sum_{j>i} S_ij x_j: half a product. */
function mulUpper(S: Float64Array, n: number, x: Float64Array, u: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const r = i * n;
    let s0 = 0;
    let s1 = 0;
    let j = i + 1;
    for (; j + 1 < n; j += 2) {
      s0 += S[r + j]! * x[j]!;
      s1 += S[r + j + 1]! * x[j + 1]!;
    }
    if (j < n) s0 += S[r + j]! * x[j]!;
    u[i] = s0 + s1;
  }
}

/**
 * One in-place CCD sweep over all coordinates that reads only the lower triangle of S.
 *
 * On entry u = U x (U the strict upper triangle of S) for the current x. Coordinate i needs
 * c_i = sum_{j<i} S_ij x_j(new) + u_i(old): the first sum is a dot product with row i's lower part,
 * after which the new x_i is scattered back into u_j (j < i), which thereby accumulates, from
 * zero, U x(new) for the next sweep (S_ji = S_ij). Each row's lower part is read from memory once
 * and reused from cache, so a sweep moves n^2/2 matrix entries instead of n^2, and on exit
 * y = S x(new) is exact (computed afresh, no drift). Rows are taken in pairs so each pass does two
 * rows' work per load of x or u.
 */
function ccdSweep(p: Problem, lambda: number, x: Float64Array, u: Float64Array, y: Float64Array): void {
  const { n, S, b, lo, hi } = p;
  let i = 0;
  // blocks of four rows: one pass of dot products, four coordinate roots (each adding the block's
  // earlier new values), one pass of scatters
  for (; i + 3 < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let l0 = 0;
    let l1 = 0;
    let l2 = 0;
    let l3 = 0;
    for (let j = 0; j < i; j++) {
      const xj = x[j]!;
      l0 += S[r0 + j]! * xj;
      l1 += S[r1 + j]! * xj;
      l2 += S[r2 + j]! * xj;
      l3 += S[r3 + j]! * xj;
    }
    const a0 = S[r0 + i]!;
    const x0 = coordStep(a0, l0 + u[i]!, lambda * b[i]!, lo, hi, i);
    const s10 = S[r1 + i]!;
    const s20 = S[r2 + i]!;
    const s30 = S[r3 + i]!;
    l1 += s10 * x0;
    const a1 = S[r1 + i + 1]!;
    const x1 = coordStep(a1, l1 + u[i + 1]!, lambda * b[i + 1]!, lo, hi, i + 1);
    const s21 = S[r2 + i + 1]!;
    const s31 = S[r3 + i + 1]!;
    l2 += s20 * x0 + s21 * x1;
    const a2 = S[r2 + i + 2]!;
    const x2 = coordStep(a2, l2 + u[i + 2]!, lambda * b[i + 2]!, lo, hi, i + 2);
    const s32 = S[r3 + i + 2]!;
    l3 += s30 * x0 + s31 * x1 + s32 * x2;
    const a3 = S[r3 + i + 3]!;
    const x3 = coordStep(a3, l3 + u[i + 3]!, lambda * b[i + 3]!, lo, hi, i + 3);
    x[i] = x0;
    x[i + 1] = x1;
    x[i + 2] = x2;
    x[i + 3] = x3;
    y[i] = l0 + a0 * x0;
    y[i + 1] = l1 + a1 * x1;
    y[i + 2] = l2 + a2 * x2;
    y[i + 3] = l3 + a3 * x3;
    // the block's own upper-triangle parts; rows below add theirs later in this sweep
    u[i] = s10 * x1 + s20 * x2 + s30 * x3;
    u[i + 1] = s21 * x2 + s31 * x3;
    u[i + 2] = s32 * x3;
    u[i + 3] = 0;
    for (let k = 0; k < i; k++)
      u[k] = u[k]! + x0 * S[r0 + k]! + x1 * S[r1 + k]! + x2 * S[r2 + k]! + x3 * S[r3 + k]!;
  }
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let l0a = 0;
    let l0b = 0;
    let l1a = 0;
    let l1b = 0;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const xa = x[j]!;
      const xb = x[j + 1]!;
      l0a += S[r0 + j]! * xa;
      l0b += S[r0 + j + 1]! * xb;
      l1a += S[r1 + j]! * xa;
      l1b += S[r1 + j + 1]! * xb;
    }
    if (j < i) {
      const xa = x[j]!;
      l0a += S[r0 + j]! * xa;
      l1a += S[r1 + j]! * xa;
    }
    const l0 = l0a + l0b;
    const a0 = S[r0 + i]!;
    let x0 = coordRoot(a0, l0 + u[i]!, lambda * b[i]!);
    if (lo !== null) {
      if (x0 < lo[i]!) x0 = lo[i]!;
      else if (x0 > hi![i]!) x0 = hi![i]!;
    }
    const s10 = S[r1 + i]!;
    const l1 = l1a + l1b + s10 * x0;
    const a1 = S[r1 + i + 1]!;
    let x1 = coordRoot(a1, l1 + u[i + 1]!, lambda * b[i + 1]!);
    if (lo !== null) {
      if (x1 < lo[i + 1]!) x1 = lo[i + 1]!;
      else if (x1 > hi![i + 1]!) x1 = hi![i + 1]!;
    }
    x[i] = x0;
    x[i + 1] = x1;
    y[i] = l0 + a0 * x0;
    y[i + 1] = l1 + a1 * x1;
    u[i] = s10 * x1; // rows below i + 1 add their parts later in this sweep
    u[i + 1] = 0;
    for (let k = 0; k < i; k++) u[k] = u[k]! + x0 * S[r0 + k]! + x1 * S[r1 + k]!;
  }
  if (i < n) {
    const r0 = i * n;
    let la = 0;
    let lb = 0;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      la += S[r0 + j]! * x[j]!;
      lb += S[r0 + j + 1]! * x[j + 1]!;
    }
    if (j < i) la += S[r0 + j]! * x[j]!;
    const l0 = la + lb;
    const a0 = S[r0 + i]!;
    let x0 = coordRoot(a0, l0 + u[i]!, lambda * b[i]!);
    if (lo !== null) {
      if (x0 < lo[i]!) x0 = lo[i]!;
      else if (x0 > hi![i]!) x0 = hi![i]!;
    }
    x[i] = x0;
    y[i] = l0 + a0 * x0;
    u[i] = 0;
    for (let k = 0; k < i; k++) u[k] = u[k]! + x0 * S[r0 + k]!;
  }
  for (let k = 0; k < n; k++) y[k] = y[k]! + u[k]!;
}

/** Anderson history length (ring buffer). */
const AA_MEMORY = 20;
/** CCD sweeps after which a still-unconverged CCD hands over to Newton (see ccdInner). */
const CCD_HANDOVER = 3000;
/** Plain sweeps before Anderson acceleration starts. */
const AA_START = 3;

/**
 * CCD for fixed lambda. With bounds, each step is clipped to the box (exact coordinate minimiser of
 * a convex 1-D function over an interval). Convergence measure: unbounded -> RC error; bounded ->
 * max_i |x_i (S x)_i - lambda b_i| / x'Sx over coordinates not held by a bound (scale-free KKT
 * residual). Both are O(n) from the exact S x that every sweep leaves in y.
 *
 * Plain CCD converges linearly at a rate set by the conditioning of diag(x) S diag(x) + diag(b),
 * which for strongly hedged portfolios (cond(S) ~ 1e8) needs tens of thousands of sweeps. After
 * AA_START plain sweeps, the sweep map x -> G(x) is therefore accelerated with safeguarded
 * Anderson acceleration (memory AA_MEMORY, ring buffers, no allocation per sweep): the
 * extrapolated point is accepted only if it stays strictly positive (inside the box) and the
 * residual does not blow up; otherwise the history is reset and the plain sweep result is used.
 * Fixed points are unchanged, so the solution is the CCD solution. The sweep's state U x (strict
 * upper triangle) is linear in x, so its differences are stored beside the iterate differences
 * and the extrapolated point's U x costs O(m n) instead of a fresh O(n^2) product.
 */
function ccdInner(
  p: Problem,
  lambda: number,
  x: Float64Array,
  y: Float64Array,
  tol: number,
  maxSweeps: number,
  allowHandover = true,
): InnerResult {
  const { n, S, b, lo } = p;
  const m = Math.min(AA_MEMORY, n);
  const w = ccdWorkspace(n, m);
  const { u, xPrev, f, fOld, gOld, uOld, dF, dG, dU, gram, A, r, rPrev, gamma } = w;
  mulUpper(S, n, x, u);
  if (lo === null) {
    // the unbounded optimum has x'Sx = lambda sum(b): start on that scale (x'Sx = x'Dx + 2 x'Ux)
    let v = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      v += xi * (S[i * n + i]! * xi + 2 * u[i]!);
      sb += b[i]!;
    }
    if (!(v > 0))
      throw new NotPositiveDefiniteError(`portfolio variance ${v} <= 0: covariance is not positive definite`);
    const t = Math.sqrt((lambda * sb) / v);
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! * t;
      u[i] = u[i]! * t;
    }
  }
  let count = 0; // stored differences (<= m), in slots 0..count-1
  let head = 0; // next slot to write
  let haveOld = false;
  let lastResNorm = Infinity;
  let err = Infinity;
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    xPrev.set(x);
    ccdSweep(p, lambda, x, u, y);
    err = lo === null ? rcError(x, y, b, n) : boxResidual(p, lambda, x, y);
    if (err <= tol) return { iterations: sweep, converged: true, error: err };
    if (allowHandover && sweep === CCD_HANDOVER && sweep < maxSweeps) {
      // Extremely ill-conditioned (strongly hedged) problems: hand the warm iterate to Newton.
      const nt = newtonInner(p, lambda, x, y, tol, 200, false);
      return {
        iterations: sweep + nt.iterations,
        converged: nt.converged,
        error: nt.error,
        switched: true,
      };
    }
    if (sweep < AA_START || sweep === maxSweeps) continue;
    // ---- Anderson acceleration on G: x = G(xPrev) now, u = U x ----
    let resNorm = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]! - xPrev[i]!;
      f[i] = v;
      resNorm += v * v;
    }
    if (resNorm > 100 * lastResNorm) {
      // diverging extrapolations: restart the history from this plain point
      count = 0;
      head = 0;
      haveOld = false;
    }
    lastResNorm = resNorm;
    // r_t = dF_t . f for the slots kept from the previous sweep, which computed rPrev_t = dF_t . fOld
    // for the same slots, so the new Gram row dF_t . (f - fOld) is r_t - rPrev_t: O(n) per slot.
    let s = -1;
    if (haveOld) {
      s = head;
      const o = s * n;
      let self = 0;
      for (let i = 0; i < n; i++) {
        const d = f[i]! - fOld[i]!;
        dF[o + i] = d;
        dG[o + i] = x[i]! - gOld[i]!;
        dU[o + i] = u[i]! - uOld[i]!;
        self += d * d;
      }
      if (count < m) count++;
      head = head + 1 === m ? 0 : head + 1;
      gram[s * m + s] = self;
    }
    fOld.set(f);
    gOld.set(x);
    uOld.set(u);
    haveOld = true;
    const k = count;
    if (k === 0) continue;
    for (let a = 0; a < k; a++) {
      const oa = a * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += dF[oa + i]! * f[i]!;
      r[a] = dot;
      if (a !== s) {
        const g = dot - rPrev[a]!;
        gram[s * m + a] = g;
        gram[a * m + s] = g;
      }
    }
    rPrev.set(r);
    // least squares min || f - dF gamma || via regularised normal equations (k <= m)
    let trace = 0;
    for (let a = 0; a < k; a++) {
      for (let c = 0; c < k; c++) A[a * k + c] = gram[a * m + c]!;
      trace += A[a * k + a]!;
    }
    for (let a = 0; a < k; a++) A[a * k + a] = A[a * k + a]! + 1e-12 * trace + 1e-300;
    if (!smallCholeskySolve(A, k, r, gamma)) {
      count = 0;
      head = 0;
      haveOld = false;
      continue;
    }
    let gmax = 0;
    for (let a = 0; a < k; a++) gmax = Math.max(gmax, Math.abs(gamma[a]!));
    // candidate x - dG gamma, built in xPrev (scratch), accepted only if inside the domain
    xPrev.set(x);
    for (let a = 0; a < k; a++) {
      const g = gamma[a]!;
      const oa = a * n;
      for (let i = 0; i < n; i++) xPrev[i] = xPrev[i]! - g * dG[oa + i]!;
    }
    let feasible = true;
    if (lo === null) {
      for (let i = 0; i < n; i++) {
        if (!(xPrev[i]! > 0)) {
          feasible = false;
          break;
        }
      }
    } else {
      const hi = p.hi!;
      for (let i = 0; i < n; i++) {
        const v = Math.min(hi[i]!, Math.max(lo[i]!, xPrev[i]!));
        if (!(v > 0)) {
          feasible = false;
          break;
        }
        xPrev[i] = v;
      }
    }
    if (!feasible) {
      count = 0;
      head = 0;
      haveOld = false;
      continue;
    }
    x.set(xPrev);
    // incremental update only while the combination is tame (large gammas cancel: recompute)
    if (lo === null && gmax <= 4) {
      for (let a = 0; a < k; a++) {
        const g = gamma[a]!;
        const oa = a * n;
        for (let i = 0; i < n; i++) u[i] = u[i]! - g * dU[oa + i]!;
      }
    } else mulUpper(S, n, x, u); // clipping breaks linearity
  }
  // the last sweep skipped the extrapolation, so y = S x is exact here
  return { iterations: maxSweeps, converged: false, error: err };
}

interface CcdWorkspace {
  n: number;
  m: number;
  u: Float64Array;
  xPrev: Float64Array;
  f: Float64Array;
  fOld: Float64Array;
  gOld: Float64Array;
  uOld: Float64Array;
  dF: Float64Array;
  dG: Float64Array;
  dU: Float64Array;
  gram: Float64Array;
  A: Float64Array;
  r: Float64Array;
  rPrev: Float64Array;
  gamma: Float64Array;
}

/**
 * The CCD scratch arrays of the last size used, reused across calls (about 3 m n + 6 n doubles:
 * 0.5 MB at n = 1000). Every entry is written before it is read, so no clearing is needed. Safe
 * because ccdInner never runs nested inside itself (the hand-over to Newton does not polish back)
 * and the solver is synchronous.
 */
let ccdWork: CcdWorkspace | null = null;

function ccdWorkspace(n: number, m: number): CcdWorkspace {
  if (ccdWork !== null && ccdWork.n === n && ccdWork.m === m) return ccdWork;
  ccdWork = {
    n,
    m,
    u: new Float64Array(n),
    xPrev: new Float64Array(n),
    f: new Float64Array(n),
    fOld: new Float64Array(n),
    gOld: new Float64Array(n),
    uOld: new Float64Array(n),
    dF: new Float64Array(m * n),
    dG: new Float64Array(m * n),
    dU: new Float64Array(m * n),
    gram: new Float64Array(m * m),
    A: new Float64Array(m * m),
    r: new Float64Array(m),
    rPrev: new Float64Array(m),
    gamma: new Float64Array(m),
  };
  return ccdWork;
}

/**
 * Solves A g = r for a small symmetric positive definite k x k A (row-major, overwritten by its
 * Cholesky factor) into g; false if A is not numerically positive definite.
 */
function smallCholeskySolve(A: Float64Array, k: number, r: Float64Array, g: Float64Array): boolean {
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]!;
    for (let c = 0; c < j; c++) d -= A[j * k + c]! * A[j * k + c]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j]!;
      for (let c = 0; c < j; c++) s -= A[i * k + c]! * A[j * k + c]!;
      A[i * k + j] = s / ljj;
    }
  }
  for (let i = 0; i < k; i++) {
    let s = r[i]!;
    for (let c = 0; c < i; c++) s -= A[i * k + c]! * g[c]!;
    g[i] = s / A[i * k + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = g[i]!;
    for (let c = i + 1; c < k; c++) s -= A[c * k + i]! * g[c]!;
    g[i] = s / A[i * k + i]!;
  }
  return true;
}

/** KKT residual of the box problem for fixed lambda, scale-free. */
function boxResidual(p: Problem, lambda: number, x: Float64Array, y: Float64Array): number {
  const { n, b, lo, hi } = p;
  let v = 0;
  for (let i = 0; i < n; i++) v += x[i]! * y[i]!;
  if (!(v > 0))
    throw new NotPositiveDefiniteError(`portfolio variance ${v} <= 0: covariance is not positive definite`);
  let err = 0;
  for (let i = 0; i < n; i++) {
    // x_i * gradient_i = x_i (S x)_i - lambda b_i; zero inside, signed at the bounds.
    const r = x[i]! * y[i]! - lambda * b[i]!;
    let viol: number;
    if (x[i]! <= lo![i]! && r > 0)
      viol = 0; // at lower bound, gradient pushes down: fine
    else if (x[i]! >= hi![i]! && r < 0)
      viol = 0; // at upper bound, gradient pushes up: fine
    else viol = Math.abs(r);
    err = Math.max(err, viol / v);
  }
  return err;
}

function objective(p: Problem, lambda: number, x: Float64Array, y: Float64Array): number {
  let q = 0;
  let l = 0;
  for (let i = 0; i < p.n; i++) {
    q += x[i]! * y[i]!;
    l += p.b[i]! * Math.log(x[i]!);
  }
  return 0.5 * q - lambda * l;
}

/**
 * Newton for fixed lambda. Unbounded: damped Newton with fraction-to-boundary (x > 0) and Armijo.
 * Bounded: active-set projected Newton (coordinates on a bound whose gradient pushes outward are
 * fixed; Newton on the others; the step is projected on the box with Armijo backtracking along the
 * projection arc).
 */
function newtonInner(
  p: Problem,
  lambda: number,
  x: Float64Array,
  y: Float64Array,
  tol: number,
  maxIter: number,
  allowPolish = true,
): InnerResult {
  const { n, S, b, lo, hi } = p;
  const g = new Float64Array(n);
  const xt = new Float64Array(n);
  const yt = new Float64Array(n);
  mulS(S, n, x, y);
  let err = lo === null ? rcError(x, y, b, n) : boxResidual(p, lambda, x, y);
  if (err <= tol) return { iterations: 0, converged: true, error: err };
  let f = objective(p, lambda, x, y);
  let stalled = 0;
  for (let it = 1; it <= maxIter; it++) {
    for (let i = 0; i < n; i++) g[i] = y[i]! - (lambda * b[i]!) / x[i]!;
    // free set
    const free: number[] = [];
    for (let i = 0; i < n; i++) {
      if (lo !== null) {
        const atLo = x[i]! <= lo[i]! && g[i]! > 0;
        const atHi = x[i]! >= hi![i]! && g[i]! < 0;
        if (atLo || atHi) continue;
      }
      free.push(i);
    }
    const m = free.length;
    const d = new Float64Array(n);
    if (m > 0) {
      const H = new Float64Array(m * m);
      const rhs = new Float64Array(m);
      for (let a = 0; a < m; a++) {
        const i = free[a]!;
        const ri = i * n;
        for (let c = 0; c < m; c++) H[a * m + c] = S[ri + free[c]!]!;
        H[a * m + a] = H[a * m + a]! + (lambda * b[i]!) / (x[i]! * x[i]!);
        rhs[a] = -g[i]!;
      }
      const L = cholesky(H, m);
      if (L === null)
        throw new NotPositiveDefiniteError("Newton system not positive definite: covariance is not PSD");
      const dF = choleskySolve(L, m, rhs);
      for (let a = 0; a < m; a++) d[free[a]!] = dF[a]!;
    }
    // Unbounded: f is self-concordant (quadratic + log barrier; the term -lambda b_i ln x_i has
    // constant M_i = 1 / sqrt(lambda b_i)), so the damped step t = 1 / (1 + M lambda_N), with
    // lambda_N^2 = -g'd the Newton decrement, stays inside x > 0 and decreases f without any
    // function evaluation (Nesterov); full steps once M lambda_N < 1/4. This is immune to the
    // rounding of f near the optimum that defeats Armijo tests on ill-conditioned problems.
    if (lo === null) {
      let dec = 0;
      let bmin = Infinity;
      for (let i = 0; i < n; i++) {
        dec -= g[i]! * d[i]!;
        bmin = Math.min(bmin, b[i]!);
      }
      let tmax = 1;
      for (let i = 0; i < n; i++) if (d[i]! < 0) tmax = Math.min(tmax, (-0.99 * x[i]!) / d[i]!);
      // Safeguard: f is self-concordant (quadratic + log barrier; -lambda b_i ln x_i has constant
      // M = 1 / sqrt(lambda b_min)), so the damped step td = 1 / (1 + M lambda_N), with
      // lambda_N^2 = -g'd, provably stays in x > 0 and decreases f, and is 1 once M lambda_N < 1/4
      // (Nesterov). Armijo backtracking from the fraction-to-the-boundary step is tried first but
      // never goes below td, so rounding noise in f near the optimum cannot stall the iteration.
      const lamN = Math.sqrt(Math.max(0, dec));
      const M = 1 / Math.sqrt(lambda * bmin);
      const td = Math.min(tmax, M * lamN < 0.25 ? 1 : 1 / (1 + M * lamN));
      let t = tmax;
      let accepted = false;
      while (t > td) {
        for (let i = 0; i < n; i++) xt[i] = x[i]! + t * d[i]!;
        mulS(S, n, xt, yt);
        const ft = objective(p, lambda, xt, yt);
        if (ft <= f - 1e-4 * t * dec) {
          accepted = true;
          f = ft;
          break;
        }
        t *= 0.5;
      }
      if (accepted) {
        x.set(xt);
        y.set(yt);
      } else {
        for (let i = 0; i < n; i++) x[i] = x[i]! + td * d[i]!;
        mulS(S, n, x, y);
        f = objective(p, lambda, x, y);
      }
      const prev = err;
      err = rcError(x, y, b, n);
      if (err <= tol) return { iterations: it, converged: true, error: err };
      // stalled = full Newton steps that no longer halve the error (rounding floor reached)
      const fullStep = td === 1; // inside the quadratic-convergence region
      stalled = fullStep && err > 0.5 * prev ? stalled + 1 : 0;
      if (stalled >= 3 && allowPolish) {
        const polish = ccdInner(p, lambda, x, y, tol, POLISH_SWEEPS, false);
        return {
          iterations: it + polish.iterations,
          converged: polish.converged,
          error: polish.error,
          switched: true,
        };
      }
      continue;
    }
    // Bounded: Armijo backtracking along the projection arc.
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        let v = x[i]! + t * d[i]!;
        if (lo !== null) v = Math.min(hi![i]!, Math.max(lo[i]!, v));
        if (!(v > 0)) v = x[i]! * 1e-3; // only reachable with lower bound 0
        xt[i] = v;
        decrease += g[i]! * (v - x[i]!);
      }
      mulS(S, n, xt, yt);
      const ft = objective(p, lambda, xt, yt);
      if (ft <= f + 1e-4 * decrease || Math.abs(ft - f) <= 1e-15 * Math.abs(f)) {
        f = ft;
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (accepted) {
      x.set(xt);
      y.set(yt);
      const prev = err;
      err = lo === null ? rcError(x, y, b, n) : boxResidual(p, lambda, x, y);
      if (err <= tol) return { iterations: it, converged: true, error: err };
      stalled = err > 0.5 * prev ? stalled + 1 : 0;
    }
    if ((!accepted || stalled >= 3) && allowPolish) {
      // At the rounding floor of the Newton system (strongly hedged, ill-conditioned S) the
      // objective no longer decreases measurably: finish with coordinate sweeps, whose scalar
      // root per coordinate is accurate to working precision.
      const polish = ccdInner(p, lambda, x, y, tol, POLISH_SWEEPS, false);
      return {
        iterations: it + polish.iterations,
        converged: polish.converged,
        error: polish.error,
        switched: true,
      };
    }
    if (!accepted) return { iterations: it, converged: false, error: err };
  }
  return { iterations: maxIter, converged: false, error: err };
}

const POLISH_SWEEPS = 10000;
const NEWTON_WARMUP_SWEEPS = 5;

/**
 * Solves the long-only risk-budgeting problem for `covariance` (n x n, symmetric, positive
 * definite; rows or flat `{ n, data }`). See the module comment for the methods.
 */
export function solveRiskParity(covariance: MatrixInput, options: RiskParityOptions = {}): RiskParityResult {
  const method: RiskParityMethod = options.method ?? "ccd";
  if (method !== "ccd" && method !== "newton")
    throw new InvalidOptionError(`unknown method ${String(method)}`);
  const tol = options.tolerance ?? 1e-10;
  if (!(tol > 0)) throw new InvalidOptionError(`tolerance must be > 0, got ${tol}`);
  const p = prepare(covariance, options);
  const { n, S, b } = p;
  const maxIter = options.maxIterations ?? (method === "ccd" ? 10000 : 200);
  const inner = method === "ccd" ? ccdInner : newtonInner;
  const y = new Float64Array(n);
  let x: Float64Array;
  let iterations = 0;
  let handover = false;
  let yExact = false;
  let converged: boolean;
  let error: number;

  if (p.lo === null) {
    x = initialPoint(p, 1, options.initialWeights, method === "newton");
    if (method === "newton" && options.initialWeights === undefined) {
      // Cold start: a few O(n^2) coordinate sweeps bring x near the optimum, saving several
      // O(n^3) damped Newton steps (reported in `iterations`).
      const warm = ccdInner(p, 1, x, y, tol, NEWTON_WARMUP_SWEEPS, false);
      iterations += warm.iterations;
    }
    const r = inner(p, 1, x, y, tol, maxIter);
    handover = r.switched === true;
    iterations += r.iterations;
    converged = r.converged;
    error = r.error;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! / s;
      y[i] = y[i]! / s; // S x is linear: still exact after a converged inner solve
    }
    yExact = converged;
  } else {
    const out = solveBounded(p, inner, tol, maxIter, options.initialWeights);
    x = out.x;
    iterations = out.iterations;
    handover = out.handover;
    converged = out.converged;
    error = out.error;
  }

  // exact final risk contributions
  if (!yExact) mulS(S, n, x, y);
  let v = 0;
  for (let i = 0; i < n; i++) v += x[i]! * y[i]!;
  if (!(v > 0)) throw new NotPositiveDefiniteError(`portfolio variance ${v} <= 0`);
  const rc = new Float64Array(n);
  for (let i = 0; i < n; i++) rc[i] = (x[i]! * y[i]!) / v;
  const atBounds: number[] = [];
  if (p.lo !== null) {
    for (let i = 0; i < n; i++) if (x[i]! <= p.lo[i]! || x[i]! >= p.hi![i]!) atBounds.push(i);
    error = lastBoxError(p, x, y, b);
  } else {
    error = 0;
    for (let i = 0; i < n; i++) error = Math.max(error, Math.abs(rc[i]! - b[i]!));
    converged = converged && error <= tol;
  }
  if (!converged && options.throwOnNoConvergence) {
    throw new ConvergenceError(
      `${method} did not converge: error ${error} > ${tol} after ${iterations} iterations`,
      iterations,
    );
  }
  return {
    weights: x,
    riskContributions: rc,
    volatility: Math.sqrt(v),
    iterations,
    converged,
    method,
    error,
    atBounds,
    handover,
  };
}

type Inner = typeof ccdInner;

/**
 * KKT residual of the final bounded weights: interior assets must have RC_i / b_i equal to a
 * common value; returns max over interior i of |RC_i / b_i - mean| * max(b) (0 if none interior).
 */
function lastBoxError(p: Problem, x: Float64Array, y: Float64Array, b: Float64Array): number {
  const { n, lo, hi } = p;
  let v = 0;
  for (let i = 0; i < n; i++) v += x[i]! * y[i]!;
  const ratios: number[] = [];
  let bmax = 0;
  for (let i = 0; i < n; i++) {
    if (x[i]! > lo![i]! && x[i]! < hi![i]!) {
      ratios.push((x[i]! * y[i]!) / v / b[i]!);
      bmax = Math.max(bmax, b[i]!);
    }
  }
  if (ratios.length === 0) return 0;
  const mean = ratios.reduce((acc, c) => acc + c, 0) / ratios.length;
  let worst = 0;
  for (const r of ratios) worst = Math.max(worst, Math.abs(r - mean));
  return worst * bmax;
}

/** Outer search on lambda so that sum(x*(lambda)) = 1 (Richard & Roncalli 2019). */
function solveBounded(
  p: Problem,
  inner: Inner,
  tol: number,
  maxIter: number,
  warm: ArrayLike<number> | undefined,
): {
  x: Float64Array;
  iterations: number;
  converged: boolean;
  error: number;
  handover: boolean;
} {
  const { n, lo, hi } = p;
  let sl = 0;
  let su = 0;
  for (let i = 0; i < n; i++) {
    sl += lo![i]!;
    su += hi![i]!;
  }
  // Boxes pinned to within 1e-6 of the simplex: the weights are the bound itself, with the
  // tiny slack spread proportionally (the risk-budget condition is then immaterial).
  if (su - 1 <= 1e-6 || 1 - sl <= 1e-6) {
    const pinned = su - 1 <= 1e-6 ? hi! : lo!;
    const x = Float64Array.from(pinned);
    const deficit = 1 - (su - 1 <= 1e-6 ? su : sl);
    let room = 0;
    for (let i = 0; i < n; i++) room += deficit > 0 ? hi![i]! - x[i]! : x[i]! - lo![i]!;
    if (room > 0 && deficit !== 0) {
      const share = Math.min(1, Math.abs(deficit) / room);
      for (let i = 0; i < n; i++)
        x[i] = deficit > 0 ? x[i]! + share * (hi![i]! - x[i]!) : x[i]! - share * (x[i]! - lo![i]!);
    }
    return { x, iterations: 0, converged: true, error: 0, handover: false };
  }
  const y = new Float64Array(n);
  const innerTol = Math.min(tol, 1e-10) * 0.1;
  let iterations = 0;
  let allConverged = true;
  let handover = false;
  let lastErr = 0;
  const x = initialPoint(p, 1, warm);
  for (let i = 0; i < n; i++) x[i] = Math.min(hi![i]!, Math.max(lo![i]!, x[i]!));
  const evalAt = (lambda: number): number => {
    const r = inner(p, lambda, x, y, innerTol, maxIter);
    iterations += r.iterations;
    allConverged = allConverged && r.converged;
    handover = handover || r.switched === true;
    lastErr = r.error;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    return s;
  };
  // Work in t = ln(lambda); h(t) = ln(sum x*(e^t)) is increasing. Start from lambda = 1.
  let t = 0;
  let s = evalAt(1);
  let tLo = -Infinity;
  let tHi = Infinity;
  let tPrev = NaN;
  let hPrev = NaN;
  let stride = 1e-4;
  let widthOneAgo = Infinity;
  let widthTwoAgo = Infinity;
  const sumTol = 1e-10;
  let ok = Math.abs(s - 1) <= sumTol;
  for (let outer = 0; outer < 300 && !ok; outer++) {
    const h = Math.log(s);
    if (h < 0) {
      tLo = t;
    } else {
      tHi = t;
    }
    let next: number;
    // secant through the two latest iterates (h is piecewise smooth with slope in (0, 1/2]), kept
    // strictly inside the bracket, bisection otherwise
    let secant = Number.isFinite(tPrev) && h !== hPrev ? t - (h * (t - tPrev)) / (h - hPrev) : t - 2 * h;
    if (!Number.isFinite(secant)) secant = t - 2 * h;
    tPrev = t;
    hPrev = h;
    if (Number.isFinite(tLo) && Number.isFinite(tHi)) {
      const w = tHi - tLo;
      // bisect whenever the secant has not halved the bracket over the last two steps (flat or
      // kinked h, e.g. coordinates leaving their bounds)
      const slow = w > 0.5 * widthTwoAgo;
      widthTwoAgo = widthOneAgo;
      widthOneAgo = w;
      next = !slow && secant > tLo + 1e-6 * w && secant < tHi - 1e-6 * w ? secant : 0.5 * (tLo + tHi);
    } else {
      // Not bracketed yet. Unbounded scaling x(lambda) = sqrt(lambda) x(1) suggests t - 2h; with
      // clipped coordinates h can be flat, so the step grows geometrically until the sign flips.
      let step = -2 * h;
      if (
        Number.isFinite(secant) &&
        Math.sign(secant - t) === Math.sign(step) &&
        Math.abs(secant - t) > Math.abs(step)
      )
        step = secant - t;
      step =
        Math.sign(step) * Math.min(Math.max(Math.abs(step), stride), Math.max(4 * Math.abs(h), stride), 4);
      stride = Math.min(2 * stride, 4);
      next = t + step;
    }
    t = next;
    s = evalAt(Math.exp(t));
    ok = Math.abs(s - 1) <= sumTol;
    if (Number.isFinite(tLo) && Number.isFinite(tHi) && tHi - tLo < 1e-15) break;
  }
  // Final normalisation. Scaling every coordinate by 1/s keeps the interior coordinates' risk
  // contributions in the budget ratios; coordinates on a bound are put back on it and the interior
  // ones rescaled so the weights sum to 1 (a relative change of order |s - 1| <= 1e-12).
  const onBound = new Uint8Array(n);
  let fixedSum = 0;
  let freeSum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]! / s;
    if (v <= lo![i]! + 1e-13 || x[i]! <= lo![i]!) {
      x[i] = lo![i]!;
      onBound[i] = 1;
      fixedSum += x[i]!;
    } else if (v >= hi![i]! - 1e-13 || x[i]! >= hi![i]!) {
      x[i] = hi![i]!;
      onBound[i] = 1;
      fixedSum += x[i]!;
    } else {
      x[i] = v;
      freeSum += v;
    }
  }
  if (freeSum > 0) {
    const k = (1 - fixedSum) / freeSum;
    for (let i = 0; i < n; i++) if (onBound[i] === 0) x[i] = Math.min(hi![i]!, Math.max(lo![i]!, x[i]! * k));
  }
  // Any remaining mismatch (every coordinate on a bound, or clipping above): move the deficit
  // into the coordinates' room towards the violated side, proportionally; bounds stay exact.
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  const deficit = 1 - total;
  if (deficit !== 0) {
    let room = 0;
    for (let i = 0; i < n; i++) room += deficit > 0 ? hi![i]! - x[i]! : x[i]! - lo![i]!;
    if (room > 0) {
      const share = Math.min(1, Math.abs(deficit) / room);
      for (let i = 0; i < n; i++) {
        x[i] = deficit > 0 ? x[i]! + share * (hi![i]! - x[i]!) : x[i]! - share * (x[i]! - lo![i]!);
      }
    }
  }
  return {
    x,
    iterations,
    converged: allConverged && Math.abs(s - 1) <= 1e-10,
    error: lastErr,
    handover,
  };
}
