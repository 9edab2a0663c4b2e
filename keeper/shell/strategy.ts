/**
 * The default `Planner`: composes the pure risk engine (keeper/risk) and planner (keeper/planner)
 * from price history. Pure (no I/O): history -> daily log returns (a missing close stays missing)
 * -> EWMA covariance -> risk-parity weights (budgets from the config, bounded by each asset's max
 * weight) -> volatility-target scale (capped at the vault's target leverage) -> planRebalance.
 */
import { estimateCovariance, solveRiskParity, volatilityTargetScale } from "../risk/index.ts";
import { planRebalance } from "../planner/index.ts";
import { planDeltaHedge, type HedgeLine } from "../strategy/overlay.ts";
import type { RebalanceBoundsF } from "../planner/types.ts";
import type { PlanF, Planner, PlanInput, PriceHistory } from "./ports.ts";
import {
  combineYieldTargets,
  extendCovariance,
  findYieldAsset,
  withoutYieldAsset,
  yieldLegTarget,
  type YieldLegParams,
} from "../strategy/yieldLeg.ts";

export interface StrategyOptions {
  volTarget: number;
  lookbackDays: number;
  halfLifeDays: number;
  /** Token -> risk budget (normalised here); equal budgets when absent. */
  riskBudgets?: Record<string, number>;
  /** Safety margin, fraction in (0, 1]: caps and budgets are used at this share. */
  margin: number;
  minTradeValue: number;
  slippageBps: number;
  /**
   * The options strategy's yield leg (keeper/strategy/yieldLeg.ts): the pool share is held at a
   * fixed weight outside the risk-parity solve. Absent: off (the planner is unchanged).
   */
  yieldLeg?: YieldLegParams;
}

/** Daily log returns, rows = days (oldest first), columns = `tokens`; NaN where a close is missing. */
export function logReturns(
  history: PriceHistory,
  tokens: readonly string[],
  lookbackDays: number,
): Float64Array[] {
  const rows: Float64Array[] = [];
  const T = history.days.length;
  const start = Math.max(1, T - lookbackDays);
  for (let t = start; t < T; t++) {
    const row = new Float64Array(tokens.length);
    tokens.forEach((tok, j) => {
      const p = history.prices.get(tok);
      const a = p?.[t - 1];
      const b = p?.[t];
      row[j] = a !== undefined && b !== undefined && a > 0 && b > 0 ? Math.log(b / a) : Number.NaN;
    });
    rows.push(row);
  }
  return rows;
}

function rcOf(
  S: Float64Array,
  n: number,
  w: ArrayLike<number>,
): { rc: Float64Array; vol: number } | undefined {
  const y = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += S[i * n + j]! * w[j]!;
    y[i] = s;
    v += w[i]! * s;
  }
  if (!(v > 0)) return undefined;
  const rc = new Float64Array(n);
  for (let i = 0; i < n; i++) rc[i] = (w[i]! * y[i]!) / v;
  return { rc, vol: Math.sqrt(v) };
}

function currentWeights(b: RebalanceBoundsF): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of b.assets) out[a.token] = b.totalValue > 0 ? a.netExposure / b.totalValue : 0;
  return out;
}

