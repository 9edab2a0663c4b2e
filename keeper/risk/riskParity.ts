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
 *   closed form and keeps S x up to date in O(n), so a sweep costs O(n^2).
 * - "newton": damped Newton on f with a fraction-to-the-boundary rule (x stays > 0) and Armijo
 *   backtracking (Spinu 2013). Each step solves (S + diag(lambda b / x^2)) d = -grad by Cholesky.
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
import { cholesky, choleskySolve, type MatrixInput, toSquare } from "./matrix.ts";

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

function prepare(cov: MatrixInput, options: RiskParityOptions): Problem {
  const m = toSquare(cov, "covariance", false); // read-only here
  const { n, data: S } = m;
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
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs((x[i]! * y[i]!) / v - b[i]!));
  return err;
}

/** Initial point: x_i proportional to b_i / sigma_i (or warm start), scaled so x'Sx = lambda sum(b). */
function initialPoint(p: Problem, lambda: number, warm: ArrayLike<number> | undefined): Float64Array {
  const { n, S, b } = p;
  const x = new Float64Array(n);
  if (warm !== undefined && warm.length === n) {
    for (let i = 0; i < n; i++)
      x[i] = warm[i]! > 0 && Number.isFinite(warm[i]!) ? warm[i]! : b[i]! / Math.sqrt(S[i * n + i]!);
  } else {
    for (let i = 0; i < n; i++) x[i] = b[i]! / Math.sqrt(S[i * n + i]!);
  }
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

/** One in-place CCD sweep over all coordinates, keeping y = S x up to date (O(n) per coordinate). */
function ccdSweep(p: Problem, lambda: number, x: Float64Array, y: Float64Array): void {
  const { n, S, b, lo, hi } = p;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const a = S[row + i]!;
    const xi = x[i]!;
    const c = y[i]! - a * xi;
    let xn = coordRoot(a, c, lambda * b[i]!);
    if (lo !== null) {
      if (xn < lo[i]!) xn = lo[i]!;
      else if (xn > hi![i]!) xn = hi![i]!;
    }
    const d = xn - xi;
    if (d !== 0) {
      x[i] = xn;
      for (let j = 0; j < n; j++) y[j] = y[j]! + d * S[row + j]!;
    }
  }
}

const AA_MEMORY = 40;
/** CCD sweeps after which a still-unconverged CCD hands over to Newton (see ccdInner). */
const CCD_HANDOVER = 3000;
const AA_START = 3;

