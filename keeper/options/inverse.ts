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
}

const DAYS_PER_YEAR = 365;

/** Deribit's theta convention applied to an instantaneous per-day theta. */
export function exchangeTheta(thetaPerDay: number, timeToExpiry: number, priceUsd: number): number {
  const days = timeToExpiry * DAYS_PER_YEAR;
  return Math.max(thetaPerDay * Math.min(1, days), -priceUsd);
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
  };
}

/**
 * Deribit BTC/ETH option tick size in coin: 0.0005 for prices >= 0.005, 0.0001 below
 * (the 2026 chain states tick_size 0.0001, its base tick; its books quote in 0.0005 steps above 0.005).
 */
export function deribitTick(priceCoin: number): number {
  return priceCoin >= 0.005 ? 0.0005 : 0.0001;
}

/** Rounds a coin price to the nearest tick. */
export function roundToTick(priceCoin: number): number {
  const tick = deribitTick(priceCoin);
  return Math.round(priceCoin / tick) * tick;
}
