/**
 * Covariance estimation from a T x n matrix of per-period returns (rows = periods, oldest first).
 * NaN marks a missing observation: every pair (i, j) is estimated on the periods where both are
 * observed (pairwise-complete), never by treating NaN as 0. Pairwise estimates need not form a
 * positive semi-definite matrix; the result is repaired by eigenvalue clipping and the repair is
 * reported.
 *
 * Methods:
 * - "sample": unbiased sample covariance (divides by n_ij - 1 when demeaned).
 * - "ewma": exponentially weighted (RiskMetrics), weights lambda^(T-1-t) normalised over the
 *   periods actually observed (bias-corrected: no infinite-history assumption). Zero mean by default.
 * - "iterated-ewma": EWMA variances with half-life `volatilityHalfLife`; each return standardised
 *   by its own predicted volatility (EWMA through t-1); EWMA correlation of the standardised
 *   returns with half-life `correlationHalfLife`; rescaled by the latest volatilities.
 * - "ledoit-wolf": sample covariance (1/T, demeaned) shrunk towards "identity" (mu I, mu = mean
 *   variance; Ledoit & Wolf 2004, JMVA) or "constant-correlation" (Ledoit & Wolf 2004, "Honey, I
 *   shrunk the sample covariance matrix") with their optimal intensity.
 * All results are annualised: variance x annualization (365 for 7-day crypto markets; 250/252).
 */
import {
  DimensionError,
  InsufficientHistoryError,
  InvalidOptionError,
  NonFiniteInputError,
  ZeroVarianceError,
} from "./errors.ts";
import { fitGarch11, forecastGarch11 } from "./garch.ts";
import { type SquareMatrix, symmetricEigen } from "./matrix.ts";

export type ReturnsInput = ReadonlyArray<ArrayLike<number>>;
export type CovarianceMethod = "sample" | "ewma" | "iterated-ewma" | "ledoit-wolf";
export type Annualization = 365 | 252 | 250;
export type ShrinkageTarget = "identity" | "constant-correlation";

export interface CovarianceOptions {
  method: CovarianceMethod;
  /** Periods per year used to annualise; 365 (default), 252 or 250. */
  annualization?: number;
  /** "ewma": half-life in periods (alternative: `lambda`). */
  halfLife?: number;
  /** "ewma": decay factor in (0, 1) (alternative: `halfLife`). */
  lambda?: number;
  /** "iterated-ewma": half-life of the volatility EWMA, periods. */
  volatilityHalfLife?: number;
  /** "iterated-ewma": half-life of the correlation EWMA, periods. */
  correlationHalfLife?: number;
  /** "ledoit-wolf": shrinkage target, default "constant-correlation". */
  target?: ShrinkageTarget;
  /** Subtract means: default true for "sample"/"ledoit-wolf", false for the EWMA methods. */
  demean?: boolean;
  /** Minimum pairwise-complete observations per pair; default 2 (3 for Ledoit-Wolf). */
  minObservations?: number;
  /** Floor on eigenvalues relative to the largest when repairing; default 1e-10. */
  minEigenvalueRatio?: number;
  /** "garch": replace each volatility by its GARCH(1,1) forecast (correlations kept). */
  volatilityForecast?: "historical" | "garch";
  /** Horizon in periods of the GARCH forecast (average variance over it); default 1. */
  forecastHorizon?: number;
}

export interface CovarianceResult {
  /** Annualised covariance, flat row-major n x n. Pass it straight to solveRiskParity. */
  covariance: SquareMatrix;
  /** Annualised volatilities (sqrt of the diagonal). */
  volatilities: Float64Array;
  correlation: SquareMatrix;
  /** Smallest pairwise-complete observation count over all pairs (the binding one). */
  observations: number;
  /** Pairwise-complete counts, flat n x n. */
  pairObservations: Int32Array;
  /** lambda_max / lambda_min of the returned covariance. */
  conditionNumber: number;
  /** True when the estimate was not PSD (or below the eigenvalue floor) and was repaired. */
  repaired: boolean;
  /** Smallest eigenvalue before repair (annualised units). */
  minEigenvalueBeforeRepair: number;
  /** Ledoit-Wolf shrinkage intensity in [0, 1] (absent for other methods). */
  shrinkage?: number;
  method: CovarianceMethod;
  annualization: number;
}

