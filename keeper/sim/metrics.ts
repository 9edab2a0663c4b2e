/**
 * Performance and risk figures of a simulated run, pure. Shared by the demo's summary, its
 * report and tests. Risk contributions use the keeper's own covariance estimator
 * (keeper/risk), never a copy.
 */
import { estimateCovariance } from "../risk/index.ts";
import { daysBetween, type PricePath } from "./path.ts";

/** Total return of a value series (last / first - 1). */
export function totalReturn(values: readonly number[]): number {
  const first = values[0];
  const last = values[values.length - 1];
  if (first === undefined || last === undefined || !(first > 0)) return Number.NaN;
  return last / first - 1;
}

/** Compound annual growth rate over `calendarDays`. */
export function annualisedReturn(values: readonly number[], calendarDays: number): number {
  const r = totalReturn(values);
  if (!(calendarDays > 0) || !Number.isFinite(r)) return Number.NaN;
  return Math.pow(1 + r, 365 / calendarDays) - 1;
}

/**
 * Annualised volatility of a value series sampled on `dates`: the standard deviation of log
 * returns per calendar day (a return across an n-day gap counts as n days of variance).
 */
export function annualisedVolatility(values: readonly number[], dates: readonly string[]): number {
  if (values.length !== dates.length) throw new RangeError("values and dates differ in length");
  const r: number[] = [];
  const gaps: number[] = [];
  for (let t = 1; t < values.length; t++) {
    const a = values[t - 1] as number;
    const b = values[t] as number;
    if (!(a > 0 && b > 0)) continue;
    r.push(Math.log(b / a));
    gaps.push(Math.max(1, daysBetween(dates[t - 1] as string, dates[t] as string)));
  }
  if (r.length < 2) return Number.NaN;
  const totalDays = gaps.reduce((s, g) => s + g, 0);
  const mu = r.reduce((s, x) => s + x, 0) / totalDays; // drift per day
  let ss = 0;
  for (let k = 0; k < r.length; k++) ss += ((r[k] as number) - mu * (gaps[k] as number)) ** 2;
  const perDayVar = ss / (totalDays - totalDays / r.length);
  return Math.sqrt(perDayVar * 365);
}

/** Drawdown at each point (value / running peak - 1, <= 0). */
export function drawdownSeries(values: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return values.map((v) => {
    peak = Math.max(peak, v);
    return peak > 0 ? v / peak - 1 : 0;
  });
}

/** Largest peak-to-trough loss, as a positive fraction. */
export function maxDrawdown(values: readonly number[]): number {
  return values.length === 0 ? 0 : -Math.min(0, ...drawdownSeries(values));
}

/**
 * Value of a portfolio rebalanced to `weights` (fractions summing to <= 1, rest in cash at 0%)
 * every `rebalanceEvery` rows, starting at `initial`, without costs.
 */
export function constantMixBenchmark(
  path: PricePath,
  weights: readonly number[],
  rebalanceEvery: number,
  initial: number,
): number[] {
  if (weights.length !== path.symbols.length) throw new RangeError("one weight per asset");
  const out: number[] = [];
  let units = weights.map((w, i) => (w * initial) / ((path.prices[0] as number[])[i] as number));
  let cash = initial * (1 - weights.reduce((s, w) => s + w, 0));
  path.prices.forEach((row, t) => {
    const value = cash + units.reduce((s, u, i) => s + u * (row[i] as number), 0);
    out.push(value);
    if (t > 0 && t % rebalanceEvery === 0) {
      units = weights.map((w, i) => (w * value) / (row[i] as number));
      cash = value * (1 - weights.reduce((s, w) => s + w, 0));
    }
  });
  return out;
}

/**
 * Risk contributions (fractions summing to 1) of `weights` under the EWMA covariance of the
 * path's returns over the `lookback` rows ending at row `t`, estimated by keeper/risk. Returns
 * undefined while there is too little history or the portfolio has no risk.
 */
export function riskContributionsAt(
  path: PricePath,
  t: number,
  weights: readonly number[],
  lookback = 60,
  halfLife = 30,
): number[] | undefined {
  const start = Math.max(1, t - lookback + 1);
  if (t - start + 1 < 10) return undefined;
  const rows: Float64Array[] = [];
  for (let k = start; k <= t; k++) {
    const prev = path.prices[k - 1] as number[];
    const cur = path.prices[k] as number[];
    rows.push(Float64Array.from(cur.map((p, i) => Math.log(p / (prev[i] as number)))));
  }
  const cov = estimateCovariance(rows, { method: "ewma", halfLife, annualization: 365 }).covariance;
  const n = cov.n;
  const y = new Array<number>(n).fill(0);
  let v = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      y[i] = (y[i] as number) + (cov.data[i * n + j] as number) * (weights[j] as number);
    v += (weights[i] as number) * (y[i] as number);
  }
  if (!(v > 0)) return undefined;
  return weights.map((w, i) => (w * (y[i] as number)) / v);
}

/** Max minus min of risk-contribution shares (0 at perfect parity). */
export function dispersion(rc: readonly number[]): number {
  return rc.length === 0 ? 0 : Math.max(...rc) - Math.min(...rc);
}
