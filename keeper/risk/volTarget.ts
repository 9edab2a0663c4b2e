/**
 * Volatility targeting: scale = min(maxLeverage, target / forecast volatility), optionally also
 * capped so that total risky exposure sum_i |w_i| * scale <= maxRiskyExposure.
 * Forecast:
 * - "ex-ante": sqrt(w' S w) with an annualised covariance S (e.g. from estimateCovariance);
 * - "ex-post": EWMA (zero mean, bias-corrected weights, given half-life) of the historical returns
 *   of a portfolio holding the current weights, annualised. Periods where an asset with a non-zero
 *   weight is missing (NaN) are skipped (their decay still applies), never treated as 0.
 */
import {
  DimensionError,
  InsufficientHistoryError,
  InvalidOptionError,
  NonFiniteInputError,
} from "./errors.ts";
import { type MatrixInput, quadForm, toSquare } from "./matrix.ts";
import type { ReturnsInput } from "./covariance.ts";

export type VolatilityForecastSpec =
  | { kind: "ex-ante"; covariance: MatrixInput }
  | {
      kind: "ex-post";
      returns: ReturnsInput;
      halfLife: number;
      annualization?: number;
      minObservations?: number;
    };

export interface VolTargetInput {
  /** Current portfolio weights (exposure per asset as a fraction of value) before scaling. */
  weights: ArrayLike<number>;
  /** Annualised target volatility, e.g. 0.15. */
  targetVolatility: number;
  /** Maximum scale (leverage multiplier), > 0. */
  maxLeverage: number;
  forecast: VolatilityForecastSpec;
  /** Optional cap on total risky exposure after scaling (sum of |w_i| * scale). */
  maxRiskyExposure?: number;
}

export interface VolTargetResult {
  scale: number;
  /** Annualised forecast volatility of the unscaled weights. */
  forecastVolatility: number;
  /** Which limit set the scale. */
  binding: "target" | "leverage" | "exposure";
  /** sum_i |w_i| * scale. */
  grossExposure: number;
  /** Forecast volatility after scaling. */
  scaledVolatility: number;
}

function ewmaPortfolioVol(
  w: Float64Array,
  spec: Extract<VolatilityForecastSpec, { kind: "ex-post" }>,
): number {
  const A = spec.annualization ?? 365;
  if (A !== 365 && A !== 252 && A !== 250)
    throw new InvalidOptionError(`annualization must be 365, 252 or 250, got ${A}`);
  if (!(spec.halfLife > 0) || !Number.isFinite(spec.halfLife))
    throw new InvalidOptionError(`halfLife must be > 0, got ${spec.halfLife}`);
  const lambda = Math.pow(0.5, 1 / spec.halfLife);
  const n = w.length;
  const T = spec.returns.length;
  let s = 0;
  let W = 0;
  let used = 0;
  for (let t = 0; t < T; t++) {
    const row = spec.returns[t]!;
    if (row.length !== n)
      throw new DimensionError(`returns row ${t} has ${row.length} columns, expected ${n}`);
    s *= lambda;
    W *= lambda;
    let p = 0;
    let ok = true;
    for (let i = 0; i < n; i++) {
      const r = row[i]!;
      if (Number.isNaN(r)) {
        if (w[i] !== 0) ok = false;
        continue;
      }
      if (!Number.isFinite(r)) throw new NonFiniteInputError(t, i, r);
      p += w[i]! * r;
    }
    if (!ok) continue;
    s += (1 - lambda) * p * p;
    W += 1 - lambda;
    used++;
  }
  const minObs = spec.minObservations ?? 2;
  if (used < minObs) throw new InsufficientHistoryError(used, minObs, "ex-post portfolio returns");
  return Math.sqrt((s / W) * A);
}

export function volatilityTargetScale(input: VolTargetInput): VolTargetResult {
  const { targetVolatility: target, maxLeverage } = input;
  if (!(target > 0) || !Number.isFinite(target))
    throw new InvalidOptionError(`targetVolatility must be > 0, got ${target}`);
  if (!(maxLeverage > 0) || !Number.isFinite(maxLeverage))
    throw new InvalidOptionError(`maxLeverage must be > 0, got ${maxLeverage}`);
  const w = Float64Array.from(input.weights);
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i]!)) throw new NonFiniteInputError(0, i, w[i]!);
  let vol: number;
  if (input.forecast.kind === "ex-ante") {
    const S = toSquare(input.forecast.covariance, "covariance");
    if (S.n !== w.length)
      throw new DimensionError(`covariance is ${S.n}x${S.n} but there are ${w.length} weights`);
    const v = quadForm(S.data, S.n, w);
    if (v < -1e-12) throw new InvalidOptionError(`w' S w = ${v} < 0: covariance not PSD`);
    vol = Math.sqrt(Math.max(0, v));
  } else if (input.forecast.kind === "ex-post") {
    vol = ewmaPortfolioVol(w, input.forecast);
  } else {
    throw new InvalidOptionError("forecast.kind must be 'ex-ante' or 'ex-post'");
  }
  let gross = 0;
  for (let i = 0; i < w.length; i++) gross += Math.abs(w[i]!);
  let scale = vol > 0 ? target / vol : Infinity;
  let binding: VolTargetResult["binding"] = "target";
  if (scale >= maxLeverage) {
    scale = maxLeverage;
    binding = "leverage";
  }
  if (input.maxRiskyExposure !== undefined) {
    const cap = input.maxRiskyExposure;
    if (!(cap >= 0) || !Number.isFinite(cap))
      throw new InvalidOptionError(`maxRiskyExposure must be >= 0, got ${cap}`);
    if (gross > 0 && scale * gross > cap) {
      scale = cap / gross;
      binding = "exposure";
    }
  }
  return {
    scale,
    forecastVolatility: vol,
    binding,
    grossExposure: scale * gross,
    scaledVolatility: scale * vol,
  };
}