export function createPlanner(opts: StrategyOptions): Planner {
  return (input: PlanInput): PlanF => {
    const full = input.bounds;
    const share = opts.yieldLeg ? findYieldAsset(full, opts.yieldLeg.token) : undefined;
    // The risk-parity solve sees the bounds without the pool share (the same object when the leg is off).
    const b = share && opts.yieldLeg ? withoutYieldAsset(full, opts.yieldLeg.token) : full;
    const tokens = b.assets.map((a) => a.token);
    const current = currentWeights(full);
    const empty = (note: string): PlanF => ({
      trades: [],
      skipped: [],
      notes: [note],
      targetWeights: {},
      currentWeights: current,
      riskContributions: {},
      scale: 0,
      currentVolatility: Number.NaN,
    });
    if (tokens.length === 0) return empty("the vault has no risk assets");
    const returns = logReturns(input.history, tokens, opts.lookbackDays);
    const cov = estimateCovariance(returns, {
      method: "ewma",
      halfLife: opts.halfLifeDays,
      annualization: 365,
      minObservations: Math.min(20, Math.max(2, returns.length - 1)),
    });
    const n = tokens.length;
    const budgets = opts.riskBudgets
      ? (() => {
          const raw = tokens.map((t) => opts.riskBudgets?.[t] ?? 0);
          const sum = raw.reduce((s, x) => s + x, 0);
          if (!(sum > 0)) throw new Error("riskBudgets give no positive budget to any vault asset");
          return raw.map((x) => x / sum);
        })()
      : undefined;
    const upper = b.assets.map((a) => Math.max(1e-6, Math.min(1, a.maxWeightBps / 1e4)));
    const sumUpper = upper.reduce((s, x) => s + x, 0);
    const rp = solveRiskParity(cov.covariance, {
      ...(budgets ? { budgets } : {}),
      ...(sumUpper >= 1 ? { upperBounds: upper } : {}),
    });
    const vt = volatilityTargetScale({
      weights: rp.weights,
      targetVolatility: opts.volTarget,
      maxLeverage: Math.max(1e-9, b.targetLeverage),
      forecast: { kind: "ex-ante", covariance: cov.covariance },
    });
    let exposures: Record<string, number> = {};
    tokens.forEach((t, i) => (exposures[t] = rp.weights[i]! * vt.scale));
    const riskBudgets: Record<string, number> = {};
    tokens.forEach((t, i) => (riskBudgets[t] = budgets ? budgets[i]! : 1 / n));
    let covariance: { tokens: readonly string[]; matrix: typeof cov.covariance } = {
      tokens,
      matrix: cov.covariance,
    };
    const yieldNotes: string[] = [];
    let planBounds = full;
    if (share && opts.yieldLeg) {
      const leg = yieldLegTarget(
        opts.yieldLeg,
        share,
        full.totalValue,
        opts.margin,
        input.yieldRedeemableUsd,
      );
      exposures = combineYieldTargets(exposures, share.token, leg.weight);
      riskBudgets[share.token] = 0;
      covariance = extendCovariance(tokens, cov.covariance.data, share.token);
      yieldNotes.push(...leg.notes);
      // A share weight held up by locked collateral may sit above the cap less the margin; the
      // vault accepts a breached weight that does not grow, so plan with a cap that does not force
      // a sell the pool cannot honour.
      const neededBps = Math.min(1e4, Math.ceil((leg.weight / opts.margin) * 1e4) + 1);
      if (neededBps > share.maxWeightBps) {
        planBounds = {
          ...full,
          assets: full.assets.map((a) => (a === share ? { ...a, maxWeightBps: neededBps } : a)),
        };
      }
    } else if (opts.yieldLeg && opts.yieldLeg.targetWeightBps > 0) {
      yieldNotes.push(`yield leg: ${opts.yieldLeg.token} is not a vault asset; leg skipped`);
    }
    // Delta hedge: net delta (spot + options) per hedged underlying vs the risk-parity target
    // exposure in tokens; an underlying outside its band is traded even inside the planner's band.
    let hedge: HedgeLine[] | undefined;
    const forceAssets: Record<string, string> = {};
    if (input.hedge) {
      const h = input.hedge;
      const holdings: Record<string, number> = {};
      const targetExposure: Record<string, number> = {};
      for (const a of b.assets) {
        if (!h.underlyings.includes(a.token) || !(a.price > 0)) continue;
        holdings[a.token] = a.balance;
        targetExposure[a.token] = ((exposures[a.token] ?? 0) * b.totalValue) / a.price;
      }
      hedge = planDeltaHedge({
        holdings,
        options: h.options.filter((p) => holdings[p.underlying] !== undefined),
        market: h.market,
        targetExposure,
        ...(h.rate !== undefined ? { rate: h.rate } : {}),
        ...(h.config ? { config: h.config } : {}),
      });
      for (const l of hedge)
        if (l.reason === "REHEDGE")
          forceAssets[l.underlying] =
            `net delta ${l.netDelta.toPrecision(6)} (spot ${l.spot.toPrecision(6)} + options ${l.optionDelta.toPrecision(6)}) vs target ${l.target.toPrecision(6)}, band ${l.band.toPrecision(4)}: ${l.trade > 0 ? "buy" : "sell"} ${Math.abs(l.trade).toPrecision(6)}`;
    }
    const plan = planRebalance(
      { vaultAsset: input.vaultAsset, covariance },
      { exposures, riskBudgets },
      planBounds,
      {
        minTradeUsd: opts.minTradeValue,
        slippageBps: Math.min(opts.slippageBps, Math.floor(b.maxSlippageBps * 0.8)),
        safetyMarginBps: Math.round((1 - opts.margin) * 1e4),
        ...(Object.keys(forceAssets).length > 0 ? { forceAssets } : {}),
      },
    );
    const now = rcOf(
      cov.covariance.data,
      n,
      tokens.map((t) => current[t] ?? 0),
    );
    const rc: Record<string, number> = {};
    if (now) tokens.forEach((t, i) => (rc[t] = now.rc[i]!));
    return {
      trades: plan.trades,
      skipped: plan.skipped,
      notes: [
        ...plan.notes,
        `risk parity ${rp.converged ? "converged" : "did not converge"}; vol scale ${vt.scale.toFixed(3)} (${vt.binding})`,
        ...yieldNotes,
      ],
      targetWeights: exposures,
      currentWeights: current,
      riskContributions: rc,
      scale: vt.scale,
      currentVolatility: now?.vol ?? Number.NaN,
      ...(hedge ? { hedge } : {}),
    };
  };
}
