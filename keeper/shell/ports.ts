/**
 * Narrow ports between the shell and the pure core. The shell converts chain data into the core's
 * float types (keeper/planner/types.ts, via convert.ts), hands them to a `Planner`, and converts
 * the planned trades back into on-chain integers. Nothing here does I/O.
 */
import type { PlannedTrade, RebalanceBoundsF, SkippedTrade } from "../planner/types.ts";
import type { Position } from "../options/portfolio.ts";
import type { HedgeLine, OverlayConfig, UnderlyingMarketF } from "../strategy/overlay.ts";

/** What the delta hedge needs: the option book and the market it is valued at (options on). */
export interface HedgeInput {
  /** Underlyings (token addresses, as in the bounds) whose net delta is kept on target. */
  underlyings: readonly string[];
  /** Live option positions (keeper/options Position), underlying = token address. */
  options: readonly Position[];
  market: Readonly<Record<string, UnderlyingMarketF>>;
  rate?: number;
  config?: Partial<Pick<OverlayConfig, "hedgeBandFraction" | "hedgeBandMinUnits">>;
}

/** Daily closes per token on a common calendar (UTC day numbers), oldest first. */
export interface PriceHistory {
  days: number[];
  /** checksummed token address -> prices aligned with `days`; NaN before the feed's first round. */
  prices: Map<string, Float64Array>;
}

export interface PlanInput {
  bounds: RebalanceBoundsF;
  history: PriceHistory;
  /** The vault asset (every trade swaps against it). */
  vaultAsset: string;
  /** Unix seconds of the block the bounds were read at. */
  now: number;
  /**
   * Yield leg only: USD value of the pool shares the pool lets the vault redeem now (its
   * `maxRedeem`, limited by collateral locked for open options). Absent: no limit known.
   */
  yieldRedeemableUsd?: number;
  /** Options delta hedge (keeper/strategy planDeltaHedge); absent: no hedge check. */
  hedge?: HedgeInput;
}

export interface PlanF {
  trades: PlannedTrade[];
  skipped: SkippedTrade[];
  notes: string[];
  /** Target exposure per token as a fraction of total value (after the volatility scale). */
  targetWeights: Record<string, number>;
  /** Current weights (net exposure / total value). */
  currentWeights: Record<string, number>;
  /** Risk contribution per token of the current holdings, fractions summing to 1 (empty if undefined). */
  riskContributions: Record<string, number>;
  /** Exposure scale from the volatility target. */
  scale: number;
  /** Forecast annualised volatility of the current holdings (NaN if unknown). */
  currentVolatility: number;
  /** Delta hedge per underlying (spot + option delta vs the risk-parity target), when checked. */
  hedge?: HedgeLine[];
}

export type Planner = (input: PlanInput) => PlanF;