interface Data {
  T: number;
  n: number;
  X: Float64Array; // T x n, NaN = missing
  missing: boolean;
}

function readReturns(returns: ReturnsInput): Data {
  const T = returns.length;
  if (T === 0) throw new InsufficientHistoryError(0, 2, "no rows");
  const n = returns[0]!.length;
  if (n === 0) throw new DimensionError("returns have no columns");
  const X = new Float64Array(T * n);
  let missing = false;
  for (let t = 0; t < T; t++) {
    const row = returns[t]!;
    if (row.length !== n)
      throw new DimensionError(`returns row ${t} has ${row.length} columns, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const v = row[i]!;
      if (Number.isNaN(v)) missing = true;
      else if (!Number.isFinite(v)) throw new NonFiniteInputError(t, i, v);
      X[t * n + i] = v;
    }
  }
  return { T, n, X, missing };
}

function decayFromHalfLife(h: number, what: string): number {
  if (!(h > 0) || !Number.isFinite(h))
    throw new InvalidOptionError(`${what} must be a positive number of periods, got ${h}`);
  return Math.pow(0.5, 1 / h);
}

/**
 * Weighted pairwise-complete second moments. Columns are first centred on their own observed
 * (weighted) mean when `demean`; pairwise means are then corrected for on each pair's period set.
 * Returns the covariance (normalised by the pair's weight sum, times `ddofFactor(count, W, W2)`),
 * and the pair counts.
 */
function pairwiseMoments(
  d: Data,
  weights: Float64Array,
  demean: boolean,
  unbiased: boolean,
): { C: Float64Array; counts: Int32Array; Y: Float64Array } {
  const { T, n, X, missing } = d;
  const Y = Float64Array.from(X);
  if (demean) {
    for (let i = 0; i < n; i++) {
      let sw = 0;
      let sx = 0;
      for (let t = 0; t < T; t++) {
        const v = X[t * n + i]!;
        if (v === v) {
          sw += weights[t]!;
          sx += weights[t]! * v;
        }
      }
      const m = sx / sw;
      for (let t = 0; t < T; t++) Y[t * n + i] = Y[t * n + i]! - m;
    }
  }
  const C = new Float64Array(n * n);
  const counts = new Int32Array(n * n);
  if (!missing) {
    let W = 0;
    let W2 = 0;
    for (let t = 0; t < T; t++) {
      const w = weights[t]!;
      W += w;
      W2 += w * w;
      const r = t * n;
      for (let i = 0; i < n; i++) {
        const wy = w * Y[r + i]!;
        if (wy === 0) continue;
        const ci = i * n;
        for (let j = i; j < n; j++) C[ci + j] = C[ci + j]! + wy * Y[r + j]!;
      }
    }
    // (means are exact here: full-column centring)
    const factor = demean && unbiased ? W / (W - W2 / W) : 1;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = (C[i * n + j]! / W) * factor;
        C[i * n + j] = v;
        C[j * n + i] = v;
        counts[i * n + j] = T;
        counts[j * n + i] = T;
      }
    }
    return { C, counts, Y };
  }
  const SW = new Float64Array(n * n);
  const SW2 = new Float64Array(n * n);
  const SX = new Float64Array(n * n); // sum w y_i over the pair's periods (row i, col j)
  for (let t = 0; t < T; t++) {
    const w = weights[t]!;
    const r = t * n;
    for (let i = 0; i < n; i++) {
      const yi = Y[r + i]!;
      if (yi !== yi) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const yj = Y[r + j]!;
        if (yj !== yj) continue;
        SW[ci + j] = SW[ci + j]! + w;
        SW2[ci + j] = SW2[ci + j]! + w * w;
        SX[ci + j] = SX[ci + j]! + w * yi;
        if (j >= i) C[ci + j] = C[ci + j]! + w * yi * yj;
        counts[ci + j] = counts[ci + j]! + 1;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const W = SW[i * n + j]!;
      let v: number;
      if (!(W > 0)) v = NaN;
      else {
        v = C[i * n + j]! / W;
        if (demean) {
          const mi = SX[i * n + j]! / W; // pairwise mean of i on the pair's periods
          const mj = SX[j * n + i]! / W;
          v -= mi * mj;
          if (unbiased) {
            const W2 = SW2[i * n + j]!;
            const denom = W - W2 / W;
            v = denom > 0 ? (v * W) / denom : NaN;
          }
        }
      }
      C[i * n + j] = v;
      C[j * n + i] = v;
    }
  }
  return { C, counts, Y };
}

function checkCounts(counts: Int32Array, n: number, minObs: number): number {
  let minCount = Infinity;
  let worst = [0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const c = counts[i * n + j]!;
      if (c < minCount) {
        minCount = c;
        worst = [i, j];
      }
    }
  }
  if (minCount < minObs) {
    throw new InsufficientHistoryError(
      minCount,
      minObs,
      `assets ${worst[0]} and ${worst[1]} share too few observed periods`,
    );
  }
  return minCount;
}

function checkVariances(C: Float64Array, n: number, d: Data): void {
  for (let i = 0; i < n; i++) {
    const v = C[i * n + i]!;
    // relative test: a constant series gives exactly 0 up to rounding of the mean
    let ms = 0;
    let k = 0;
    for (let t = 0; t < d.T; t++) {
      const x = d.X[t * n + i]!;
      if (x === x) {
        ms += x * x;
        k++;
      }
    }
    ms = k > 0 ? ms / k : 0;
    if (!(v > 1e-14 * ms) || !(v > 0)) throw new ZeroVarianceError(i);
  }
}

function ewmaWeights(T: number, lambda: number): Float64Array {
  const w = new Float64Array(T);
  let p = 1 - lambda;
  for (let t = T - 1; t >= 0; t--) {
    w[t] = p;
    p *= lambda;
  }
  return w;
}

/** Iterated EWMA: returns the (per-period) covariance D R D and pair counts. */
function iteratedEwma(
  d: Data,
  volLambda: number,
  corLambda: number,
  demean: boolean,
): { C: Float64Array; counts: Int32Array } {
  const { T, n, X } = d;
  let means: Float64Array | null = null;
  if (demean) {
    means = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      let k = 0;
      for (let t = 0; t < T; t++) {
        const v = X[t * n + i]!;
        if (v === v) {
          s += v;
          k++;
        }
      }
      means[i] = k > 0 ? s / k : 0;
    }
  }
  // running volatility EWMA (bias-corrected: S / W)
  const S = new Float64Array(n);
  const W = new Float64Array(n);
  const Z = new Float64Array(n); // standardised returns of the current period (NaN if unavailable)
  const sxy = new Float64Array(n * n);
  const sxx = new Float64Array(n * n);
  const syy = new Float64Array(n * n);
  const counts = new Int32Array(n * n);
  let wc = 1; // correlation weight of the current period (relative; rescaled to avoid underflow)
  for (let t = 0; t < T; t++) {
    // standardise with the prediction from periods < t
    for (let i = 0; i < n; i++) {
      let v = X[t * n + i]!;
      if (v === v && W[i]! > 0) {
        if (means !== null) v -= means[i]!;
        const sd = Math.sqrt(S[i]! / W[i]!);
        Z[i] = sd > 0 ? v / sd : NaN;
      } else Z[i] = NaN;
    }
    // correlation accumulators: weight corLambda^(T-1-t) up to a common factor: grow wc each period
    for (let i = 0; i < n; i++) {
      const zi = Z[i]!;
      if (zi !== zi) continue;
      for (let j = i; j < n; j++) {
        const zj = Z[j]!;
        if (zj !== zj) continue;
        const k = i * n + j;
        sxy[k] = sxy[k]! + wc * zi * zj;
        sxx[k] = sxx[k]! + wc * zi * zi;
        syy[k] = syy[k]! + wc * zj * zj;
        counts[k] = counts[k]! + 1;
      }
    }
    wc /= corLambda;
    if (wc > 1e200) {
      for (let k = 0; k < n * n; k++) {
        sxy[k] = sxy[k]! * 1e-200;
        sxx[k] = sxx[k]! * 1e-200;
        syy[k] = syy[k]! * 1e-200;
      }
      wc *= 1e-200;
    }
    // update the volatility EWMA with period t
    for (let i = 0; i < n; i++) {
      S[i] = S[i]! * volLambda;
      W[i] = W[i]! * volLambda;
      let v = X[t * n + i]!;
      if (v === v) {
        if (means !== null) v -= means[i]!;
        S[i] = S[i]! + (1 - volLambda) * v * v;
        W[i] = W[i]! + (1 - volLambda);
      }
    }
  }
  const C = new Float64Array(n * n);
  const vol = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(W[i]! > 0) || !(S[i]! > 0)) throw new ZeroVarianceError(i);
    vol[i] = Math.sqrt(S[i]! / W[i]!);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const k = i * n + j;
      let rho: number;
      if (i === j) rho = 1;
      else {
        const den = Math.sqrt(sxx[k]! * syy[k]!);
        rho = den > 0 ? sxy[k]! / den : NaN;
      }
      const v = rho * vol[i]! * vol[j]!;
      C[k] = v;
      C[j * n + i] = v;
      counts[j * n + i] = counts[k]!;
    }
  }
  // diagonal counts: periods where the asset was standardised
  return { C, counts };
}

/**
 * Ledoit-Wolf shrinkage on pairwise-complete data. With complete data these are exactly the
 * published estimators (S normalised by 1/T). With missing data each pair's terms are averaged over
 * its own periods and the variance of s_ij is estimated as pi_ij / T_ij.
 */
function ledoitWolf(
  d: Data,
  target: ShrinkageTarget,
): { C: Float64Array; counts: Int32Array; shrinkage: number } {
  const { T, n } = d;
  const ones = new Float64Array(T).fill(1);
  const { C: S, counts, Y } = pairwiseMoments(d, ones, true, false);
  // pi_ij and theta terms (second pass)
  const PI = new Float64Array(n * n);
  const TH = new Float64Array(n * n); // TH[i*n+j] = theta_{ii,ij}
  const D = new Float64Array(n); // y_i^2 - s_ii of the current period
  for (let t = 0; t < T; t++) {
    const r = t * n;
    for (let i = 0; i < n; i++) {
      const yi = Y[r + i]!;
      D[i] = yi * yi - S[i * n + i]!;
    }
    // upper triangle only: pi is symmetric, theta_{ii,ij} and theta_{jj,ij} share e
    for (let i = 0; i < n; i++) {
      const yi = Y[r + i]!;
      if (yi !== yi) continue;
      const di = D[i]!;
      const ri = i * n;
      for (let j = i; j < n; j++) {
        const yj = Y[r + j]!;
        if (yj !== yj) continue;
        const e = yi * yj - S[ri + j]!;
        PI[ri + j] = PI[ri + j]! + e * e;
        TH[ri + j] = TH[ri + j]! + di * e;
        if (j !== i) TH[j * n + i] = TH[j * n + i]! + D[j]! * e;
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) PI[j * n + i] = PI[i * n + j]!;
  // variance of each s_ij: pi_ij / T_ij (pi_ij = mean over its periods)
  let piSum = 0;
  for (let k = 0; k < n * n; k++) {
    const c = counts[k]!;
    PI[k] = PI[k]! / c; // mean squared deviation
    TH[k] = TH[k]! / c;
    piSum += PI[k]! / c;
  }
  const F = new Float64Array(n * n);
  let rhoSum = 0;
  if (target === "identity") {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += S[i * n + i]!;
    mu /= n;
    for (let i = 0; i < n; i++) F[i * n + i] = mu;
  } else {
    let rbar = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) rbar += S[i * n + j]! / Math.sqrt(S[i * n + i]! * S[j * n + j]!);
    }
    rbar = n > 1 ? (2 * rbar) / (n * (n - 1)) : 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++)
        F[i * n + j] = i === j ? S[i * n + i]! : rbar * Math.sqrt(S[i * n + i]! * S[j * n + j]!);
    }
    for (let i = 0; i < n; i++) rhoSum += PI[i * n + i]! / counts[i * n + i]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const sii = S[i * n + i]!;
        const sjj = S[j * n + j]!;
        const term =
          (rbar / 2) * (Math.sqrt(sjj / sii) * TH[i * n + j]! + Math.sqrt(sii / sjj) * TH[j * n + i]!);
        rhoSum += term / counts[i * n + j]!;
      }
    }
  }
  let gamma = 0;
  for (let k = 0; k < n * n; k++) gamma += (F[k]! - S[k]!) * (F[k]! - S[k]!);
  let delta: number;
  if (target === "identity") {
    delta = gamma > 0 ? Math.min(piSum, gamma) / gamma : 1;
  } else {
    delta = gamma > 0 ? (piSum - rhoSum) / gamma : 1;
  }
  delta = Math.max(0, Math.min(1, delta));
  const C = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) C[k] = delta * F[k]! + (1 - delta) * S[k]!;
  return { C, counts, shrinkage: delta };
}

/** Clips eigenvalues below floor and restores the original diagonal. Returns min eigenvalue before. */
function repairPsd(C: Float64Array, n: number, ratio: number): { repaired: boolean; minBefore: number } {
  const { values } = symmetricEigen(C, n, false);
  const lmax = values[n - 1]!;
  const lmin = values[0]!;
  const floor = ratio * Math.max(lmax, 0);
  if (lmin >= floor && lmin > 0) return { repaired: false, minBefore: lmin };
  const { values: ev, vectors } = symmetricEigen(C, n, true);
  const V = vectors!;
  const lam = new Float64Array(n);
  for (let k = 0; k < n; k++) lam[k] = Math.max(ev[k]!, floor > 0 ? floor : Number.MIN_VALUE);
  const diagBefore = new Float64Array(n);
  for (let i = 0; i < n; i++) diagBefore[i] = C[i * n + i]!;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += V[i * n + k]! * lam[k]! * V[j * n + k]!;
      C[i * n + j] = s;
      C[j * n + i] = s;
    }
  }
  // keep each variance: D^1/2 C D^1/2 with D = diag(before / after) (congruence keeps PSD)
  const sc = new Float64Array(n);
  for (let i = 0; i < n; i++) sc[i] = Math.sqrt(diagBefore[i]! / C[i * n + i]!);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] = C[i * n + j]! * sc[i]! * sc[j]!;
  return { repaired: true, minBefore: lmin };
}

/** Estimates an annualised covariance matrix; see the module comment. */
export function estimateCovariance(returns: ReturnsInput, options: CovarianceOptions): CovarianceResult {
  const method = options.method;
  const A = options.annualization ?? 365;
  if (A !== 365 && A !== 252 && A !== 250) {
    throw new InvalidOptionError(`annualization must be 365, 252 or 250, got ${A}`);
  }
  const d = readReturns(returns);
  const { T, n } = d;
  const ratio = options.minEigenvalueRatio ?? 1e-10;
  if (!(ratio >= 0 && ratio < 1))
    throw new InvalidOptionError(`minEigenvalueRatio must be in [0, 1), got ${ratio}`);
  let C: Float64Array;
  let counts: Int32Array;
  let shrinkage: number | undefined;
  let minObs = options.minObservations ?? (method === "ledoit-wolf" ? 3 : 2);
  switch (method) {
    case "sample": {
      const r = pairwiseMoments(d, new Float64Array(T).fill(1), options.demean ?? true, true);
      C = r.C;
      counts = r.counts;
      break;
    }
    case "ewma": {
      let lambda: number;
      if (options.lambda !== undefined) {
        if (options.halfLife !== undefined)
          throw new InvalidOptionError("give either halfLife or lambda, not both");
        lambda = options.lambda;
        if (!(lambda > 0 && lambda < 1))
          throw new InvalidOptionError(`lambda must be in (0, 1), got ${lambda}`);
      } else if (options.halfLife !== undefined) {
        lambda = decayFromHalfLife(options.halfLife, "halfLife");
      } else throw new InvalidOptionError("ewma needs halfLife or lambda");
      const r = pairwiseMoments(d, ewmaWeights(T, lambda), options.demean ?? false, false);
      C = r.C;
      counts = r.counts;
      break;
    }
    case "iterated-ewma": {
      if (options.volatilityHalfLife === undefined || options.correlationHalfLife === undefined) {
        throw new InvalidOptionError("iterated-ewma needs volatilityHalfLife and correlationHalfLife");
      }
      const lv = decayFromHalfLife(options.volatilityHalfLife, "volatilityHalfLife");
      const lc = decayFromHalfLife(options.correlationHalfLife, "correlationHalfLife");
      const r = iteratedEwma(d, lv, lc, options.demean ?? false);
      C = r.C;
      counts = r.counts;
      minObs = Math.max(minObs, 2);
      break;
    }
    case "ledoit-wolf": {
      const r = ledoitWolf(d, options.target ?? "constant-correlation");
      C = r.C;
      counts = r.counts;
      shrinkage = r.shrinkage;
      break;
    }
    default:
      throw new InvalidOptionError(`unknown method ${String(method)}`);
  }
  const observations = checkCounts(counts, n, minObs);
  for (let k = 0; k < n * n; k++) {
    if (!Number.isFinite(C[k]!))
      throw new InsufficientHistoryError(
        counts[k]!,
        minObs,
        `pair ${Math.floor(k / n)},${k % n} has no usable estimate`,
      );
  }
  checkVariances(C, n, d);
  for (let k = 0; k < n * n; k++) C[k] = C[k]! * A;

  if (options.volatilityForecast === "garch") {
    const h = options.forecastHorizon ?? 1;
    const vols = new Float64Array(n);
    const col = new Float64Array(T);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) col[t] = d.X[t * n + i]!;
      const fit = fitGarch11(col);
      vols[i] = Math.sqrt(forecastGarch11(fit, h).averageVariance * A);
    }
    const old = new Float64Array(n);
    for (let i = 0; i < n; i++) old[i] = Math.sqrt(C[i * n + i]!);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) C[i * n + j] = (C[i * n + j]! / (old[i]! * old[j]!)) * vols[i]! * vols[j]!;
  } else if (options.volatilityForecast !== undefined && options.volatilityForecast !== "historical") {
    throw new InvalidOptionError(`unknown volatilityForecast ${String(options.volatilityForecast)}`);
  }

  const { repaired, minBefore } = repairPsd(C, n, ratio);
  const { values } = symmetricEigen(C, n, false);
  const conditionNumber = values[n - 1]! / values[0]!;
  const vols = new Float64Array(n);
  for (let i = 0; i < n; i++) vols[i] = Math.sqrt(C[i * n + i]!);
  const R = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) R[i * n + j] = i === j ? 1 : C[i * n + j]! / (vols[i]! * vols[j]!);
  }
  const result: CovarianceResult = {
    covariance: { n, data: C },
    volatilities: vols,
    correlation: { n, data: R },
    observations,
    pairObservations: counts,
    conditionNumber,
    repaired,
    minEigenvalueBeforeRepair: minBefore,
    method,
    annualization: A,
  };
  if (shrinkage !== undefined) result.shrinkage = shrinkage;
  return result;
}
