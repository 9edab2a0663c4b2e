import { expect } from "chai";
import fc from "fast-check";
import {
  black76,
  deltaHedgeAmount,
  deltaHedgeTrades,
  inverseOption,
  OptionInputError,
  rollDecision,
  strikeForDelta,
} from "../../../keeper/options/index.ts";

describe("strikeForDelta", () => {
  it("30-day 20-delta put: the returned strike has delta -0.20", () => {
    const r = strikeForDelta({
      forward: 60000,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      targetDelta: -0.2,
      type: "put",
    });
    expect(r.strike).to.be.lessThan(60000);
    const g = black76({
      forward: 60000,
      strike: r.strike,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      type: "put",
    });
    expect(g.delta).to.be.closeTo(-0.2, 1e-12);
  });

  it("round trips for calls and puts over wide parameters (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 1 / 365, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        fc.double({ min: -0.02, max: 0.1, noNaN: true }),
        fc.boolean(),
        (F, T, v, d, r, call) => {
          const D = Math.exp(-r * T);
          const target = call ? d * D : -d * D;
          const res = strikeForDelta({
            forward: F,
            timeToExpiry: T,
            volatility: v,
            targetDelta: target,
            type: call ? "call" : "put",
            rate: r,
          });
          const g = black76({
            forward: F,
            strike: res.strike,
            timeToExpiry: T,
            volatility: v,
            rate: r,
            type: call ? "call" : "put",
          });
          expect(g.delta).to.be.closeTo(target, 1e-10);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("premium-adjusted (Deribit) delta: put strike reproduces delta - price/F", () => {
    const res = strikeForDelta({
      forward: 60000,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      targetDelta: -0.25,
      type: "put",
      convention: "premiumAdjusted",
    });
    const g = inverseOption({
      forward: 60000,
      strike: res.strike,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      type: "put",
    });
    expect(g.premiumAdjustedDelta).to.be.closeTo(-0.25, 1e-9);
    // premium adjustment makes a put more negative, so the strike is lower than the forward-delta one
    const fwd = strikeForDelta({
      forward: 60000,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      targetDelta: -0.25,
      type: "put",
    });
    expect(res.strike).to.be.lessThan(fwd.strike);
  });

  it("premium-adjusted call delta: an OTM strike reproducing the target", () => {
    const res = strikeForDelta({
      forward: 3000,
      timeToExpiry: 0.25,
      volatility: 0.8,
      targetDelta: 0.25,
      type: "call",
      convention: "premiumAdjusted",
    });
    const g = inverseOption({
      forward: 3000,
      strike: res.strike,
      timeToExpiry: 0.25,
      volatility: 0.8,
      type: "call",
    });
    expect(res.strike).to.be.greaterThan(3000);
    expect(g.premiumAdjustedDelta).to.be.closeTo(0.25, 1e-9);
  });

  it("picks the listed strike with the closest delta", () => {
    const listed = [50000, 52000, 54000, 56000, 58000, 60000];
    const base = {
      forward: 60000,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      targetDelta: -0.2,
      type: "put" as const,
    };
    const r = strikeForDelta({ ...base, listedStrikes: listed });
    for (const k of listed) {
      const d = black76({
        forward: 60000,
        strike: k,
        timeToExpiry: 30 / 365,
        volatility: 0.6,
        type: "put",
      }).delta;
      expect(Math.abs(r.delta + 0.2)).to.be.at.most(Math.abs(d + 0.2));
    }
    expect(listed).to.include(r.strike);
  });

  it("rejects impossible targets", () => {
    const base = { forward: 100, timeToExpiry: 0.1, volatility: 0.5 };
    expect(() => strikeForDelta({ ...base, targetDelta: 0.2, type: "put" })).to.throw(OptionInputError);
    expect(() => strikeForDelta({ ...base, targetDelta: 1, type: "call" })).to.throw(OptionInputError);
  });
});

describe("rollDecision", () => {
  it("rolls below the day threshold, or on a delta breach, otherwise holds", () => {
    expect(rollDecision({ daysToExpiry: 5, rollBelowDays: 7 })).to.deep.equal({
      roll: true,
      reason: "EXPIRY",
    });
    expect(rollDecision({ daysToExpiry: 7, rollBelowDays: 7 })).to.deep.equal({
      roll: false,
      reason: "NONE",
    });
    expect(
      rollDecision({ daysToExpiry: 20, rollBelowDays: 7, delta: -0.55, maxAbsDelta: 0.5 }),
    ).to.deep.equal({ roll: true, reason: "DELTA" });
    expect(
      rollDecision({ daysToExpiry: 20, rollBelowDays: 7, delta: -0.45, maxAbsDelta: 0.5 }).roll,
    ).to.equal(false);
  });
});

describe("delta hedge", () => {
  it("no trade inside the band; outside, the hedged delta lands on the target (or band edge)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.constantFrom("target" as const, "bandEdge" as const),
        (net, target, band, mode) => {
          const t = deltaHedgeAmount({ netDelta: net, targetDelta: target, band, rebalanceTo: mode });
          if (Math.abs(net - target) <= band) expect(t).to.equal(0);
          else {
            const after = net + t;
            expect(Math.abs(after - target)).to.be.at.most(band + 1e-9);
            if (mode === "target") expect(after).to.be.closeTo(target, 1e-9);
            else expect(Math.abs(Math.abs(after - target) - band)).to.be.at.most(1e-9);
            expect(Math.sign(t)).to.equal(Math.sign(target - net)); // trades toward the target
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("skips trades below the minimum size; hedges every underlying", () => {
    expect(deltaHedgeAmount({ netDelta: 1.05, targetDelta: 1, band: 0.01, minTradeSize: 0.1 })).to.equal(0);
    const trades = deltaHedgeTrades({ BTC: 2, ETH: -30 }, { BTC: 1.5 }, { BTC: 0.1, ETH: 5 });
    expect(trades.BTC).to.be.closeTo(-0.5, 1e-12);
    expect(trades.ETH).to.be.closeTo(30, 1e-12);
    expect(() => deltaHedgeTrades({ SOL: 1 }, {}, {})).to.throw(OptionInputError);
  });
});
