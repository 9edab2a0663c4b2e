/**
 * Seeded, regime-switching daily price paths for N assets.
 *
 * Model: a two-state Markov chain (calm, stress) with geometric mean durations; within a regime,
 * daily log returns are Gaussian with a one-factor equicorrelation structure
 *   r_i = (mu_i - sigma_i^2 / 2) dt + sigma_i sqrt(dt) (sqrt(rho) F + sqrt(1 - rho) e_i),
 * so corr(r_i, r_j) = rho exactly. Stress multiplies every volatility, raises rho (the
 * correlation spike of real sell-offs) and lowers the drift. One crash day adds a jump of
 * ln(1 - drop * beta_i) to every asset and forces a stress spell after it. Calendar days, 365 a year.
 */
import { addDays, type PricePath, type Regime } from "./path.ts";
import { createRng } from "./random.ts";

export interface GeneratedAsset {
  symbol: string;
  initialPrice: number;
  /** Annualised volatility in the calm regime (e.g. 0.6 = 60%). */
  annualVol: number;
  /** Annualised drift in the calm regime. */
  annualDrift: number;
  /** Sensitivity to the crash (drop * crashBeta, capped below 100%). Default 1. */
  crashBeta?: number;
}

export interface RegimeSpec {
  volMultiplier: number;
  /** Pairwise correlation of daily returns, in [0, 1). */
  correlation: number;
  /** Added to every asset's annual drift while in this regime. */
  driftShift: number;
  /** Mean length of a spell, days (switch probability 1 / meanDurationDays per day). */
  meanDurationDays: number;
}

export interface CrashSpec {
  /** Day index (1..days-1) of the crash. */
  day: number;
  /** Fractional one-day drop for a beta-1 asset, in (0, 1). */
  drop: number;
  /** Days of forced stress after the crash. */
  stressDays: number;
}

export interface GenerateOptions {
  assets: GeneratedAsset[];
  /** Number of daily prices (>= 2). */
  days: number;
  seed: number;
  startDate?: string;
  calm?: Partial<RegimeSpec>;
  stress?: Partial<RegimeSpec>;
  /** The crash; `null` for none; default on day floor(0.55 * days), 30% drop, 30 stress days. */
  crash?: CrashSpec | null;
}

export const DEFAULT_CALM: RegimeSpec = {
  volMultiplier: 1,
  correlation: 0.35,
  driftShift: 0,
  meanDurationDays: 120,
};
export const DEFAULT_STRESS: RegimeSpec = {
  volMultiplier: 2.2,
  correlation: 0.85,
  driftShift: -0.8,
  meanDurationDays: 25,
};

/** The demo's default basket (the local world's risk tokens). */
export const DEFAULT_ASSETS: GeneratedAsset[] = [
  { symbol: "WETH", initialPrice: 3_000, annualVol: 0.55, annualDrift: 0.35, crashBeta: 1.1 },
  { symbol: "WBTC", initialPrice: 60_000, annualVol: 0.45, annualDrift: 0.3, crashBeta: 0.9 },
  { symbol: "LINK", initialPrice: 15, annualVol: 0.75, annualDrift: 0.4, crashBeta: 1.3 },
  { symbol: "UNI", initialPrice: 8, annualVol: 0.85, annualDrift: 0.4, crashBeta: 1.4 },
];

function checkRegime(name: string, r: RegimeSpec): void {
  if (!(r.volMultiplier > 0) || !Number.isFinite(r.volMultiplier))
    throw new RangeError(`${name}.volMultiplier must be positive`);
  if (!(r.correlation >= 0 && r.correlation < 1))
    throw new RangeError(`${name}.correlation must be in [0, 1), got ${r.correlation}`);
  if (!(r.meanDurationDays >= 1)) throw new RangeError(`${name}.meanDurationDays must be >= 1`);
  if (!Number.isFinite(r.driftShift)) throw new RangeError(`${name}.driftShift must be finite`);
}

/** Generates a path; identical options (seed included) give an identical path. */
export function generatePath(opts: GenerateOptions): PricePath {
  const { assets, days, seed } = opts;
  if (assets.length === 0) throw new RangeError("generatePath: at least one asset");
  if (!Number.isInteger(days) || days < 2)
    throw new RangeError(`generatePath: days must be an integer >= 2, got ${days}`);
  for (const a of assets) {
    if (!(a.initialPrice > 0) || !Number.isFinite(a.initialPrice))
      throw new RangeError(`${a.symbol}: initialPrice must be positive`);
    if (!(a.annualVol >= 0) || !Number.isFinite(a.annualVol))
      throw new RangeError(`${a.symbol}: annualVol must be >= 0`);
  }
  const calm: RegimeSpec = { ...DEFAULT_CALM, ...opts.calm };
  const stress: RegimeSpec = { ...DEFAULT_STRESS, ...opts.stress };
  checkRegime("calm", calm);
  checkRegime("stress", stress);
  const crash: CrashSpec | null =
    opts.crash === undefined
      ? { day: Math.max(1, Math.floor(days * 0.55)), drop: 0.3, stressDays: 30 }
      : opts.crash;
  if (crash !== null) {
    if (!Number.isInteger(crash.day) || crash.day < 1 || crash.day >= days)
      throw new RangeError(`crash.day must be in [1, ${days - 1}]`);
    if (!(crash.drop > 0 && crash.drop < 1)) throw new RangeError("crash.drop must be in (0, 1)");
  }

  const rng = createRng(seed);
  const dt = 1 / 365;
  const start = opts.startDate ?? "2024-01-01";
  const dates: string[] = [start];
  const regimes: Regime[] = ["calm"];
  const prices: number[][] = [assets.map((a) => a.initialPrice)];
  let regime: Regime = "calm";
  let forcedStress = 0;

  for (let t = 1; t < days; t++) {
    // Regime for day t: forced after a crash, otherwise a Markov switch.
    const u = rng.uniform();
    if (forcedStress > 0) {
      regime = "stress";
      forcedStress--;
    } else {
      const spec = regime === "calm" ? calm : stress;
      if (u < 1 / spec.meanDurationDays) regime = regime === "calm" ? "stress" : "calm";
    }
    const isCrash = crash !== null && t === crash.day;
    if (isCrash) {
      regime = "stress";
      forcedStress = crash.stressDays;
    }
    const spec = regime === "calm" ? calm : stress;
    const factor = rng.normal();
    const a1 = Math.sqrt(spec.correlation);
    const a2 = Math.sqrt(1 - spec.correlation);
    const prev = prices[t - 1] as number[];
    const row = assets.map((a, i) => {
      const sigma = a.annualVol * spec.volMultiplier;
      const mu = a.annualDrift + spec.driftShift;
      let r = (mu - 0.5 * sigma * sigma) * dt + sigma * Math.sqrt(dt) * (a1 * factor + a2 * rng.normal());
      if (isCrash) r += Math.log(1 - Math.min(0.95, crash.drop * (a.crashBeta ?? 1)));
      return (prev[i] as number) * Math.exp(r);
    });
    prices.push(row);
    dates.push(addDays(start, t));
    regimes.push(regime);
  }
  return {
    symbols: assets.map((a) => a.symbol),
    dates,
    prices,
    regimes,
    source: `generated regime-switching path (seed ${seed}, ${days} days${crash === null ? ", no crash" : `, crash on day ${crash.day}`})`,
  };
}
