/**
 * A/B speed comparison of solveRiskParity between the working tree and a git revision, in ONE
 * process with interleaved runs, so machine load (shared cores) hits both sides alike.
 *
 *   npx node scripts/bench-risk-ab.ts [baseRev = HEAD~1] [sizes = 100,1000] [reps = 100]
 *
 * The base revision's keeper/risk/*.ts files are written to a temporary directory (git show) and
 * imported from there. For each size, K seeded factor-model covariances (K = 20 for n < 500, else
 * 4) are solved cold with default options (CCD, tolerance 1e-10), alternating which side runs
 * first; prints median and min wall time, sweeps (median/max) and the worst RC error of each side.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { solveRiskParity as headSolve } from "../keeper/risk/riskParity.ts";
import { BENCH_FACTOR_MODEL, factorCovariance } from "../test/keeper/risk/helpers.ts";

type Solve = typeof headSolve;

const baseRev = process.argv[2] ?? "HEAD~1";
const sizes = (process.argv[3] ?? "100,1000").split(",").map(Number);
const reps = Number(process.argv[4] ?? 100);

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const git = (...args: string[]): string => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
const sha = git("rev-parse", "--short", baseRev).trim();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `risk-ab-${sha}-`));
for (const file of git("ls-tree", "--name-only", `${sha}:keeper/risk`).split("\n").filter(Boolean)) {
  if (!file.endsWith(".ts")) continue;
  fs.writeFileSync(path.join(dir, file), git("show", `${sha}:keeper/risk/${file}`));
}
const baseSolve = (
  (await import(pathToFileURL(path.join(dir, "riskParity.ts")).href)) as { solveRiskParity: Solve }
).solveRiskParity;

/** Factor-model covariance (3 factors + idiosyncratic) with annualised vols in [0.2, 1.2]. */
function factorCov(n: number, seed: number, k = 3): { n: number; data: Float64Array } {
  return factorCovariance(n, k, seed, BENCH_FACTOR_MODEL);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};
const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

console.log(
  `A/B solveRiskParity: base ${sha} vs working tree; node ${process.version}; load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log("| n | side | median | min | sweeps median/max | max RC error |");
console.log("|---|---|---|---|---|---|");
for (const n of sizes) {
  const K = n < 500 ? 20 : 4;
  const covs = Array.from({ length: K }, (_, c) => factorCov(n, 1000 + n + 17 * c));
  const rounds = n < 500 ? reps : Math.max(3, Math.floor(reps / 20));
  const sides: [string, Solve][] = [
    [`base ${sha}`, baseSolve],
    ["working tree", headSolve],
  ];
  const times = sides.map((): number[] => []);
  const sweeps = sides.map((): number[] => []);
  const errs = sides.map(() => 0);
  for (const S of covs) for (const [, f] of sides) f(S); // JIT warm-up
  for (let round = 0; round < rounds; round++) {
    for (const S of covs) {
      for (let q = 0; q < sides.length; q++) {
        const s = (q + round) % sides.length; // alternate which side runs first
        const t0 = performance.now();
        const res = sides[s]![1](S);
        times[s]!.push(performance.now() - t0);
        if (round === 0) {
          sweeps[s]!.push(res.iterations);
          errs[s] = Math.max(errs[s]!, res.converged ? res.error : Infinity);
        }
      }
    }
  }
  sides.forEach(([name], s) => {
    console.log(
      `| ${n} | ${name} | ${fmt(median(times[s]!))} | ${fmt(Math.min(...times[s]!))} | ${median(sweeps[s]!)}/${Math.max(...sweeps[s]!)} | ${errs[s]!.toExponential(1)} |`,
    );
  });
}
fs.rmSync(dir, { recursive: true, force: true });
