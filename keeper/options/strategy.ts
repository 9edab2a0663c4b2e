/**
 * Option overlay helpers for the planner: strike selection by delta, roll decisions and the
 * delta-hedge trade per underlying. Pure functions; conventions as in black.ts (Black-76 on the
 * forward, volatility decimal, time in years of 365 days).
 */
import { black76 } from "./black.ts";
import {
  OptionInputError,
  requireFinite,
  requireNonNegative,
  requireOptionType,
  requirePositive,
  type OptionType,
} from "./errors.ts";
import { normInv } from "./normal.ts";

export type DeltaConvention = "forward" | "premiumAdjusted";

export interface StrikeForDeltaInput {
  forward: number;
  /** Years of 365 days (> 0), e.g. 30 / 365. */
  timeToExpiry: number;
  volatility: number;
  /**
   * Signed target delta: in (0, D) for a call, in (-D, 0) for a put (e.g. -0.20), with
   * D = exp(-rate T). With convention "premiumAdjusted" the target is delta - price/forward
   * (the delta of a coin-settled option seen from a coin account, as on Deribit).
   */
  targetDelta: number;
  type: OptionType;
  rate?: number;
  convention?: DeltaConvention;
  /** Optional listed strikes: the result is the listed strike whose delta is closest to the target. */
  listedStrikes?: readonly number[];
}

export interface StrikeForDeltaResult {
  strike: number;
  /** Delta of the returned strike in the requested convention. */
  delta: number;
}

function deltaOf(
  F: number,
  K: number,
  T: number,
  v: number,
  r: number,
  type: OptionType,
  conv: DeltaConvention,
): number {
  const g = black76({ forward: F, strike: K, timeToExpiry: T, volatility: v, rate: r, type });
  return conv === "forward" ? g.delta : g.delta - g.price / F;
}

/**
 * Strike whose delta equals the target. Forward delta has the closed form
 * K = F exp(-d1 s + s^2/2), d1 = N^{-1}(delta/D) (call) or -N^{-1}(-delta/D) (put), s = sigma sqrt(T).
 * Premium-adjusted delta is solved by bisection in ln K (it is monotone in K for puts; for calls
 * it is not monotone in general, so for calls the solver searches strikes at or above the forward and
 * returns a strike there with that delta).
 */
export function strikeForDelta(input: StrikeForDeltaInput): StrikeForDeltaResult {
  requirePositive("forward", input.forward);
  requirePositive("timeToExpiry", input.timeToExpiry);
  requirePositive("volatility", input.volatility);
  requireFinite("targetDelta", input.targetDelta);
  requireOptionType(input.type);
  const r = input.rate ?? 0;
  requireFinite("rate", r);
  const conv = input.convention ?? "forward";
  const F = input.forward;
  const T = input.timeToExpiry;
  const v = input.volatility;
  const D = Math.exp(-r * T);
  const target = input.targetDelta;
  const isCall = input.type === "call";
  if (isCall ? !(target > 0 && target < D) : !(target < 0 && target > -D))
    throw new OptionInputError(
      "BAD_PARAMETER",
      "targetDelta",
      target,
      `must be in ${isCall ? "(0, D)" : "(-D, 0)"} for a ${input.type}`,
    );

  let strike: number;
  const s = v * Math.sqrt(T);
  if (conv === "forward") {
    const d1 = isCall ? normInv(target / D) : -normInv(-target / D);
    strike = F * Math.exp(-d1 * s + 0.5 * s * s);
  } else {
    // bisection on ln K; delta decreases with K for both types
    let lo = Math.log(F) - 12 * s - 1;
    let hi = Math.log(F) + 12 * s + 1;
    if (isCall) lo = Math.log(F); // premium-adjusted call delta is monotone above the forward
    const f = (lnK: number) => deltaOf(F, Math.exp(lnK), T, v, r, input.type, conv) - target;
    if (f(lo) < 0 || f(hi) > 0)
      throw new OptionInputError(
        "BAD_PARAMETER",
        "targetDelta",
        target,
        "not reachable with premium-adjusted delta",
      );
    for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.abs(hi); i++) {
      const mid = 0.5 * (lo + hi);
      if (f(mid) > 0) lo = mid;
      else hi = mid;
    }
    strike = Math.exp(0.5 * (lo + hi));
  }
  if (input.listedStrikes !== undefined && input.listedStrikes.length > 0) {
    let best: StrikeForDeltaResult | undefined;
    for (const k of input.listedStrikes) {
      requirePositive("listedStrikes[]", k);
      const d = deltaOf(F, k, T, v, r, input.type, conv);
      if (best === undefined || Math.abs(d - target) < Math.abs(best.delta - target))
        best = { strike: k, delta: d };
    }
    return best!;
  }
  return { strike, delta: deltaOf(F, strike, T, v, r, input.type, conv) };
}

