/**
 * Loader for Deribit option-chain CSV files (shell layer: the only part that touches the file
 * system). Two layouts are recognised by their header:
 *
 * - "book summary + ticker" layout (e.g. deribit-btc-options-2020-05-21.csv): columns
 *   expiration_timestamp, option_type, instrument_name, strike, underlying_price, timestamp,
 *   mark_price, mark_iv, interest_rate, greeks, where greeks is a Python-dict string
 *   "{'vega': 0.94545, 'theta': -40.20419, 'rho': -0.06764, 'gamma': 0.00136, 'delta': -0.73032}".
 * - "flat" layout (e.g. deribit-btc-options-2026-03-01.csv): columns instrument_name, type,
 *   strike, expiration_timestamp, underlying_price, mark_price, mark_iv, delta, gamma, theta,
 *   vega, tick_size; it has no snapshot time, which the caller must supply.
 *
 * Every row is validated; a malformed row raises DeribitCsvError naming the line and column.
 */
import { readFile } from "node:fs/promises";
import type { OptionType } from "../../options/errors.ts";

export interface DeribitGreeks {
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho?: number;
}

export interface DeribitOptionRow {
  /** 1-based line number in the file (header = line 1). */
  line: number;
  instrument: string;
  type: OptionType;
  strike: number;
  /** Expiry, Unix milliseconds. */
  expirationMs: number;
  /** Snapshot time of the quote, Unix milliseconds. */
  timestampMs: number;
  /** The futures / synthetic forward price the option is priced on (USD). */
  underlyingPrice: number;
  /** Mark price in BTC (coin). */
  markPrice: number;
  /** Mark implied volatility in percent. */
  markIv: number;
  /** Rate used by the exchange (decimal); 0 when the file has none. */
  interestRate: number;
  /** Exchange tick size in coin when the file carries it. */
  tickSize?: number;
  greeks: DeribitGreeks;
}

export class DeribitCsvError extends Error {
  readonly line: number;
  readonly column: string | undefined;
  constructor(line: number, column: string | undefined, message: string) {
    super(`line ${line}${column === undefined ? "" : `, column ${column}`}: ${message}`);
    this.name = "DeribitCsvError";
    this.line = line;
    this.column = column;
  }
}

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field.length > 0)
        throw new DeribitCsvError(rows.length + 1, undefined, "quote inside an unquoted field");
      inQuotes = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      row.push(field);
      field = "";
      rows.push(row);
      row = [];
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else field += c;
    i++;
  }
  if (inQuotes) throw new DeribitCsvError(rows.length + 1, undefined, "unterminated quoted field");
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function num(
  line: number,
  column: string,
  raw: string | undefined,
  opts: { positive?: boolean; nonNegative?: boolean } = {},
): number {
  if (raw === undefined) throw new DeribitCsvError(line, column, "missing field");
  const s = raw.trim();
  if (!NUMBER_RE.test(s)) throw new DeribitCsvError(line, column, `not a number: ${JSON.stringify(raw)}`);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new DeribitCsvError(line, column, `not finite: ${raw}`);
  if (opts.positive === true && !(v > 0)) throw new DeribitCsvError(line, column, `must be > 0, got ${v}`);
  if (opts.nonNegative === true && !(v >= 0))
    throw new DeribitCsvError(line, column, `must be >= 0, got ${v}`);
  return v;
}

/**
 * Parses a Python-dict literal of numbers such as "{'vega': 0.94545, 'delta': -0.73032}".
 * Only string keys and plain numeric values are accepted.
 */
export function parsePythonNumberDict(line: number, column: string, raw: string): Record<string, number> {
  const s = raw.trim();
  if (!s.startsWith("{") || !s.endsWith("}"))
    throw new DeribitCsvError(line, column, `not a dict literal: ${JSON.stringify(raw)}`);
  const body = s.slice(1, -1).trim();
  const out: Record<string, number> = {};
  if (body.length === 0) return out;
  for (const part of body.split(",")) {
    const m = /^\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*:\s*(\S+)\s*$/.exec(part);
    if (m === null) throw new DeribitCsvError(line, column, `bad dict entry ${JSON.stringify(part.trim())}`);
    const key = m[1]!;
    if (key in out) throw new DeribitCsvError(line, column, `duplicate key ${key}`);
    out[key] = num(line, `${column}.${key}`, m[2]);
  }
  return out;
}

function optionType(line: number, column: string, raw: string | undefined): OptionType {
  if (raw === "call" || raw === "put") return raw;
  throw new DeribitCsvError(line, column, `expected call or put, got ${JSON.stringify(raw)}`);
}

