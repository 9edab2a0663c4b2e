/**
 * Turns current holdings, target exposures and the vault's current limits into a small ordered
 * list of typed trades (risk asset <-> vault asset), with a reason for every trade and for every
 * trade not made. The plan is verified with the vault model (with the safety margin) before it is
 * returned; trades the model would reject are removed, last first, with the violation as reason.
 */
import { InvalidOptionError } from "../risk/errors.ts";
import { toSquare } from "../risk/matrix.ts";
import type {
  AssetStateF,
  PlannedTrade,
  PlannerOptions,
  PlannerState,
  PlanTargets,
  RebalanceBoundsF,
  RebalancePlan,
  SkippedTrade,
} from "./types.ts";
import { checkRebalance } from "./vaultModel.ts";

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const usd = (x: number): string => `$${x.toFixed(2)}`;

/** Risk contributions (fractions) of a USD exposure vector under covariance S (flat). */
function riskContributions(S: Float64Array, n: number, e: ArrayLike<number>): Float64Array | null {
  const y = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += S[i * n + j]! * e[j]!;
    y[i] = s;
    v += e[i]! * s;
  }
  if (!(v > 0)) return null;
  const rc = new Float64Array(n);
  for (let i = 0; i < n; i++) rc[i] = (e[i]! * y[i]!) / v;
  return rc;
}

function validateBounds(b: RebalanceBoundsF): void {
  const nonNeg: (keyof RebalanceBoundsF)[] = [
    "totalValue",
    "idle",
    "maxTradeValue",
    "maxSlippageBps",
    "cooldownRemaining",
    "maxLossPerRebalance",
    "lossBudgetRemaining",
    "turnoverRemaining",
    "maxLeverage",
  ];
  for (const k of nonNeg) {
    const v = b[k] as number;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new InvalidOptionError(`bounds.${String(k)} must be a finite number >= 0, got ${v}`);
  }
  if (b.maxSlippageBps >= 1e4)
    throw new InvalidOptionError(`bounds.maxSlippageBps ${b.maxSlippageBps} >= 10000`);
  const seen = new Set<string>();
  for (const a of b.assets) {
    if (seen.has(a.token)) throw new InvalidOptionError(`asset ${a.token} listed twice`);
    seen.add(a.token);
    for (const k of ["price", "balance", "value", "maxWeightBps"] as const) {
      if (!(a[k] >= 0) || !Number.isFinite(a[k]))
        throw new InvalidOptionError(`asset ${a.token}: ${k} must be finite and >= 0, got ${a[k]}`);
    }
    if (!Number.isFinite(a.netExposure))
      throw new InvalidOptionError(`asset ${a.token}: netExposure not finite`);
  }
}

/**
 * Plans one rebalance. See docs/risk.md ("Planner") for the rules; in short:
 * 1. nothing when paused, oracles unhealthy or the total value is not positive;
 * 2. targets clipped to each asset's max weight and the gross to max leverage, both less the margin;
 * 3. no trade while the risk-contribution drift (or weight drift without a covariance) and the
 *    gross-exposure drift are inside their bands and no cap is breached;
 * 4. per asset, the USD change to target; none below minTradeUsd; during a cooldown, buys (risk
 *    increasing) are not made; sells never exceed spot holdings;
 * 5. sells first, then buys (funded by idle cash plus the sells' worst-case proceeds), each limited
 *    by the remaining turnover and loss budgets (less the margin) and split into chunks no larger
 *    than the per-trade cap (less the margin);
 * 6. the plan is checked with the vault model tightened by the margin; rejected trades are dropped.
 */
