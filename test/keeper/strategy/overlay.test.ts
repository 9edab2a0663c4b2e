import { expect } from "chai";
import fc from "fast-check";
import { blackScholes } from "../../../keeper/options/index.ts";
import {
  bookAfterPlan,
  planDeltaHedge,
  planOverlay,
  type HeldOption,
  type OptionGuardsF,
  type OverlayInput,
  type UnderlyingMarketF,
} from "../../../keeper/strategy/index.ts";

const DAY = 86_400;
const YEAR = 365 * DAY;
const NOW = 1_800_000_000;

const MARKET: Record<string, UnderlyingMarketF> = {
  WETH: { spot: 3_000, volatility: 0.7 },
  WBTC: { spot: 60_000, volatility: 0.55 },
};

function guards(over: Partial<OptionGuardsF> = {}): OptionGuardsF {
  return {
    premiumBudgetBps: 200,
    premiumWindow: 30 * DAY,
    minExpiryDays: 7,
    maxExpiryDays: 60,
    strikeBandBps: 3_000,
    maxOpenSeries: 8,
    notionalCapUsd: { WETH: 10_000_000, WBTC: 10_000_000 },
    premiumUsed: 0,
    ...over,
  };
}

function input(over: Partial<OverlayInput> = {}): OverlayInput {
  return {
    now: NOW,
    vaultValue: 1_000_000,
    holdings: { WETH: 100, WBTC: 5 },
    market: MARKET,
    book: [],
    guards: guards(),
    venue: { spreadBps: 100, minPremiumBps: 10 },
    ...over,
  };
}

/** Independent put delta (dPrice/dSpot, rate 0). */
function putDelta(m: UnderlyingMarketF, strike: number, expiry: number, now = NOW): number {
  return blackScholes({
    spot: m.spot,
    strike,
    timeToExpiry: (expiry - now) / YEAR,
    volatility: m.volatility,
    rate: 0,
    carry: 0,
    type: "put",
  }).delta;
}

/** Independent venue ask per option: max(fair x (1 + spread), minPremium x strike). */
function ask(
  m: UnderlyingMarketF,
  strike: number,
  expiry: number,
  spreadBps: number,
  minBps: number,
  now = NOW,
) {
  const fair = blackScholes({
    spot: m.spot,
    strike,
    timeToExpiry: (expiry - now) / YEAR,
    volatility: m.volatility,
    rate: 0,
    carry: 0,
    type: "put",
  }).price;
  return Math.max(fair * (1 + spreadBps / 10_000), (minBps / 10_000) * strike);
}

describe("planOverlay: strike selection by delta and tenor", () => {
  for (const target of [0.1, 0.2, 0.35]) {
    it(`puts at |delta| ${target} (strike rounding only)`, () => {
      const plan = planOverlay(input({ config: { putDelta: target } }));
      expect(plan.opens).to.have.length(2);
      for (const o of plan.opens) {
        expect(o.isCall).to.equal(false);
        const m = MARKET[o.underlying]!;
        expect(o.strike).to.be.lessThan(m.spot);
        // 5 significant digits move the strike by <= 5e-5 relative: delta within 2e-3.
        expect(putDelta(m, o.strike, o.expiry)).to.be.closeTo(-target, 2e-3);
        expect(o.delta).to.be.closeTo(putDelta(m, o.strike, o.expiry), 1e-12);
      }
    });
  }

  it("default: 20-delta, 30-day puts on the whole holding, expiry on a midnight", () => {
    const plan = planOverlay(input());
    for (const o of plan.opens) {
      expect(o.expiry % DAY).to.equal(0);
      expect(o.expiry).to.be.within(NOW + 29 * DAY, NOW + 30 * DAY);
      expect(o.reason).to.equal("NEW");
      expect(putDelta(MARKET[o.underlying]!, o.strike, o.expiry)).to.be.closeTo(-0.2, 2e-3);
    }
    expect(plan.opens.find((o) => o.underlying === "WETH")!.amount).to.be.closeTo(100, 1e-9);
    expect(plan.opens.find((o) => o.underlying === "WBTC")!.amount).to.be.closeTo(5, 1e-9);
    expect(plan.skips).to.deep.equal([]);
  });

  it("hedgeRatio protects a fraction of the holding; premium estimates match the venue formula", () => {
    const plan = planOverlay(input({ config: { hedgeRatio: 0.5 } }));
    for (const o of plan.opens) {
      const held = o.underlying === "WETH" ? 100 : 5;
      expect(o.amount).to.be.closeTo(0.5 * held, 1e-9);
      const a = ask(MARKET[o.underlying]!, o.strike, o.expiry, 100, 10);
      expect(o.estimatedPremium).to.be.closeTo(a * o.amount, 1e-9 * a * o.amount);
      expect(o.maxPremium).to.be.closeTo(a * o.amount * 1.02, 1e-9 * a * o.amount);
    }
  });

  it("a minimum-premium floor binds for far out-of-the-money puts", () => {
    const plan = planOverlay(
      input({ config: { putDelta: 0.01 }, venue: { spreadBps: 100, minPremiumBps: 100 } }),
    );
    for (const o of plan.opens) expect(o.estimatedPremium).to.be.closeTo(0.01 * o.strike * o.amount, 1e-6);
  });
});

