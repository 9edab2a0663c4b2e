/**
 * Hardhat's chai matchers (hardhat-ethers-chai-matchers) replace chai's `closeTo`/`approximately`
 * with a bigint-only version that throws "x is not an integer" for any fractional number, which
 * breaks every floating-point assertion in the keeper's tests when they run under `hardhat test`.
 * This mocha `require` (see hardhat.config.ts and .mocharc.json) restores chai's own semantics for
 * plain numbers and leaves bigint comparisons to Hardhat's version.
 */
import * as chai from "chai";

function isPlainNumber(value: unknown): value is number {
  return typeof value === "number";
}

for (const name of ["closeTo", "approximately"] as const) {
  chai.Assertion.overwriteMethod(name, (original: (...args: unknown[]) => void) => {
    return function (
      this: Chai.AssertionStatic & object,
      expected: unknown,
      delta: unknown,
      message?: string,
    ) {
      const actual: unknown = chai.util.flag(this, "object");
      if (isPlainNumber(actual) && isPlainNumber(expected) && isPlainNumber(delta)) {
        const ok = Math.abs(actual - expected) <= delta;
        new chai.Assertion(ok, message).to.equal(
          true,
          `expected ${actual} to be close to ${expected} +/- ${delta}${message ? `: ${message}` : ""}`,
        );
        return;
      }
      original.call(this, expected, delta, message);
    };
  });
}
