/**
 * Inverse (coin-settled) options as Deribit quotes them: a BTC option pays its USD payoff in BTC,
 * priced with Black-76 on the exchange's `underlying_price` (future or synthetic forward F), r = 0.
 *
 * - priceCoin = Black-76 USD price / F.
 * - delta = N(d1) (call) or N(d1) - 1 (put): dPriceUsd/dF, NOT premium-adjusted (Deribit's "delta").
 * - premiumAdjustedDelta = delta - priceCoin: the delta of the coin-denominated position,
 *   d(priceCoin * F ... ) seen from a BTC-margined account (the premium is itself in BTC).
 * - gamma per USD, vega in USD per 1 volatility point, theta in USD per calendar day.
 * - exchangeTheta: Deribit reports, for expiries under one day, the theta over the option's remaining
 *   lifetime (theta per day x remaining days), and never a loss larger than the option's whole value:
 *   exchangeTheta = max(theta * min(1, T in days), -priceUsd). Verified row by row against two real
 *   chains (test/keeper/options/deribit.test.ts; docs/options.md).
 */
import { black76, type Greeks } from "./black.ts";
import type { OptionType } from "./errors.ts";
import { normCdf } from "./normal.ts";

export interface InverseOptionInput {
  forward: number;
  strike: number;
  timeToExpiry: number;
  volatility: number;
  type: OptionType;
  rate?: number;
}

export interface InverseGreeks {
  /** Price in coin (BTC): USD price / forward. */
  priceCoin: number;
  priceUsd: number;
  /** dPriceUsd/dForward, not premium-adjusted. */
  delta: number;
  /** delta - priceCoin. */
  premiumAdjustedDelta: number;
  /** Per USD of forward. */
  gamma: number;
  /** USD per volatility point. */
  vega: number;
  /** USD per calendar day (instantaneous). */
  theta: number;
  /** Theta as Deribit reports it (lifetime theta under one day, floored at -priceUsd). */
  exchangeTheta: number;
  /**
   * Rho as Deribit reports it (2020 chain): the Black-Scholes rho that treats the forward as a spot,
   * K T N(d2) / 100 for a call and -K T N(-d2) / 100 for a put (USD per 1 % of rate).
   */
  exchangeRho: number;
}

const DAYS_PER_YEAR = 365;

/** Deribit's theta convention applied to an instantaneous per-day theta. */
export function exchangeTheta(thetaPerDay: number, timeToExpiry: number, priceUsd: number): number {
  const days = timeToExpiry * DAYS_PER_YEAR;
  return Math.max(thetaPerDay * Math.min(1, days), -priceUsd);
}

/** Deribit's rho: Black-Scholes rho with the forward treated as spot (see InverseGreeks). */
export function exchangeRho(
  forward: number,
  strike: number,
  timeToExpiry: number,
  volatility: number,
  type: OptionType,
): number {
  const s = volatility * Math.sqrt(timeToExpiry);
  let nd2: number; // N(d2) for a call, N(-d2) for a put
  if (s > 0) {
    const d2 = Math.log(forward / strike) / s - 0.5 * s;
    nd2 = type === "call" ? normCdf(d2) : normCdf(-d2);
  } else {
    const itm = type === "call" ? forward > strike : forward < strike;
    nd2 = forward === strike ? 0.5 : itm ? 1 : 0;
  }
  return (type === "call" ? 0.01 : -0.01) * strike * timeToExpiry * nd2;
}

export function inverseOption(input: InverseOptionInput): InverseGreeks {
  const g: Greeks = black76(input);
  const priceCoin = g.price / input.forward;
  return {
    priceCoin,
    priceUsd: g.price,
    delta: g.delta,
    premiumAdjustedDelta: g.delta - priceCoin,
    gamma: g.gamma,
    vega: g.vega,
    theta: g.theta,
    exchangeTheta: exchangeTheta(g.theta, input.timeToExpiry, g.price),
    exchangeRho: exchangeRho(input.forward, input.strike, input.timeToExpiry, input.volatility, input.type),
  };
}

/**
 * Deribit BTC/ETH option tick size in coin as the exchange states it today: 0.0005 for prices
 * >= 0.005, 0.0001 below. Checked against the two chains only as far as they allow: every quote
 * >= 0.005 in both sits on the 0.0005 grid; the 2020 chain also quotes below 0.005 on the 0.0005
 * grid (the finer tick did not exist then) and the 2026 chain has no quotes below 0.005 (its
 * tick_size column states 0.0001). The reproduction test therefore uses each file's own tick.
 */
export function deribitTick(priceCoin: number): number {
  return priceCoin >= 0.005 ? 0.0005 : 0.0001;
}

/** Rounds a coin price to the nearest tick. */
export function roundToTick(priceCoin: number): number {
  const tick = deribitTick(priceCoin);
  return Math.round(priceCoin / tick) * tick;
}
