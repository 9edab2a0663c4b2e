/**
 * GARCH(1,1) with Gaussian quasi-maximum likelihood:
 *   r_t = sigma_t z_t,   sigma_t^2 = omega + alpha r_{t-1}^2 + beta sigma_{t-1}^2.
 * Returns are taken as zero-mean (daily crypto returns: the mean is noise at this horizon); pass
 * `demean: true` to subtract the sample mean first. The likelihood is maximised with Nelder-Mead
 * on an unconstrained reparametrisation that keeps omega > 0, alpha, beta >= 0, alpha + beta < 1:
 *   persistence p = alpha + beta = pMax * logistic(u1), share a = alpha / p = logistic(u2),
 *   unconditional variance v = omega / (1 - p) = exp(u3) * sampleVariance.
 * The series is scaled to unit sample variance internally (conditioning), and the first
 * variance is the sample variance (backcast).
 */
import {
  InsufficientHistoryError,
  InvalidOptionError,
  NonFiniteInputError,
  ZeroVarianceError,
} from "./errors.ts";

export interface Garch11Fit {
  /** Per-period variance intercept (units of returns squared). */
  omega: number;
  alpha: number;
  beta: number;
  /** omega / (1 - alpha - beta): per-period long-run variance. */
  longRunVariance: number;
  /** Mean subtracted before fitting (0 unless demean). */
  mean: number;
  /** Conditional variance forecast for the period after the last observation. */
  nextVariance: number;
  /** Maximised Gaussian log-likelihood (without the constant -T/2 ln 2 pi). */
  logLikelihood: number;
  observations: number;
  iterations: number;
  converged: boolean;
}

export interface Garch11Options {
  demean?: boolean;
  /** Minimum observations (default 100). */
  minObservations?: number;
  /** Nelder-Mead iteration cap per start (default 2000). */
  maxIterations?: number;
}

export interface Garch11Forecast {
  /** Per-period variance forecasts for periods T+1 .. T+horizon. */
  variances: Float64Array;
  /** Sum of the per-period variances (variance of the horizon's cumulative return). */
  cumulativeVariance: number;
  /** Mean per-period variance over the horizon. */
  averageVariance: number;
}

const P_MAX = 0.99999;

function logistic(u: number): number {
  return 1 / (1 + Math.exp(-u));
}

function unpack(u: ArrayLike<number>): { omega: number; alpha: number; beta: number } {
  const p = P_MAX * logistic(u[0]!);
  const a = logistic(u[1]!);
  const v = Math.exp(u[2]!);
  return { omega: v * (1 - p), alpha: p * a, beta: p * (1 - a) };
}

/** Negative log-likelihood (up to constants) and the last conditional variance. */
function negLogLik(
  r: Float64Array,
  omega: number,
  alpha: number,
  beta: number,
  h0: number,
): { nll: number; next: number } {
  let h = h0;
  let nll = 0;
  for (let t = 0; t < r.length; t++) {
    if (t > 0) h = omega + alpha * r[t - 1]! * r[t - 1]! + beta * h;
    nll += 0.5 * (Math.log(h) + (r[t]! * r[t]!) / h);
  }
  const last = r[r.length - 1]!;
  return { nll, next: omega + alpha * last * last + beta * h };
}

/** Minimises f with the Nelder-Mead simplex (standard coefficients 1, 2, 0.5, 0.5). */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  step: number,
  maxIter: number,
  tol = 1e-10,
): { x: Float64Array; fx: number; iterations: number; converged: boolean } {
  const d = x0.length;
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  for (let k = 0; k <= d; k++) {
    const p = Float64Array.from(x0);
    if (k > 0) p[k - 1] = p[k - 1]! + step;
    pts.push(p);
    vals.push(f(p));
  }
  const centroid = new Float64Array(d);
  const trial = (c: number, worst: Float64Array): Float64Array => {
    const p = new Float64Array(d);
    for (let i = 0; i < d; i++) p[i] = centroid[i]! + c * (worst[i]! - centroid[i]!);
    return p;
  };
  for (let it = 1; it <= maxIter; it++) {
    const order = vals.map((v, i) => i).sort((a, b) => vals[a]! - vals[b]!);
    const sortedPts = order.map((i) => pts[i]!);
    const sortedVals = order.map((i) => vals[i]!);
    for (let k = 0; k <= d; k++) {
      pts[k] = sortedPts[k]!;
      vals[k] = sortedVals[k]!;
    }
    const fBest = vals[0]!;
    const fWorst = vals[d]!;
    let spread = 0;
    for (let k = 1; k <= d; k++)
      for (let i = 0; i < d; i++) spread = Math.max(spread, Math.abs(pts[k]![i]! - pts[0]![i]!));
    if (Math.abs(fWorst - fBest) <= tol * (Math.abs(fBest) + 1e-12) && spread < 1e-7) {
      return { x: pts[0]!, fx: fBest, iterations: it, converged: true };
    }
    centroid.fill(0);
    for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) centroid[i] = centroid[i]! + pts[k]![i]! / d;
    const worst = pts[d]!;
    const xr = trial(-1, worst);
    const fr = f(xr);
    if (fr < vals[0]!) {
      const xe = trial(-2, worst);
      const fe = f(xe);
      if (fe < fr) {
        pts[d] = xe;
        vals[d] = fe;
      } else {
        pts[d] = xr;
        vals[d] = fr;
      }
    } else if (fr < vals[d - 1]!) {
      pts[d] = xr;
      vals[d] = fr;
    } else {
      const outside = fr < fWorst;
      const xc = outside ? trial(-0.5, worst) : trial(0.5, worst);
      const fc = f(xc);
      if (fc < (outside ? fr : fWorst)) {
        pts[d] = xc;
        vals[d] = fc;
      } else {
        for (let k = 1; k <= d; k++) {
          for (let i = 0; i < d; i++) pts[k]![i] = pts[0]![i]! + 0.5 * (pts[k]![i]! - pts[0]![i]!);
          vals[k] = f(pts[k]!);
        }
      }
    }
  }
  let best = 0;
  for (let k = 1; k <= d; k++) if (vals[k]! < vals[best]!) best = k;
  return { x: pts[best]!, fx: vals[best]!, iterations: maxIter, converged: false };
}

