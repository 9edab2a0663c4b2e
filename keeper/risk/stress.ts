/**
 * Scenario stress tests: shock prices, volatilities and correlations, revalue every position in
 * full (options through an injectable pricer, e.g. Black-76 from keeper/options), and report P&L,
 * leverage after the shock and the distance to the ripcord.
 *
 * Leverage (as the vault computes it): sum over underlyings of |net exposure| / total value, where
 * net exposure = spot value + option delta exposure (delta x quantity x price) on that underlying.
 */
import { DimensionError, InvalidOptionError } from "./errors.ts";
import { type MatrixInput, toSquare } from "./matrix.ts";

export type OptionKind = "call" | "put";

export interface OptionPricingInput {
  spot: number;
  strike: number;
  /** Years. */
  timeToExpiry: number;
  /** Annualised implied volatility. */
  volatility: number;
  type: OptionKind;
  rate: number;
}

export interface OptionValuation {
  /** Price per option, USD. */
  price: number;
  /** d price / d spot per option. */
  delta: number;
}

export type OptionPricer = (input: OptionPricingInput) => OptionValuation;

export interface SpotPosition {
  asset: string;
  /** Token units (negative = short). */
  quantity: number;
}

export interface OptionPosition {
  asset: string;
  type: OptionKind;
  strike: number;
  timeToExpiry: number;
  /** Number of options (negative = written). */
  quantity: number;
  impliedVolatility: number;
  /** Full revaluation when given (preferred). */
  pricer?: OptionPricer;
  /** Without a pricer: current mark per option and its Greeks; revalued by delta-gamma-vega Taylor expansion. */
  mark?: { price: number; delta: number; gamma?: number; vega?: number };
}

export interface StressPortfolio {
  /** Vault-asset (USD) balance. */
  cash: number;
  /** USD per whole token, by asset. */
  prices: Readonly<Record<string, number>>;
  spot: readonly SpotPosition[];
  options?: readonly OptionPosition[];
  ripcordLeverage: number;
  /** Used by pricers; default 0. */
  rate?: number;
  /** Optional risk model for the post-shock volatility: annualised vols and correlations. */
  risk?: { assets: readonly string[]; volatilities: ArrayLike<number>; correlation: MatrixInput };
}

export interface StressScenario {
  name: string;
  /** Relative price change per asset (-0.4 = -40 %), or one number for every asset. */
  priceShocks?: number | Readonly<Record<string, number>>;
  /** Implied and asset volatility shock: vol' = vol * multiply + add. */
  volatilityShock?: { multiply?: number; add?: number };
  /** Every off-diagonal correlation set to this value. */
  correlation?: number;
  /** Years elapsed (options' time to expiry shrinks). */
  timeElapsed?: number;
}

export interface StressResult {
  name: string;
  valueBefore: number;
  valueAfter: number;
  pnl: number;
  pnlFraction: number;
  leverageBefore: number;
  leverageAfter: number;
  /** ripcordLeverage - leverageAfter (negative: the ripcord would fire). */
  distanceToRipcord: number;
  breachesRipcord: boolean;
  /** Net exposure per asset after the shock, USD. */
  exposuresAfter: Record<string, number>;
  /** Annualised volatility of the post-shock portfolio (needs portfolio.risk). */
  volatilityAfter?: number;
}

interface Valuation {
  value: number;
  exposures: Map<string, number>;
  leverage: number;
}

function shockFor(shocks: StressScenario["priceShocks"], asset: string): number {
  if (shocks === undefined) return 0;
  if (typeof shocks === "number") return shocks;
  return shocks[asset] ?? 0;
}

function priceOf(p: StressPortfolio, asset: string): number {
  const v = p.prices[asset];
  if (v === undefined || !(v > 0) || !Number.isFinite(v))
    throw new InvalidOptionError(`no valid price for ${asset}`);
  return v;
}

