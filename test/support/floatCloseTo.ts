/**
 * Hardhat's chai matchers (hardhat-ethers-chai-matchers) replace chai's `closeTo`/`approximately`
 * with a bigint-only version that throws "x is not an integer" for any fractional number, which
 * breaks every floating-point assertion in the keeper's tests when they run under `hardhat test`.
 * They are installed lazily, at the first network connection, so this module (loaded by a mocha
 * root hook in hardhat.config.ts, and by `require` in .mocharc.json for plain mocha) wraps them
 * whenever they arrive: plain numbers get chai's own semantics, bigints go to Hardhat's version.
 */
import * as chai from "chai";

type Method = (this: object, ...args: unknown[]) => void;
const NAMES = new Set(["closeTo", "approximately"]);

function numbersFirst(original: Method): Method {
  return function (this: object, ...args: unknown[]) {
    const [expected, delta, message] = args;
    const actual: unknown = chai.util.flag(this, "object");
    if (typeof actual === "number" && typeof expected === "number" && typeof delta === "number") {
      const note = typeof message === "string" ? `: ${message}` : "";
      new chai.Assertion(Math.abs(actual - expected) <= delta).to.equal(
        true,
        `expected ${actual} to be close to ${expected} +/- ${delta}${note}`,
      );
      return;
    }
    original.apply(this, args);
  };
}

const assertion = chai.Assertion as unknown as {
  overwriteMethod(name: string, fn: (original: Method) => Method): void;
};
const overwrite = assertion.overwriteMethod.bind(chai.Assertion);
// Any later overwrite of closeTo/approximately (Hardhat's) is wrapped again on top.
assertion.overwriteMethod = (name, fn) => {
  overwrite(name, fn);
  if (NAMES.has(name)) overwrite(name, numbersFirst);
};
for (const name of NAMES) overwrite(name, numbersFirst);
