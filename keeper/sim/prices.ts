/**
 * Real daily closes: parsing and alignment, pure (text in, values out; file access is in
 * `keeper/shell/priceFolder.ts`). Three layouts are accepted, recognised by their header:
 *   - `date,value`                 (prices/crypto-daily/*.csv except BTC)
 *   - `None,code,date,value`       (prices/crypto-daily/BTC-USD.csv, Blockchain.com MKPRU)
 *   - `Date,TRDPRC_1`              (prices/btc-eth-daily/*.csv, Refinitiv)
 * Every row is validated: ISO date, positive finite price, strictly increasing dates. Errors name
 * the file and line. Alignment keeps the dates every series has; a missing day stays missing (it
 * is not filled, and the returns across it span the gap).
 */
import type { PricePath } from "./path.ts";

export interface DailySeries {
  symbol: string;
  dates: string[];
  values: number[];
}

export class PriceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceDataError";
  }
}

interface Layout {
  columns: number;
  date: number;
  value: number;
}

const LAYOUTS: Record<string, Layout> = {
  "date,value": { columns: 2, date: 0, value: 1 },
  "none,code,date,value": { columns: 4, date: 2, value: 3 },
  "date,trdprc_1": { columns: 2, date: 0, value: 1 },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Parses one CSV of daily prices. `name` (usually the file name) appears in every error. */
export function parsePriceCsv(text: string, name: string, symbol: string): DailySeries {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === "") lines.pop();
  if (lines.length === 0) throw new PriceDataError(`${name}: empty file`);
  const header = (lines[0] as string).trim().toLowerCase().replace(/\s+/g, "");
  const layout = LAYOUTS[header];
  if (layout === undefined) {
    throw new PriceDataError(
      `${name}:1: unrecognised header "${lines[0]}"; expected one of "date,value", "None,code,date,value", "Date,TRDPRC_1"`,
    );
  }
  const dates: string[] = [];
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] as string).trim();
    if (raw === "") throw new PriceDataError(`${name}:${lineNo}: blank line inside the data`);
    const cells = raw.split(",");
    if (cells.length !== layout.columns) {
      throw new PriceDataError(
        `${name}:${lineNo}: expected ${layout.columns} columns, found ${cells.length} in "${raw}"`,
      );
    }
    const date = (cells[layout.date] as string).trim();
    if (!validDate(date))
      throw new PriceDataError(`${name}:${lineNo}: invalid date "${date}" (want YYYY-MM-DD)`);
    const cell = (cells[layout.value] as string).trim();
    const value = cell === "" ? Number.NaN : Number(cell);
    if (!Number.isFinite(value) || value <= 0) {
      throw new PriceDataError(`${name}:${lineNo}: price must be a positive number, found "${cell}"`);
    }
    const prev = dates[dates.length - 1];
    if (prev !== undefined && date <= prev) {
      throw new PriceDataError(`${name}:${lineNo}: date ${date} is not after the previous row's ${prev}`);
    }
    dates.push(date);
    values.push(value);
  }
  if (dates.length < 2)
    throw new PriceDataError(`${name}: needs at least 2 price rows, found ${dates.length}`);
  return { symbol, dates, values };
}

/**
 * Joins series on the dates they all have (inner join), optionally from `from` and up to `to`
 * (inclusive ISO dates). Throws when fewer than two common dates remain.
 */
export function alignSeries(
  series: DailySeries[],
  source: string,
  range: { from?: string; to?: string } = {},
): PricePath {
  if (series.length === 0) throw new PriceDataError(`${source}: no price series to align`);
  const symbols = series.map((s) => s.symbol);
  const dup = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (dup !== undefined) throw new PriceDataError(`${source}: symbol ${dup} appears twice`);
  const maps = series.map((s) => new Map(s.dates.map((d, i) => [d, s.values[i] as number])));
  const first = series[0] as DailySeries;
  const dates = first.dates.filter(
    (d) =>
      maps.every((m) => m.has(d)) &&
      (range.from === undefined || d >= range.from) &&
      (range.to === undefined || d <= range.to),
  );
  if (dates.length < 2) {
    const spans = series.map((s) => `${s.symbol} ${s.dates[0]}..${s.dates[s.dates.length - 1]}`).join(", ");
    throw new PriceDataError(`${source}: fewer than 2 dates common to every series (${spans})`);
  }
  return { symbols, dates, prices: dates.map((d) => maps.map((m) => m.get(d) as number)), source };
}

/**
 * Symbol of a price file from its name: `BTC-USD.csv` -> BTC, `UNI7083-USD.csv` -> UNI
 * (Yahoo's numeric disambiguation suffix dropped), `ETH_price.csv` -> ETH.
 */
export function symbolFromFileName(file: string): string {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.csv$/i, "");
  const head = base.split(/[-_]/)[0] ?? base;
  const stripped = head.replace(/\d+$/, "");
  return (stripped === "" ? head : stripped).toUpperCase();
}
