/**
 * Speed benchmark of the risk engine. Run: `node scripts/bench-risk.ts` under Node >= 23.6
 * (type stripping), e.g. `npx node scripts/bench-risk.ts` or `npm run bench`.
 * Prints median wall times (performance.now) over repeated runs on seeded random inputs:
 *  - solveRiskParity at n = 10, 50, 100, 500, 1000 for "ccd" and "newton" on factor-model
 *    covariances (3 factors + idiosyncratic, vols 20-120 %), cold start and warm start (from the
 *    solution of a slightly perturbed covariance, as in a daily rebalance);
 *  - estimateCovariance (every method) at n = 10 and 100 over T = 2000 periods.
 */
import os from "node:os";
import { estimateCovariance, type CovarianceOptions, solveRiskParity } from "../keeper/risk/index.ts";
import {
  BENCH_FACTOR_MODEL,
  factorCovariance,
  normalSampler as normals,
  rng,
} from "../test/keeper/risk/helpers.ts";

/** Factor-model covariance (3 factors + idiosyncratic) with annualised vols in [0.2, 1.2]. */
function factorCov(n: number, seed: number, k = 3): { n: number; data: Float64Array } {
  return factorCovariance(n, k, seed, BENCH_FACTOR_MODEL);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

function time<T>(
  f: () => T,
  minRuns: number,
  budgetMs: number,
): { ms: number; min: number; runs: number; last: T } {
  const times: number[] = [];
  let last = f(); // warm-up (JIT)
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start < budgetMs && times.length < 400)) {
    const t0 = performance.now();
    last = f();
    times.push(performance.now() - t0);
    if (performance.now() - start > budgetMs * 4) break;
  }
  return { ms: median(times), min: Math.min(...times), runs: times.length, last };
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

console.log(`# risk engine benchmark`);
console.log(
  `node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} x${os.cpus().length}, ${os.platform()} ${os.arch()}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log("");
console.log("## solveRiskParity (equal budgets, tolerance 1e-10 on max |RC_i - 1/n|)");
console.log(
  "Timed round-robin over K seeded factor covariances per n (K = 10 up to n = 100, 3 above); median and min over all timed solves; iterations median/max over the K covariances.",
);
console.log("");
console.log(
  "| n | K | method | cold median | cold min | cold iterations | warm median | warm min | warm iterations | max RC error |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const n of [10, 50, 100, 500, 1000]) {
  const K = n <= 100 ? 10 : 3;
  const covs: { n: number; data: Float64Array }[] = [];
  const yesterday: { n: number; data: Float64Array }[] = [];
  for (let c = 0; c < K; c++) {
    const S = factorCov(n, 1000 + n + 17 * c);
    // a "yesterday" covariance: 2 % multiplicative noise on every entry pair, for warm starts
    const r = rng(7 + n + 31 * c);
    const S0 = { n, data: Float64Array.from(S.data) };
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const k = 1 + 0.02 * (r() - 0.5);
        S0.data[i * n + j] = S.data[i * n + j]! * k;
        S0.data[j * n + i] = S0.data[i * n + j]!;
      }
    }
    covs.push(S);
    yesterday.push(S0);
  }
  for (const method of ["ccd", "newton"] as const) {
    const budget = n >= 500 ? 1500 : 400;
    const minRuns = n >= 1000 && method === "newton" ? 1 : n >= 500 ? 3 * K : 15 * K;
    const prev = yesterday.map((S0) => solveRiskParity(S0, { method }).weights);
    let maxErr = 0;
    const coldIts: number[] = [];
    const warmIts: number[] = [];
    for (let c = 0; c < K; c++) {
      const rc = solveRiskParity(covs[c]!, { method });
      const rw = solveRiskParity(covs[c]!, { method, initialWeights: prev[c]! });
      coldIts.push(rc.iterations);
      warmIts.push(rw.iterations);
      maxErr = Math.max(maxErr, rc.error, rw.error);
    }
    let ci = 0;
    const cold = time(() => solveRiskParity(covs[ci++ % K]!, { method }), minRuns, budget);
    let wi = 0;
    const warm = time(
      () => {
        const c = wi++ % K;
        return solveRiskParity(covs[c]!, { method, initialWeights: prev[c]! });
      },
      minRuns,
      budget,
    );
    const its = (xs: number[]): string => `${median(xs)}/${Math.max(...xs)}`;
    console.log(
      `| ${n} | ${K} | ${method} | ${fmt(cold.ms)} | ${fmt(cold.min)} | ${its(coldIts)} | ${fmt(warm.ms)} | ${fmt(warm.min)} | ${its(warmIts)} | ${maxErr.toExponential(1)} |`,
    );
  }
}
console.log("");
console.log("## estimateCovariance (T = 2000 periods)");
console.log("| n | method | median | min |");
console.log("|---|---|---|---|");
for (const n of [10, 100]) {
  const T = 2000;
  const S = factorCov(n, 77 + n);
  // simulate returns with covariance S / 365 via Cholesky
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S.data[i * n + j]! / 365;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = i === j ? Math.sqrt(s) : s / L[j * n + j]!;
    }
  }
  const z = normals(rng(5 + n));
  const rows: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const e = Array.from({ length: n }, () => z());
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += L[i * n + k]! * e[k]!;
      row[i] = s;
    }
    rows.push(row);
  }
  const methods: [string, CovarianceOptions][] = [
    ["sample", { method: "sample" }],
    ["ewma (half-life 60)", { method: "ewma", halfLife: 60 }],
    ["iterated-ewma (21/63)", { method: "iterated-ewma", volatilityHalfLife: 21, correlationHalfLife: 63 }],
    ["ledoit-wolf constant-correlation", { method: "ledoit-wolf", target: "constant-correlation" }],
    ["ledoit-wolf identity", { method: "ledoit-wolf", target: "identity" }],
    ["sample + GARCH vols", { method: "sample", volatilityForecast: "garch" }],
  ];
  for (const [label, opts] of methods) {
    const minRuns = label.includes("GARCH") ? 2 : 5;
    const t = time(() => estimateCovariance(rows, opts), minRuns, label.includes("GARCH") ? 3000 : 600);
    console.log(`| ${n} | ${label} | ${fmt(t.ms)} | ${fmt(t.min)} |`);
  }
}
