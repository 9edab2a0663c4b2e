/**
 * Measures the precision of the on-chain normal CDF (BlackScholesLib.cdf) against the keeper's
 * double-precision normCdf (Cody erfc, a few ulps), and of on-chain Black-Scholes prices against
 * the keeper's blackScholes over a grid.
 * Run: npx hardhat run scripts/options-precision.ts
 */
import { network } from "hardhat";
import { blackScholes, normCdf } from "../keeper/options/index.ts";

const toWad = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const fromWad = (x: bigint): number => Number(x) / 1e18;

const { ethers } = await network.create();
const harness = await ethers.deployContract("BlackScholesPricer");

let maxAbs = 0;
let maxAbsAt = 0;
let maxRel6 = 0; // relative error where N(x) >= 1e-6
let maxRel6At = 0;
let maxRel10 = 0; // relative error where N(x) >= 1e-10
let maxRel10At = 0;
for (let i = -900; i <= 900; i++) {
  const x = i / 100;
  const onChain = fromWad(await harness.cdf(BigInt(i) * 10n ** 16n));
  const ref = normCdf(x);
  const abs = Math.abs(onChain - ref);
  if (abs > maxAbs) [maxAbs, maxAbsAt] = [abs, x];
  const rel = abs / ref;
  if (ref >= 1e-6 && rel > maxRel6) [maxRel6, maxRel6At] = [rel, x];
  if (ref >= 1e-10 && rel > maxRel10) [maxRel10, maxRel10At] = [rel, x];
}
console.log("cdf over x in [-9, 9], step 0.01 (1801 points):");
console.log(`  max absolute error            ${maxAbs.toExponential(2)} (at x = ${maxAbsAt})`);
console.log(`  max relative error, N >= 1e-6  ${maxRel6.toExponential(2)} (at x = ${maxRel6At})`);
console.log(`  max relative error, N >= 1e-10 ${maxRel10.toExponential(2)} (at x = ${maxRel10At})`);

const spot = 2000;
let worst = 0;
let worstAt = "";
let count = 0;
const floor = 1e-6 * spot;
for (const moneyness of [0.5, 0.7, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2]) {
  for (const days of [1, 7, 30, 90, 180, 365]) {
    for (const vol of [0.1, 0.3, 0.6, 1.0, 1.5]) {
      for (const isCall of [true, false]) {
        const strike = spot * moneyness;
        const tau = days * 86400;
        const onChain = fromWad(
          await harness.price(toWad(spot), toWad(strike), BigInt(tau), toWad(vol), 0n, isCall),
        );
        const ref = blackScholes({
          spot,
          strike,
          timeToExpiry: tau / (365 * 86400),
          volatility: vol,
          rate: 0,
          carry: 0,
          type: isCall ? "call" : "put",
        }).price;
        if (ref < floor) continue;
        count++;
        const rel = Math.abs(onChain - ref) / ref;
        if (rel > worst)
          [worst, worstAt] = [rel, `K/S=${moneyness} days=${days} vol=${vol} ${isCall ? "call" : "put"}`];
      }
    }
  }
}
console.log(`prices (spot ${spot}, rate 0, ${count} grid points with price >= 1e-6 x spot):`);
console.log(`  max relative error vs reference ${worst.toExponential(2)} (${worstAt})`);
