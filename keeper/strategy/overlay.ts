/**
 * Protective-put overlay and delta hedge (keeper pure core: no I/O, deterministic, typed).
 *
 * For every risk asset the vault holds, the overlay keeps puts at a configured delta (default
 * 0.20) and tenor (default 30 days) on a fraction of the holding, rolls them a configured number
 * of days before expiry, and stays inside:
 *   - a premium budget per rolling window (bps of vault value), never above the option adapter's
 *     on-chain budget (contracts/adapters/OptionVenueAdapter.sol: used + premium <= floor(V x bps)),
 *   - the adapter's guards (expiry band, strike band around spot, notional cap per underlying,
 *     maximum open series), each with a safety margin,
 *   - portfolio vega and dollar-gamma limits (orders are scaled down, with a reason).
 * The delta hedge then sizes the spot holding so that spot + option delta per underlying sits on
 * the risk-parity target exposure, trading only when the drift leaves a band.
 *
 * Units: prices and values in USD floats (the vault asset counts 1 USD per unit); amounts in whole
 * underlying units (1 = one option on one whole token); times in unix seconds; volatility decimal.
 * The venue prices with Black-Scholes, cost of carry = rate; ask = fair x (1 + spread), floored
 * at minPremiumBps of the collateral (strike x amount for a put); bid = fair x (1 - spread).
 */
import { blackScholes } from "../options/black.ts";
import { portfolioGreeks, type Position } from "../options/portfolio.ts";
import { deltaHedgeAmount, rollDecision, strikeForDelta } from "../options/strategy.ts";

const DAY = 86_400;
const YEAR = 365 * DAY;
const BPS = 10_000;

/** Float mirror of OptionVenueAdapter.GuardParams plus the adapter state the plan depends on. */
export interface OptionGuardsF {
  /** Premium per window, bps of the vault's totalAssets(). */
  premiumBudgetBps: number;
  /** Seconds over which spent premium refills linearly. */
  premiumWindow: number;
  minExpiryDays: number;
  maxExpiryDays: number;
  /** |strike / spot - 1| <= strikeBandBps / 10,000. */
  strikeBandBps: number;
  maxOpenSeries: number;
  /** Notional cap per underlying, USD (asset units); a missing or 0 cap means "not allowed". */
  notionalCapUsd: Readonly<Record<string, number>>;
  /** adapter.premiumUsed() now, USD. */
  premiumUsed: number;
}

/** Venue pricing parameters the premium estimate needs (OptionVenue). */
export interface VenuePricingF {
  /** Half spread around the fair price, bps (ask = fair x (1 + spread)). */
  spreadBps: number;
  /** Ask floor, bps of the collateral (strike x amount for a put). */
  minPremiumBps: number;
  /** Annual rate used by the venue (continuous, decimal); carry = rate. Default 0. */
  rate?: number;
}

/** One option series the adapter holds (ERC-1155 balance), as floats. */
export interface HeldOption {
  seriesId: string;
  underlying: string;
  type: "put" | "call";
  strike: number;
  /** Unix seconds. */
  expiry: number;
  /** Options held (whole underlying units). */
  amount: number;
}

export interface UnderlyingMarketF {
  /** Oracle spot, USD per whole token. */
  spot: number;
  /** Implied volatility the venue prices with (decimal). */
  volatility: number;
}

export interface OverlayConfig {
  /** |delta| of the protective put (0.20 = a 20-delta put). */
  putDelta: number;
  /** Days to expiry of a new put. */
  tenorDays: number;
  /** Roll when fewer than this many days are left (>= 1: never hold a series to expiry). */
  rollBeforeDays: number;
  /** Also roll a put whose |delta| exceeds this (monetise a deep in-the-money put); off if undefined. */
  rollAboveAbsDelta?: number;
  /** Fraction of each spot holding to protect (1 = one put per token held). */
  hedgeRatio: number;
  /** Keeper's own premium budget (bps of vault value per adapter window); the plan uses min(this, on-chain). */
  premiumBudgetBps: number;
  /** Safety margin applied to every guard and budget, bps (e.g. 500 = keep 5 % away). */
  safetyMarginBps: number;
  /** Allowance above the estimated ask for maxPremium (and below the bid for minProceeds), bps. */
  premiumSlippageBps: number;
  /** Extra seconds kept inside the expiry band at both ends (execution happens after planning). */
  expiryMarginSeconds: number;
  /** New expiries are rounded down to a multiple of this (seconds; 86,400 = midnight UTC) so series are shared. */
  expiryGridSeconds: number;
  /** Strikes are rounded to this many significant digits (5 -> 1234.5 for 1,234.53). */
  strikeSignificantDigits: number;
  /** Top up (or trim, see trimTolerance) the put amount only when it is off its target by more than this fraction. */
  amountTolerance: number;
  /**
   * Sell back excess puts only when they exceed the target by more than this fraction, and never
   * below `amountTolerance` (default 0.5); a narrower value trims more often and pays the spread
   * twice when the holding comes back.
   */
  trimTolerance: number;
  /**
   * A top-up buys more of the held series while its |delta| is within this of putDelta (default
   * 0.05); otherwise a put at the target delta with the SAME expiry (the two roll together).
   */
  laneDeltaTolerance: number;
  /** Orders below this notional (amount x spot, USD) are skipped. */
  minOrderNotionalUsd: number;
  /** Portfolio vega limit (USD per volatility point, absolute total over the book). */
  maxVega: number;
  /** Portfolio dollar-gamma limit (USD change of dollar delta per 1 % move, absolute total). */
  maxDollarGamma: number;
  /** Hedge band: no spot trade while |net delta - target| <= max(bandFraction x |target|, bandMinUnits[u] ?? 0). */
  hedgeBandFraction: number;
  hedgeBandMinUnits?: Readonly<Record<string, number>>;
}

