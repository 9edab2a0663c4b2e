import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DemoReportSchema,
  lineChart,
  renderHtml,
  summaryTable,
  writeReport,
  type DemoReport,
} from "../../../scripts/demo/report.ts";

function sample(): DemoReport {
  const dates = ["2024-01-01", "2024-01-02", "2024-01-03"];
  const perf = { totalReturn: 0.1, annualisedReturn: 0.2, volatility: 0.3, maxDrawdown: 0.05 };
  return {
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    command: "node scripts/demo.ts --days 3",
    wallTimeSeconds: 1.5,
    config: {
      source: "test",
      assets: ["WETH", "WBTC"],
      days: 3,
      startDate: dates[0] as string,
      endDate: dates[2] as string,
      rebalanceEveryDays: 1,
      warmupDays: 0,
      volTarget: 0.15,
      depositUsd: 1000,
      options: false,
      seed: 1,
      chain: "test chain",
    },
    summary: {
      vault: perf,
      volTarget: 0.15,
      meanRiskContributionDispersion: 0.1,
      finalRiskContributionDispersion: null,
      turnover: 0.5,
      tradedValueUsd: 500,
      keeperCycles: 3,
      rebalances: 2,
      guardRejections: 1,
      deleverages: 0,
      gasSpent: 123456,
      meanLeverage: 0.9,
      maxLeverage: 1.1,
      benchmarks: { equalWeight: perf, btcOnly: { ...perf, asset: "WBTC" } },
    },
    series: {
      dates,
      nav: [1000, 1010, 990],
      equalWeight: [1000, 1020, 980],
      btcOnly: [1000, 1030, 970],
      leverage: [0, 0.9, 1.0],
      drawdown: [0, 0, -0.0198],
      weights: { WETH: [0, 0.45, 0.5], WBTC: [0, 0.45, 0.5] },
      riskContributions: { WETH: [null, 0.5, 0.5], WBTC: [null, 0.5, 0.5] },
    },
    events: [
      { date: "2024-01-02", kind: "rebalance", detail: "2 trade(s)", gasUsed: 300000, tradedValueUsd: 500 },
    ],
  };
}

describe("demo report", () => {
  it("writes report.json that round-trips through the schema, with every summary figure", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "report-"));
    try {
      const files = await writeReport(dir, sample());
      const json: unknown = JSON.parse(await readFile(files.json, "utf8"));
      const parsed = DemoReportSchema.parse(json);
      expect(parsed).to.deep.equal(sample());
      for (const k of [
        "vault",
        "volTarget",
        "maxLeverage",
        "turnover",
        "rebalances",
        "guardRejections",
        "deleverages",
        "gasSpent",
        "meanRiskContributionDispersion",
        "benchmarks",
      ]) {
        expect(parsed.summary).to.have.property(k);
      }
      const html = await readFile(files.html, "utf8");
      expect(html).to.match(/^<!doctype html>/);
      expect((html.match(/<svg /g) ?? []).length).to.equal(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a report that breaks the shape", async () => {
    const bad = { ...sample(), summary: { ...sample().summary, rebalances: -1 } };
    expect(() => DemoReportSchema.parse(bad)).to.throw();
    const missing: Record<string, unknown> = { ...sample() };
    delete missing.series;
    expect(() => DemoReportSchema.parse(missing)).to.throw();
    await expectReject(writeReport(path.join(tmpdir(), "never-written"), bad as DemoReport));
  });

  it("is self-contained: no external scripts, stylesheets, images or fonts, and escapes text", () => {
    const r = sample();
    r.config.source = `<script>alert("x")</script>`;
    const html = renderHtml(r);
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.match(/<link|<img|@import|url\(/i);
    expect(html).to.not.match(/(src|href)=["']?https?:/i);
    expect(html).to.contain("&lt;script&gt;");
    expect(summaryTable(r)).to.contain("Guard rejections");
  });

  it("draws a gap in a line where a value is missing", () => {
    const svg = lineChart({
      title: "t",
      dates: ["a", "b", "c", "d"],
      series: [{ name: "s", values: [1, null, 2, 3] }],
      format: String,
    });
    const d = /<path d="([^"]+)"/.exec(svg)?.[1] ?? "";
    expect((d.match(/M/g) ?? []).length).to.equal(2);
  });
});

async function expectReject(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch {
    return;
  }
  expect.fail("expected a rejection");
}