/** A WETH put held by the adapter: series `id`, `days` to expiry, `amount` options at `strike`. */
const heldPut = (id: string, days: number, amount = 100, strike = 2_600): HeldOption => ({
  seriesId: id,
  underlying: "WETH",
  type: "put",
  strike,
  expiry: NOW + Math.round(days * DAY),
  amount,
});

describe("planOverlay: rolls, settles, trims", () => {
  const held = (days: number, amount = 100, strike = 2_600): HeldOption =>
    heldPut(`s${days}`, days, amount, strike);

  it("keeps a put with more days left than rollBeforeDays", () => {
    const plan = planOverlay(input({ holdings: { WETH: 100 }, book: [held(7.5)] }));
    expect(plan.closes).to.deep.equal([]);
    expect(plan.opens).to.deep.equal([]);
    expect(plan.skips.map((s) => s.code)).to.deep.equal(["COVERED"]);
  });

  it("rolls a put below rollBeforeDays: close at the bid less slippage, reopen at the tenor", () => {
    const plan = planOverlay(input({ holdings: { WETH: 100 }, book: [held(6.5)] }));
    expect(plan.closes).to.have.length(1);
    const c = plan.closes[0]!;
    expect(c.reason).to.equal("ROLL_EXPIRY");
    expect(c.amount).to.equal(100);
    const fair = blackScholes({
      spot: 3_000,
      strike: 2_600,
      timeToExpiry: (6.5 * DAY) / YEAR,
      volatility: 0.7,
      rate: 0,
      carry: 0,
      type: "put",
    }).price;
    expect(c.minProceeds).to.be.closeTo(fair * 0.99 * 100 * 0.98, 1e-6);
    expect(plan.opens).to.have.length(1);
    expect(plan.opens[0]!.reason).to.equal("ROLL_EXPIRY");
    expect(plan.opens[0]!.amount).to.be.closeTo(100, 1e-9);
    expect(plan.opens[0]!.expiry).to.be.greaterThan(NOW + 29 * DAY);
  });

  it("rollBeforeDays 0 holds to expiry (then settled and collected); negative is refused", () => {
    expect(() => planOverlay(input({ config: { rollBeforeDays: -1 } }))).to.throw(
      RangeError,
      /rollBeforeDays/,
    );
    const plan = planOverlay(
      input({ holdings: { WETH: 100 }, book: [held(0.5)], config: { rollBeforeDays: 0 } }),
    );
    expect(plan.closes).to.deep.equal([]);
    expect(plan.opens).to.deep.equal([]);
    expect(plan.skips.map((s) => s.code)).to.deep.equal(["COVERED"]);
  });

  it("rollBeforeDays is configurable", () => {
    const plan = planOverlay(
      input({ holdings: { WETH: 100 }, book: [held(9)], config: { rollBeforeDays: 10 } }),
    );
    expect(plan.closes.map((c) => c.reason)).to.deep.equal(["ROLL_EXPIRY"]);
  });

  it("optional delta roll monetises a deep in-the-money put", () => {
    const plan = planOverlay(
      input({
        holdings: { WETH: 100 },
        market: { WETH: { spot: 1_800, volatility: 0.9 } },
        book: [held(20)],
        config: { rollAboveAbsDelta: 0.7 },
      }),
    );
    expect(plan.closes.map((c) => c.reason)).to.deep.equal(["ROLL_DELTA"]);
    expect(plan.opens[0]!.reason).to.equal("ROLL_DELTA");
    expect(plan.opens[0]!.strike).to.be.lessThan(1_800);
  });

  it("expired series are settled and free their open-series slot", () => {
    const plan = planOverlay(
      input({ holdings: { WETH: 100 }, book: [held(-1)], guards: guards({ maxOpenSeries: 1 }) }),
    );
    expect(plan.settles).to.deep.equal([{ seriesId: "s-1", underlying: "WETH", reason: "EXPIRED" }]);
    expect(plan.opens).to.have.length(1);
    // the replacement of a put held to expiry is a roll to the full target
    expect(plan.opens[0]!.reason).to.equal("ROLL_EXPIRY");
    expect(plan.opens[0]!.amount).to.be.closeTo(100, 1e-9);
    // the same when the keeper settled it earlier in the cycle (gone from the book)
    const after = planOverlay(input({ holdings: { WETH: 100 }, book: [], settledThisCycle: ["WETH"] }));
    expect(after.opens.map((o) => o.reason)).to.deep.equal(["ROLL_EXPIRY"]);
    expect(planOverlay(input({ holdings: { WETH: 100 }, book: [] })).opens[0]!.reason).to.equal("NEW");
  });

  it("trims protection above target (holding sold), nearest expiry first", () => {
    const plan = planOverlay(input({ holdings: { WETH: 50 }, book: [held(20, 60), held(25, 60)] }));
    expect(plan.closes.map((c) => [c.seriesId, c.amount, c.reason])).to.deep.equal([
      ["s20", 60, "OVER_HEDGED"],
      ["s25", 10, "OVER_HEDGED"],
    ]);
    expect(plan.opens).to.deep.equal([]);
  });

  it("tops up below target beyond the tolerance, not within it", () => {
    expect(planOverlay(input({ holdings: { WETH: 105 }, book: [held(20)] })).opens).to.deep.equal([]);
    const plan = planOverlay(input({ holdings: { WETH: 150 }, book: [held(20)] }));
    expect(plan.opens).to.have.length(1);
    expect(plan.opens[0]!.reason).to.equal("TOP_UP");
    expect(plan.opens[0]!.amount).to.be.closeTo(50, 1e-9);
  });
});

