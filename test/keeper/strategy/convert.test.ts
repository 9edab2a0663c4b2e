import { expect } from "chai";
import fc from "fast-check";
import {
  fromUnits,
  toOnChainOrder,
  toUnitsDown,
  toUnitsNearest,
  type OptionOrderF,
} from "../../../keeper/strategy/index.ts";

describe("keeper/strategy convert", () => {
  it("toUnitsDown / toUnitsNearest agree with x * 10^d to double precision (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), fc.integer({ min: 0, max: 18 }), (x, d) => {
        const down = toUnitsDown(x, d);
        const near = toUnitsNearest(x, d);
        const scaled = x * 10 ** d;
        const tol = 4e-16 * scaled;
        // floor: down <= x 10^d < down + 1; nearest within 1/2
        expect(Number(down) <= scaled + tol + Number(down) * 4e-16, `down ${down} vs ${scaled}`).to.equal(
          true,
        );
        expect(Number(down) + 1 > scaled - tol - Number(down) * 4e-16, `down ${down} vs ${scaled}`).to.equal(
          true,
        );
        expect(Math.abs(Number(near) - scaled) <= 0.5 + tol + Number(near) * 4e-16, `near ${near}`).to.equal(
          true,
        );
        expect(near - down === 0n || near - down === 1n).to.equal(true);
        // the decimal it read round-trips: fromUnits of an exact case returns x
        if (d === 18 && down < 2n ** 53n) expect(fromUnits(toUnitsDown(x, 0), 0)).to.equal(Math.floor(x));
      }),
      { numRuns: 1_000 },
    );
  });

  it("examples", () => {
    expect(toUnitsDown(1.9999999, 6)).to.equal(1_999_999n);
    expect(toUnitsDown(0.1, 18)).to.equal(100_000_000_000_000_000n);
    expect(toUnitsNearest(2611.7, 18)).to.equal(2_611_700_000_000_000_000_000n);
    expect(fromUnits(2_611_700_000_000_000_000_000n, 18)).to.equal(2611.7);
    expect(fromUnits(123_456_789n, 6)).to.equal(123.456789);
    expect(() => toUnitsDown(-1, 6)).to.throw(RangeError);
    expect(() => toUnitsDown(Number.NaN, 6)).to.throw(RangeError);
  });

  it("toOnChainOrder: amount and maxPremium rounded down, strike nearest, address mapped", () => {
    const o: OptionOrderF = {
      underlying: "WETH",
      isCall: false,
      strike: 2611.7,
      expiry: 1_802_563_200,
      amount: 115.94202898550725,
      maxPremium: 8108.5449999,
      estimatedPremium: 7949.55,
      delta: -0.2,
      reason: "NEW",
      detail: "",
    };
    const c = toOnChainOrder(o, 6, () => "0x00000000000000000000000000000000000000e7");
    expect(c).to.deep.equal({
      underlying: "0x00000000000000000000000000000000000000e7",
      isCall: false,
      strike: 2_611_700_000_000_000_000_000n,
      expiry: 1_802_563_200n,
      amount: 115_942_028_985_507_250_000n, // 115.94202898550725 exactly as printed
      maxPremium: 8_108_544_999n,
    });
    expect(fromUnits(c.maxPremium, 6) <= o.maxPremium).to.equal(true);
    expect(fromUnits(c.amount, 18) <= o.amount).to.equal(true);
  });
});
