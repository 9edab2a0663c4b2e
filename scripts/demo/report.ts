/**
 * The demo's outputs: `report.json` (every number, machine-readable, validated by a zod schema)
 * and `report.html` (self-contained: inline SVG charts and CSS, no external asset or script).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const num = z.number().or(z.null());
const perf = z.object({
  totalReturn: z.number(),
  annualisedReturn: z.number(),
  volatility: z.number(),
  maxDrawdown: z.number(),
});

export const DemoReportSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  command: z.string(),
  wallTimeSeconds: z.number().nonnegative(),
  config: z.object({
    source: z.string(),
    assets: z.array(z.string()).min(1),
    days: z.number().int().positive(),
    startDate: z.string(),
    endDate: z.string(),
    rebalanceEveryDays: z.number().int().positive(),
    warmupDays: z.number().int().nonnegative(),
    volTarget: z.number().positive(),
    depositUsd: z.number().positive(),
    options: z.boolean(),
    seed: z.number().int().nullable(),
    chain: z.string(),
  }),
  summary: z.object({
    vault: perf,
    volTarget: z.number(),
    meanRiskContributionDispersion: num,
    finalRiskContributionDispersion: num,
    turnover: z.number().nonnegative(),
    tradedValueUsd: z.number().nonnegative(),
    keeperCycles: z.number().int().nonnegative(),
    rebalances: z.number().int().nonnegative(),
    guardRejections: z.number().int().nonnegative(),
    deleverages: z.number().int().nonnegative(),
    gasSpent: z.number().int().nonnegative(),
    meanLeverage: z.number().nonnegative(),
    maxLeverage: z.number().nonnegative(),
    benchmarks: z.object({ equalWeight: perf, btcOnly: perf.extend({ asset: z.string() }) }),
    /** Put overlay (options on): premium paid, proceeds of closes, orders, gas, final book value. */
    options: z
      .object({
        premiumSpentUsd: z.number().nonnegative(),
        proceedsUsd: z.number().nonnegative(),
        orders: z.number().int().nonnegative(),
        gasSpent: z.number().int().nonnegative(),
        finalBookValueUsd: z.number().nonnegative(),
        /** Expired series settled (adapter.settle) and payouts collected into the vault, USD. */
        settlements: z.number().int().nonnegative().default(0),
        payoutsCollectedUsd: z.number().nonnegative().default(0),
      })
      .optional(),
  }),
  series: z.object({
    dates: z.array(z.string()),
    nav: z.array(z.number()),
    equalWeight: z.array(z.number()),
    btcOnly: z.array(z.number()),
    leverage: z.array(z.number()),
    drawdown: z.array(z.number()),
    weights: z.record(z.string(), z.array(z.number())),
    riskContributions: z.record(z.string(), z.array(num)),
    /** Daily (options on): cumulative premium spent, the book at the bid, and its Greeks (USD). */
    options: z
      .object({
        premiumSpent: z.array(z.number()),
        bookValue: z.array(z.number()),
        dollarDelta: z.array(z.number()),
        dollarGamma: z.array(z.number()),
        vega: z.array(z.number()),
        theta: z.array(z.number()),
      })
      .optional(),
  }),
  events: z.array(
    z.object({
      date: z.string(),
      kind: z.enum(["rebalance", "skip", "wait", "rejection", "deleverage", "error", "options"]),
      detail: z.string(),
      gasUsed: z.number().int().nonnegative().optional(),
      tradedValueUsd: z.number().nonnegative().optional(),
    }),
  ),
});

export type DemoReport = z.infer<typeof DemoReportSchema>;

// ---------------------------------------------------------------------------------------- text

const pct = (x: number | null, digits = 1): string =>
  x === null || !Number.isFinite(x) ? "n/a" : `${(x * 100).toFixed(digits)}%`;
const usd = (x: number): string => `$${Math.round(x).toLocaleString("en-US")}`;