export interface ParseOptions {
  /** Snapshot time (Unix ms) for files without a per-row timestamp column. */
  snapshotTimeMs?: number;
}

/** Parses and validates a Deribit option chain CSV (either layout). */
export function parseDeribitOptionsCsv(text: string, options: ParseOptions = {}): DeribitOptionRow[] {
  const records = parseCsv(text);
  const header = records[0];
  if (header === undefined) throw new DeribitCsvError(1, undefined, "empty file");
  const col = new Map<string, number>();
  header.forEach((name, i) => col.set(name.trim(), i));
  const nested = col.has("greeks");
  const typeColumn = col.has("option_type") ? "option_type" : "type";
  const required = [
    "instrument_name",
    typeColumn,
    "strike",
    "expiration_timestamp",
    "underlying_price",
    "mark_price",
    "mark_iv",
  ];
  if (nested) required.push("greeks");
  else required.push("delta", "gamma", "theta", "vega");
  for (const name of required)
    if (!col.has(name)) throw new DeribitCsvError(1, name, "missing column in header");
  if (!col.has("timestamp") && options.snapshotTimeMs === undefined)
    throw new DeribitCsvError(1, "timestamp", "file has no timestamp column: pass snapshotTimeMs");

  const rows: DeribitOptionRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    const line = r + 1;
    if (rec.length === 1 && rec[0]!.trim() === "") continue; // blank line
    if (rec.length !== header.length)
      throw new DeribitCsvError(line, undefined, `expected ${header.length} fields, got ${rec.length}`);
    const get = (name: string): string | undefined => {
      const i = col.get(name);
      return i === undefined ? undefined : rec[i];
    };
    const instrument = (get("instrument_name") ?? "").trim();
    if (instrument.length === 0) throw new DeribitCsvError(line, "instrument_name", "empty");
    const type = optionType(line, typeColumn, get(typeColumn));
    const strike = num(line, "strike", get("strike"), { positive: true });
    const expirationMs = num(line, "expiration_timestamp", get("expiration_timestamp"), { positive: true });
    const timestampMs = col.has("timestamp")
      ? num(line, "timestamp", get("timestamp"), { positive: true })
      : options.snapshotTimeMs!;
    if (!(expirationMs > timestampMs))
      throw new DeribitCsvError(
        line,
        "expiration_timestamp",
        `expiry ${expirationMs} not after snapshot ${timestampMs}`,
      );
    const underlyingPrice = num(line, "underlying_price", get("underlying_price"), { positive: true });
    const markPrice = num(line, "mark_price", get("mark_price"), { nonNegative: true });
    const markIv = num(line, "mark_iv", get("mark_iv"), { positive: true });
    const interestRate = col.has("interest_rate") ? num(line, "interest_rate", get("interest_rate")) : 0;
    const tickSize = col.has("tick_size")
      ? num(line, "tick_size", get("tick_size"), { positive: true })
      : undefined;
    let greeks: DeribitGreeks;
    if (nested) {
      const d = parsePythonNumberDict(line, "greeks", get("greeks") ?? "");
      for (const k of ["delta", "gamma", "vega", "theta"])
        if (d[k] === undefined) throw new DeribitCsvError(line, `greeks.${k}`, "missing key");
      greeks = { delta: d.delta!, gamma: d.gamma!, vega: d.vega!, theta: d.theta! };
      if (d.rho !== undefined) greeks.rho = d.rho;
    } else {
      greeks = {
        delta: num(line, "delta", get("delta")),
        gamma: num(line, "gamma", get("gamma")),
        vega: num(line, "vega", get("vega")),
        theta: num(line, "theta", get("theta")),
      };
    }
    if (
      type === "call" ? !(greeks.delta >= 0 && greeks.delta <= 1) : !(greeks.delta >= -1 && greeks.delta <= 0)
    )
      throw new DeribitCsvError(line, "delta", `delta ${greeks.delta} impossible for a ${type}`);
    const row: DeribitOptionRow = {
      line,
      instrument,
      type,
      strike,
      expirationMs,
      timestampMs,
      underlyingPrice,
      markPrice,
      markIv,
      interestRate,
      greeks,
    };
    if (tickSize !== undefined) row.tickSize = tickSize;
    rows.push(row);
  }
  if (rows.length === 0) throw new DeribitCsvError(2, undefined, "no data rows");
  return rows;
}

/** Reads and parses a Deribit option chain file. */
export async function loadDeribitOptionsCsv(
  path: string,
  options: ParseOptions = {},
): Promise<DeribitOptionRow[]> {
  const text = await readFile(path, "utf8");
  return parseDeribitOptionsCsv(text, options);
}
