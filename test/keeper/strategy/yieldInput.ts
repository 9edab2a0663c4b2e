/**
 * Deterministic planner inputs for the yield-leg tests: three risk tokens with 90 days of
 * synthetic closes, optionally the pool share token (no price history: it is not in the risk solve);
 * `looseBounds` is shared with the delta-hedge wiring test.
 */
import type { AssetStateF, RebalanceBoundsF } from "../../../keeper/planner/types.ts";
import type { PlanInput, PriceHistory } from "../../../keeper/shell/ports.ts";

export const USDC = "0x00000000000000000000000000000000000000A0";
export const RISK = [
  "0x00000000000000000000000000000000000000A1",
  "0x00000000000000000000000000000000000000A2",
  "0x00000000000000000000000000000000000000A3",
] as const;
export const SHARE = "0x00000000000000000000000000000000000000B1";
const PRICES = [3000, 60000, 15];
const DAY = 86_400;
const NOW = 1_780_000_000;

export function history(days = 90): PriceHistory {
  const first = Math.floor(NOW / DAY) - days + 1;
  const prices = new Map<string, Float64Array>();
  RISK.forEach((t, i) => {
    const p = new Float64Array(days);
    for (let d = 0; d < days; d++) {
      const wiggle = 0.04 * Math.sin(d * (0.9 + 0.37 * i)) + 0.025 * Math.cos(d * (0.23 + 0.11 * i) + i);
      p[d] = PRICES[i]! * (1 + wiggle);
    }
    prices.set(t, p);
  });
  return { days: Array.from({ length: days }, (_, d) => first + d), prices };
}

export interface InputOptions {
  /** Hold the share with this USD value (and register it) when given. */
  share?: { value: number; maxWeightBps: number };
  /** USD value held per risk token (default 0). */
  held?: readonly number[];
  totalValue?: number;
}

export function planInput(o: InputOptions = {}): PlanInput {
  const V = o.totalValue ?? 1_000_000;
  const h = history();
  const assets: AssetStateF[] = RISK.map((t, i) => {
    const p = h.prices.get(t)!;
    const price = p[p.length - 1]!;
    const value = o.held?.[i] ?? 0;
    return {
      token: t,
      decimals: 18,
      price,
      balance: value / price,
      value,
      netExposure: value,
      maxWeightBps: 5000,
    };
  });
  if (o.share)
    assets.push({
      token: SHARE,
      decimals: 12,
      price: 1.02,
      balance: o.share.value / 1.02,
      value: o.share.value,
      netExposure: o.share.value,
      maxWeightBps: o.share.maxWeightBps,
    });
  const bounds = looseBounds(V, assets, { nonce: 7, lossBudgetRemaining: 30_000 });
  return { bounds, history: h, vaultAsset: USDC, now: NOW };
}

/**
 * Bounds of an unpaused vault with healthy oracles worth `totalValue` holding `assets` (the rest
 * idle), target leverage 1 (max 1.5, ripcord 2), guards loose enough not to bind planner tests:
 * 500k max trade, 1% slippage, 10k loss per rebalance and budget, 10M turnover, no cooldown.
 * `over` replaces single fields.
 */
export function looseBounds(
  totalValue: number,
  assets: AssetStateF[],
  over: Partial<RebalanceBoundsF> = {},
): RebalanceBoundsF {
  return {
    nonce: 1,
    rebalancePaused: false,
    oraclesHealthy: true,
    totalValue,
    idle: assets.reduce((idle, a) => idle - a.value, totalValue),
    leverage: assets.reduce((s, a) => s + a.value, 0) / totalValue,
    targetLeverage: 1,
    maxLeverage: 1.5,
    ripcordLeverage: 2,
    maxTradeValue: 500_000,
    maxSlippageBps: 100,
    minRebalanceInterval: 0,
    cooldownRemaining: 0,
    maxLossPerRebalance: 10_000,
    lossBudgetRemaining: 10_000,
    turnoverRemaining: 10_000_000,
    assets,
    ...over,
  };
}

export const STRATEGY = {
  volTarget: 0.15,
  lookbackDays: 60,
  halfLifeDays: 30,
  margin: 0.9,
  minTradeValue: 10,
  slippageBps: 30,
};