export type RollReason = "EXPIRY" | "DELTA" | "NONE";

export interface RollInput {
  /** Calendar days left to expiry. */
  daysToExpiry: number;
  /** Roll when fewer than this many days are left (e.g. 7). */
  rollBelowDays: number;
  /** Optional current delta of the option (signed) and the largest |delta| tolerated before rolling. */
  delta?: number;
  maxAbsDelta?: number;
}

/** Roll when the option is too close to expiry, or (optionally) when it has gone too far in the money. */
export function rollDecision(input: RollInput): { roll: boolean; reason: RollReason } {
  requireFinite("daysToExpiry", input.daysToExpiry);
  requireNonNegative("rollBelowDays", input.rollBelowDays);
  if (input.daysToExpiry < input.rollBelowDays) return { roll: true, reason: "EXPIRY" };
  if (input.delta !== undefined && input.maxAbsDelta !== undefined) {
    requireFinite("delta", input.delta);
    requirePositive("maxAbsDelta", input.maxAbsDelta);
    if (Math.abs(input.delta) > input.maxAbsDelta) return { roll: true, reason: "DELTA" };
  }
  return { roll: false, reason: "NONE" };
}

export interface HedgeInput {
  /** Current net delta of the underlying (options + linear), in units of the underlying. */
  netDelta: number;
  /** Target net exposure, in units of the underlying. */
  targetDelta: number;
  /** No trade while |netDelta - targetDelta| <= band (units of the underlying, >= 0). */
  band: number;
  /** "target" trades back to the target; "bandEdge" only to the nearest edge of the band. */
  rebalanceTo?: "target" | "bandEdge";
  /** Trades smaller than this are skipped (exchange minimum); default 0. */
  minTradeSize?: number;
}

/**
 * Signed amount of underlying to buy (> 0) or sell (< 0) so that the net delta returns inside the
 * band around the target. Returns 0 inside the band.
 */
export function deltaHedgeAmount(input: HedgeInput): number {
  requireFinite("netDelta", input.netDelta);
  requireFinite("targetDelta", input.targetDelta);
  requireNonNegative("band", input.band);
  const minTrade = input.minTradeSize ?? 0;
  requireNonNegative("minTradeSize", minTrade);
  const gap = input.netDelta - input.targetDelta;
  if (Math.abs(gap) <= input.band) return 0;
  const to = input.rebalanceTo ?? "target";
  const trade = to === "target" ? -gap : -(gap - Math.sign(gap) * input.band);
  return Math.abs(trade) < minTrade ? 0 : trade;
}

/** deltaHedgeAmount for every underlying; underlyings without a target are hedged to 0. */
export function deltaHedgeTrades(
  netDelta: Readonly<Record<string, number>>,
  target: Readonly<Record<string, number>>,
  band: Readonly<Record<string, number>>,
  options: { rebalanceTo?: "target" | "bandEdge"; minTradeSize?: Readonly<Record<string, number>> } = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of new Set([...Object.keys(netDelta), ...Object.keys(target)])) {
    const b = band[u];
    if (b === undefined)
      throw new OptionInputError("BAD_PARAMETER", `band.${u}`, b, "no hedge band for underlying");
    const hedge: HedgeInput = { netDelta: netDelta[u] ?? 0, targetDelta: target[u] ?? 0, band: b };
    if (options.rebalanceTo !== undefined) hedge.rebalanceTo = options.rebalanceTo;
    const m = options.minTradeSize?.[u];
    if (m !== undefined) hedge.minTradeSize = m;
    out[u] = deltaHedgeAmount(hedge);
  }
  return out;
}
