/**
 * Float mirror of the on-chain bounds view (contracts/interfaces/IRiskParityVault.sol,
 * RebalanceBounds / AssetState). Conversion from on-chain integers happens at the edge
 * (keeper shell): values in USD floats (the vault asset, USDC, counts as 1 USD per unit), token
 * amounts in whole-token floats, leverage as a float (1 = 1x), ratios in basis points.
 */
import type { MatrixInput } from "../risk/matrix.ts";

/** AssetState, as floats. */
export interface AssetStateF {
  token: string;
  decimals: number;
  /** USD per whole token (0 when its oracle is unhealthy). */
  price: number;
  /** Whole tokens held by the vault. */
  balance: number;
  /** balance x price, USD. */
  value: number;
  /** value + adapter exposure on this underlying, USD (signed). */
  netExposure: number;
  maxWeightBps: number;
}

/** RebalanceBounds, as floats. */
export interface RebalanceBoundsF {
  nonce: number;
  rebalancePaused: boolean;
  oraclesHealthy: boolean;
  /** totalAssets(), USD. */
  totalValue: number;
  /** Vault-asset balance, USD. */
  idle: number;
  leverage: number;
  targetLeverage: number;
  maxLeverage: number;
  ripcordLeverage: number;
  /** Per-trade cap, USD. */
  maxTradeValue: number;
  maxSlippageBps: number;
  /** Seconds. */
  minRebalanceInterval: number;
  /** Seconds until a risk-increasing rebalance is allowed. */
  cooldownRemaining: number;
  maxLossPerRebalance: number;
  lossBudgetRemaining: number;
  turnoverRemaining: number;
  assets: readonly AssetStateF[];
}

/** One typed trade (the vault's Trade without adapter/route, which the shell fills in). */
export interface PlannedTrade {
  tokenIn: string;
  tokenOut: string;
  /** Whole units of tokenIn. */
  amountIn: number;
  /** Whole units of tokenOut: oracle quote less the planner's slippage allowance. */
  minAmountOut: number;
  /** amountIn at the oracle price, USD. */
  valueUsd: number;
  /** The risk asset traded and the direction (against the vault asset). */
  asset: string;
  side: "sell" | "buy";
  reason: string;
}

/** A trade the planner considered and did not make, with why. */
export interface SkippedTrade {
  asset: string;
  /** Signed USD the planner wanted to trade (+ buy, - sell) but did not. */
  desiredValueUsd: number;
  reason: string;
}

/** Current holdings context beyond the bounds view. */
export interface PlannerState {
  /** The vault asset (USDC) every trade swaps against. */
  vaultAsset: string;
  /** Annualised covariance of the risk assets, used for the risk-contribution no-trade band. */
  covariance?: { tokens: readonly string[]; matrix: MatrixInput };
}

export interface PlanTargets {
  /** Target net exposure per risk token as a fraction of total value (>= 0), after vol scaling. */
  exposures: Readonly<Record<string, number>>;
  /**
   * Risk budgets (sum 1) measured against for the band; default: the risk contributions of the
   * target exposures themselves.
   */
  riskBudgets?: Readonly<Record<string, number>>;
}

export interface PlannerOptions {
  /** No-trade band on max |RC_i - b_i| (absolute, fraction of risk). Default 0.02. */
  rcBand?: number;
  /** Band on max |w_i - target_i| when no covariance is given. Default 0.02. */
  weightBand?: number;
  /** Band on relative gross exposure drift |gross - target gross| / target gross. Default 0.05. */
  exposureBand?: number;
  /** No trade smaller than this, USD. Default 50. */
  minTradeUsd?: number;
  /** Safety margin on caps and budgets, bps. Default 100 (1 %). */
  safetyMarginBps?: number;
  /** Slippage allowance used for minAmountOut, bps; must be <= maxSlippageBps. Default 80 % of it. */
  slippageBps?: number;
  /** Upper bound on the number of trades in one plan. Default 24. */
  maxTrades?: number;
  /**
   * Assets whose exposure must be brought to target even inside the no-trade band, with the
   * reason (token -> reason), e.g. the options delta hedge (keeper/strategy planDeltaHedge). When
   * the plan is otherwise inside its band only these assets trade; the same limits apply.
   */
  forceAssets?: Readonly<Record<string, string>>;
}

export interface PostTradeState {
  totalValue: number;
  leverage: number;
  /** Net exposure / total value per token. */
  weights: Record<string, number>;
  netExposures: Record<string, number>;
  idle: number;
  /** Worst-case value lost to slippage (fills at minAmountOut), USD. */
  worstCaseLoss: number;
  turnover: number;
}

export interface Violation {
  code:
    | "PAUSED"
    | "ORACLES_UNHEALTHY"
    | "BAD_TRADE"
    | "UNKNOWN_TOKEN"
    | "TRADE_CAP"
    | "MIN_OUT"
    | "BALANCE"
    | "TURNOVER"
    | "LOSS"
    | "WEIGHT"
    | "LEVERAGE"
    | "COOLDOWN";
  trade?: number;
  message: string;
}

export interface VaultCheckResult {
  ok: boolean;
  violations: Violation[];
  /** Post-trade state with fills at minAmountOut (worst case) and at the oracle quote. */
  postWorstCase: PostTradeState;
  postOracleFill: PostTradeState;
}

export interface RebalancePlan {
  nonce: number;
  trades: PlannedTrade[];
  skipped: SkippedTrade[];
  /** Plan-level notes (band decision, pauses). */
  notes: string[];
  /** The vault model's verdict on this plan (always ok). */
  check: VaultCheckResult;
  /** Risk-contribution (or weight) drift that drove the band decision. */
  drift: number;
  /**
   * Targets after clipping to max weight and max leverage (both less the margin); an asset
   * without a target gets 0. Empty when the planner stopped before (paused, unhealthy oracles).
   */
  effectiveTargets: Record<string, number>;
  /**
   * Signed USD change per asset towards its effective target (+ buy, - sell). For every asset,
   * the planned trades plus the skipped amounts add up to this value.
   */
  desiredValueUsd: Record<string, number>;
}
