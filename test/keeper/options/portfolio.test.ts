import { expect } from "chai";
import fc from "fast-check";
import { black76, portfolioGreeks, OptionInputError, type Position } from "../../../keeper/options/index.ts";

describe("portfolioGreeks", () => {
  const market = {
    BTC: { forward: 60000, volatility: 0.6 },
    ETH: { forward: 3000, volatility: 0.8, rate: 0.02 },
  };

  it("sums per underlying and converts totals to USD", () => {
    const positions: Position[] = [
      { kind: "option", underlying: "BTC", type: "put", strike: 50000, timeToExpiry: 30 / 365, quantity: -2 },
      {
        kind: "option",
        underlying: "BTC",
        type: "call",
        strike: 70000,
        timeToExpiry: 30 / 365,
        quantity: 1,
        volatility: 0.55,
      },
      { kind: "linear", underlying: "BTC", quantity: 0.3 },
      { kind: "option", underlying: "ETH", type: "call", strike: 3000, timeToExpiry: 0.25, quantity: 10 },
    ];
    const r = portfolioGreeks(positions, market);
    const p1 = black76({
      forward: 60000,
      strike: 50000,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      type: "put",
    });
    const p2 = black76({
      forward: 60000,
      strike: 70000,
      timeToExpiry: 30 / 365,
      volatility: 0.55,
      type: "call",
    });
    const e = black76({
      forward: 3000,
      strike: 3000,
      timeToExpiry: 0.25,
      volatility: 0.8,
      rate: 0.02,
      type: "call",
    });
    const btc = r.byUnderlying.BTC!;
    expect(btc.delta).to.be.closeTo(-2 * p1.delta + p2.delta + 0.3, 1e-12);
    expect(btc.vega).to.be.closeTo(-2 * p1.vega + p2.vega, 1e-9);
    expect(r.byUnderlying.ETH!.theta).to.be.closeTo(10 * e.theta, 1e-9);
    expect(r.total.dollarDelta).to.be.closeTo(btc.delta * 60000 + 10 * e.delta * 3000, 1e-6);
    expect(r.total.vega).to.be.closeTo(btc.vega + r.byUnderlying.ETH!.vega, 1e-9);
  });

  it("is additive: Greeks of a concatenation are the sum (property)", () => {
    const pos = fc.record({
      kind: fc.constant("option" as const),
      underlying: fc.constantFrom("BTC", "ETH"),
      type: fc.constantFrom("call" as const, "put" as const),
      strike: fc.double({ min: 1000, max: 100000, noNaN: true }),
      timeToExpiry: fc.double({ min: 0, max: 2, noNaN: true }),
      quantity: fc.double({ min: -100, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(pos, { maxLength: 8 }), fc.array(pos, { maxLength: 8 }), (a, b) => {
        const ra = portfolioGreeks(a, market).total;
        const rb = portfolioGreeks(b, market).total;
        const rab = portfolioGreeks([...a, ...b], market).total;
        for (const k of ["value", "dollarDelta", "vega", "theta"] as const)
          expect(rab[k]).to.be.closeTo(ra[k] + rb[k], 1e-9 * (1 + Math.abs(ra[k]) + Math.abs(rb[k])));
      }),
      { numRuns: 200 },
    );
  });

  it("rejects a position without market data", () => {
    expect(() => portfolioGreeks([{ kind: "linear", underlying: "SOL", quantity: 1 }], market)).to.throw(
      OptionInputError,
    );
  });
});
