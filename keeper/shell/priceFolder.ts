/**
 * Reads a folder of daily price CSVs (see `prices.ts` for the layouts) into one aligned path.
 * The file access of the simulators (their core in keeper/sim/ stays pure).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PricePath } from "../sim/path.ts";
import {
  alignSeries,
  parsePriceCsv,
  PriceDataError,
  symbolFromFileName,
  type DailySeries,
} from "../sim/prices.ts";

export interface LoadOptions {
  /** Symbols to load (as derived from file names), in this order; default every CSV in the folder. */
  symbols?: string[];
  from?: string;
  to?: string;
}

/** Symbols of the price files in `folder` (from their names), sorted by file name; no parsing. */
export async function listPriceSymbols(folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await readdir(folder)).filter((f) => f.toLowerCase().endsWith(".csv")).sort();
  } catch (e) {
    throw new PriceDataError(`cannot read price folder ${folder}: ${(e as Error).message}`);
  }
  return entries.map(symbolFromFileName);
}

/** Loads `folder/*.csv`, validates each file and aligns them on their common dates. */
export async function loadPriceFolder(folder: string, opts: LoadOptions = {}): Promise<PricePath> {
  let entries: string[];
  try {
    entries = (await readdir(folder)).filter((f) => f.toLowerCase().endsWith(".csv")).sort();
  } catch (e) {
    throw new PriceDataError(`cannot read price folder ${folder}: ${(e as Error).message}`);
  }
  const bySymbol = new Map<string, string>();
  for (const f of entries) {
    const s = symbolFromFileName(f);
    if (bySymbol.has(s))
      throw new PriceDataError(`${folder}: both ${bySymbol.get(s)} and ${f} map to symbol ${s}`);
    bySymbol.set(s, f);
  }
  const wanted = opts.symbols ?? [...bySymbol.keys()];
  if (wanted.length === 0) throw new PriceDataError(`${folder}: no .csv price files`);
  const series: DailySeries[] = [];
  for (const s of wanted) {
    const f = bySymbol.get(s);
    if (f === undefined)
      throw new PriceDataError(
        `${folder}: no price file for ${s} (found ${[...bySymbol.keys()].join(", ")})`,
      );
    const file = path.join(folder, f);
    series.push(parsePriceCsv(await readFile(file, "utf8"), file, s));
  }
  return alignSeries(series, folder, opts);
}
