import { expect } from "chai";
import fc from "fast-check";
import {
  black76,
  deribitTick,
  exchangeTheta,
  inverseOption,
  roundToTick,
  type OptionType,
} from "../../../keeper/options/index.ts";

function derivative(f: (x: number) => number, x: number, h: number): number {
  const d = (k: number) => (f(x + k) - f(x - k)) / (2 * k);
  return (4 * d(h / 2) - d(h)) / 3;
}

describe("inverse (coin-settled) options", () => {
  it("price in coin = USD price / F; premium-adjusted delta = F d(priceCoin)/dF = delta - priceCoin", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1000, max: 200000, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 1 / 365, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.constantFrom<OptionType>("call", "put"),
        (F, lm, T, v, type) => {
          const K = F * Math.exp(lm);
          const at = (f: number) =>
            inverseOption({ forward: f, strike: K, timeToExpiry: T, volatility: v, type });
          const g = at(F);
          const usd = black76({ forward: F, strike: K, timeToExpiry: T, volatility: v, type });
          expect(g.priceCoin).to.be.closeTo(usd.price / F, 1e-15 * (1 + usd.price / F));
          expect(g.premiumAdjustedDelta).to.equal(g.delta - g.priceCoin);
          const fd = F * derivative((f) => at(f).priceCoin, F, 0.004 * F * Math.min(v * Math.sqrt(T), 1));
          expect(Math.abs(fd - g.premiumAdjustedDelta)).to.be.at.most(
            1e-6 * Math.abs(g.premiumAdjustedDelta) + 1e-11,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("exchangeTheta: lifetime theta under one day, never a loss larger than the option's value", () => {
    expect(exchangeTheta(-100, 2 / 365, 500)).to.equal(-100);
    expect(exchangeTheta(-100, 0.25 / 365, 500)).to.be.closeTo(-25, 1e-12);
    expect(exchangeTheta(-100, 2 / 365, 30)).to.equal(-30);
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 0, noNaN: true }),
        fc.double({ min: 1e-6, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (th, T, p) => {
          const x = exchangeTheta(th, T, p);
          expect(x).to.be.at.least(-p);
          expect(x).to.be.at.least(th); // never more negative than the per-day theta
          expect(x).to.be.at.most(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("ticks: 0.0005 at or above 0.005 BTC, 0.0001 below; rounding lands on the grid", () => {
    expect(deribitTick(0.005)).to.equal(0.0005);
    expect(deribitTick(0.0049)).to.equal(0.0001);
    expect(roundToTick(0.01234)).to.be.closeTo(0.0125, 1e-15);
    expect(roundToTick(0.00234)).to.be.closeTo(0.0023, 1e-15);
  });
});