describe("planOverlay: guards and skips", () => {
  it("skips an underlying without a notional cap and caps another with the margin", () => {
    const plan = planOverlay(input({ guards: guards({ notionalCapUsd: { WETH: 150_000 } }) }));
    expect(plan.skips.find((s) => s.underlying === "WBTC")!.code).to.equal("NOTIONAL_CAP");
    const weth = plan.opens.find((o) => o.underlying === "WETH")!;
    expect(weth.amount * 3_000).to.be.at.most(150_000 * 0.95);
    expect(weth.detail).to.contain("notional cap");
  });

  it("skips when no series slot is free", () => {
    const other: HeldOption = {
      seriesId: "c",
      underlying: "WETH",
      type: "call",
      strike: 4_000,
      expiry: NOW + 20 * DAY,
      amount: 1,
    };
    const plan = planOverlay(input({ book: [other], guards: guards({ maxOpenSeries: 2 }) }));
    expect(plan.opens).to.have.length(1);
    expect(plan.skips.map((s) => s.code)).to.include.members(["MAX_OPEN_SERIES", "NOT_A_PROTECTIVE_PUT"]);
  });

  it("clamps the strike into the band (a 45-delta put on a narrow band)", () => {
    const plan = planOverlay(input({ config: { putDelta: 0.05 }, guards: guards({ strikeBandBps: 1_000 }) }));
    for (const o of plan.opens) {
      const s = MARKET[o.underlying]!.spot;
      expect(o.strike).to.be.at.least(s * (1 - 0.1 * 0.95) - 1e-9);
      expect(o.detail).to.contain("clamped");
    }
  });

  it("skips when the expiry band with its margin is empty", () => {
    const plan = planOverlay(input({ guards: guards({ minExpiryDays: 10, maxExpiryDays: 11 }) }));
    expect(plan.opens).to.deep.equal([]);
    expect(plan.skips.map((s) => s.code)).to.deep.equal(["EXPIRY_BAND_EMPTY", "EXPIRY_BAND_EMPTY"]);
  });

  it("moves the expiry into the band when the tenor is outside it", () => {
    const plan = planOverlay(input({ config: { tenorDays: 90 } }));
    for (const o of plan.opens) expect(o.expiry).to.be.at.most(NOW + 59 * DAY);
  });

  it("scales orders down to the premium budget with a PREMIUM_BUDGET reason", () => {
    const plan = planOverlay(input({ guards: guards({ premiumBudgetBps: 50, premiumUsed: 1_000 }) }));
    expect(plan.premium.planned).to.be.closeTo(plan.premium.allowed, 1e-6);
    expect(plan.skips.map((s) => s.code)).to.deep.equal(["PREMIUM_BUDGET", "PREMIUM_BUDGET"]);
    // the keeper's own budget is the tighter one here
    const own = planOverlay(input({ config: { premiumBudgetBps: 30 } }));
    expect(own.premium.budgetBps).to.equal(30);
    expect(own.premium.planned).to.be.at.most(1_000_000 * 0.003);
  });

  it("no budget left: every order skipped", () => {
    const plan = planOverlay(input({ guards: guards({ premiumUsed: 20_000 }) }));
    expect(plan.opens).to.deep.equal([]);
    expect(plan.skips.every((s) => s.code === "PREMIUM_BUDGET")).to.equal(true);
  });
});

