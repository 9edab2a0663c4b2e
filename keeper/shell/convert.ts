/**
 * The one place where on-chain integers become the core's floats and back. Units follow
 * IRiskParityVault: values in asset units, prices 18-decimal USD per whole token, leverage 1e18,
 * ratios in bps. The vault asset is taken as 1 USD per whole unit (a USD stablecoin).
 */
import { getAddress, type Address } from "viem";
import type { AssetStateF, PlannedTrade, RebalanceBoundsF } from "../planner/types.ts";

export const WAD = 10n ** 18n;

/** Raw `RebalanceBounds` as viem decodes it. */
export interface RawAssetState {
  token: Address;
  decimals: number;
  price: bigint;
  balance: bigint;
  value: bigint;
  netExposure: bigint;
  maxWeightBps: number;
}
export interface RawBounds {
  nonce: bigint;
  rebalancePaused: boolean;
  oraclesHealthy: boolean;
  totalValue: bigint;
  idle: bigint;
  leverage: bigint;
  targetLeverage: bigint;
  maxLeverage: bigint;
  ripcordLeverage: bigint;
  maxTradeValue: bigint;
  maxSlippageBps: number;
  minRebalanceInterval: bigint;
  cooldownRemaining: bigint;
  maxLossPerRebalance: bigint;
  lossBudgetRemaining: bigint;
  turnoverRemaining: bigint;
  assets: readonly RawAssetState[];
}

/** Integer with `decimals` decimals -> float (exact for the integer and fraction parts separately). */
export function toFloat(x: bigint, decimals: number): number {
  const neg = x < 0n;
  const abs = neg ? -x : x;
  const base = 10n ** BigInt(decimals);
  const v = Number(abs / base) + Number(abs % base) / Number(base);
  return neg ? -v : v;
}

/**
 * Float -> integer with `decimals` decimals, rounded down. `toFixed` rounds to nearest, so it is
 * asked for 20 extra digits and the string is truncated: the result never exceeds `x` (up to the
 * 1e-20-unit ambiguity that a double cannot resolve anyway).
 */
export function fromFloatDown(x: number, decimals: number): bigint {
  if (!Number.isFinite(x) || x <= 0) return 0n;
  const [int, frac = ""] = x.toFixed(Math.min(decimals + 20, 100)).split(".");
  const digits = (frac + "0".repeat(decimals)).slice(0, decimals);
  return BigInt(int ?? "0") * 10n ** BigInt(decimals) + BigInt(digits || "0");
}

/** On-chain bounds -> the core's float mirror (values in asset units = USD, tokens checksummed). */
export function boundsToFloat(raw: RawBounds, assetDecimals: number): RebalanceBoundsF {
  const v = (x: bigint): number => toFloat(x, assetDecimals);
  const assets: AssetStateF[] = raw.assets.map((a) => ({
    token: getAddress(a.token),
    decimals: a.decimals,
    price: toFloat(a.price, 18),
    balance: toFloat(a.balance, a.decimals),
    value: v(a.value),
    netExposure: v(a.netExposure),
    maxWeightBps: a.maxWeightBps,
  }));
  return {
    nonce: Number(raw.nonce),
    rebalancePaused: raw.rebalancePaused,
    oraclesHealthy: raw.oraclesHealthy,
    totalValue: v(raw.totalValue),
    idle: v(raw.idle),
    leverage: toFloat(raw.leverage, 18),
    targetLeverage: toFloat(raw.targetLeverage, 18),
    maxLeverage: toFloat(raw.maxLeverage, 18),
    ripcordLeverage: toFloat(raw.ripcordLeverage, 18),
    maxTradeValue: v(raw.maxTradeValue),
    maxSlippageBps: raw.maxSlippageBps,
    minRebalanceInterval: Number(raw.minRebalanceInterval),
    cooldownRemaining: Number(raw.cooldownRemaining),
    maxLossPerRebalance: v(raw.maxLossPerRebalance),
    lossBudgetRemaining: v(raw.lossBudgetRemaining),
    turnoverRemaining: v(raw.turnoverRemaining),
    assets,
  };
}

