import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DemoReportSchema } from "../../scripts/demo/report.ts";

/** |actual - expected| <= tol (chai's closeTo is replaced by hardhat's bigint matcher when both run together). */
function near(actual: number | undefined, expected: number, tol: number, what = ""): void {
  expect(actual, what).to.be.a("number");
  expect(Math.abs((actual as number) - expected), `${what} ${actual} vs ${expected}`).to.be.at.most(tol);
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The same Node that runs the tests (Node >= 22, type stripping).
    const child = spawn(process.execPath, ["scripts/demo.ts", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run demo (short run, end to end)", function () {
  this.timeout(240_000);

  it("replays a short generated path and writes a report that matches the schema", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "demo-"));
    try {
      const r = await run(["--days", "30", "--warmup", "22", "--every", "4", "--out", out, "--no-options"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.not.match(/option venue/);
      expect(r.stdout).to.contain("Guard rejections");
      expect(r.stdout).to.contain(path.join(out, "report.html"));
      const report = DemoReportSchema.parse(
        JSON.parse(await readFile(path.join(out, "report.json"), "utf8")),
      );
      expect(report.series.dates).to.have.length(30);
      expect(report.config.options).to.equal(false);
      expect(report.summary.options).to.equal(undefined);
      expect(report.series.options).to.equal(undefined);
      expect(report.series.nav).to.have.length(30);
      expect(report.summary.keeperCycles).to.equal(2); // days 22 and 26 (the keeper needs 20 returns)
      near(report.series.nav[0], 1_000_000, 1_000);
      expect(report.config.chain).to.match(/HTTP JSON-RPC/);
      // The production keeper rebalanced the real vault through the swap adapter.
      expect(report.summary.rebalances, JSON.stringify(report.events)).to.be.greaterThan(0);
      expect(report.summary.gasSpent).to.be.greaterThan(0);
      expect(report.summary.tradedValueUsd).to.be.greaterThan(0);
      const lastWeights = Object.values(report.series.weights).map((w) => w[w.length - 1] as number);
      expect(lastWeights.some((w) => w > 0)).to.equal(true);
      expect(report.series.leverage[29]).to.be.greaterThan(0);
      const html = await readFile(path.join(out, "report.html"), "utf8");
      expect(html).to.contain("<svg");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("with options (the default): deploys venue + adapter, the keeper buys puts, Greeks and premium are reported", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "demo-opt-"));
    try {
      const r = await run(["--days", "30", "--warmup", "22", "--every", "4", "--out", out]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.match(/option venue 0x[0-9a-fA-F]{40} .*adapter 0x[0-9a-fA-F]{40} registered/);
      expect(r.stdout).to.contain("Put overlay: premium spent");
      const report = DemoReportSchema.parse(
        JSON.parse(await readFile(path.join(out, "report.json"), "utf8")),
      );
      expect(report.config.options).to.equal(true);
      const s = report.summary.options!;
      const o = report.series.options!;
      expect(s.orders, JSON.stringify(report.events)).to.be.greaterThan(0);
      expect(s.premiumSpentUsd).to.be.greaterThan(0);
      // the overlay's premium stays inside the adapter's 300 bps budget of the vault's value
      expect(s.premiumSpentUsd).to.be.at.most(0.03 * 1_000_000 * 1.01);
      for (const k of ["premiumSpent", "bookValue", "dollarDelta", "dollarGamma", "vega", "theta"] as const)
        expect(o[k], k).to.have.length(30);
      // cumulative premium never decreases and ends at the summary's figure
      for (let t = 1; t < 30; t++) expect(o.premiumSpent[t]! >= o.premiumSpent[t - 1]!).to.equal(true);
      near(o.premiumSpent[29], s.premiumSpentUsd, 1e-6);
      // nothing held before the first keeper day; protective puts after: negative delta, positive vega
      expect(o.bookValue[21]).to.equal(0);
      expect(o.dollarDelta[29]! < 0).to.equal(true);
      expect(o.vega[29]! > 0).to.equal(true);
      expect(o.bookValue[29]! > 0).to.equal(true);
      expect(
        report.events.some((e) => e.kind === "options" && /option order\(s\) confirmed/.test(e.detail)),
      ).to.equal(true);
      const html = await readFile(path.join(out, "report.html"), "utf8");
      expect(html).to.contain("Put overlay: cumulative premium spent");
      expect(html).to.contain("Option book Greeks");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("with options over one tenor: the keeper settles the expired puts on their expiry day and buys the next ones", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "demo-settle-"));
    try {
      // keeper days 22, 29, ..., 64: the six-week puts bought on day 22 expire on day 64
      const r = await run(["--days", "66", "--warmup", "22", "--every", "7", "--out", out]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/Put overlay: settlements \/ payouts collected +\| [1-9]\d* \//);
      const report = DemoReportSchema.parse(
        JSON.parse(await readFile(path.join(out, "report.json"), "utf8")),
      );
      const s = report.summary.options!;
      expect(s.settlements, JSON.stringify(report.events)).to.be.greaterThan(0);
      const day64 = report.series.dates[64]!;
      const ev = report.events.filter((e) => e.kind === "options" && e.date === day64);
      expect(ev.map((e) => e.detail).join(" ")).to.match(/expired series settled.*settle .*EXPIRED.*open /);
      // protected again after the settlement: a live book with negative delta
      expect(report.series.options!.dollarDelta[65]! < 0).to.equal(true);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("fails with a clear message on a bad price folder", async () => {
    const r = await run(["--prices", path.join(tmpdir(), "no-such-price-folder")]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/demo failed: cannot read price folder/);
  });
});
