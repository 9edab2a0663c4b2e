/**
 * Speed of the option math. Run: npx node scripts/bench-options.ts (Node 24; type stripping).
 * Prints ns per black76 call (price + all Greeks) and per impliedVolatility call (min and median of 9
 * repetitions) over a fixed grid
 * (vol 1 %..500 %, K/F 0.5..2, T 1 h..3 y, OTM and ITM), plus the mean iteration count.
 */
import {
  black76,
  impliedVolatility,
  solveImpliedVolatility,
  type OptionType,
} from "../keeper/options/index.ts";

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

/**
 * Times `rounds` passes over the grid, REPEATS times, and prints the minimum and the median ns per
 * call: on a shared machine the minimum is the least disturbed measurement.
 */
function bench(name: string, fn: (c: Case) => number, rounds: number): void {
  const REPEATS = 9;
  let sink = 0;
  for (let r = 0; r < 3; r++) for (const c of cases) sink += fn(c); // warm-up
  const samples: number[] = [];
  for (let k = 0; k < REPEATS; k++) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const c of cases) sink += fn(c);
    samples.push(Number(process.hrtime.bigint() - t0) / (rounds * cases.length));
  }
  samples.sort((a, b) => a - b);
  const min = samples[0]!;
  const median = samples[Math.floor(REPEATS / 2)]!;
  console.log(
    `${name.padEnd(20)} min ${min.toFixed(0).padStart(5)} ns/call, median ${median.toFixed(0).padStart(5)} ns/call ` +
      `(${REPEATS} x ${rounds * cases.length} calls, sink ${sink.toExponential(2)})`,
  );
}

console.log(`node ${process.version}, ${cases.length} grid points`);
bench("black76", (c) => black76(c).price, 100);
bench("impliedVolatility", (c) => impliedVolatility(c), 25);
let it = 0;
let maxIt = 0;
for (const c of cases) {
  const { evaluations } = solveImpliedVolatility(c);
  it += evaluations;
  maxIt = Math.max(maxIt, evaluations);
}
console.log(
  `impliedVolatility evaluations of b (iterations): mean ${(it / cases.length).toFixed(2)}, max ${maxIt}`,
);