export const DEFAULT_OVERLAY_CONFIG: Readonly<OverlayConfig> = {
  putDelta: 0.2,
  tenorDays: 30,
  rollBeforeDays: 7,
  hedgeRatio: 1,
  premiumBudgetBps: 200,
  safetyMarginBps: 500,
  premiumSlippageBps: 200,
  expiryMarginSeconds: DAY,
  expiryGridSeconds: DAY,
  strikeSignificantDigits: 5,
  amountTolerance: 0.1,
  trimTolerance: 0.5,
  laneDeltaTolerance: 0.05,
  minOrderNotionalUsd: 100,
  maxVega: Number.POSITIVE_INFINITY,
  maxDollarGamma: Number.POSITIVE_INFINITY,
  hedgeBandFraction: 0.05,
};

export interface OverlayInput {
  /** Unix seconds of the plan (the chain's latest block time). */
  now: number;
  /** Vault totalAssets(), USD. */
  vaultValue: number;
  /** Whole tokens of each risk asset held by the vault (spot). */
  holdings: Readonly<Record<string, number>>;
  market: Readonly<Record<string, UnderlyingMarketF>>;
  /** Series the adapter holds now (adapter.openSeries() with their balances). */
  book: readonly HeldOption[];
  guards: OptionGuardsF;
  venue: VenuePricingF;
  config?: Partial<OverlayConfig>;
  /**
   * Underlyings whose put was settled earlier in this cycle (no longer in `book`): their new put
   * is the roll of the settled one (reason ROLL_EXPIRY, up to the full target).
   */
  settledThisCycle?: readonly string[];
}

export type OverlayReasonCode =
  | "NEW" // no protection yet
  | "TOP_UP" // protection below target by more than the tolerance
  | "ROLL_EXPIRY" // replacing a put closed for expiry
  | "ROLL_DELTA" // replacing a put closed for its delta
  | "OVER_HEDGED" // trimming protection above target
  | "EXPIRED"; // settling an expired series

export interface OptionOrderF {
  /** Mirrors IOptionAdapter.OptionOrder (floats): USD strike, unix expiry, whole-unit amount, USD maxPremium. */
  underlying: string;
  isCall: boolean;
  strike: number;
  expiry: number;
  amount: number;
  maxPremium: number;
  /** Estimated ask (USD) at planning time; maxPremium = estimate x (1 + slippage). */
  estimatedPremium: number;
  /** Black-Scholes delta (per option, dPrice/dSpot) at the chosen strike. */
  delta: number;
  reason: OverlayReasonCode;
  /** Human-readable detail (scalings, clamps). */
  detail: string;
}

export interface CloseOrderF {
  seriesId: string;
  underlying: string;
  amount: number;
  /** Estimated bid x (1 - slippage), USD. */
  minProceeds: number;
  reason: OverlayReasonCode;
  detail: string;
}

export interface SettleOrderF {
  seriesId: string;
  underlying: string;
  reason: "EXPIRED";
}

export type OverlaySkipCode =
  | "NO_MARKET"
  | "NO_HOLDING"
  | "COVERED"
  | "BELOW_MIN_ORDER"
  | "EXPIRY_BAND_EMPTY"
  | "NOTIONAL_CAP"
  | "MAX_OPEN_SERIES"
  | "PREMIUM_BUDGET"
  | "VEGA_LIMIT"
  | "GAMMA_LIMIT"
  | "NOT_A_PROTECTIVE_PUT"
  | "TOP_UP_AT_ROLL";

export interface OverlaySkip {
  underlying: string;
  code: OverlaySkipCode;
  detail: string;
}

export interface OverlayPlan {
  /** Execute in this order: settles, closes, then opens (the plan's guard accounting assumes it). */
  settles: SettleOrderF[];
  closes: CloseOrderF[];
  opens: OptionOrderF[];
  skips: OverlaySkip[];
  premium: {
    /** Effective budget bps: min(config, on-chain). */
    budgetBps: number;
    /** On-chain budget now (V x bps), USD. */
    budget: number;
    used: number;
    /** Most the opens may pay in total (margins and the value drop from paying included). */
    allowed: number;
    /** Sum of maxPremium over the opens (<= allowed). */
    planned: number;
  };
  /** Portfolio Greeks of the option book (spot excluded) before and after the plan. */
  greeks: { before: BookGreeks; after: BookGreeks };
  /** The configuration used (defaults filled in). */
  config: OverlayConfig;
}

