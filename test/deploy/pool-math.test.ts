import { expect } from "chai";
import fc from "fast-check";
import {
  fullRangeTicks,
  MAX_TICK,
  riskIsToken0,
  sqrtBigInt,
  sqrtPriceX96FromUsd,
  usdFromSqrtPriceX96,
  usdToFeedAnswer,
  usdToWad,
} from "../../deploy/pool-math.ts";
import { sqrtPriceX96FromUsd as guardsSqrtPriceX96FromUsd } from "../../deploy/uniswap.ts";

const address = fc
  .bigInt({ min: 1n, max: 2n ** 160n - 1n })
  .map((x) => `0x${x.toString(16).padStart(40, "0")}`);

describe("deploy/pool-math", () => {
  it("sqrtBigInt is the floor square root (property, up to 2^256)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (x) => {
        const r = sqrtBigInt(x);
        expect(r * r <= x).to.equal(true);
        expect((r + 1n) * (r + 1n) > x).to.equal(true);
      }),
      { numRuns: 500 },
    );
    expect(() => sqrtBigInt(-1n)).to.throw(RangeError);
  });

  it("sqrtPriceX96 round-trips a USD price for any token order and decimals (property)", () => {
    fc.assert(
      fc.property(
        address,
        address,
        fc.integer({ min: 6, max: 18 }),
        fc.double({ min: 1e-4, max: 1e6, noNaN: true }),
        (risk, quote, riskDecimals, price) => {
          fc.pre(risk !== quote);
          const side = { risk, riskDecimals, quote, quoteDecimals: 6 };
          const wad = usdToWad(price); // rounded to 1e-10 USD
          const back = usdFromSqrtPriceX96(side, sqrtPriceX96FromUsd(side, wad));
          expect(Math.abs(back / (Number(wad) / 1e18) - 1)).to.be.lessThan(1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with the guards' pool helper (deploy/uniswap.ts) to the last unit", () => {
    fc.assert(
      fc.property(
        address,
        address,
        fc.integer({ min: 6, max: 18 }),
        fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
        (risk, quote, dec, price) => {
          fc.pre(risk !== quote);
          const side = { risk, riskDecimals: dec, quote, quoteDecimals: 6 };
          const wad = usdToWad(price);
          const [t0, p0, t1, p1] = riskIsToken0(side)
            ? [{ address: risk, decimals: dec }, wad, { address: quote, decimals: 6 }, 10n ** 18n]
            : [{ address: quote, decimals: 6 }, 10n ** 18n, { address: risk, decimals: dec }, wad];
          expect(sqrtPriceX96FromUsd(side, wad)).to.equal(guardsSqrtPriceX96FromUsd(t0, p0, t1, p1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("feed answers, wads and full-range ticks", () => {
    expect(usdToFeedAnswer(3000.5, 8)).to.equal(300_050_000_000n);
    expect(usdToFeedAnswer(1, 18)).to.equal(10n ** 18n);
    expect(usdToWad(0.5)).to.equal(5n * 10n ** 17n);
    expect(() => usdToWad(0)).to.throw(RangeError);
    for (const fee of [100, 500, 3000, 10000]) {
      const [lo, hi] = fullRangeTicks(fee);
      expect(lo).to.equal(-hi);
      expect(hi).to.be.at.most(MAX_TICK);
      expect(MAX_TICK - hi).to.be.lessThan({ 100: 1, 500: 10, 3000: 60, 10000: 200 }[fee] as number);
    }
    expect(() => fullRangeTicks(42)).to.throw(/fee tier/);
  });
});
