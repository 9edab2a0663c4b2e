import { expect } from "chai";
import fc from "fast-check";
import {
  fullRangeTicks,
  MAX_TICK,
  riskIsToken0,
  sqrtBigInt,
  sqrtPriceX96FromPrices,
  sqrtPriceX96FromUsd,
  usdFromSqrtPriceX96,
  usdToFeedAnswer,
  usdToWad,
} from "../../deploy/pool-math.ts";

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

  it("sqrtPriceX96FromPrices is the floor root of the raw token1-per-token0 price (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 18 }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        (dec0, dec1, price0, price1) => {
          const t0 = { address: "0x01", decimals: dec0 };
          const t1 = { address: "0x02", decimals: dec1 };
          const s = sqrtPriceX96FromPrices(t0, price0, t1, price1);
          // raw = price0 * 10^dec1 / (price1 * 10^dec0) token1 units per token0 unit; s = floor(sqrt(raw * 2^192)).
          const num = price0 * 10n ** BigInt(dec1) * 2n ** 192n;
          const den = price1 * 10n ** BigInt(dec0);
          expect(s * s * den <= num).to.equal(true);
          expect((s + 1n) * (s + 1n) * den > num).to.equal(true);
        },
      ),
      { numRuns: 300 },
    );
    const t = { address: "0x01", decimals: 6 };
    expect(() => sqrtPriceX96FromPrices(t, 0n, t, 1n)).to.throw(RangeError);
  });

  it("the risk/quote form prices the quote at 1 USD in either token order (property)", () => {
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
          const s = sqrtPriceX96FromUsd(side, wad);
          // Quote units per risk unit = wad * 10^6 / (1e18 * 10^dec); the pool's raw price is that
          // (risk is token0) or its inverse (risk is token1).
          const [num, den] = riskIsToken0(side)
            ? [wad * 10n ** 6n, 10n ** 18n * 10n ** BigInt(dec)]
            : [10n ** 18n * 10n ** BigInt(dec), wad * 10n ** 6n];
          expect(s * s * den <= num * 2n ** 192n).to.equal(true);
          expect((s + 1n) * (s + 1n) * den > num * 2n ** 192n).to.equal(true);
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