export interface BookGreeks {
  vega: number;
  dollarGamma: number;
  /** Option delta per underlying (units of the underlying). */
  delta: Record<string, number>;
}

function requireFiniteNumber(name: string, v: number, min = Number.NEGATIVE_INFINITY): void {
  if (typeof v !== "number" || Number.isNaN(v) || v < min || v === Number.POSITIVE_INFINITY)
    throw new RangeError(`overlay: ${name} must be a finite number >= ${min}, got ${String(v)}`);
}

/** Config with defaults filled in, validated. */
export function resolveOverlayConfig(partial: Partial<OverlayConfig> = {}): OverlayConfig {
  const c: OverlayConfig = { ...DEFAULT_OVERLAY_CONFIG, ...partial };
  if (!(c.putDelta > 0 && c.putDelta < 1))
    throw new RangeError(`overlay: putDelta in (0, 1), got ${c.putDelta}`);
  if (!(c.tenorDays > 0)) throw new RangeError(`overlay: tenorDays > 0, got ${c.tenorDays}`);
  // 0 holds every put to expiry: the keeper then settles it and collects the payout (docs/strategy.md).
  requireFiniteNumber("rollBeforeDays", c.rollBeforeDays, 0);
  requireFiniteNumber("hedgeRatio", c.hedgeRatio, 0);
  requireFiniteNumber("premiumBudgetBps", c.premiumBudgetBps, 0);
  if (!(c.safetyMarginBps >= 0 && c.safetyMarginBps < BPS))
    throw new RangeError(`overlay: safetyMarginBps in [0, 10000), got ${c.safetyMarginBps}`);
  requireFiniteNumber("premiumSlippageBps", c.premiumSlippageBps, 0);
  if (c.premiumSlippageBps >= BPS) throw new RangeError("overlay: premiumSlippageBps < 10000");
  requireFiniteNumber("expiryMarginSeconds", c.expiryMarginSeconds, 0);
  if (!(c.expiryGridSeconds >= 1)) throw new RangeError("overlay: expiryGridSeconds >= 1");
  if (!(Number.isInteger(c.strikeSignificantDigits) && c.strikeSignificantDigits >= 2))
    throw new RangeError("overlay: strikeSignificantDigits integer >= 2");
  requireFiniteNumber("amountTolerance", c.amountTolerance, 0);
  requireFiniteNumber("trimTolerance", c.trimTolerance, 0);
  requireFiniteNumber("laneDeltaTolerance", c.laneDeltaTolerance, 0);
  requireFiniteNumber("minOrderNotionalUsd", c.minOrderNotionalUsd, 0);
  if (!(c.maxVega >= 0)) throw new RangeError("overlay: maxVega >= 0");
  if (!(c.maxDollarGamma >= 0)) throw new RangeError("overlay: maxDollarGamma >= 0");
  requireFiniteNumber("hedgeBandFraction", c.hedgeBandFraction, 0);
  if (c.rollAboveAbsDelta !== undefined && !(c.rollAboveAbsDelta > 0 && c.rollAboveAbsDelta <= 1))
    throw new RangeError("overlay: rollAboveAbsDelta in (0, 1]");
  return c;
}

/** Venue ask per option (USD): max(fair x (1 + spread), minPremium x strike) for a put. */
export function estimateAsk(
  m: UnderlyingMarketF,
  strike: number,
  timeToExpiry: number,
  venue: VenuePricingF,
  type: "put" | "call" = "put",
): number {
  const fair = venueBlackScholes(m, strike, timeToExpiry, venue, type).price;
  return Math.max(fair * (1 + venue.spreadBps / BPS), (venue.minPremiumBps / BPS) * strike);
}

/**
 * Black-Scholes at the venue's rate (carry = rate) and the oracle's spot and volatility: `.price`
 * is the value per option (USD) before the venue's spread, `.delta` the per-option delta.
 */
function venueBlackScholes(
  m: UnderlyingMarketF,
  strike: number,
  timeToExpiry: number,
  venue: VenuePricingF,
  type: "put" | "call",
): ReturnType<typeof blackScholes> {
  const r = venue.rate ?? 0;
  return blackScholes({
    spot: m.spot,
    strike,
    timeToExpiry,
    volatility: m.volatility,
    rate: r,
    carry: r,
    type,
  });
}

/** Venue bid per option (USD): fair x (1 - spread); intrinsic value of an expired series. */
export function estimateBid(
  m: UnderlyingMarketF,
  strike: number,
  timeToExpiry: number,
  venue: VenuePricingF,
  type: "put" | "call" = "put",
): number {
  if (timeToExpiry <= 0) return Math.max(type === "put" ? strike - m.spot : m.spot - strike, 0);
  const fair = venueBlackScholes(m, strike, timeToExpiry, venue, type).price;
  return fair * (1 - venue.spreadBps / BPS);
}