/** The summary as rows of [label, value] (shared by the terminal table and the HTML page). */
export function summaryRows(r: DemoReport): [string, string][] {
  const s = r.summary;
  return [
    [
      "Period",
      `${r.config.startDate} .. ${r.config.endDate} (${r.config.days} days, ${r.config.assets.join(", ")})`,
    ],
    [
      "Total return (vault / equal-weight / " + s.benchmarks.btcOnly.asset + ")",
      `${pct(s.vault.totalReturn)} / ${pct(s.benchmarks.equalWeight.totalReturn)} / ${pct(s.benchmarks.btcOnly.totalReturn)}`,
    ],
    ["Annualised return", pct(s.vault.annualisedReturn)],
    ["Volatility vs target", `${pct(s.vault.volatility)} vs ${pct(s.volTarget)}`],
    [
      "Max drawdown (vault / equal-weight / " + s.benchmarks.btcOnly.asset + ")",
      `${pct(s.vault.maxDrawdown)} / ${pct(s.benchmarks.equalWeight.maxDrawdown)} / ${pct(s.benchmarks.btcOnly.maxDrawdown)}`,
    ],
    [
      "Risk-contribution dispersion (mean / final)",
      `${pct(s.meanRiskContributionDispersion)} / ${pct(s.finalRiskContributionDispersion)}`,
    ],
    ["Turnover (traded / mean value)", `${s.turnover.toFixed(2)}x (${usd(s.tradedValueUsd)})`],
    ["Keeper cycles / rebalances", `${s.keeperCycles} / ${s.rebalances}`],
    ["Guard rejections", String(s.guardRejections)],
    ["Deleverages", String(s.deleverages)],
    ["Leverage (mean / max)", `${s.meanLeverage.toFixed(2)}x / ${s.maxLeverage.toFixed(2)}x`],
    ["Gas spent by the keeper", s.gasSpent.toLocaleString("en-US")],
    ...(s.options
      ? ([
          [
            "Put overlay: premium spent / proceeds / book now",
            `${usd(s.options.premiumSpentUsd)} (${pct(s.options.premiumSpentUsd / r.config.depositUsd, 2)} of deposit) / ${usd(s.options.proceedsUsd)} / ${usd(s.options.finalBookValueUsd)}`,
          ],
          [
            "Put overlay: orders / gas",
            `${s.options.orders} / ${s.options.gasSpent.toLocaleString("en-US")}`,
          ],
          [
            "Put overlay: settlements / payouts collected",
            `${s.options.settlements} / ${usd(s.options.payoutsCollectedUsd)}`,
          ],
        ] as [string, string][])
      : []),
    ["Wall time", `${r.wallTimeSeconds.toFixed(1)} s`],
  ];
}

/** A plain-text table for the terminal. */
export function summaryTable(r: DemoReport): string {
  const rows = summaryRows(r);
  const w = Math.max(...rows.map(([k]) => k.length));
  const line = "-".repeat(w + 3 + Math.max(...rows.map(([, v]) => v.length)));
  return [line, ...rows.map(([k, v]) => `${k.padEnd(w)} | ${v}`), line].join("\n");
}

// ----------------------------------------------------------------------------------------- svg

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

