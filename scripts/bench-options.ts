/**
 * Speed of the option math. Run: npx node scripts/bench-options.ts (Node 24; type stripping).
 * Prints ns per black76 call (price + all Greeks) and per impliedVolatility call over a fixed grid
 * (vol 1 %..500 %, K/F 0.5..2, T 1 h..3 y, OTM and ITM), plus the mean iteration count.
 */
import { black76, impliedVolatility, impliedVolatilityStats, type OptionType } from "../keeper/options/index.ts";

interface Case {
  forward: number;
  strike: number;
  timeToExpiry: number;
  volatility: number;
  type: OptionType;
  price: number;
}

const cases: Case[] = [];
for (const volatility of [0.01, 0.05, 0.2, 0.5, 0.8, 1.5, 3, 5])
  for (const timeToExpiry of [1 / 8760, 1 / 365, 7 / 365, 30 / 365, 0.25, 1, 3])
    for (const m of [0.5, 0.8, 0.9, 1, 1.1, 1.25, 2])
      for (const type of ["call", "put"] as OptionType[]) {
        const c = { forward: 100, strike: 100 * m, timeToExpiry, volatility, type };
        const price = black76(c).price;
        const intrinsic = type === "call" ? Math.max(100 - c.strike, 0) : Math.max(c.strike - 100, 0);
        if (price - intrinsic > 1e-300) cases.push({ ...c, price });
      }

function bench(name: string, fn: (c: Case) => number, rounds: number): void {
  let sink = 0;
  for (let r = 0; r < 3; r++) for (const c of cases) sink += fn(c); // warm-up
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const c of cases) sink += fn(c);
  const ns = Number(process.hrtime.bigint() - t0) / (rounds * cases.length);
  console.log(`${name.padEnd(20)} ${ns.toFixed(0).padStart(6)} ns/call  (${rounds * cases.length} calls, sink ${sink.toExponential(2)})`);
}

console.log(`node ${process.version}, ${cases.length} grid points`);
bench("black76", (c) => black76(c).price, 400);
bench("impliedVolatility", (c) => impliedVolatility(c), 100);
let it = 0;
let maxIt = 0;
for (const c of cases) {
  impliedVolatility(c);
  it += impliedVolatilityStats.iterations;
  maxIt = Math.max(maxIt, impliedVolatilityStats.iterations);
}
console.log(`impliedVolatility iterations: mean ${(it / cases.length).toFixed(2)}, max ${maxIt}`);
