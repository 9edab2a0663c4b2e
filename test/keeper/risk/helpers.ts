/**
 * Test helpers: seeded PRNG, normal draws, random covariance matrices, simple reference formulas.
 * Also the random inputs of the risk benchmarks (scripts/bench-risk*.ts import them from here).
 */

/** mulberry32: small, fast, seeded PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normalSampler(r: () => number): () => number {
  return () => {
    const u = Math.max(r(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
}

/** Covariance from vols and a correlation given as rows. */
export function covFromVolCorr(vols: number[], corr: number[][]): number[][] {
  return vols.map((a, i) => vols.map((b, j) => a * b * corr[i]![j]!));
}

/** Random orthogonal matrix (Gram-Schmidt on Gaussian columns), flat row-major. */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const normal = normalSampler(rng(seed));
  const Q = new Float64Array(n * n);
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) v[i] = normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += v[i]! * Q[i * n + j]!;
        for (let i = 0; i < n; i++) v[i] = v[i]! - d * Q[i * n + j]!;
      }
    }
    let nn = 0;
    for (let i = 0; i < n; i++) nn += v[i]! * v[i]!;
    nn = Math.sqrt(nn);
    for (let i = 0; i < n; i++) Q[i * n + k] = v[i]! / nn;
  }
  return Q;
}

/** Random SPD matrix with eigenvalues log-spaced between 1 and 1/cond, scaled by `scale`. */
export function randomCovariance(
  n: number,
  cond: number,
  seed: number,
  scale = 0.1,
): { n: number; data: Float64Array } {
  const Q = randomOrthogonal(n, seed);
  const lam = Array.from({ length: n }, (_, k) => scale * Math.pow(cond, n > 1 ? -k / (n - 1) : 0));
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * Q[j * n + k]! * lam[k]!;
      S[i * n + j] = s;
      S[j * n + i] = s;
    }
  }
  return { n, data: S };
}

/**
 * Loadings and idiosyncratic variance of a random factor model: asset i's loading on factor f is
 * `mean + sd * z` (z standard normal; `market*` for factor 0, `other*` for the rest) and its
 * diagonal gets `idioBase + idioSpread * u` (u uniform) before rescaling to vols in [0.2, 1.2].
 */
export interface FactorModel {
  marketMean: number;
  marketSd: number;
  otherSd: number;
  idioBase: number;
  idioSpread: number;
}

/** The tests' model (the default of factorCovariance). */
export const TEST_FACTOR_MODEL: FactorModel = {
  marketMean: 0.5,
  marketSd: 0.6,
  otherSd: 0.25,
  idioBase: 0.2,
  idioSpread: 1,
};

/** The benchmarks' model (scripts/bench-risk.ts, scripts/bench-risk-ab.ts). */
export const BENCH_FACTOR_MODEL: FactorModel = {
  marketMean: 0.5,
  marketSd: 0.3,
  otherSd: 0.25,
  idioBase: 0.15,
  idioSpread: 0.5,
};

/** Realistic crypto-like covariance: k factors + idiosyncratic, vols 20-120 %. */
export function factorCovariance(
  n: number,
  k: number,
  seed: number,
  model: FactorModel = TEST_FACTOR_MODEL,
): { n: number; data: Float64Array } {
  const r = rng(seed);
  const normal = normalSampler(r);
  const B = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < k; f++)
      B[i * k + f] = f === 0 ? model.marketMean + model.marketSd * normal() : model.otherSd * normal();
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let f = 0; f < k; f++) s += B[i * k + f]! * B[j * k + f]!;
      S[i * n + j] = s;
      S[j * n + i] = s;
    }
    S[i * n + i] = S[i * n + i]! + model.idioBase + model.idioSpread * r();
  }
  // rescale to vols in [0.2, 1.2] (keeps the correlation structure)
  const target = Array.from({ length: n }, () => 0.2 + r());
  const sd = Array.from({ length: n }, (_, i) => Math.sqrt(S[i * n + i]!));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) S[i * n + j] = (S[i * n + j]! * target[i]! * target[j]!) / (sd[i]! * sd[j]!);
  }
  return { n, data: S };
}

/** RC_i = w_i (S w)_i / w'Sw computed directly. */
export function riskContribs(S: { n: number; data: ArrayLike<number> }, w: ArrayLike<number>): number[] {
  const { n, data } = S;
  const y: number[] = [];
  let v = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += data[i * n + j]! * w[j]!;
    y.push(s);
    v += w[i]! * s;
  }
  return y.map((s, i) => (w[i]! * s) / v);
}

export function flat(rows: number[][]): { n: number; data: Float64Array } {
  const n = rows.length;
  const data = new Float64Array(n * n);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * n + j] = v)));
  return { n, data };
}