/**
 * CCD for fixed lambda. With bounds, each step is clipped to the box (exact coordinate minimiser of
 * a convex 1-D function over an interval). Convergence measure: unbounded -> RC error; bounded ->
 * max_i |x_i (S x)_i - lambda b_i| / x'Sx over coordinates not held by a bound (scale-free KKT
 * residual).
 *
 * Plain CCD converges linearly at a rate set by the conditioning of diag(x) S diag(x) + diag(b),
 * which for strongly hedged portfolios (cond(S) ~ 1e8) needs tens of thousands of sweeps. After
 * AA_START plain sweeps, the sweep map x -> G(x) is therefore accelerated with safeguarded
 * Anderson acceleration (memory AA_MEMORY): the extrapolated point is accepted only if it stays
 * strictly positive (inside the box) and the residual does not blow up; otherwise the history is
 * reset and the plain sweep result is used. Fixed points are unchanged, so the solution is the
 * CCD solution.
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
  const { n, S, b, lo, hi } = p;
  mulS(S, n, x, y);
  const m = Math.min(AA_MEMORY, Math.max(3, n));
  const xPrev = new Float64Array(n);
  const f = new Float64Array(n); // residual G(x) - x
  const fOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  const dF: Float64Array[] = [];
  const dG: Float64Array[] = [];
  // S x is linear in x, so S (G(x_k) - G(x_{k-1})) is stored beside dG and the extrapolated
  // point's S x costs O(m n) instead of a fresh O(n^2) product.
  const dY: Float64Array[] = [];
  const gram: number[][] = [];
  const yOld = new Float64Array(n);
  let haveOld = false;
  let lastResNorm = Infinity;
  let err = Infinity;
  const measure = (): number => (lo === null ? rcError(x, y, b, n) : boxResidual(p, lambda, x, y));
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    xPrev.set(x);
    ccdSweep(p, lambda, x, y);
    if (sweep % 25 === 0) mulS(S, n, x, y); // flush accumulated rounding in the running S x
    err = measure();
    if (err <= tol) {
      mulS(S, n, x, y);
      err = measure();
      if (err <= tol) return { iterations: sweep, converged: true, error: err };
    }
    if (allowHandover && sweep === CCD_HANDOVER && sweep < maxSweeps) {
      // Extremely ill-conditioned (strongly hedged) problems: hand the warm iterate to Newton.
      const nt = newtonInner(p, lambda, x, y, tol, 200, false);
      return { iterations: sweep + nt.iterations, converged: nt.converged, error: nt.error, switched: true };
    }
    if (sweep < AA_START) continue;
    // ---- Anderson acceleration on G: x = G(xPrev) now ----
    let resNorm = 0;
    for (let i = 0; i < n; i++) {
      f[i] = x[i]! - xPrev[i]!;
      resNorm += f[i]! * f[i]!;
    }
    if (resNorm > 100 * lastResNorm) {
      // diverging extrapolations: restart the history from this plain point
      dF.length = 0;
      dG.length = 0;
      dY.length = 0;
      gram.length = 0;
      haveOld = false;
    }
    lastResNorm = resNorm;
    if (haveOld) {
      const df = new Float64Array(n);
      const dg = new Float64Array(n);
      const dy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        df[i] = f[i]! - fOld[i]!;
        dg[i] = x[i]! - gOld[i]!;
        dy[i] = y[i]! - yOld[i]!;
      }
      if (dF.length === m) {
        dF.shift();
        dG.shift();
        dY.shift();
        gram.shift();
        for (const row of gram) row.shift();
      }
      // Gram matrix of the residual differences, updated in O(m n)
      const row: number[] = [];
      for (let a = 0; a < dF.length; a++) {
        const da = dF[a]!;
        let sdot = 0;
        for (let i = 0; i < n; i++) sdot += da[i]! * df[i]!;
        row.push(sdot);
        gram[a]!.push(sdot);
      }
      let self = 0;
      for (let i = 0; i < n; i++) self += df[i]! * df[i]!;
      row.push(self);
      gram.push(row);
      dF.push(df);
      dG.push(dg);
      dY.push(dy);
    }
    fOld.set(f);
    gOld.set(x);
    yOld.set(y);
    haveOld = true;
    const k = dF.length;
    if (k === 0) continue;
    // least squares min || f - dF gamma || via regularised normal equations (k <= m)
    const A = new Float64Array(k * k);
    const r = new Float64Array(k);
    let trace = 0;
    for (let a = 0; a < k; a++) {
      const da = dF[a]!;
      for (let c = 0; c < k; c++) A[a * k + c] = gram[a]![c]!;
      trace += A[a * k + a]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += da[i]! * f[i]!;
      r[a] = s;
    }
    for (let a = 0; a < k; a++) A[a * k + a] = A[a * k + a]! + 1e-12 * trace + 1e-300;
    const L = cholesky(A, k);
    if (L === null) {
      dF.length = 0;
      dG.length = 0;
      dY.length = 0;
      gram.length = 0;
      haveOld = false;
      continue;
    }
    const gamma = choleskySolve(L, k, r);
    let feasible = true;
    for (let i = 0; i < n; i++) {
      let v = x[i]!;
      for (let a = 0; a < k; a++) v -= gamma[a]! * dG[a]![i]!;
      if (lo !== null) v = Math.min(hi![i]!, Math.max(lo[i]!, v));
      if (!(v > 0)) {
        feasible = false;
        break;
      }
      xPrev[i] = v; // reuse as scratch for the candidate
    }
    if (!feasible) {
      dF.length = 0;
      dG.length = 0;
      dY.length = 0;
      gram.length = 0;
      haveOld = false;
      continue;
    }
    x.set(xPrev);
    let gmax = 0;
    for (let a = 0; a < k; a++) gmax = Math.max(gmax, Math.abs(gamma[a]!));
    // incremental update only while the combination is tame (large gammas cancel: recompute)
    if (lo === null && gmax <= 4) {
      for (let i = 0; i < n; i++) {
        let v = y[i]!;
        for (let a = 0; a < k; a++) v -= gamma[a]! * dY[a]![i]!;
        y[i] = v;
      }
    } else mulS(S, n, x, y); // clipping breaks linearity
  }
  return { iterations: maxSweeps, converged: false, error: err };
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
    x = initialPoint(p, 1, options.initialWeights);
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
): { x: Float64Array; iterations: number; converged: boolean; error: number; handover: boolean } {
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
  return { x, iterations, converged: allConverged && Math.abs(s - 1) <= 1e-10, error: lastErr, handover };
}