function value(p: StressPortfolio, s: StressScenario | null): Valuation {
  const exposures = new Map<string, number>();
  const add = (a: string, x: number): void => {
    exposures.set(a, (exposures.get(a) ?? 0) + x);
  };
  const prices = new Map<string, number>();
  for (const a of Object.keys(p.prices)) {
    const base = priceOf(p, a);
    const sh = s === null ? 0 : shockFor(s.priceShocks, a);
    if (!(sh > -1) || !Number.isFinite(sh))
      throw new InvalidOptionError(`price shock ${sh} for ${a} must be > -100 %`);
    prices.set(a, base * (1 + sh));
  }
  const volMul = s?.volatilityShock?.multiply ?? 1;
  const volAdd = s?.volatilityShock?.add ?? 0;
  const dt = s?.timeElapsed ?? 0;
  let total = p.cash;
  for (const pos of p.spot) {
    const px = prices.get(pos.asset);
    if (px === undefined) throw new InvalidOptionError(`no price for spot asset ${pos.asset}`);
    const v = pos.quantity * px;
    total += v;
    add(pos.asset, v);
  }
  for (const o of p.options ?? []) {
    const px = prices.get(o.asset);
    if (px === undefined) throw new InvalidOptionError(`no price for option underlying ${o.asset}`);
    const vol = Math.max(1e-6, o.impliedVolatility * volMul + volAdd);
    const tte = Math.max(0, o.timeToExpiry - dt);
    let price: number;
    let delta: number;
    if (o.pricer !== undefined) {
      const r = o.pricer({
        spot: px,
        strike: o.strike,
        timeToExpiry: tte,
        volatility: vol,
        type: o.type,
        rate: p.rate ?? 0,
      });
      price = r.price;
      delta = r.delta;
    } else if (o.mark !== undefined) {
      const base = priceOf(p, o.asset);
      const dS = px - base;
      const g = o.mark.gamma ?? 0;
      price = Math.max(
        0,
        o.mark.price +
          o.mark.delta * dS +
          0.5 * g * dS * dS +
          (o.mark.vega ?? 0) * (vol - o.impliedVolatility),
      );
      delta = o.mark.delta + g * dS;
    } else {
      throw new InvalidOptionError(`option on ${o.asset} (strike ${o.strike}) needs a pricer or a mark`);
    }
    if (!Number.isFinite(price) || !Number.isFinite(delta))
      throw new InvalidOptionError(`pricer returned non-finite values for ${o.asset}`);
    total += price * o.quantity;
    add(o.asset, delta * o.quantity * px);
  }
  let gross = 0;
  for (const e of exposures.values()) gross += Math.abs(e);
  const leverage = total > 0 ? gross / total : Infinity;
  return { value: total, exposures, leverage };
}

function volatilityAfter(p: StressPortfolio, s: StressScenario, val: Valuation): number | undefined {
  if (p.risk === undefined) return undefined;
  const { assets } = p.risk;
  const n = assets.length;
  const R = toSquare(p.risk.correlation, "correlation");
  if (R.n !== n || p.risk.volatilities.length !== n)
    throw new DimensionError("risk model dimensions disagree with assets");
  const volMul = s.volatilityShock?.multiply ?? 1;
  const volAdd = s.volatilityShock?.add ?? 0;
  if (s.correlation !== undefined && !(s.correlation <= 1 && s.correlation >= -1 / Math.max(1, n - 1))) {
    throw new InvalidOptionError(`correlation ${s.correlation} outside [-1/(n-1), 1]: not a valid matrix`);
  }
  let v = 0;
  for (let i = 0; i < n; i++) {
    const ei = val.exposures.get(assets[i]!) ?? 0;
    const si = p.risk.volatilities[i]! * volMul + volAdd;
    for (let j = 0; j < n; j++) {
      const ej = val.exposures.get(assets[j]!) ?? 0;
      const sj = p.risk.volatilities[j]! * volMul + volAdd;
      const rho = i === j ? 1 : (s.correlation ?? R.data[i * n + j]!);
      v += ei * ej * si * sj * rho;
    }
  }
  return val.value > 0 ? Math.sqrt(Math.max(0, v)) / val.value : Infinity;
}

/** Runs every scenario against the portfolio. */
export function stressTest(portfolio: StressPortfolio, scenarios: readonly StressScenario[]): StressResult[] {
  if (!(portfolio.ripcordLeverage > 0))
    throw new InvalidOptionError(`ripcordLeverage must be > 0, got ${portfolio.ripcordLeverage}`);
  const before = value(portfolio, null);
  return scenarios.map((s) => {
    const after = value(portfolio, s);
    const res: StressResult = {
      name: s.name,
      valueBefore: before.value,
      valueAfter: after.value,
      pnl: after.value - before.value,
      pnlFraction: before.value !== 0 ? (after.value - before.value) / before.value : NaN,
      leverageBefore: before.leverage,
      leverageAfter: after.leverage,
      distanceToRipcord: portfolio.ripcordLeverage - after.leverage,
      breachesRipcord: after.leverage > portfolio.ripcordLeverage,
      exposuresAfter: Object.fromEntries(after.exposures),
    };
    const va = volatilityAfter(portfolio, s, after);
    if (va !== undefined) res.volatilityAfter = va;
    return res;
  });
}
