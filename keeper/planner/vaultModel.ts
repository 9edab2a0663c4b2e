/**
 * The ONE TypeScript model of the vault's rebalance checks. The planner verifies every plan with
 * it, so it must be at least as strict as the contract. Rules, in the order the vault applies them:
 *
 *  1. PAUSED            rebalancePaused -> any non-empty plan is rejected.
 *  2. ORACLES_UNHEALTHY !oraclesHealthy or any traded asset priced 0 -> rejected (a stale oracle
 *                       stops risk-taking; exits go through deleverage / in-kind redemption).
 *  3. BAD_TRADE / UNKNOWN_TOKEN: exactly one side is the vault asset, the other a registered risk
 *                       asset; amountIn > 0 and finite; minAmountOut finite and >= 0.
 *  4. TRADE_CAP         amountIn at the oracle price <= maxTradeValue.
 *  5. MIN_OUT           minAmountOut >= oracle quote x (1 - maxSlippageBps / 1e4).
 *  6. BALANCE           trades execute in order; amountIn <= balance of tokenIn at that point,
 *                       counting earlier trades' outputs at their minAmountOut (worst case).
 *  7. TURNOVER          sum of trade values <= turnoverRemaining.
 *  8. LOSS              worst-case loss (value in - minAmountOut value, at oracle prices)
 *                       <= min(maxLossPerRebalance, lossBudgetRemaining).
 *  9. WEIGHT            after the plan, netExposure_i / totalValue <= maxWeightBps_i / 1e4, unless
 *                       that asset's net exposure did not increase.
 * 10. LEVERAGE          after the plan, sum_i |netExposure_i| / totalValue <= maxLeverage, unless
 *                       leverage did not increase.
 * 11. COOLDOWN          while cooldownRemaining > 0 only exposure-reducing plans pass: no asset's
 *                       |net exposure| and not the leverage may increase.
 * Post-trade checks 9-11 are evaluated twice, with fills at minAmountOut and at the oracle quote
 * (the contract sees the actual fill, somewhere around these).
 *
 * `marginBps` tightens the caps of 4, 7, 8, 9, 10 by that fraction (the planner verifies with its
 * safety margin; a plan passing the tightened model passes the plain one).
 * Float comparisons allow a relative 1e-12 for rounding noise only.
 */
import type { PlannedTrade, PostTradeState, RebalanceBoundsF, VaultCheckResult, Violation } from "./types.ts";

const REL = 1e-12;

function le(a: number, b: number): boolean {
  return a <= b + REL * Math.max(Math.abs(a), Math.abs(b), 1);
}

export interface VaultModelOptions {
  marginBps?: number;
}

type TradeLike = Pick<PlannedTrade, "tokenIn" | "tokenOut" | "amountIn" | "minAmountOut">;

function post(
  bounds: RebalanceBoundsF,
  trades: readonly TradeLike[],
  vaultAsset: string,
  fill: "worst" | "oracle",
): PostTradeState {
  const idx = new Map(bounds.assets.map((a, i) => [a.token, i]));
  const net = bounds.assets.map((a) => a.netExposure);
  let idle = bounds.idle;
  let loss = 0;
  let turnover = 0;
  for (const t of trades) {
    const inAsset = t.tokenIn === vaultAsset ? null : idx.get(t.tokenIn);
    const outAsset = t.tokenOut === vaultAsset ? null : idx.get(t.tokenOut);
    const pin = inAsset === null ? 1 : (bounds.assets[inAsset ?? -1]?.price ?? 0);
    const pout = outAsset === null ? 1 : (bounds.assets[outAsset ?? -1]?.price ?? 0);
    const valueIn = t.amountIn * pin;
    const out = fill === "worst" ? t.minAmountOut : pout > 0 ? valueIn / pout : 0;
    const valueOut = out * pout;
    loss += valueIn - valueOut;
    turnover += valueIn;
    if (inAsset === null) idle -= t.amountIn;
    else if (inAsset !== undefined) net[inAsset] = net[inAsset]! - valueIn;
    if (outAsset === null) idle += out;
    else if (outAsset !== undefined) net[outAsset] = net[outAsset]! + valueOut;
  }
  const totalValue = bounds.totalValue - loss;
  let gross = 0;
  for (const e of net) gross += Math.abs(e);
  const weights: Record<string, number> = {};
  const netExposures: Record<string, number> = {};
  bounds.assets.forEach((a, i) => {
    weights[a.token] = net[i]! / totalValue;
    netExposures[a.token] = net[i]!;
  });
  return {
    totalValue,
    leverage: totalValue > 0 ? gross / totalValue : Infinity,
    weights,
    netExposures,
    idle,
    worstCaseLoss: loss,
    turnover,
  };
}