export function planRebalance(
  state: PlannerState,
  targets: PlanTargets,
  bounds: RebalanceBoundsF,
  options: PlannerOptions = {},
): RebalancePlan {
  validateBounds(bounds);
  const marginBps = options.safetyMarginBps ?? 100;
  if (!(marginBps >= 0 && marginBps < 1e4))
    throw new InvalidOptionError(`safetyMarginBps must be in [0, 10000), got ${marginBps}`);
  const m = 1 - marginBps / 1e4;
  const rcBand = options.rcBand ?? 0.02;
  const weightBand = options.weightBand ?? 0.02;
  const exposureBand = options.exposureBand ?? 0.05;
  const minTrade = options.minTradeUsd ?? 50;
  const maxTrades = options.maxTrades ?? 24;
  const slip = options.slippageBps ?? 0.8 * bounds.maxSlippageBps;
  if (!(slip >= 0 && slip <= bounds.maxSlippageBps)) {
    throw new InvalidOptionError(
      `slippageBps ${slip} must be in [0, maxSlippageBps = ${bounds.maxSlippageBps}]`,
    );
  }
  const vaultAsset = state.vaultAsset;
  const notes: string[] = [];
  const skipped: SkippedTrade[] = [];
  const effectiveTargets: Record<string, number> = {};
  const desired: Record<string, number> = {};
  const empty = (drift: number): RebalancePlan => ({
    nonce: bounds.nonce,
    trades: [],
    skipped,
    notes,
    check: checkRebalance(bounds, [], vaultAsset),
    drift,
    effectiveTargets,
    desiredValueUsd: desired,
  });
  for (const tok of Object.keys(targets.exposures)) {
    const t = targets.exposures[tok]!;
    if (!(t >= 0) || !Number.isFinite(t))
      throw new InvalidOptionError(`target exposure for ${tok} must be finite and >= 0, got ${t}`);
    if (!bounds.assets.some((a) => a.token === tok))
      throw new InvalidOptionError(`target for ${tok}, which is not a vault risk asset`);
  }
  const assets = bounds.assets;
  const n = assets.length;
  if (bounds.rebalancePaused) {
    notes.push("rebalancing is paused: no trades");
    for (const a of assets)
      skipped.push({ asset: a.token, desiredValueUsd: 0, reason: "rebalancing paused" });
    return empty(0);
  }
  if (!bounds.oraclesHealthy || assets.some((a) => !(a.price > 0))) {
    notes.push("an oracle is unhealthy: no trades (a stale oracle stops risk-taking)");
    for (const a of assets) skipped.push({ asset: a.token, desiredValueUsd: 0, reason: "oracles unhealthy" });
    return empty(0);
  }
  const V = bounds.totalValue;
  if (!(V > 0)) {
    notes.push("total value is zero: nothing to rebalance");
    return empty(0);
  }

  // ---- effective targets: caps less margin ----
  const target = new Float64Array(n);
  const capW = assets.map((a) => (a.maxWeightBps / 1e4) * m);
  for (let i = 0; i < n; i++) {
    const a = assets[i]!;
    const want = targets.exposures[a.token] ?? 0;
    target[i] = Math.min(want, capW[i]!);
    if (want > capW[i]!)
      notes.push(`${a.token}: target ${pct(want)} clipped to max weight less margin ${pct(capW[i]!)}`);
  }
  let gross = 0;
  for (let i = 0; i < n; i++) gross += target[i]!;
  const levCap = bounds.maxLeverage * m;
  if (gross > levCap) {
    const k = levCap / gross;
    for (let i = 0; i < n; i++) target[i] = target[i]! * k;
    notes.push(`gross target ${gross.toFixed(4)}x scaled to max leverage less margin ${levCap.toFixed(4)}x`);
    gross = levCap;
  }
  const w = assets.map((a) => a.netExposure / V);
  for (let i = 0; i < n; i++) {
    effectiveTargets[assets[i]!.token] = target[i]!;
    desired[assets[i]!.token] = (target[i]! - w[i]!) * V;
  }
  let curGross = 0;
  for (const x of w) curGross += Math.abs(x);

  // ---- band decision ----
  const breaches: string[] = [];
  for (let i = 0; i < n; i++)
    if (w[i]! > assets[i]!.maxWeightBps / 1e4)
      breaches.push(`${assets[i]!.token} weight ${pct(w[i]!)} above its cap`);
  if (curGross > bounds.maxLeverage)
    breaches.push(`leverage ${curGross.toFixed(4)}x above max ${bounds.maxLeverage}x`);
  let drift = 0;
  let driftLabel: string;
  let band: number;
  const cov = state.covariance;
  let rcCur: Float64Array | null = null;
  let rcTgt: Float64Array | null = null;
  if (cov !== undefined) {
    const S = toSquare(cov.matrix, "covariance");
    if (S.n !== cov.tokens.length) throw new InvalidOptionError("covariance tokens and matrix size differ");
    const pos = assets.map((a) => cov.tokens.indexOf(a.token));
    if (pos.some((p) => p < 0)) throw new InvalidOptionError("covariance must cover every vault risk asset");
    const eCur = new Float64Array(S.n);
    const eTgt = new Float64Array(S.n);
    for (let i = 0; i < n; i++) {
      eCur[pos[i]!] = assets[i]!.netExposure;
      eTgt[pos[i]!] = target[i]!;
    }
    const rcC = riskContributions(S.data, S.n, eCur);
    let rcT: Float64Array | null;
    if (targets.riskBudgets !== undefined) {
      rcT = new Float64Array(S.n);
      let sb = 0;
      for (let i = 0; i < n; i++) sb += targets.riskBudgets[assets[i]!.token] ?? 0;
      for (let i = 0; i < n; i++)
        rcT[pos[i]!] = sb > 0 ? (targets.riskBudgets[assets[i]!.token] ?? 0) / sb : 0;
    } else rcT = riskContributions(S.data, S.n, eTgt);
    if (rcC !== null && rcT !== null) {
      rcCur = new Float64Array(n);
      rcTgt = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        rcCur[i] = rcC[pos[i]!]!;
        rcTgt[i] = rcT[pos[i]!]!;
        drift = Math.max(drift, Math.abs(rcCur[i]! - rcTgt[i]!));
      }
    } else drift = Infinity; // no risk now (all cash) or no target risk: always outside the band
    driftLabel = "risk-contribution drift";
    band = rcBand;
  } else {
    for (let i = 0; i < n; i++) drift = Math.max(drift, Math.abs(w[i]! - target[i]!));
    driftLabel = "weight drift";
    band = weightBand;
  }
  const grossDrift = gross > 1e-12 ? Math.abs(curGross - gross) / gross : curGross > 1e-9 ? Infinity : 0;
  const inBand = drift <= band && grossDrift <= exposureBand;
  const forced = assets.map((a) => a.token).filter((t) => options.forceAssets?.[t] !== undefined);
  // inside the band with no breach, only the forced assets (delta hedge) trade
  const forcedOnly = inBand && breaches.length === 0 && forced.length > 0;
  if (inBand && breaches.length === 0 && !forcedOnly) {
    const why = `inside no-trade band: ${driftLabel} ${pct(drift)} <= ${pct(band)}, gross drift ${pct(grossDrift)} <= ${pct(exposureBand)}`;
    notes.push(why);
    for (let i = 0; i < n; i++)
      skipped.push({ asset: assets[i]!.token, desiredValueUsd: (target[i]! - w[i]!) * V, reason: why });
    return empty(drift);
  }
  const trigger =
    breaches.length > 0
      ? `cap breach (${breaches.join("; ")})`
      : forcedOnly
        ? `delta hedge inside the no-trade band (${driftLabel} ${pct(drift)} <= ${pct(band)}): ${forced.map((t) => `${t} ${options.forceAssets?.[t] ?? ""}`).join("; ")}`
        : drift > band
          ? `${driftLabel} ${pct(drift)} > band ${pct(band)}`
          : `gross exposure ${curGross.toFixed(4)}x vs target ${gross.toFixed(4)}x: drift ${pct(grossDrift)} > ${pct(exposureBand)}`;
  notes.push(`rebalancing: ${trigger}`);

  // ---- desired USD changes ----
  const chunkCap = bounds.maxTradeValue * m;
  let turnoverLeft = bounds.turnoverRemaining * m;
  let lossLeft = Math.min(bounds.maxLossPerRebalance, bounds.lossBudgetRemaining) * m;
  const lossRate = slip / 1e4;
  const trades: PlannedTrade[] = [];
  const describe = (i: number): string => {
    const a = assets[i]!;
    const rc = rcCur !== null && rcTgt !== null ? `, RC ${pct(rcCur[i]!)} vs ${pct(rcTgt[i]!)}` : "";
    return `${a.token} ${pct(w[i]!)} -> target ${pct(target[i]!)} of value${rc}; ${trigger}`;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  const delta = order.map((i) =>
    forcedOnly && !forced.includes(assets[i]!.token) ? 0 : (target[i]! - w[i]!) * V,
  );
  // largest moves first so the budgets go where they matter most
  order.sort((x, y) => Math.abs(delta[y]!) - Math.abs(delta[x]!));
  const sells = order.filter((i) => delta[i]! < 0);
  const buys = order.filter((i) => delta[i]! > 0);
  for (const i of order) {
    if (delta[i] === 0)
      skipped.push({
        asset: assets[i]!.token,
        desiredValueUsd: 0,
        reason:
          forcedOnly && !forced.includes(assets[i]!.token)
            ? "inside the no-trade band (only the delta hedge trades)"
            : "already at target",
      });
  }
  if (chunkCap < minTrade) {
    const why = `per-trade cap less margin ${usd(chunkCap)} is below the minimum trade size ${usd(minTrade)}`;
    notes.push(why);
    for (const i of [...sells, ...buys])
      skipped.push({ asset: assets[i]!.token, desiredValueUsd: delta[i]!, reason: why });
    return empty(drift);
  }

  /** Emits chunks for `amount` USD (already budget-limited). Returns the USD actually planned. */
  const emit = (i: number, side: "sell" | "buy", amount: number, reason: string): number => {
    const a: AssetStateF = assets[i]!;
    const k = Math.ceil(amount / chunkCap - 1e-12);
    const room = maxTrades - trades.length;
    const chunks = Math.min(k, room);
    if (chunks <= 0) return 0;
    const each = amount / k;
    for (let c = 0; c < chunks; c++) {
      const label = k > 1 ? ` (chunk ${c + 1}/${k} of ${usd(amount)})` : "";
      if (side === "sell") {
        trades.push({
          tokenIn: a.token,
          tokenOut: vaultAsset,
          amountIn: each / a.price,
          minAmountOut: each * (1 - lossRate),
          valueUsd: each,
          asset: a.token,
          side,
          reason: `sell ${usd(each)}${label}: ${reason}`,
        });
      } else {
        trades.push({
          tokenIn: vaultAsset,
          tokenOut: a.token,
          amountIn: each,
          minAmountOut: (each / a.price) * (1 - lossRate),
          valueUsd: each,
          asset: a.token,
          side,
          reason: `buy ${usd(each)}${label}: ${reason}`,
        });
      }
    }
    return each * chunks;
  };

  /** Applies the common limits to a desired amount; records the reasons for what is cut. */
  const limit = (
    i: number,
    side: "sell" | "buy",
    want: number,
    extra: { cap: number; why: string } | null,
  ): number => {
    const tok = assets[i]!.token;
    const sign = side === "sell" ? -1 : 1;
    let amt = want;
    const cut = (to: number, why: string): void => {
      if (to < amt) {
        skipped.push({ asset: tok, desiredValueUsd: sign * (amt - Math.max(0, to)), reason: why });
        amt = Math.max(0, to);
      }
    };
    if (extra !== null) cut(extra.cap, extra.why);
    cut(turnoverLeft, `turnover budget: ${usd(turnoverLeft)} left (less margin)`);
    cut(
      lossRate > 0 ? lossLeft / lossRate : Infinity,
      `loss budget: ${usd(lossLeft)} left (less margin) at ${slip} bps slippage`,
    );
    const maxByTrades = (maxTrades - trades.length) * chunkCap;
    cut(maxByTrades, `trade count limit (${maxTrades} trades per rebalance)`);
    if (amt > 0 && amt < minTrade) {
      skipped.push({
        asset: tok,
        desiredValueUsd: sign * amt,
        reason: `below minimum trade size ${usd(minTrade)}`,
      });
      amt = 0;
    }
    return amt;
  };

  let cash = bounds.idle;
  for (const i of sells) {
    const a = assets[i]!;
    const want = -delta[i]!;
    if (want < minTrade) {
      skipped.push({
        asset: a.token,
        desiredValueUsd: delta[i]!,
        reason: `sell of ${usd(want)} is below minimum trade size ${usd(minTrade)}`,
      });
      continue;
    }
    // never sell more spot than held, nor below zero net exposure (keeps sells exposure-reducing)
    const spotCap = Math.min(a.balance * a.price, Math.max(0, a.netExposure));
    const amt = limit(i, "sell", want, {
      cap: spotCap,
      why: `limited by spot holdings / net exposure (${usd(spotCap)})`,
    });
    if (amt <= 0) continue;
    const done = emit(i, "sell", amt, describe(i));
    turnoverLeft -= done;
    lossLeft -= done * lossRate;
    cash += done * (1 - lossRate);
  }
  for (const i of buys) {
    const a = assets[i]!;
    const want = delta[i]!;
    if (want < minTrade) {
      skipped.push({
        asset: a.token,
        desiredValueUsd: want,
        reason: `buy of ${usd(want)} is below minimum trade size ${usd(minTrade)}`,
      });
      continue;
    }
    if (bounds.cooldownRemaining > 0) {
      skipped.push({
        asset: a.token,
        desiredValueUsd: want,
        reason: `cooldown: risk-increasing trades wait ${bounds.cooldownRemaining} s`,
      });
      continue;
    }
    const amt = limit(i, "buy", want, { cap: cash, why: `limited by idle cash after sells (${usd(cash)})` });
    if (amt <= 0) continue;
    const done = emit(i, "buy", amt, describe(i));
    turnoverLeft -= done;
    lossLeft -= done * lossRate;
    cash -= done;
  }

  // ---- verify with the vault model (tightened by the margin); drop rejected trades, last first ----
  let check = checkRebalance(bounds, trades, vaultAsset, { marginBps });
  while (!check.ok && trades.length > 0) {
    const v = check.violations[0]!;
    const idx = v.trade !== undefined ? v.trade : trades.length - 1;
    const [t] = trades.splice(idx, 1);
    skipped.push({
      asset: t!.asset,
      desiredValueUsd: t!.side === "buy" ? t!.valueUsd : -t!.valueUsd,
      reason: `dropped: the vault model (with ${marginBps} bps margin) would reject it: ${v.code}: ${v.message}`,
    });
    check = checkRebalance(bounds, trades, vaultAsset, { marginBps });
  }
  if (trades.length === 0) notes.push("no trade survived the limits");
  return {
    nonce: bounds.nonce,
    trades,
    skipped,
    notes,
    check: checkRebalance(bounds, trades, vaultAsset),
    drift,
    effectiveTargets,
    desiredValueUsd: desired,
  };
}