describe("planOverlay: Greek limits", () => {
  it("vega limit: the book after the plan is at the limit, orders scaled with a reason", () => {
    const free = planOverlay(input());
    const limit = free.greeks.after.vega / 3;
    const plan = planOverlay(input({ config: { maxVega: limit } }));
    expect(plan.greeks.after.vega).to.be.closeTo(limit, 1e-9 * limit);
    expect(plan.skips.map((s) => s.code)).to.deep.equal(["VEGA_LIMIT", "VEGA_LIMIT"]);
    for (const o of plan.opens) {
      const full = free.opens.find((x) => x.underlying === o.underlying)!;
      expect(o.amount / full.amount).to.be.closeTo(1 / 3, 1e-9);
    }
  });

  it("gamma limit", () => {
    const free = planOverlay(input());
    const limit = free.greeks.after.dollarGamma / 2;
    const plan = planOverlay(input({ config: { maxDollarGamma: limit } }));
    expect(plan.greeks.after.dollarGamma).to.be.closeTo(limit, 1e-9 * limit);
    expect(plan.skips[0]!.code).to.equal("GAMMA_LIMIT");
  });

  it("book already above the limit: no new option", () => {
    const book: HeldOption[] = [
      { seriesId: "a", underlying: "WETH", type: "put", strike: 2_800, expiry: NOW + 20 * DAY, amount: 50 },
    ];
    const plan = planOverlay(input({ book, config: { maxVega: 1 } }));
    expect(plan.opens).to.deep.equal([]);
    expect(plan.skips.filter((s) => s.code === "VEGA_LIMIT")).to.have.length(2);
  });
});

// ------------------------------------------------------------------------- properties

/** Uniform in [min, max] (fc.double concentrates on tiny magnitudes). */
const uni = (min: number, max: number) =>
  fc.integer({ min: 0, max: 1_000_000 }).map((i) => min + ((max - min) * i) / 1e6);
/** Log-uniform in [min, max]. */
const logUni = (min: number, max: number) => uni(Math.log(min), Math.log(max)).map(Math.exp);