/** The on-chain `Trade` struct. */
export interface ChainTrade {
  tokenIn: Address;
  tokenOut: Address;
  amountIn: bigint;
  minAmountOut: bigint;
  adapter: Address;
  route: { fees: readonly number[]; intermediates: readonly Address[] };
}

export interface TradeContext {
  asset: { address: Address; decimals: number };
  /** Raw per-asset state (exact prices) by lower-case token address. */
  assets: Map<string, RawAssetState>;
  adapter: Address;
  feeTier: number;
  /** Slippage the keeper allows, bps (must not exceed the vault's maxSlippageBps). */
  slippageBps: number;
}

function decimalsOf(token: string, ctx: TradeContext): number {
  if (token.toLowerCase() === ctx.asset.address.toLowerCase()) return ctx.asset.decimals;
  const a = ctx.assets.get(token.toLowerCase());
  if (!a) throw new Error(`unknown token ${token}`);
  return a.decimals;
}

/** Exact oracle quote: how much `tokenOut` `amountIn` of `tokenIn` is worth (asset = 1 USD), rounded down. */
export function oracleQuote(tokenIn: string, tokenOut: string, amountIn: bigint, ctx: TradeContext): bigint {
  const usd18 = (token: string, amount: bigint): bigint => {
    if (token.toLowerCase() === ctx.asset.address.toLowerCase())
      return amount * 10n ** BigInt(18 - ctx.asset.decimals) * WAD;
    const a = ctx.assets.get(token.toLowerCase());
    if (!a || a.price === 0n) throw new Error(`no oracle price for ${token}`);
    return (amount * a.price * WAD) / 10n ** BigInt(a.decimals);
  };
  const v = usd18(tokenIn, amountIn); // USD x 1e36
  if (tokenOut.toLowerCase() === ctx.asset.address.toLowerCase())
    return v / (WAD * 10n ** BigInt(18 - ctx.asset.decimals));
  const b = ctx.assets.get(tokenOut.toLowerCase());
  if (!b || b.price === 0n) throw new Error(`no oracle price for ${tokenOut}`);
  return (v * 10n ** BigInt(b.decimals)) / (b.price * WAD);
}

/**
 * Planner trade (whole-token floats) -> on-chain struct. `amountIn` rounds down (never sell more
 * than planned). `minAmountOut` is the planner's bound rounded up (never accept less), but never
 * above the exact oracle quote less `slippageBps` for the integer amountIn (which the vault would
 * reject), and never below that floor either.
 */
export function plannedTradeToChain(t: PlannedTrade, ctx: TradeContext): ChainTrade {
  const amountIn = fromFloatDown(t.amountIn, decimalsOf(t.tokenIn, ctx));
  const quote = oracleQuote(t.tokenIn, t.tokenOut, amountIn, ctx);
  const floor = (quote * (10_000n - BigInt(ctx.slippageBps)) + 9_999n) / 10_000n;
  const outDec = decimalsOf(t.tokenOut, ctx);
  const plannedMin = fromFloatDown(t.minAmountOut, outDec) + (t.minAmountOut > 0 ? 1n : 0n); // ceil-ish
  let minAmountOut = plannedMin > floor ? plannedMin : floor;
  if (minAmountOut > quote) minAmountOut = quote;
  return {
    tokenIn: getAddress(t.tokenIn),
    tokenOut: getAddress(t.tokenOut),
    amountIn,
    minAmountOut,
    adapter: ctx.adapter,
    route: { fees: [ctx.feeTier], intermediates: [] },
  };
}

/** Value in asset units (integer) of `amount` of a raw asset. */
export function valueOfRaw(a: RawAssetState, amount: bigint, assetDecimals: number): bigint {
  return (amount * a.price) / 10n ** BigInt(a.decimals) / 10n ** BigInt(18 - assetDecimals);
}
