/**
 * A daily price path for N assets: what the simulators and the demo replay. Both the generator
 * (`generate.ts`) and the real-data loader (`prices.ts`) produce this shape.
 */

export type Regime = "calm" | "stress";

export interface PricePath {
  /** Asset symbols, in column order. */
  symbols: string[];
  /** ISO dates (YYYY-MM-DD), strictly increasing. Gaps are real missing days, never filled. */
  dates: string[];
  /** prices[t][i]: USD per whole unit of asset i on dates[t]; positive and finite. */
  prices: number[][];
  /** The generator's regime per day (absent for real data). */
  regimes?: Regime[];
  /** Where the path came from (a generator description or a folder). */
  source: string;
}

const DAY_MS = 86_400_000;

/** Whole days between two ISO dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** ISO date `n` days after `iso`. */
export function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Log returns between consecutive rows: out[t-1][i] = ln(p[t][i] / p[t-1][i]). */
export function logReturns(path: Pick<PricePath, "prices">): number[][] {
  const out: number[][] = [];
  for (let t = 1; t < path.prices.length; t++) {
    const prev = path.prices[t - 1] as number[];
    const cur = path.prices[t] as number[];
    out.push(cur.map((p, i) => Math.log(p / (prev[i] as number))));
  }
  return out;
}

/** The first `n` rows of a path (all of it when shorter). */
export function truncatePath(path: PricePath, n: number): PricePath {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`a path needs at least 2 days, asked for ${n}`);
  return {
    ...path,
    dates: path.dates.slice(0, n),
    prices: path.prices.slice(0, n),
    ...(path.regimes === undefined ? {} : { regimes: path.regimes.slice(0, n) }),
  };
}

/** Keeps only the given symbols, in the given order. */
export function selectAssets(path: PricePath, symbols: string[]): PricePath {
  const idx = symbols.map((s) => {
    const i = path.symbols.indexOf(s);
    if (i < 0) throw new Error(`asset ${s} is not in the path (has ${path.symbols.join(", ")})`);
    return i;
  });
  return {
    ...path,
    symbols: [...symbols],
    prices: path.prices.map((row) => idx.map((i) => row[i] as number)),
  };
}
