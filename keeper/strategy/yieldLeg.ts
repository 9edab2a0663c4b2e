/**
 * The options strategy's optional yield leg (docs/options.md, "Yield leg"): the vault holds the
 * option venue's LP share (a near-cash asset that earns the premiums the pool collects, including
 * part of the overlay's own) at a FIXED weight, outside the risk-parity solve. Pure: no I/O.
 *
 * Target weight of the share = min(config target, config cap, on-chain max weight x margin),
 * raised when needed to the weight the pool cannot redeem now (an options pool only lets LPs
 * withdraw unlocked assets; planning a larger sell would make the whole rebalance revert).
 * The risk-parity exposures of the other assets are scaled by (1 - share weight).
 */
import type { AssetStateF, RebalanceBoundsF } from "../planner/types.ts";

/** Yield-leg configuration (keeper config `yieldLeg`, weights in bps of total value). */
export interface YieldLegParams {
  /** The pool share token (a vault risk asset). */
  token: string;
  /** Wanted weight, bps (0: the leg is off; any holding is unwound as the pool allows). */
  targetWeightBps: number;
  /** The keeper's own cap, bps (the vault's max weight applies as well). */
  maxWeightBps: number;
}

export interface YieldLegTarget {
  /** Target weight of the share, fraction of total value, in [0, 1). */
  weight: number;
  /** Why the weight is what it is. */
  notes: string[];
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/**
 * Share of the pool's redeemable amount the planner may sell: float rounding between USD and
 * share units must never plan one unit more than `maxRedeem` (the whole rebalance would revert).
 */
export const REDEEM_SAFETY = 0.999;

/** Validates `p`; throws on out-of-range weights. */
export function checkYieldLegParams(p: YieldLegParams): void {
  for (const k of ["targetWeightBps", "maxWeightBps"] as const) {
    const v = p[k];
    if (!Number.isInteger(v) || v < 0 || v >= 10_000)
      throw new RangeError(`yield leg ${k} must be an integer in [0, 10000), got ${v}`);
  }
}

/**
 * The share's target weight.
 * @param asset The share's state in the vault's bounds view.
 * @param totalValue Vault value, USD.
 * @param margin Safety margin in (0, 1]: the on-chain max weight is used at this share.
 * @param redeemableUsd What the pool lets the vault redeem now, USD (undefined: no limit known).
 */
export function yieldLegTarget(
  p: YieldLegParams,
  asset: AssetStateF,
  totalValue: number,
  margin: number,
  redeemableUsd?: number,
): YieldLegTarget {
  checkYieldLegParams(p);
  const notes: string[] = [];
  const wanted = p.targetWeightBps / 1e4;
  const caps = [p.maxWeightBps / 1e4, (asset.maxWeightBps / 1e4) * margin];
  let weight = Math.min(wanted, ...caps);
  if (weight < wanted) notes.push(`yield leg: target ${pct(wanted)} capped at ${pct(weight)}`);
  if (redeemableUsd !== undefined && totalValue > 0) {
    const current = asset.netExposure / totalValue;
    const floor = current - (Math.max(0, redeemableUsd) * REDEEM_SAFETY) / totalValue;
    if (floor > weight) {
      notes.push(
        `yield leg: the pool can redeem only $${redeemableUsd.toFixed(2)} now (collateral locked); ` +
          `target raised from ${pct(weight)} to ${pct(floor)}`,
      );
      weight = floor;
    }
  }
  weight = Math.max(0, Math.min(weight, 0.9999));
  notes.push(`yield leg: share weight ${pct(weight)}, risk assets scaled by ${(1 - weight).toFixed(4)}`);
  return { weight, notes };
}

/** The bounds without the share (what the risk-parity solve sees); the same object when absent. */
export function withoutYieldAsset(b: RebalanceBoundsF, token: string): RebalanceBoundsF {
  const key = token.toLowerCase();
  if (!b.assets.some((a) => a.token.toLowerCase() === key)) return b;
  return { ...b, assets: b.assets.filter((a) => a.token.toLowerCase() !== key) };
}

/** The share's entry in the bounds, if registered. */
export function findYieldAsset(b: RebalanceBoundsF, token: string): AssetStateF | undefined {
  const key = token.toLowerCase();
  return b.assets.find((a) => a.token.toLowerCase() === key);
}

/** Risk exposures scaled by (1 - weight), plus the share at `weight` (keyed by `shareToken`). */
export function combineYieldTargets(
  riskExposures: Readonly<Record<string, number>>,
  shareToken: string,
  weight: number,
): Record<string, number> {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`yield weight must be in [0, 1), got ${weight}`);
  const out: Record<string, number> = {};
  for (const [t, e] of Object.entries(riskExposures)) out[t] = e * (1 - weight);
  out[shareToken] = weight;
  return out;
}

/**
 * A covariance over `tokens` extended by the share with zero variance and covariance (the share is
 * near cash: it adds no risk contribution to the band check).
 */
export function extendCovariance(
  tokens: readonly string[],
  flat: Float64Array,
  shareToken: string,
): { tokens: string[]; matrix: { n: number; data: Float64Array } } {
  const n = tokens.length;
  const m = n + 1;
  const data = new Float64Array(m * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * m + j] = flat[i * n + j]!;
  return { tokens: [...tokens, shareToken], matrix: { n: m, data } };
}
