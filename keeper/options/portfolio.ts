/**
 * Portfolio Greeks: aggregate delta, gamma, vega, theta per underlying and in total.
 *
 * Units: each option position's Greeks are Black-76 Greeks times its signed quantity (contracts of
 * one unit of underlying). Per underlying: delta in units of the underlying (plus any linear
 * holding), gamma in units of underlying per USD of its price, vega in USD per volatility point,
 * theta in USD per calendar day. Totals: delta and gamma are converted to USD (dollar delta =
 * delta * F, dollar gamma = gamma * F^2 / 100, the USD change of delta value per 1 % move), vega and
 * theta are summed in USD.
 */
import { black76 } from "./black.ts";
import { OptionInputError, requireFinite, requirePositive, type OptionType } from "./errors.ts";

export interface OptionPosition {
  kind: "option";
  underlying: string;
  type: OptionType;
  strike: number;
  /** Expiry, years of 365 days from the valuation time (>= 0). */
  timeToExpiry: number;
  /** Signed number of options (negative = short). */
  quantity: number;
  /** Optional per-position volatility; defaults to the market's volatility for the underlying. */
  volatility?: number;
}

export interface LinearPosition {
  kind: "linear";
  underlying: string;
  /** Signed amount of underlying (spot, perp or future: delta 1 each). */
  quantity: number;
}

export type Position = OptionPosition | LinearPosition;

export interface UnderlyingMarket {
  forward: number;
  volatility: number;
  rate?: number;
}

export type Market = Readonly<Record<string, UnderlyingMarket>>;

export interface UnderlyingGreeks {
  value: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  dollarDelta: number;
  dollarGamma: number;
}

export interface PortfolioGreeks {
  byUnderlying: Record<string, UnderlyingGreeks>;
  total: { value: number; dollarDelta: number; dollarGamma: number; vega: number; theta: number };
}

export function portfolioGreeks(positions: readonly Position[], market: Market): PortfolioGreeks {
  const byUnderlying: Record<string, UnderlyingGreeks> = {};
  for (const [i, p] of positions.entries()) {
    const m = market[p.underlying];
    if (m === undefined)
      throw new OptionInputError(
        "BAD_PARAMETER",
        `positions[${i}].underlying`,
        p.underlying,
        "no market data",
      );
    requirePositive(`market.${p.underlying}.forward`, m.forward);
    requireFinite(`positions[${i}].quantity`, p.quantity);
    const acc = (byUnderlying[p.underlying] ??= {
      value: 0,
      delta: 0,
      gamma: 0,
      vega: 0,
      theta: 0,
      dollarDelta: 0,
      dollarGamma: 0,
    });
    if (p.kind === "linear") {
      acc.delta += p.quantity;
      continue;
    }
    const g = black76({
      forward: m.forward,
      strike: p.strike,
      timeToExpiry: p.timeToExpiry,
      volatility: p.volatility ?? m.volatility,
      rate: m.rate ?? 0,
      type: p.type,
    });
    acc.value += p.quantity * g.price;
    acc.delta += p.quantity * g.delta;
    acc.gamma += p.quantity * g.gamma;
    acc.vega += p.quantity * g.vega;
    acc.theta += p.quantity * g.theta;
  }
  const total = { value: 0, dollarDelta: 0, dollarGamma: 0, vega: 0, theta: 0 };
  for (const [u, acc] of Object.entries(byUnderlying)) {
    const F = market[u]!.forward;
    acc.dollarDelta = acc.delta * F;
    acc.dollarGamma = (acc.gamma * F * F) / 100;
    total.value += acc.value;
    total.dollarDelta += acc.dollarDelta;
    total.dollarGamma += acc.dollarGamma;
    total.vega += acc.vega;
    total.theta += acc.theta;
  }
  return { byUnderlying, total };
}