function roundSignificant(x: number, digits: number): number {
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

/** Strike band [low, high] the plan uses: the on-chain band shrunk by the safety margin. */
export function strikeBandWithMargin(
  spot: number,
  guards: OptionGuardsF,
  safetyMarginBps: number,
): [number, number] {
  const band = (guards.strikeBandBps / BPS) * (1 - safetyMarginBps / BPS);
  return [spot * (1 - Math.min(band, 1)), spot * (1 + band)];
}

/** Expiry band [earliest, latest] the plan uses (unix seconds): the on-chain band shrunk by the margin. */
export function expiryBandWithMargin(
  now: number,
  guards: OptionGuardsF,
  marginSeconds: number,
): [number, number] {
  return [now + guards.minExpiryDays * DAY + marginSeconds, now + guards.maxExpiryDays * DAY - marginSeconds];
}

/**
 * Premium the opens may pay in total. On chain: used + premium <= V' x b with V' the vault value
 * at the time of the open; paying P lowers V by at most P (the bid of what was bought is >= 0), so
 * P <= (V b - used) / (1 + b) is safe whatever the spread; then the safety margin.
 */
export function allowedPremium(
  vaultValue: number,
  budgetBps: number,
  used: number,
  safetyMarginBps: number,
): number {
  const b = budgetBps / BPS;
  const room = (vaultValue * b - used) / (1 + b);
  return Math.max(0, room * (1 - safetyMarginBps / BPS));
}

/** The live (unexpired, non-zero) series of a held book as portfolio positions at `now` (unix s). */
export function bookPositions(book: readonly HeldOption[], now: number): Position[] {
  const out: Position[] = [];
  for (const o of book) {
    if (o.expiry <= now || o.amount === 0) continue;
    out.push({
      kind: "option",
      underlying: o.underlying,
      type: o.type,
      strike: o.strike,
      timeToExpiry: (o.expiry - now) / YEAR,
      quantity: o.amount,
    });
  }
  return out;
}

/** Vega, dollar gamma and option delta per underlying of a set of live positions. */
export function bookGreeks(
  positions: readonly Position[],
  market: Readonly<Record<string, UnderlyingMarketF>>,
  rate = 0,
): BookGreeks {
  const m: Record<string, { forward: number; volatility: number; rate: number }> = {};
  for (const p of positions) {
    const u = market[p.underlying];
    if (u !== undefined) m[p.underlying] = { forward: u.spot, volatility: u.volatility, rate };
  }
  const g = portfolioGreeks(
    positions.filter((p) => m[p.underlying] !== undefined),
    m,
  );
  const delta: Record<string, number> = {};
  for (const [u, x] of Object.entries(g.byUnderlying)) delta[u] = x.delta;
  return { vega: g.total.vega, dollarGamma: g.total.dollarGamma, delta };
}

/**
 * Largest f in [0, 1] with |base + f x add| <= limit (base already within the limit, or f = 0).
 */
function scaleToLimit(base: number, add: number, limit: number): number {
  if (!Number.isFinite(limit)) return 1;
  if (Math.abs(base + add) <= limit) return 1;
  if (add === 0) return 1;
  const bound = add > 0 ? limit - base : -limit - base;
  return Math.max(0, Math.min(1, bound / add));
}

interface Candidate {
  order: OptionOrderF;
  /** Per-option estimates at planning time. */
  askPer: number;
  tte: number;
}

/**
 * Plans the protective-put overlay: settles for expired series, closes (rolls and trims) and new
 * puts, every order inside the adapter guards with the configured margin, the premium budget and
 * the Greek limits. Every underlying without an order gets a skip with its reason.
 */
export function planOverlay(input: OverlayInput): OverlayPlan {
  const cfg = resolveOverlayConfig(input.config);
  const { now, guards, venue, market } = input;
  requireFiniteNumber("now", now, 0);
  requireFiniteNumber("vaultValue", input.vaultValue, 0);
  requireFiniteNumber("guards.premiumUsed", guards.premiumUsed, 0);
  const rate = venue.rate ?? 0;
  const margin = cfg.safetyMarginBps / BPS;
  const slip = cfg.premiumSlippageBps / BPS;
  const trimTolerance = Math.max(cfg.trimTolerance, cfg.amountTolerance);

  const settles: SettleOrderF[] = [];
  const closes: CloseOrderF[] = [];
  const skips: OverlaySkip[] = [];

  // 1. Expired series: settle (they still count as open series on chain until settled).
  // 2. Live puts: roll (close) when due; the rest is kept protection. One put series per
  //    underlying is the steady state: when one put of an underlying is rolled, every other live
  //    put of that underlying is closed with it and the replacement covers the whole target, so
  //    books with several expiries (older books, or top-ups opened before this rule) converge to a
  //    single series rolled once per tenor instead of one roll per series.
  const kept: HeldOption[] = [];
  const keptAmount: Record<string, number> = {};
  const rolledReason: Record<string, OverlayReasonCode> = {};
  let seriesAfterCloses = 0;
  const livePuts: { o: HeldOption; m: UnderlyingMarketF; tte: number; delta: number }[] = [];
  const due: Record<string, { seriesId: string; reason: OverlayReasonCode; detail: string }> = {};
  for (const o of input.book) {
    if (o.expiry <= now) {
      settles.push({ seriesId: o.seriesId, underlying: o.underlying, reason: "EXPIRED" });
      // held to expiry (rollBeforeDays 0): its replacement is a roll, up to the full target
      if (o.type === "put") rolledReason[o.underlying] ??= "ROLL_EXPIRY";
      continue; // settled -> leaves the open-series set
    }
    seriesAfterCloses++;
    const m = market[o.underlying];
    if (o.type !== "put" || m === undefined) {
      kept.push(o);
      if (o.type !== "put")
        skips.push({
          underlying: o.underlying,
          code: "NOT_A_PROTECTIVE_PUT",
          detail: `series ${o.seriesId} is a call; left untouched`,
        });
      continue;
    }
    const tte = (o.expiry - now) / YEAR;
    const delta = venueBlackScholes(m, o.strike, tte, venue, "put").delta;
    livePuts.push({ o, m, tte, delta });
    const decision = rollDecision({
      daysToExpiry: (o.expiry - now) / DAY,
      rollBelowDays: cfg.rollBeforeDays,
      delta,
      ...(cfg.rollAboveAbsDelta !== undefined ? { maxAbsDelta: cfg.rollAboveAbsDelta } : {}),
    });
    if (decision.roll && due[o.underlying] === undefined)
      due[o.underlying] = {
        seriesId: o.seriesId,
        reason: decision.reason === "DELTA" ? "ROLL_DELTA" : "ROLL_EXPIRY",
        detail:
          decision.reason === "DELTA"
            ? `|delta| ${Math.abs(delta).toFixed(3)} > ${cfg.rollAboveAbsDelta}`
            : `${((o.expiry - now) / DAY).toFixed(2)} days left < ${cfg.rollBeforeDays}`,
      };
  }
  for (const u of input.settledThisCycle ?? []) rolledReason[u] ??= "ROLL_EXPIRY";
  for (const { o, m, tte } of livePuts) {
    const roll = due[o.underlying];
    if (roll !== undefined) {
      closes.push({
        seriesId: o.seriesId,
        underlying: o.underlying,
        amount: o.amount,
        minProceeds: estimateBid(m, o.strike, tte, venue) * o.amount * (1 - slip),
        reason: roll.reason,
        detail:
          roll.seriesId === o.seriesId
            ? roll.detail
            : `closed with the roll of series ${roll.seriesId} (${roll.detail}): one series per underlying`,
      });
      rolledReason[o.underlying] = roll.reason;
      seriesAfterCloses--;
      continue;
    }
    kept.push(o);
    keptAmount[o.underlying] = (keptAmount[o.underlying] ?? 0) + o.amount;
  }

  // 3. Target protection per underlying; trim excess (furthest-out series last).
  const candidates: Candidate[] = [];
  const [earliest, latest] = expiryBandWithMargin(now, guards, cfg.expiryMarginSeconds);
  let newSeries = 0;
  const underlyings = [...new Set([...Object.keys(input.holdings), ...Object.keys(keptAmount)])].sort();
  for (const u of underlyings) {
    const m = market[u];
    const held = input.holdings[u] ?? 0;
    if (m === undefined || !(m.spot > 0) || !(m.volatility > 0)) {
      skips.push({ underlying: u, code: "NO_MARKET", detail: "no spot or volatility" });
      continue;
    }
    const target = cfg.hedgeRatio * Math.max(held, 0);
    const have = keptAmount[u] ?? 0;
    const gap = target - have;
    if (target === 0 && have === 0) {
      skips.push({ underlying: u, code: "NO_HOLDING", detail: "no spot holding to protect" });
      continue;
    }
    if (Math.abs(gap) <= cfg.amountTolerance * target && target > 0) {
      if (rolledReason[u] === undefined || gap <= 0) {
        skips.push({
          underlying: u,
          code: "COVERED",
          detail: `puts ${have.toPrecision(6)} vs target ${target.toPrecision(6)} within ${cfg.amountTolerance * 100} %`,
        });
        continue;
      }
    }
    // Excess protection is sold back only beyond the (wider) trim tolerance: the puts are paid
    // for, and a holding that swings with the volatility target would otherwise be trimmed and
    // topped up again week after week, paying the spread both ways.
    if (gap < 0 && target > 0 && -gap <= trimTolerance * target) {
      skips.push({
        underlying: u,
        code: "COVERED",
        detail: `puts ${have.toPrecision(6)} above target ${target.toPrecision(6)} by ${((-gap / target) * 100).toFixed(1)} %, within the trim tolerance ${trimTolerance * 100} %`,
      });
      continue;
    }
    if (gap < 0) {
      // Over-hedged: sell back the excess from the nearest expiries first.
      let excess = -gap;
      const series = kept
        .filter((o) => o.underlying === u && o.type === "put")
        .sort((a, b) => a.expiry - b.expiry);
      for (const o of series) {
        if (excess <= 0) break;
        const amt = Math.min(o.amount, excess);
        if (amt * m.spot < cfg.minOrderNotionalUsd) break;
        const tte = (o.expiry - now) / YEAR;
        closes.push({
          seriesId: o.seriesId,
          underlying: u,
          amount: amt,
          minProceeds: estimateBid(m, o.strike, tte, venue) * amt * (1 - slip),
          reason: "OVER_HEDGED",
          detail: `puts ${have.toPrecision(6)} > target ${target.toPrecision(6)}`,
        });
        if (amt === o.amount) seriesAfterCloses--;
        excess -= amt;
        keptAmount[u] = (keptAmount[u] ?? 0) - amt;
      }
      if (excess === -gap)
        skips.push({
          underlying: u,
          code: "BELOW_MIN_ORDER",
          detail: "excess protection too small to close",
        });
      continue;
    }
    if (gap * m.spot < cfg.minOrderNotionalUsd) {
      skips.push({
        underlying: u,
        code: "BELOW_MIN_ORDER",
        detail: `missing ${(gap * m.spot).toFixed(2)} USD of notional < ${cfg.minOrderNotionalUsd}`,
      });
      continue;
    }
    // A top-up goes into the put series already held (same expiry, and the same strike while it
    // is inside the band), so the underlying keeps ONE series that is rolled once per tenor; a new
    // expiry per top-up would start a series of its own, rolled on its own schedule (the churn
    // the demo showed). A held series too close to expiry for the adapter's band waits for its roll.
    const lane = kept
      .filter((o) => o.underlying === u && o.type === "put" && o.expiry > now)
      .sort((a, b) => b.expiry - a.expiry)[0];
    if (lane !== undefined && lane.expiry < earliest) {
      skips.push({
        underlying: u,
        code: "TOP_UP_AT_ROLL",
        detail: `held series ${lane.seriesId} expires in ${((lane.expiry - now) / DAY).toFixed(2)} days, before the earliest expiry allowed (${((earliest - now) / DAY).toFixed(2)} days with margin): ${(gap * m.spot).toFixed(2)} USD of notional is added at its roll`,
      });
      continue;
    }
    const joinLane = lane !== undefined && lane.expiry <= latest;
    // Expiry: the held series' (top-up), else the tenor rounded down to the grid, inside the band with margin.
    let expiry = joinLane
      ? lane.expiry
      : Math.floor((now + cfg.tenorDays * DAY) / cfg.expiryGridSeconds) * cfg.expiryGridSeconds;
    let detail = joinLane ? `into held series ${lane.seriesId}; ` : "";
    if (expiry < earliest || expiry > latest) {
      const clamped = Math.min(Math.max(expiry, earliest), latest);
      // Stay on the grid inside the band when possible.
      const up = Math.ceil(clamped / cfg.expiryGridSeconds) * cfg.expiryGridSeconds;
      const down = Math.floor(clamped / cfg.expiryGridSeconds) * cfg.expiryGridSeconds;
      expiry =
        up <= latest && up >= earliest ? up : down >= earliest && down <= latest ? down : Math.ceil(clamped);
      detail += `expiry clamped into the band; `;
    }
    if (earliest > latest || expiry < earliest || expiry > latest) {
      skips.push({
        underlying: u,
        code: "EXPIRY_BAND_EMPTY",
        detail: `band [${earliest}, ${latest}] with margin is empty`,
      });
      continue;
    }
    const tte = (expiry - now) / YEAR;
    // Strike at the target delta (Black-Scholes delta on spot = Black-76 delta on the forward when
    // carry = rate), rounded, inside the strike band with margin.
    const forward = m.spot * Math.exp(rate * tte);
    const raw = strikeForDelta({
      forward,
      timeToExpiry: tte,
      volatility: m.volatility,
      targetDelta: -cfg.putDelta * Math.exp(-rate * tte),
      type: "put",
      rate,
    }).strike;
    let strike = roundSignificant(raw, cfg.strikeSignificantDigits);
    const [low, high] = strikeBandWithMargin(m.spot, guards, cfg.safetyMarginBps);
    if (joinLane) {
      // Same series while its delta is still near the target (within laneDeltaTolerance); a
      // strike the spot has moved towards costs more per option than a fresh target-delta put.
      const laneDelta = venueBlackScholes(m, lane.strike, tte, venue, "put").delta;
      const off = Math.abs(Math.abs(laneDelta) - cfg.putDelta);
      if (lane.strike >= low && lane.strike <= high && off <= cfg.laneDeltaTolerance) strike = lane.strike;
      else
        detail += `held strike ${lane.strike} (|delta| ${Math.abs(laneDelta).toFixed(3)}) ${off > cfg.laneDeltaTolerance ? `off the target by more than ${cfg.laneDeltaTolerance}` : "outside the band"}: new strike at the same expiry; `;
    }
    if (strike < low || strike > high) {
      strike = Math.min(Math.max(strike, low), high);
      // Rounding must not leave the band: round inward.
      const f = 10 ** (Math.floor(Math.log10(strike)) - (cfg.strikeSignificantDigits - 1));
      strike = strike <= low ? Math.ceil(strike / f) * f : Math.floor(strike / f) * f;
      if (strike < low || strike > high) strike = Math.min(Math.max(raw, low), high);
      detail += `strike ${raw.toPrecision(6)} clamped into [${low.toPrecision(6)}, ${high.toPrecision(6)}]; `;
    }
    // Notional cap: (kept live amount + new) x spot <= cap x (1 - margin); spot may move by the
    // same margin before execution.
    const cap = guards.notionalCapUsd[u] ?? 0;
    const capUnits = (cap * (1 - margin)) / (m.spot * (1 + margin)) - (keptAmount[u] ?? 0);
    let amount = gap;
    if (amount > capUnits) {
      if (capUnits * m.spot < cfg.minOrderNotionalUsd) {
        skips.push({
          underlying: u,
          code: "NOTIONAL_CAP",
          detail: `cap ${cap} USD leaves ${(Math.max(capUnits, 0) * m.spot).toFixed(2)} USD`,
        });
        continue;
      }
      amount = capUnits;
      detail += `amount capped by the notional cap (${cap} USD); `;
    }
    // Series count: a new series needs a free slot (same-expiry same-strike puts share one).
    const sameSeries = kept.some(
      (o) => o.underlying === u && o.type === "put" && o.strike === strike && o.expiry === expiry,
    );
    if (!sameSeries) {
      if (seriesAfterCloses + newSeries + 1 > guards.maxOpenSeries) {
        skips.push({
          underlying: u,
          code: "MAX_OPEN_SERIES",
          detail: `${seriesAfterCloses + newSeries} series open, max ${guards.maxOpenSeries}`,
        });
        continue;
      }
      newSeries++;
    }
    const delta = venueBlackScholes(m, strike, tte, venue, "put").delta;
    const askPer = estimateAsk(m, strike, tte, venue);
    const reason: OverlayReasonCode = rolledReason[u] ?? (have > 0 ? "TOP_UP" : "NEW");
    candidates.push({
      order: {
        underlying: u,
        isCall: false,
        strike,
        expiry,
        amount,
        maxPremium: askPer * amount * (1 + slip),
        estimatedPremium: askPer * amount,
        delta,
        reason,
        detail: detail.trim(),
      },
      askPer,
      tte,
    });
  }

  // 4. Greek limits: scale all new orders by one factor so the book stays within vega and gamma.
  // Kept series less the trims.
  const trimmed: Record<string, number> = {};
  for (const c of closes)
    if (c.reason === "OVER_HEDGED") trimmed[c.seriesId] = (trimmed[c.seriesId] ?? 0) + c.amount;
  const afterCloses: Position[] = [];
  for (const o of kept) {
    if (o.expiry <= now) continue;
    const q = o.amount - (trimmed[o.seriesId] ?? 0);
    if (q > 0)
      afterCloses.push({
        kind: "option",
        underlying: o.underlying,
        type: o.type,
        strike: o.strike,
        timeToExpiry: (o.expiry - now) / YEAR,
        quantity: q,
      });
  }
  const before = bookGreeks(bookPositions(input.book, now), market, rate);
  const base = bookGreeks(afterCloses, market, rate);
  const newPositions: Position[] = candidates.map((c) => ({
    kind: "option",
    underlying: c.order.underlying,
    type: "put",
    strike: c.order.strike,
    timeToExpiry: c.tte,
    quantity: c.order.amount,
  }));
  const add = bookGreeks(newPositions, market, rate);
  const fVega = scaleToLimit(base.vega, add.vega, cfg.maxVega);
  const fGamma = scaleToLimit(base.dollarGamma, add.dollarGamma, cfg.maxDollarGamma);
  const fGreeks = Math.min(fVega, fGamma);
  const greekCode: OverlaySkipCode = fVega <= fGamma ? "VEGA_LIMIT" : "GAMMA_LIMIT";

  // 5. Premium budget: one factor for all new orders (sum of maxPremium <= allowed).
  const budgetBps = Math.min(cfg.premiumBudgetBps, guards.premiumBudgetBps);
  const budget = input.vaultValue * (budgetBps / BPS);
  const allowed = allowedPremium(input.vaultValue, budgetBps, guards.premiumUsed, cfg.safetyMarginBps);
  const wanted = candidates.reduce((s, c) => s + c.order.maxPremium * fGreeks, 0);
  const fBudget = wanted > allowed ? allowed / wanted : 1;
  const f = fGreeks * fBudget;

  const opens: OptionOrderF[] = [];
  for (const c of candidates) {
    const o = c.order;
    const amount = o.amount * f;
    const why: string[] = [];
    if (fGreeks < 1)
      why.push(`scaled x${fGreeks.toFixed(4)} by the ${greekCode === "VEGA_LIMIT" ? "vega" : "gamma"} limit`);
    if (fBudget < 1) why.push(`scaled x${fBudget.toFixed(4)} by the premium budget`);
    if (amount * (input.market[o.underlying]?.spot ?? 0) < cfg.minOrderNotionalUsd) {
      skips.push({
        underlying: o.underlying,
        code:
          fBudget < 1 && (fGreeks >= 1 || fBudget <= fGreeks)
            ? "PREMIUM_BUDGET"
            : fGreeks < 1
              ? greekCode
              : "BELOW_MIN_ORDER",
        detail: `${why.join("; ") || "order too small"}: ${amount.toPrecision(6)} options left`,
      });
      continue;
    }
    if (f < 1) {
      const code = fBudget < fGreeks ? "PREMIUM_BUDGET" : greekCode;
      skips.push({
        underlying: o.underlying,
        code,
        detail: `${why.join("; ")}: ${(o.amount - amount).toPrecision(6)} of ${o.amount.toPrecision(6)} options not bought`,
      });
    }
    opens.push({
      ...o,
      amount,
      estimatedPremium: c.askPer * amount,
      maxPremium: c.askPer * amount * (1 + slip),
      detail: [o.detail, ...why].filter((s) => s.length > 0).join("; "),
    });
  }
  const planned = opens.reduce((s, o) => s + o.maxPremium, 0);

  const afterPositions: Position[] = [
    ...afterCloses,
    ...opens.map((o): Position => ({
      kind: "option",
      underlying: o.underlying,
      type: "put",
      strike: o.strike,
      timeToExpiry: (o.expiry - now) / YEAR,
      quantity: o.amount,
    })),
  ];
  const after = bookGreeks(afterPositions, market, rate);

  return {
    settles,
    closes,
    opens,
    skips,
    premium: { budgetBps, budget, used: guards.premiumUsed, allowed, planned },
    greeks: { before, after },
    config: cfg,
  };
}

// ---------------------------------------------------------------------------------- delta hedge

export interface HedgeInput {
  /** Whole tokens of each risk asset held (spot). */
  holdings: Readonly<Record<string, number>>;
  /** The option book after the overlay plan (held series and planned opens/closes applied). */
  options: readonly Position[];
  market: Readonly<Record<string, UnderlyingMarketF>>;
  /** Risk-parity target net exposure per underlying, whole tokens (target weight x value / spot). */
  targetExposure: Readonly<Record<string, number>>;
  /** Venue rate (continuous); default 0. */
  rate?: number;
  config?: Partial<Pick<OverlayConfig, "hedgeBandFraction" | "hedgeBandMinUnits">>;
}

export interface HedgeLine {
  underlying: string;
  spot: number;
  optionDelta: number;
  /** spot + option delta, whole tokens. */
  netDelta: number;
  target: number;
  band: number;
  /** Signed spot trade (whole tokens; + buy, - sell); 0 inside the band. */
  trade: number;
  /** Spot holding after the trade; netDelta after = target when traded. */
  spotAfter: number;
  /** Target spot value for the rebalance planner, USD (spotAfter x spot price). */
  spotTargetUsd: number;
  reason: "IN_BAND" | "REHEDGE" | "NO_MARKET";
}

/**
 * Spot exposure per underlying so that spot + option delta sits on the risk-parity target; no
 * trade while the drift is inside max(bandFraction x |target|, bandMinUnits).
 */
export function planDeltaHedge(input: HedgeInput): HedgeLine[] {
  const bandFraction = input.config?.hedgeBandFraction ?? DEFAULT_OVERLAY_CONFIG.hedgeBandFraction;
  requireFiniteNumber("hedgeBandFraction", bandFraction, 0);
  const greeks = bookGreeks(input.options, input.market, input.rate ?? 0);
  const out: HedgeLine[] = [];
  const names = [
    ...new Set([
      ...Object.keys(input.holdings),
      ...Object.keys(input.targetExposure),
      ...Object.keys(greeks.delta),
    ]),
  ].sort();
  for (const u of names) {
    const spot = input.holdings[u] ?? 0;
    const optionDelta = greeks.delta[u] ?? 0;
    const target = input.targetExposure[u] ?? 0;
    const m = input.market[u];
    const netDelta = spot + optionDelta;
    const band = Math.max(bandFraction * Math.abs(target), input.config?.hedgeBandMinUnits?.[u] ?? 0);
    if (m === undefined || !(m.spot > 0)) {
      out.push({
        underlying: u,
        spot,
        optionDelta,
        netDelta,
        target,
        band,
        trade: 0,
        spotAfter: spot,
        spotTargetUsd: 0,
        reason: "NO_MARKET",
      });
      continue;
    }
    const trade = deltaHedgeAmount({ netDelta, targetDelta: target, band });
    out.push({
      underlying: u,
      spot,
      optionDelta,
      netDelta,
      target,
      band,
      trade,
      spotAfter: spot + trade,
      spotTargetUsd: (spot + trade) * m.spot,
      reason: trade === 0 ? "IN_BAND" : "REHEDGE",
    });
  }
  return out;
}

/** The option book after a plan: held series minus closes and settles, plus opens (live only). */
export function bookAfterPlan(book: readonly HeldOption[], plan: OverlayPlan, now: number): Position[] {
  const closed: Record<string, number> = {};
  for (const c of plan.closes) closed[c.seriesId] = (closed[c.seriesId] ?? 0) + c.amount;
  const out: Position[] = [];
  for (const o of book) {
    if (o.expiry <= now) continue;
    const q = o.amount - (closed[o.seriesId] ?? 0);
    if (q > 1e-12 * o.amount)
      out.push({
        kind: "option",
        underlying: o.underlying,
        type: o.type,
        strike: o.strike,
        timeToExpiry: (o.expiry - now) / YEAR,
        quantity: q,
      });
  }
  for (const o of plan.opens)
    out.push({
      kind: "option",
      underlying: o.underlying,
      type: "put",
      strike: o.strike,
      timeToExpiry: (o.expiry - now) / YEAR,
      quantity: o.amount,
    });
  return out;
}
