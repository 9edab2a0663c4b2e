import { expect } from "chai";
import fc from "fast-check";
import {
  black76,
  impliedVolatility,
  ImpliedVolatilityError,
  OptionInputError,
  type OptionType,
} from "../../../keeper/options/index.ts";

const VOLS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.5, 2, 3, 4, 5];
const TENORS = [1 / (365 * 24), 1 / 365, 7 / 365, 30 / 365, 0.25, 1, 3];
const MONEYNESS = [0.2, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.1, 1.25, 1.5, 2, 5];

describe("impliedVolatility", () => {
  it("round trip over the grid vol 1%..500%, K/F 0.2..5, T 1h..3y, calls and puts", () => {
    const F = 100;
    let n = 0;
    let skipped = 0;
    let maxOtm = 0;
    let maxWellConditioned = 0;
    let maxRatio = 0;
    let maxAll = 0;
    const aboveOtm: string[] = [];
    for (const v of VOLS)
      for (const T of TENORS)
        for (const m of MONEYNESS)
          for (const type of ["call", "put"] as OptionType[]) {
            const K = F * m;
            const g = black76({ forward: F, strike: K, timeToExpiry: T, volatility: v, type });
            const intrinsic = type === "call" ? Math.max(F - K, 0) : Math.max(K - F, 0);
            // No information about vol is left when the time value is zero in double precision or
            // the price is subnormal (fewer than 53 significant bits).
            if (!(g.price - intrinsic > 0) || g.price < 2.3e-308) {
              skipped++;
              continue;
            }
            const iv = impliedVolatility({ price: g.price, forward: F, strike: K, timeToExpiry: T, type });
            const err = Math.abs(iv - v);
            // Condition: the vol change that one rounding of the input price (eps * price) causes.
            const cond = (Number.EPSILON * g.price) / (100 * g.vega);
            const otm = type === "call" ? K >= F : K <= F;
            if (otm && err > 1e-12)
              aboveOtm.push(
                `${v * 100}%/${T}y/${m}/${type}: ${err.toExponential(1)} (bound ${(2 * cond).toExponential(1)})`,
              );
            n++;
            maxAll = Math.max(maxAll, err);
            if (otm) maxOtm = Math.max(maxOtm, err);
            if (cond <= 1e-13) maxWellConditioned = Math.max(maxWellConditioned, err);
            maxRatio = Math.max(maxRatio, err / Math.max(1e-12, 2 * cond));
            expect(err, `vol ${v} T ${T} K/F ${m} ${type}: iv ${iv}, condition ${cond}`).to.be.at.most(
              Math.max(1e-12, 2 * cond),
            );
          }
    console.log(
      `      ${n} points (${skipped} without time value skipped): max |error| OTM inputs ${maxOtm.toExponential(2)}, ` +
        `well-conditioned (eps*price/vega <= 1e-13) ${maxWellConditioned.toExponential(2)}, all ${maxAll.toExponential(2)}; ` +
        `max error / max(1e-12, 2*condition) = ${maxRatio.toFixed(3)}`,
    );
    // OTM points above 1e-12 are those where one ulp of the price moves vol by more (price near its bound)
    console.log(`      OTM points above 1e-12 (all within their bound): ${aboveOtm.join(", ")}`);
    expect(maxWellConditioned).to.be.at.most(1e-12);
  });

  it("random round trips with rates: put and call prices give the same vol", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 1 / (365 * 24), max: 3, noNaN: true }),
        fc.double({ min: -1.5, max: 1.5, noNaN: true }),
        fc.double({ min: -0.05, max: 0.2, noNaN: true }),
        (v, T, lm, r) => {
          const F = 1000;
          const K = F * Math.exp(lm);
          const type: OptionType = K >= F ? "call" : "put"; // OTM input: well-conditioned
          const g = black76({ forward: F, strike: K, timeToExpiry: T, volatility: v, rate: r, type });
          if (!(g.price > 1e-300)) return;
          const iv = impliedVolatility({
            price: g.price,
            forward: F,
            strike: K,
            timeToExpiry: T,
            rate: r,
            type,
          });
          const cond = (Number.EPSILON * g.price) / (100 * g.vega);
          expect(Math.abs(iv - v)).to.be.at.most(Math.max(1e-12, 4 * cond));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("backward error: any valid price (ITM or OTM) gives a vol whose price matches to a few ulps", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -0.1, max: 0.3, noNaN: true }),
        fc.constantFrom<OptionType>("call", "put"),
        (F, lm, T, u, r, type) => {
          const K = F * Math.exp(lm);
          const D = Math.exp(-r * T);
          const intrinsic = type === "call" ? Math.max(F - K, 0) : Math.max(K - F, 0);
          const upper = type === "call" ? F : K;
          // any price strictly inside the bounds
          const price = D * (intrinsic + u * (upper - intrinsic));
          if (!(price < D * upper) || !(price > D * intrinsic)) return;
          const iv = impliedVolatility({ price, forward: F, strike: K, timeToExpiry: T, rate: r, type });
          expect(Number.isFinite(iv) && iv >= 0, `iv ${iv}`).to.equal(true);
          const back = black76({
            forward: F,
            strike: K,
            timeToExpiry: T,
            volatility: iv,
            rate: r,
            type,
          }).price;
          // tolerance: rounding of the price (relative) and of its intrinsic part
          expect(Math.abs(back - price), `price ${price} iv ${iv} back ${back}`).to.be.at.most(
            16 * Number.EPSILON * (price + D * Math.max(F, K)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("extreme inputs: a finite non-negative vol or a typed error, never NaN or an untyped throw", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-100, max: 1e100, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 1e-12, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1.1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.constantFrom<OptionType>("call", "put"),
        (F, lm, T, u, r, type) => {
          const K = F * Math.exp(lm);
          if (!(K > 0) || !Number.isFinite(K)) return;
          const upper = type === "call" ? F : K;
          const price = Math.exp(-r * T) * u * upper;
          try {
            const iv = impliedVolatility({ price, forward: F, strike: K, timeToExpiry: T, rate: r, type });
            expect(Number.isFinite(iv) && iv >= 0, `iv ${iv}`).to.equal(true);
          } catch (e) {
            expect(e instanceof ImpliedVolatilityError || e instanceof OptionInputError, String(e)).to.equal(
              true,
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("typed errors outside no-arbitrage bounds; 0 at intrinsic", () => {
    const base = { forward: 100, strike: 90, timeToExpiry: 0.5, type: "call" as const };
    expect(() => impliedVolatility({ ...base, price: 9.99 }))
      .to.throw(ImpliedVolatilityError)
      .with.property("code", "PRICE_BELOW_INTRINSIC");
    expect(() => impliedVolatility({ ...base, price: 100 }))
      .to.throw(ImpliedVolatilityError)
      .with.property("code", "PRICE_AT_OR_ABOVE_MAXIMUM");
    expect(() => impliedVolatility({ ...base, type: "put", price: 90 }))
      .to.throw(ImpliedVolatilityError)
      .with.property("code", "PRICE_AT_OR_ABOVE_MAXIMUM");
    expect(impliedVolatility({ ...base, price: 10 })).to.equal(0);
    expect(() => impliedVolatility({ ...base, price: -1 })).to.throw(OptionInputError);
    expect(() => impliedVolatility({ ...base, timeToExpiry: 0, price: 11 }))
      .to.throw(OptionInputError)
      .with.property("field", "timeToExpiry");
  });
});