/** Checks a plan against the vault's rules for the state in `bounds`. */
export function checkRebalance(
  bounds: RebalanceBoundsF,
  trades: readonly TradeLike[],
  vaultAsset: string,
  options: VaultModelOptions = {},
): VaultCheckResult {
  const m = 1 - (options.marginBps ?? 0) / 1e4;
  const violations: Violation[] = [];
  const postWorstCase = post(bounds, trades, vaultAsset, "worst");
  const postOracleFill = post(bounds, trades, vaultAsset, "oracle");
  if (trades.length === 0) return { ok: true, violations, postWorstCase, postOracleFill };
  if (bounds.rebalancePaused) violations.push({ code: "PAUSED", message: "rebalancing is paused" });
  if (!bounds.oraclesHealthy) violations.push({ code: "ORACLES_UNHEALTHY", message: "oracles unhealthy" });
  const idx = new Map(bounds.assets.map((a, i) => [a.token, i]));
  const balances = bounds.assets.map((a) => a.balance);
  let idle = bounds.idle;
  trades.forEach((t, k) => {
    const inIsVault = t.tokenIn === vaultAsset;
    const outIsVault = t.tokenOut === vaultAsset;
    if (inIsVault === outIsVault) {
      violations.push({
        code: "BAD_TRADE",
        trade: k,
        message: `trade ${k}: exactly one side must be the vault asset`,
      });
      return;
    }
    const risk = inIsVault ? t.tokenOut : t.tokenIn;
    const ai = idx.get(risk);
    if (ai === undefined) {
      violations.push({
        code: "UNKNOWN_TOKEN",
        trade: k,
        message: `trade ${k}: ${risk} is not a registered risk asset`,
      });
      return;
    }
    const a = bounds.assets[ai]!;
    if (!(a.price > 0)) {
      violations.push({
        code: "ORACLES_UNHEALTHY",
        trade: k,
        message: `trade ${k}: ${risk} has no healthy price`,
      });
      return;
    }
    if (
      !(t.amountIn > 0) ||
      !Number.isFinite(t.amountIn) ||
      !(t.minAmountOut >= 0) ||
      !Number.isFinite(t.minAmountOut)
    ) {
      violations.push({
        code: "BAD_TRADE",
        trade: k,
        message: `trade ${k}: amountIn ${t.amountIn} / minAmountOut ${t.minAmountOut} invalid`,
      });
      return;
    }
    const valueIn = inIsVault ? t.amountIn : t.amountIn * a.price;
    if (!le(valueIn, bounds.maxTradeValue * m)) {
      violations.push({
        code: "TRADE_CAP",
        trade: k,
        message: `trade ${k}: value ${valueIn} > cap ${bounds.maxTradeValue * m}`,
      });
    }
    const quote = inIsVault ? t.amountIn / a.price : valueIn;
    const floor = quote * (1 - bounds.maxSlippageBps / 1e4);
    if (!le(floor, t.minAmountOut)) {
      violations.push({
        code: "MIN_OUT",
        trade: k,
        message: `trade ${k}: minAmountOut ${t.minAmountOut} < oracle floor ${floor}`,
      });
    }
    if (inIsVault) {
      if (!le(t.amountIn, idle))
        violations.push({
          code: "BALANCE",
          trade: k,
          message: `trade ${k}: spends ${t.amountIn} with ${idle} idle`,
        });
      idle -= t.amountIn;
      balances[ai] = balances[ai]! + t.minAmountOut;
    } else {
      if (!le(t.amountIn, balances[ai]!)) {
        violations.push({
          code: "BALANCE",
          trade: k,
          message: `trade ${k}: sells ${t.amountIn} ${risk} with ${balances[ai]} held`,
        });
      }
      balances[ai] = balances[ai]! - t.amountIn;
      idle += t.minAmountOut;
    }
  });
  const pw = postWorstCase;
  if (!le(pw.turnover, bounds.turnoverRemaining * m)) {
    violations.push({
      code: "TURNOVER",
      message: `turnover ${pw.turnover} > remaining ${bounds.turnoverRemaining * m}`,
    });
  }
  const lossCap = Math.min(bounds.maxLossPerRebalance, bounds.lossBudgetRemaining) * m;
  if (!le(pw.worstCaseLoss, lossCap)) {
    violations.push({ code: "LOSS", message: `worst-case loss ${pw.worstCaseLoss} > budget ${lossCap}` });
  }
  // pre-trade leverage from the same formula as post-trade (sum of |net exposure| / total value)
  const preLev = post(bounds, [], vaultAsset, "worst").leverage;
  for (const [label, p] of [
    ["worst-case fill", postWorstCase],
    ["oracle fill", postOracleFill],
  ] as const) {
    for (const a of bounds.assets) {
      const w = p.weights[a.token]!;
      const cap = (a.maxWeightBps / 1e4) * m;
      const increased = !le(p.netExposures[a.token]!, a.netExposure);
      if (!le(w, cap) && increased) {
        violations.push({
          code: "WEIGHT",
          message: `${label}: ${a.token} weight ${w} > cap ${cap} and its exposure increased`,
        });
      }
    }
    const levUp = !le(p.leverage, preLev);
    if (!le(p.leverage, bounds.maxLeverage * m) && levUp) {
      violations.push({
        code: "LEVERAGE",
        message: `${label}: leverage ${p.leverage} > max ${bounds.maxLeverage * m} and increased from ${preLev}`,
      });
    }
    if (bounds.cooldownRemaining > 0) {
      const anyUp = bounds.assets.some(
        (a) => !le(Math.abs(p.netExposures[a.token]!), Math.abs(a.netExposure)),
      );
      if (anyUp || levUp) {
        violations.push({
          code: "COOLDOWN",
          message: `${label}: risk-increasing plan during cooldown (${bounds.cooldownRemaining} s remaining)`,
        });
      }
    }
  }
  return { ok: violations.length === 0, violations, postWorstCase, postOracleFill };
}