/** Fits GARCH(1,1) by Gaussian maximum likelihood. `returns`: per-period returns, oldest first; NaN entries are dropped. */
export function fitGarch11(returns: ArrayLike<number>, options: Garch11Options = {}): Garch11Fit {
  const minObs = options.minObservations ?? 100;
  const values: number[] = [];
  for (let t = 0; t < returns.length; t++) {
    const v = returns[t]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) throw new NonFiniteInputError(t, 0, v);
    values.push(v);
  }
  if (values.length < minObs) throw new InsufficientHistoryError(values.length, minObs, "GARCH(1,1) fit");
  const T = values.length;
  let mean = 0;
  if (options.demean) {
    for (const v of values) mean += v;
    mean /= T;
  }
  let variance = 0;
  for (const v of values) variance += (v - mean) * (v - mean);
  variance /= T;
  if (!(variance > 0)) throw new ZeroVarianceError(0);
  const scale = Math.sqrt(variance);
  const r = new Float64Array(T);
  for (let t = 0; t < T; t++) r[t] = (values[t]! - mean) / scale;
  const objective = (u: Float64Array): number => {
    const { omega, alpha, beta } = unpack(u);
    const { nll } = negLogLik(r, omega, alpha, beta, 1);
    return Number.isFinite(nll) ? nll : 1e300;
  };
  const maxIter = options.maxIterations ?? 2000;
  // starts: persistence ~0.9 / 0.97 / 0.7, alpha share ~0.1 / 0.05 / 0.3
  const starts: number[][] = [
    [Math.log(0.9 / (P_MAX - 0.9)), Math.log(0.1 / 0.9), 0],
    [Math.log(0.97 / (P_MAX - 0.97)), Math.log(0.05 / 0.95), 0],
    [Math.log(0.7 / (P_MAX - 0.7)), Math.log(0.3 / 0.7), 0],
  ];
  // Variance targeting first (long-run variance = sample variance, 2 free parameters, cheap and
  // well-conditioned) from each start; then the full 3-parameter fit from the best, restarted
  // once from its own optimum (the standard cure for a collapsed simplex).
  let iterations = 0;
  let start: Float64Array | null = null;
  let startF = Infinity;
  for (const s0 of starts) {
    const res = nelderMead(
      (u) => objective(Float64Array.of(u[0]!, u[1]!, 0)),
      [s0[0]!, s0[1]!],
      0.5,
      maxIter,
    );
    iterations += res.iterations;
    if (res.fx < startF) {
      startF = res.fx;
      start = Float64Array.of(res.x[0]!, res.x[1]!, 0);
    }
  }
  let best = nelderMead(objective, start!, 0.3, maxIter);
  iterations += best.iterations;
  const again = nelderMead(objective, best.x, 0.05, maxIter);
  iterations += again.iterations;
  if (again.fx <= best.fx) best = again;
  const { omega, alpha, beta } = unpack(best!.x);
  const { nll, next } = negLogLik(r, omega, alpha, beta, 1);
  const s2 = scale * scale;
  return {
    omega: omega * s2,
    alpha,
    beta,
    longRunVariance: (omega * s2) / (1 - alpha - beta),
    mean,
    nextVariance: next * s2,
    logLikelihood: -(nll + T * Math.log(scale)),
    observations: T,
    iterations,
    converged: best!.converged,
  };
}

/** Variance forecasts h = 1..horizon: v + (alpha + beta)^(h-1) (sigma_{T+1}^2 - v). */
export function forecastGarch11(fit: Garch11Fit, horizon: number): Garch11Forecast {
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new InvalidOptionError(`horizon must be a positive integer, got ${horizon}`);
  const p = fit.alpha + fit.beta;
  if (!(fit.omega > 0) || fit.alpha < 0 || fit.beta < 0 || !(p < 1)) {
    throw new InvalidOptionError(
      `invalid GARCH(1,1) parameters omega=${fit.omega} alpha=${fit.alpha} beta=${fit.beta}`,
    );
  }
  const v = fit.omega / (1 - p);
  const variances = new Float64Array(horizon);
  let pow = 1;
  let sum = 0;
  for (let h = 0; h < horizon; h++) {
    variances[h] = v + pow * (fit.nextVariance - v);
    sum += variances[h]!;
    pow *= p;
  }
  return { variances, cumulativeVariance: sum, averageVariance: sum / horizon };
}
