/**
 * Exact integer helpers for Uniswap V3 pool prices: the ONE implementation of the pool price math,
 * used by the deployment modules (initial sqrtPriceX96, full-range ticks), by the on-chain world
 * helpers in `./uniswap.ts` (which re-export it) and by tests that check pools against the oracle.
 * Prices at this edge are USD per whole token as 18-decimal bigints, like the contracts use.
 */

export const Q96 = 2n ** 96n;
export const Q192 = 2n ** 192n;
export const WAD = 10n ** 18n;
/** Uniswap V3 TickMath bounds. */
export const MIN_TICK = -887272;
export const MAX_TICK = 887272;

/** Floor square root of a non-negative bigint (Newton's method). */
export function sqrtBigInt(value: bigint): bigint {
  if (value < 0n) throw new RangeError(`sqrtBigInt of a negative number: ${value}`);
  if (value < 2n) return value;
  // Start above the root (2^ceil(bits/2)); Newton's iteration then decreases monotonically to floor(sqrt).
  let x = 1n << BigInt(Math.ceil(value.toString(2).length / 2));
  for (;;) {
    const y = (x + value / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** A USD price (float, per whole token) as an 18-decimal bigint, rounded to 1e-10 USD. */
export function usdToWad(price: number): bigint {
  if (!Number.isFinite(price) || price <= 0)
    throw new RangeError(`price must be positive and finite, got ${price}`);
  return BigInt(Math.round(price * 1e10)) * 10n ** 8n;
}

/** A USD price as a Chainlink answer with `feedDecimals` decimals. */
export function usdToFeedAnswer(price: number, feedDecimals: number): bigint {
  if (!Number.isFinite(price) || price <= 0)
    throw new RangeError(`price must be positive and finite, got ${price}`);
  return (
    BigInt(Math.round(price * 10 ** Math.min(feedDecimals, 10))) *
    10n ** BigInt(Math.max(0, feedDecimals - 10))
  );
}

export interface PoolSide {
  /** The risk token. */
  risk: string;
  riskDecimals: number;
  /** The quote (USD stable) token. */
  quote: string;
  quoteDecimals: number;
}

/** True when the risk token sorts before the quote token (so it is the pool's token0). */
export function riskIsToken0(side: Pick<PoolSide, "risk" | "quote">): boolean {
  return BigInt(side.risk) < BigInt(side.quote);
}

/** A token as the pool helpers need it: address and decimals. */
export interface TokenInfo {
  address: string;
  decimals: number;
}

/**
 * sqrtPriceX96 of a pool whose token0 is worth `price0` USD and token1 `price1` USD (18-decimal
 * wads per whole token), rounded down: floor(sqrt(price0 * 10^dec1 * 2^192 / (price1 * 10^dec0))).
 * Uniswap's price is token1 units per token0 unit.
 */
export function sqrtPriceX96FromPrices(
  token0: TokenInfo,
  price0: bigint,
  token1: TokenInfo,
  price1: bigint,
): bigint {
  if (price0 <= 0n || price1 <= 0n) throw new RangeError("prices must be positive");
  const num = price0 * 10n ** BigInt(token1.decimals) * Q192;
  const den = price1 * 10n ** BigInt(token0.decimals);
  return sqrtBigInt(num / den);
}

/**
 * sqrtPriceX96 of the pool whose price is `priceWad` USD per whole risk token (the quote token
 * worth exactly 1 USD), rounded down.
 */
export function sqrtPriceX96FromUsd(side: PoolSide, priceWad: bigint): bigint {
  if (priceWad <= 0n) throw new RangeError("priceWad must be positive");
  const risk = { address: side.risk, decimals: side.riskDecimals };
  const quote = { address: side.quote, decimals: side.quoteDecimals };
  if (riskIsToken0(side)) return sqrtPriceX96FromPrices(risk, priceWad, quote, WAD);
  return sqrtPriceX96FromPrices(quote, WAD, risk, priceWad);
}

/** USD per whole risk token (float) implied by a pool's sqrtPriceX96. */
export function usdFromSqrtPriceX96(side: PoolSide, sqrtPriceX96: bigint): number {
  const ratio = Number(sqrtPriceX96) / Number(Q96);
  const token1PerToken0 = ratio * ratio;
  const scale = 10 ** (side.riskDecimals - side.quoteDecimals);
  if (riskIsToken0(side)) return token1PerToken0 * scale;
  return scale / token1PerToken0;
}

/** Tick spacing of Uniswap V3's default fee tiers. */
export function tickSpacing(fee: number): number {
  switch (fee) {
    case 100:
      return 1;
    case 500:
      return 10;
    case 3000:
      return 60;
    case 10000:
      return 200;
    default:
      throw new RangeError(`unknown Uniswap V3 fee tier ${fee}`);
  }
}

/** The widest usable [tickLower, tickUpper] for a fee tier (a full-range position). */
export function fullRangeTicks(fee: number): [number, number] {
  const spacing = tickSpacing(fee);
  return [Math.ceil(MIN_TICK / spacing) * spacing, Math.floor(MAX_TICK / spacing) * spacing];
}