export interface Series {
  name: string;
  values: readonly (number | null)[];
  color?: string;
  dashed?: boolean;
}

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** A line chart (or stacked areas) as an inline SVG element. */
export function lineChart(opts: {
  title: string;
  dates: readonly string[];
  series: Series[];
  format: (v: number) => string;
  stacked?: boolean;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
}): string {
  const W = opts.width ?? 880;
  const H = opts.height ?? 260;
  const m = { l: 64, r: 24, t: 46, b: 30 };
  const n = opts.dates.length;
  const series = opts.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length] }));
  // Stacked: cumulative sums per date.
  const layers = opts.stacked
    ? series.map((_, k) =>
        Array.from({ length: n }, (_, t) =>
          series.slice(0, k + 1).reduce((acc, s) => acc + (s.values[t] ?? 0), 0),
        ),
      )
    : series.map((s) => s.values.map((v) => v));
  const finite = layers.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  let lo = opts.yMin ?? (finite.length ? Math.min(...finite) : 0);
  let hi = opts.yMax ?? (finite.length ? Math.max(...finite) : 1);
  if (!(hi > lo)) {
    hi = lo + 1;
    lo = lo - (opts.yMin === undefined ? 1 : 0);
  }
  const pad = opts.yMin === undefined && opts.yMax === undefined ? (hi - lo) * 0.05 : 0;
  lo -= pad;
  hi += pad;
  const x = (t: number): number => m.l + (n <= 1 ? 0 : (t / (n - 1)) * (W - m.l - m.r));
  const y = (v: number): number => m.t + (1 - (v - lo) / (hi - lo)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title)}">`,
  );
  parts.push(`<text x="${m.l}" y="18" class="ct">${esc(opts.title)}</text>`);
  for (const v of niceTicks(lo, hi)) {
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`,
    );
    parts.push(`<text x="${m.l - 6}" y="${(y(v) + 4).toFixed(1)}" class="yl">${esc(opts.format(v))}</text>`);
  }
  const xTicks = Math.min(6, n);
  for (let k = 0; k < xTicks; k++) {
    const t = xTicks === 1 ? 0 : Math.round((k / (xTicks - 1)) * (n - 1));
    const anchor = k === 0 ? "start" : k === xTicks - 1 ? "end" : "middle";
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${H - m.b + 18}" class="xl" text-anchor="${anchor}">${esc(opts.dates[t] ?? "")}</text>`,
    );
  }
  layers.forEach((vals, k) => {
    const s = series[k] as (typeof series)[number];
    if (opts.stacked) {
      const below = k === 0 ? Array<number>(n).fill(0) : (layers[k - 1] as number[]);
      const top = vals.map((v, t) => `${x(t).toFixed(1)},${y(v ?? 0).toFixed(1)}`);
      const bottom = below.map((v, t) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).reverse();
      parts.push(
        `<polygon points="${[...top, ...bottom].join(" ")}" fill="${s.color}" fill-opacity="0.75" stroke="none"/>`,
      );
      return;
    }
    let d = "";
    let pen = false;
    vals.forEach((v, t) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`,
    );
  });
  // Legend.
  let lx = m.l;
  for (const s of series) {
    parts.push(
      `<rect x="${lx}" y="26" width="12" height="10" fill="${s.color}"/><text x="${lx + 16}" y="35" class="lg">${esc(s.name)}</text>`,
    );
    lx += 28 + s.name.length * 7;
  }
  parts.push("</svg>");
  return parts.join("");
}

// ---------------------------------------------------------------------------------------- html

export function renderHtml(r: DemoReport): string {
  const d = r.series.dates;
  const pctFmt = (v: number): string =>
    `${(v * 100).toFixed(Math.abs(v) < 0.1 && v !== 0 ? 1 : 0).replace(/^-0(\.0)?$/, "0")}%`;
  const charts = [
    lineChart({
      title: "Value (USD): vault vs benchmarks",
      dates: d,
      series: [
        { name: "vault", values: r.series.nav },
        { name: "equal weight", values: r.series.equalWeight, dashed: true },
        { name: `${r.summary.benchmarks.btcOnly.asset} only`, values: r.series.btcOnly, dashed: true },
      ],
      format: (v) => (Math.abs(v) >= 1e6 ? `$${(v / 1e6).toFixed(2)}M` : `$${Math.round(v / 1e3)}k`),
    }),
    lineChart({
      title: "Weights (net exposure / value), stacked",
      dates: d,
      stacked: true,
      series: Object.entries(r.series.weights).map(([name, values]) => ({ name, values })),
      format: pctFmt,
      yMin: 0,
    }),
    lineChart({
      title: "Risk contributions (share of portfolio variance)",
      dates: d,
      series: Object.entries(r.series.riskContributions).map(([name, values]) => ({ name, values })),
      format: pctFmt,
      yMin: 0,
      yMax: 1,
    }),
    lineChart({
      title: "Leverage (gross exposure / value)",
      dates: d,
      series: [{ name: "leverage", values: r.series.leverage }],
      format: (v) => `${v.toFixed(2)}x`,
      yMin: 0,
    }),
    lineChart({
      title: "Drawdown",
      dates: d,
      series: [{ name: "vault", values: r.series.drawdown, color: "#d62728" }],
      format: pctFmt,
      yMax: 0,
      yMin: Math.min(-0.05, ...r.series.drawdown),
    }),
  ];
  const op = r.series.options;
  if (op) {
    const money = (v: number): string =>
      Math.abs(v) >= 1e6
        ? `$${(v / 1e6).toFixed(2)}M`
        : Math.abs(v) >= 1e3
          ? `$${(v / 1e3).toFixed(1)}k`
          : `$${v.toFixed(0)}`;
    charts.push(
      lineChart({
        title: "Put overlay: cumulative premium spent and the book at the bid (USD)",
        dates: d,
        series: [
          { name: "premium spent", values: op.premiumSpent, color: "#d62728" },
          { name: "book value", values: op.bookValue, color: "#2ca02c" },
        ],
        format: money,
        yMin: 0,
      }),
      lineChart({
        title: "Option book Greeks: dollar delta and dollar gamma per 1 % (USD)",
        dates: d,
        series: [
          { name: "dollar delta", values: op.dollarDelta },
          { name: "dollar gamma / 1%", values: op.dollarGamma },
        ],
        format: money,
      }),
      lineChart({
        title: "Option book Greeks: vega (USD per vol point) and theta (USD per day)",
        dates: d,
        series: [
          { name: "vega", values: op.vega },
          { name: "theta", values: op.theta },
        ],
        format: money,
      }),
    );
  }
  const rows = summaryRows(r)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join("");
  const counts = new Map<string, number>();
  for (const e of r.events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const notable = r.events.filter((e) => e.kind !== "skip" && e.kind !== "wait").slice(-40);
  const events = notable
    .map(
      (e) =>
        `<tr><td>${esc(e.date)}</td><td>${esc(e.kind)}</td><td>${e.gasUsed ?? ""}</td><td>${esc(e.detail.slice(0, 160))}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Risk-parity vault demo ${esc(r.config.startDate)}..${esc(r.config.endDate)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:920px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}.sub{color:#666;margin-bottom:16px}
table{border-collapse:collapse;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{font-weight:600}.sum th{width:46%}svg{display:block;margin:10px 0;background:#fcfcfc;border:1px solid #eee}
.ct{font-size:13px;font-weight:600;fill:#222}.yl{font-size:11px;fill:#555;text-anchor:end}.xl{font-size:11px;fill:#555}
.lg{font-size:11px;fill:#333}.grid{stroke:#e6e6e6;stroke-width:1}.ev td{font-size:12px}.ev td:first-child{white-space:nowrap}code{background:#f3f3f3;padding:1px 4px}
</style></head><body>
<h1>Risk-parity vault: one-command demo</h1>
<div class="sub">${esc(r.config.source)} &middot; rebalance every ${r.config.rebalanceEveryDays} days after a ${r.config.warmupDays}-day warm-up &middot; options overlay ${r.config.options ? "on" : "off"} &middot; ${esc(r.config.chain)} &middot; generated ${esc(r.createdAt)}</div>
<h2>Summary</h2><table class="sum">${rows}</table>
<h2>Charts</h2>${charts.join("\n")}
<h2>Keeper events</h2><p>${[...counts.entries()].map(([k, v]) => `${esc(k)}: ${v}`).join(" &middot; ")} (last ${notable.length} non-idle events below)</p>
<table class="ev"><tr><th>date</th><th>kind</th><th>gas</th><th>detail</th></tr>${events}</table>
<p class="sub">Reproduce: <code>${esc(r.command)}</code>. Numbers in <code>report.json</code>.</p>
</body></html>
`;
}

/** Validates and writes report.json and report.html into `dir`; returns their paths. */
export async function writeReport(dir: string, r: DemoReport): Promise<{ json: string; html: string }> {
  const checked = DemoReportSchema.parse(r);
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, "report.json");
  const html = path.join(dir, "report.html");
  await writeFile(json, JSON.stringify(checked, null, 2) + "\n");
  await writeFile(html, renderHtml(checked));
  return { json, html };
}
