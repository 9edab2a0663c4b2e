/**
 * Narrow ports between the shell and the pure core. The shell turns chain data into these float
 * types (see convert.ts), hands them to a `Planner`, and turns the planner's float trades back
 * into on-chain integers. Nothing here does I/O.
 */
import type { Address } from "viem";

/** One risk asset as the vault's guards see it, in floats (values in whole asset units). */
export interface AssetStateF {
  token: Address;
  decimals: number;
  /** USD per whole token (0 when the vault reports its oracle unhealthy). */
  price: number;
  /** Whole tokens held by the vault. */
  balance: number;
  /** Value in whole asset units (e.g. USDC). */
  value: number;
  /** Value plus adapter (option) exposure, whole asset units. */
  netExposure: number;
  /** Maximum weight as a fraction of total value. */
  maxWeight: number;
}

/** The vault's `RebalanceBounds` in floats; `nonce` stays exact. */
export interface BoundsF {
  nonce: bigint;
  rebalancePaused: boolean;
  oraclesHealthy: boolean;
  totalValue: number;
  idle: number;
  leverage: number;
  targetLeverage: number;
  maxLeverage: number;
  ripcordLeverage: number;
  maxTradeValue: number;
  /** Fraction (bps / 1e4). */
  maxSlippage: number;
  minRebalanceInterval: number;
  cooldownRemaining: number;
  maxLossPerRebalance: number;
  lossBudgetRemaining: number;
  turnoverRemaining: number;
  assets: AssetStateF[];
}

/** Daily closes per token on a common calendar (UTC day numbers), oldest first. */
export interface PriceHistory {
  days: number[];
  /** token (lower-case address) -> prices aligned with `days`; NaN where the feed had no round. */
  prices: Map<string, Float64Array>;
}

export interface PlanInput {
  bounds: BoundsF;
  history: PriceHistory;
  /** Unix seconds of the block the bounds were read at. */
  now: number;
}

/** A trade in floats: sell `value` (whole asset units) worth of `tokenIn` for `tokenOut`. */
export interface TradeF {
  tokenIn: Address;
  tokenOut: Address;
  value: number;
  reason: string;
}

export interface PlanF {
  trades: TradeF[];
  /** Assets (or the whole plan, token "*") left alone, with the reason. */
  skipped: { token: string; reason: string }[];
  targetWeights: Record<string, number>;
  /** Risk contribution per token as a fraction of portfolio risk (sums to 1 when defined). */
  riskContributions: Record<string, number>;
  /** Exposure scale from the volatility target. */
  scale: number;
}

export type Planner = (input: PlanInput) => PlanF;