const marketArb = fc.record({ spot: logUni(1, 100_000), volatility: uni(0.1, 2) });
const heldArb = fc.record({
  underlying: fc.constantFrom("A", "B", "C"),
  strikeRel: uni(0.5, 1.2),
  days: uni(-5, 60),
  amount: logUni(0.01, 1_000),
});
const scenarioArb = fc.record({
  value: logUni(1_000, 1e9),
  markets: fc.tuple(marketArb, marketArb, marketArb),
  /** Holding value as a fraction of the vault value. */
  holdings: fc.tuple(uni(0, 0.6), uni(0, 0.6), uni(0, 0.6)),
  book: fc.array(heldArb, { maxLength: 6 }),
  budgetBps: fc.integer({ min: 0, max: 1_000 }),
  ownBudgetBps: fc.integer({ min: 0, max: 1_000 }),
  usedFrac: uni(0, 1.2),
  minDays: fc.integer({ min: 0, max: 40 }),
  spanDays: fc.integer({ min: 0, max: 60 }),
  bandBps: fc.integer({ min: 100, max: 5_000 }),
  maxSeries: fc.integer({ min: 0, max: 8 }),
  /** Notional cap as a fraction of the vault value. */
  capFrac: uni(0, 1),
  putDelta: uni(0.02, 0.6),
  tenor: fc.integer({ min: 1, max: 120 }),
  spreadBps: fc.integer({ min: 0, max: 2_000 }),
  minPremiumBps: fc.integer({ min: 0, max: 1_000 }),
  marginBps: fc.integer({ min: 50, max: 2_000 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function scenarioInput(s: Scenario): OverlayInput {
  const names = ["A", "B", "C"] as const;
  const market: Record<string, UnderlyingMarketF> = {};
  const holdings: Record<string, number> = {};
  names.forEach((n, i) => {
    market[n] = s.markets[i]!;
    holdings[n] = (s.holdings[i]! * s.value) / s.markets[i]!.spot;
  });
  const budget = (s.value * s.budgetBps) / 10_000;
  return {
    now: NOW,
    vaultValue: s.value,
    holdings,
    market,
    book: s.book.map((b, i) => ({
      seriesId: `x${i}`,
      underlying: b.underlying,
      type: "put",
      strike: b.strikeRel * market[b.underlying]!.spot,
      expiry: NOW + Math.round(b.days * DAY),
      amount: (b.amount * s.value) / 1e4 / market[b.underlying]!.spot,
    })),
    guards: {
      premiumBudgetBps: s.budgetBps,
      premiumWindow: 30 * DAY,
      minExpiryDays: s.minDays,
      maxExpiryDays: s.minDays + s.spanDays,
      strikeBandBps: s.bandBps,
      maxOpenSeries: s.maxSeries,
      notionalCapUsd: { A: s.capFrac * s.value, B: s.capFrac * s.value * 2, C: (s.capFrac * s.value) / 2 },
      premiumUsed: budget * s.usedFrac,
    },
    venue: { spreadBps: s.spreadBps, minPremiumBps: s.minPremiumBps },
    config: {
      putDelta: s.putDelta,
      tenorDays: s.tenor,
      premiumBudgetBps: s.ownBudgetBps,
      safetyMarginBps: s.marginBps,
    },
  };
}

describe("planOverlay properties (fast-check)", () => {
  it("premium budget: used + sum(maxPremium) <= budget at the vault value left after paying it", () => {
    let withOpens = 0;
    let scaled = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const inp = scenarioInput(s);
        const plan = planOverlay(inp);
        const paid = plan.opens.reduce((a, o) => a + o.maxPremium, 0);
        if (plan.opens.length > 0) withOpens++;
        if (plan.skips.some((x) => x.code === "PREMIUM_BUDGET")) scaled++;
        const bps = Math.min(s.budgetBps, s.ownBudgetBps);
        // Worst case: the whole premium is lost from the vault value before the last open.
        const onChain = ((inp.vaultValue - paid) * bps) / 10_000;
        expect(inp.guards.premiumUsed + paid).to.be.at.most(Math.max(onChain, inp.guards.premiumUsed) + 1e-9);
        if (paid > 0) expect(inp.guards.premiumUsed + paid).to.be.at.most(onChain * (1 + 1e-12));
        for (const o of plan.opens) {
          // every order's maxPremium covers the venue's ask at planning prices
          const a = ask(inp.market[o.underlying]!, o.strike, o.expiry, s.spreadBps, s.minPremiumBps);
          expect(o.maxPremium).to.be.at.least(a * o.amount * (1 - 1e-12));
        }
      }),
      { numRuns: 300 },
    );
    // the property must exercise both regimes
    expect(withOpens, "runs with orders").to.be.greaterThan(30);
    expect(scaled, "runs limited by the budget").to.be.greaterThan(15);
  });

  it("guards: expiry band (even one margin later), strike band, notional cap, open series", () => {
    const seen = { opens: 0, capped: 0, clamped: 0, series: 0 };
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: DAY - 1 }), (s, delay) => {
        const inp = scenarioInput(s);
        const plan = planOverlay(inp);
        const g = inp.guards;
        seen.opens += plan.opens.length;
        seen.capped += plan.opens.filter((o) => o.detail.includes("notional cap")).length;
        seen.clamped += plan.opens.filter((o) => o.detail.includes("clamped")).length;
        seen.series += plan.skips.filter((x) => x.code === "MAX_OPEN_SERIES").length;
        const exec = NOW + delay; // executed up to one margin (1 day) after planning
        for (const o of plan.opens) {
          expect(o.expiry).to.be.at.least(exec + g.minExpiryDays * DAY);
          expect(o.expiry).to.be.at.most(NOW + g.maxExpiryDays * DAY);
          const spot = inp.market[o.underlying]!.spot;
          const band = g.strikeBandBps / 10_000;
          expect(o.strike).to.be.at.least(spot * (1 - band));
          expect(o.strike).to.be.at.most(spot * (1 + band));
          expect(o.amount).to.be.greaterThan(0);
        }
        // notional per underlying after the plan (live series only), at spot x (1 + margin)
        const margin = s.marginBps / 10_000;
        const live: Record<string, number> = {};
        for (const p of bookAfterPlan(inp.book, plan, NOW))
          if (p.kind === "option") live[p.underlying] = (live[p.underlying] ?? 0) + p.quantity;
        for (const o of plan.opens) {
          const cap = g.notionalCapUsd[o.underlying] ?? 0;
          expect(live[o.underlying]! * inp.market[o.underlying]!.spot * (1 + margin)).to.be.at.most(
            cap * (1 - margin) * (1 + 1e-9) + 1e-9,
          );
        }
        // open series after settles and closes, plus new distinct series
        if (plan.opens.length > 0) {
          const fullyClosed = new Set(
            plan.closes
              .filter((c) => c.amount >= inp.book.find((b) => b.seriesId === c.seriesId)!.amount)
              .map((c) => c.seriesId),
          );
          const left = inp.book.filter((b) => b.expiry > NOW && !fullyClosed.has(b.seriesId));
          // buying more of a series the adapter holds takes no new slot (the adapter's rule)
          const fresh = new Set(
            plan.opens
              .filter(
                (o) =>
                  !left.some(
                    (b) => b.underlying === o.underlying && b.strike === o.strike && b.expiry === o.expiry,
                  ),
              )
              .map((o) => `${o.underlying}/${o.strike}/${o.expiry}`),
          ).size;
          if (fresh > 0) expect(left.length + fresh).to.be.at.most(g.maxOpenSeries);
        }
        // every underlying held is either ordered, covered or skipped with a reason
        for (const u of ["A", "B", "C"]) {
          const acted =
            plan.opens.some((o) => o.underlying === u) || plan.closes.some((c) => c.underlying === u);
          const skipped = plan.skips.some((x) => x.underlying === u);
          if (!acted) expect(skipped, `underlying ${u} has no order and no reason`).to.equal(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(seen.opens).to.be.greaterThan(60);
    expect(seen.capped).to.be.greaterThan(10);
    expect(seen.clamped).to.be.greaterThan(10);
    expect(seen.series).to.be.greaterThan(10);
  });
});

describe("planOverlay properties: roll timing and Greek limits", () => {
  it("a put is rolled exactly when fewer than rollBeforeDays days are left", () => {
    fc.assert(
      fc.property(uni(0.01, 60), uni(1, 20), (days, rollBefore) => {
        const book: HeldOption[] = [
          {
            seriesId: "p",
            underlying: "WETH",
            type: "put",
            strike: 2_600,
            expiry: NOW + Math.round(days * DAY),
            amount: 100,
          },
        ];
        const plan = planOverlay(
          input({ holdings: { WETH: 100 }, book, config: { rollBeforeDays: rollBefore } }),
        );
        const left = Math.round(days * DAY) / DAY;
        expect(plan.closes.length === 1, `days ${left} rollBefore ${rollBefore}`).to.equal(left < rollBefore);
        if (left < rollBefore) expect(plan.opens.map((o) => o.reason)).to.deep.equal(["ROLL_EXPIRY"]);
        else expect(plan.opens).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });

  it("the book after the plan never exceeds the vega and gamma limits it was below", () => {
    let limited = 0;
    fc.assert(
      fc.property(scenarioArb, uni(0, 1), uni(0, 1), (s, fv, fg) => {
        const free = planOverlay(scenarioInput(s));
        const inp = scenarioInput(s);
        // limits between the book before and after the unconstrained plan
        const maxVega =
          free.greeks.before.vega + fv * (free.greeks.after.vega - free.greeks.before.vega) + 1e-9;
        const maxDollarGamma =
          free.greeks.before.dollarGamma +
          fg * (free.greeks.after.dollarGamma - free.greeks.before.dollarGamma) +
          1e-9;
        const plan = planOverlay({ ...inp, config: { ...inp.config, maxVega, maxDollarGamma } });
        if (plan.skips.some((x) => x.code === "VEGA_LIMIT" || x.code === "GAMMA_LIMIT")) limited++;
        const aboveBefore = (a: number, before: number, lim: number) =>
          a <= Math.max(lim, before) * (1 + 1e-9) + 1e-9;
        expect(aboveBefore(plan.greeks.after.vega, free.greeks.before.vega, maxVega), "vega").to.equal(true);
        expect(
          aboveBefore(plan.greeks.after.dollarGamma, free.greeks.before.dollarGamma, maxDollarGamma),
          "gamma",
        ).to.equal(true);
      }),
      { numRuns: 200 },
    );
    expect(limited).to.be.greaterThan(20);
  });
});

// ------------------------------------------------------------------------- delta hedge

describe("planDeltaHedge", () => {
  const book: HeldOption[] = [
    { seriesId: "p", underlying: "WETH", type: "put", strike: 2_600, expiry: NOW + 30 * DAY, amount: 100 },
    { seriesId: "q", underlying: "WBTC", type: "put", strike: 52_000, expiry: NOW + 20 * DAY, amount: 5 },
  ];
  const positions = bookAfterPlan(book, planOverlay(input({ book, config: { amountTolerance: 1 } })), NOW);

  it("puts the net delta (spot + options) on the risk-parity target when outside the band", () => {
    const lines = planDeltaHedge({
      holdings: { WETH: 100, WBTC: 5 },
      options: positions,
      market: MARKET,
      targetExposure: { WETH: 100, WBTC: 5 },
    });
    for (const l of lines) {
      const o = book.find((b) => b.underlying === l.underlying)!;
      const optDelta = o.amount * putDelta(MARKET[l.underlying]!, o.strike, o.expiry);
      expect(l.optionDelta).to.be.closeTo(optDelta, 1e-9);
      expect(l.reason).to.equal("REHEDGE");
      expect(l.spotAfter + optDelta).to.be.closeTo(l.target, 1e-9);
      expect(l.spotTargetUsd).to.be.closeTo(l.spotAfter * MARKET[l.underlying]!.spot, 1e-6);
    }
  });

  it("property: no trade inside the band; otherwise net delta after = target", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1_000, noNaN: true }),
        fc.double({ min: 0, max: 1_000, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (spot, target, bandFraction, minBand) => {
          const [l] = planDeltaHedge({
            holdings: { WETH: spot },
            options: positions.filter((p) => p.underlying === "WETH"),
            market: MARKET,
            targetExposure: { WETH: target },
            config: { hedgeBandFraction: bandFraction, hedgeBandMinUnits: { WETH: minBand } },
          });
          const band = Math.max(bandFraction * target, minBand);
          expect(l!.band).to.be.closeTo(band, 1e-12);
          if (Math.abs(l!.netDelta - target) <= band) {
            expect(l!.trade).to.equal(0);
            expect(l!.reason).to.equal("IN_BAND");
          } else {
            expect(l!.spotAfter + l!.optionDelta).to.be.closeTo(target, 1e-9 * (1 + target));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("hedging the overlay's puts restores the exposure the puts removed", () => {
    const plan = planOverlay(input());
    const lines = planDeltaHedge({
      holdings: { WETH: 100, WBTC: 5 },
      options: bookAfterPlan([], plan, NOW),
      market: MARKET,
      targetExposure: { WETH: 100, WBTC: 5 },
    });
    for (const l of lines) expect(l.trade).to.be.closeTo(-plan.greeks.after.delta[l.underlying]!, 1e-9);
  });
});

describe("planOverlay: one put series per underlying (the demo's churn)", () => {
  const put = (id: string, days: number, amount: number, strike = 2_600): HeldOption =>
    heldPut(id, days, amount, strike);

  it("a top-up buys more of the held series (same strike and expiry), not a new expiry", () => {
    // the demo's state: a put bought a week ago, the holding grew by more than the tolerance
    const plan = planOverlay(input({ holdings: { WETH: 150 }, book: [put("s1", 23, 100)] }));
    expect(plan.closes).to.deep.equal([]);
    expect(plan.opens).to.have.length(1);
    const o = plan.opens[0]!;
    expect(o.reason).to.equal("TOP_UP");
    expect([o.strike, o.expiry]).to.deep.equal([2_600, NOW + 23 * DAY]);
    expect(o.amount).to.be.closeTo(50, 1e-9);
    // the premium is the venue's ask of THAT series (independent Black-Scholes)
    expect(o.estimatedPremium).to.be.closeTo(50 * ask(MARKET.WETH!, 2_600, o.expiry, 100, 10), 1e-6);
  });

  it("a held strike outside the band: the top-up takes a new strike at the held expiry", () => {
    const plan = planOverlay(
      input({ holdings: { WETH: 150 }, book: [put("s1", 23, 100, 1_900)] }), // 1,900 < 3,000 x (1 - 0.285)
    );
    const o = plan.opens[0]!;
    expect(o.expiry).to.equal(NOW + 23 * DAY);
    expect(o.strike).to.not.equal(1_900);
    expect(Math.abs(putDelta(MARKET.WETH!, o.strike, o.expiry))).to.be.closeTo(0.2, 0.001);
  });

  it("a held series closer to expiry than the adapter's band: the top-up waits for its roll", () => {
    // 7.5 days left: not rolled yet (>= 7), but before the earliest expiry (7 days + 1 day margin)
    const plan = planOverlay(input({ holdings: { WETH: 150 }, book: [put("s1", 7.5, 100)] }));
    expect(plan.opens).to.deep.equal([]);
    expect(plan.closes).to.deep.equal([]);
    expect(plan.skips.map((s) => s.code)).to.deep.equal(["TOP_UP_AT_ROLL"]);
  });

  it("excess puts are sold back only beyond the trim tolerance (default 50 %), down to the target", () => {
    // holding down 30 % (the volatility target cut it): kept, no round trip through the spread
    const kept = planOverlay(input({ holdings: { WETH: 70 }, book: [put("s1", 20, 100)] }));
    expect(kept.closes).to.deep.equal([]);
    expect(kept.skips.map((s) => s.code)).to.deep.equal(["COVERED"]);
    // down 40 % with a 25 % trim tolerance: trimmed to the target
    const trimmed = planOverlay(
      input({ holdings: { WETH: 60 }, book: [put("s1", 20, 100)], config: { trimTolerance: 0.25 } }),
    );
    expect(trimmed.closes.map((c) => [c.seriesId, c.reason])).to.deep.equal([["s1", "OVER_HEDGED"]]);
    expect(trimmed.closes[0]!.amount).to.be.closeTo(40, 1e-9);
    // the trim tolerance is never below the top-up tolerance
    const wide = planOverlay(
      input({
        holdings: { WETH: 60 },
        book: [put("s1", 20, 100)],
        config: { trimTolerance: 0.1, amountTolerance: 0.7 },
      }),
    );
    expect(wide.closes).to.deep.equal([]);
  });

  it("a roll closes every put of the underlying and reopens the whole target as one series", () => {
    // two expiries (an older book): the near one is due; the far one is closed with it
    const plan = planOverlay(
      input({ holdings: { WETH: 100 }, book: [put("near", 5, 60), put("far", 26, 40, 2_700)] }),
    );
    expect(plan.closes.map((c) => [c.seriesId, c.amount, c.reason])).to.deep.equal([
      ["near", 60, "ROLL_EXPIRY"],
      ["far", 40, "ROLL_EXPIRY"],
    ]);
    expect(plan.closes[1]!.detail).to.match(/closed with the roll of series near/);
    expect(plan.opens).to.have.length(1);
    expect(plan.opens[0]!.amount).to.be.closeTo(100, 1e-9);
    expect(plan.opens[0]!.expiry).to.be.greaterThan(NOW + 29 * DAY);
  });

  it("over 400 days of weekly plans with a jumpy holding: one expiry per underlying, about days/tenor rolls", () => {
    // The demo's setting: weekly keeper, 45-day tenor, roll under 7 days, 25 % tolerance, holdings
    // moved each week by the volatility target (log-normal, 30 % a week). The chain is simulated:
    // closes sell, opens buy into a series (same underlying, strike, expiry) or create one.
    const tenorDays = 45;
    const every = 7;
    const days = 400;
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    let book: HeldOption[] = [];
    let next = 0;
    const holdings = { WETH: 30, WBTC: 1.5 };
    const spot = { WETH: 3_000, WBTC: 60_000 };
    let orders = 0;
    const rolls: Record<string, number> = { WETH: 0, WBTC: 0 };
    let maxExpiries = 0;
    for (let t = 0; t <= days; t += every) {
      const now = NOW + t * DAY;
      for (const u of ["WETH", "WBTC"] as const) {
        holdings[u] *= Math.exp(0.3 * gauss());
        spot[u] *= Math.exp(0.6 * Math.sqrt(every / 365) * gauss());
      }
      const plan = planOverlay({
        now,
        vaultValue: 1_000_000,
        holdings,
        market: {
          WETH: { spot: spot.WETH, volatility: 0.7 },
          WBTC: { spot: spot.WBTC, volatility: 0.55 },
        },
        book,
        guards: guards({ premiumBudgetBps: 1_000, maxOpenSeries: 16 }),
        venue: { spreadBps: 100, minPremiumBps: 10 },
        config: { tenorDays, rollBeforeDays: 7, amountTolerance: 0.25 },
      });
      const settled = new Set(plan.settles.map((x) => x.seriesId));
      book = book.filter((b) => !settled.has(b.seriesId));
      for (const c of plan.closes) {
        const b = book.find((x) => x.seriesId === c.seriesId)!;
        b.amount -= c.amount;
      }
      // one roll per underlying and plan, however many series (same expiry) it closes
      for (const u of new Set(plan.closes.filter((c) => c.reason === "ROLL_EXPIRY").map((c) => c.underlying)))
        rolls[u]!++;
      book = book.filter((b) => b.amount > 1e-12);
      for (const o of plan.opens) {
        const same = book.find(
          (b) => b.underlying === o.underlying && b.strike === o.strike && b.expiry === o.expiry,
        );
        if (same) same.amount += o.amount;
        else
          book.push({
            seriesId: `n${next++}`,
            underlying: o.underlying,
            type: "put",
            strike: o.strike,
            expiry: o.expiry,
            amount: o.amount,
          });
      }
      orders += plan.closes.length + plan.opens.length;
      for (const u of ["WETH", "WBTC"]) {
        const expiries = new Set(
          book.filter((b) => b.underlying === u && b.expiry > now).map((b) => b.expiry),
        );
        maxExpiries = Math.max(maxExpiries, expiries.size);
      }
    }
    // one live expiry per underlying at every step
    expect(maxExpiries).to.equal(1);
    // rolled once per tenor: opened at t, due on the first weekly cycle under 7 days left, i.e.
    // every 42 days here; never more often than every (tenor - rollBefore - every) days
    for (const u of ["WETH", "WBTC"]) {
      expect(rolls[u]).to.be.at.least(Math.floor(days / tenorDays) - 1);
      expect(rolls[u]).to.be.at.most(Math.ceil(days / (tenorDays - 7 - every)));
    }
    // orders: a roll is two orders per underlying; top-ups and trims come on top, far fewer than
    // one order per underlying per week (the demo had 100 for 53 weekly cycles on two underlyings)
    expect(orders).to.be.lessThan(2 * (days / every));
  });
});
