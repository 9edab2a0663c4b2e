/**
 * One-command demo: `npm run demo` (= `node scripts/demo.ts`).
 *
 * Starts an in-process Hardhat chain served over HTTP JSON-RPC on a free loopback port, deploys
 * the local world with Ignition (tokens, feeds, Uniswap V3 pools with liquidity, the vault and
 * its roles), deposits, then replays a daily price path: each day the clock moves, the feeds
 * publish a round, arbitrage brings every pool back to the oracle price, and on its schedule the
 * keeper runs one cycle against the HTTP endpoint, as in production. At the end: a summary table,
 * `report.json` and a self-contained `report.html` in the folder it prints.
 *
 *   node scripts/demo.ts [--prices <folder>] [--days N] [--every N] [--no-options] [--out <dir>]
 */
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import hre from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { mnemonicToAccount } from "viem/accounts";
import { localWorldFor } from "../deploy/parameters.ts";
import { deployLocalWorld, type LocalWorld } from "../deploy/world.ts";
import { DEFAULT_ASSETS, generatePath } from "../keeper/sim/generate.ts";
import { listPriceSymbols, loadPriceFolder } from "../keeper/shell/priceFolder.ts";
import {
  annualisedReturn,
  annualisedVolatility,
  constantMixBenchmark,
  dispersion,
  drawdownSeries,
  maxDrawdown,
  riskContributionsAt,
  totalReturn,
} from "../keeper/sim/metrics.ts";
import { daysBetween, type PricePath } from "../keeper/sim/path.ts";
import { depositUsd, LocalMarket, startRpcBridge } from "./demo/chain.ts";
import { createKeeperDriver, type KeeperDriver } from "./demo/keeper.ts";
import { deployDemoOptions, type DemoOptions } from "./demo/options.ts";
import { createProgress } from "./demo/progress.ts";
import { summaryTable, writeReport, type DemoReport } from "./demo/report.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
/** Annualised volatility of daily log returns over the last `window` days up to day t (null if < 5 returns). */
function realisedVol(p: PricePath, i: number, t: number, window = 60): number | null {
  const r: number[] = [];
  for (let k = Math.max(1, t - window + 1); k <= t; k++) {
    const a = (p.prices[k - 1] as number[])[i] as number;
    const b = (p.prices[k] as number[])[i] as number;
    const dt = daysBetween(p.dates[k - 1] as string, p.dates[k] as string);
    if (a > 0 && b > 0 && dt > 0) r.push(Math.log(b / a) / Math.sqrt(dt));
  }
  if (r.length < 5) return null;
  const m = r.reduce((s, x) => s + x, 0) / r.length;
  const v = r.reduce((s, x) => s + (x - m) ** 2, 0) / (r.length - 1);
  return Math.sqrt(v * 365);
}

/** Real-data symbols -> local token symbols. */
const TOKEN_FOR: Record<string, string> = { BTC: "WBTC", ETH: "WETH" };
const PREFERRED = ["BTC", "ETH", "LINK", "UNI"];

const int =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
const nonNegInt =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };

interface Options {
  prices?: string;
  days: number;
  every: number;
  warmup: number;
  seed: number;
  deposit: number;
  volTarget: number;
  from?: string;
  assets?: string;
  options: boolean;
  out?: string;
}

function parseArgs(argv: string[]): Options {
  const program = new Command()
    .name("demo")
    .description("Deploy a local world, replay a price path day by day with the keeper, write a report.")
    .option(
      "--prices <folder>",
      "folder of daily price CSVs (date,value | None,code,date,value | Date,TRDPRC_1); default: a generated path",
    )
    .option("--days <n>", "days to replay", int("--days"), 400)
    .option("--every <n>", "keeper schedule: one cycle every n days", int("--every"), 7)
    .option("--warmup <n>", "days of price history before the first keeper cycle", nonNegInt("--warmup"), 30)
    .option("--seed <n>", "seed of the generated path", nonNegInt("--seed"), 23)
    .option("--deposit <usd>", "USD deposited into the vault at the start", int("--deposit"), 1_000_000)
    .option("--vol-target <x>", "keeper volatility target (annualised)", (v: string) => Number(v), 0.15)
    .option("--from <date>", "with --prices: first date (YYYY-MM-DD); default: the last --days days")
    .option(
      "--assets <list>",
      "with --prices: comma-separated symbols (file names), default BTC,ETH,LINK,UNI when present",
    )
    .option("--no-options", "run without the put overlay")
    .option("--out <dir>", "output folder (default reports/<timestamp>/)")
    .showHelpAfterError();
  program.parse(argv);
  return program.opts<Options>();
}

async function loadPath(o: Options): Promise<{ path: PricePath; seed: number | null }> {
  if (o.prices === undefined) {
    return { path: generatePath({ assets: DEFAULT_ASSETS, days: o.days, seed: o.seed }), seed: o.seed };
  }
  let symbols: string[];
  if (o.assets !== undefined) symbols = o.assets.split(",").map((s) => s.trim().toUpperCase());
  else {
    const available = await listPriceSymbols(o.prices);
    const preferred = PREFERRED.filter((s) => available.includes(s));
    symbols = preferred.length >= 2 ? preferred : available;
  }
  let p = await loadPriceFolder(o.prices, { symbols, ...(o.from === undefined ? {} : { from: o.from }) });
  if (p.dates.length > o.days) {
    const start = o.from === undefined ? p.dates.length - o.days : 0;
    p = { ...p, dates: p.dates.slice(start, start + o.days), prices: p.prices.slice(start, start + o.days) };
  }
  return { path: { ...p, symbols: p.symbols.map((s) => TOKEN_FOR[s] ?? s) }, seed: null };
}

async function main(): Promise<void> {
  const started = Date.now();
  const o = parseArgs(process.argv);
  const { path: pricePath, seed } = await loadPath(o);
  const n = pricePath.dates.length;
  const A = pricePath.symbols.length;
  const outDir = path.resolve(
    o.out ?? path.join(import.meta.dirname, "..", "reports", new Date().toISOString().replace(/[:.]/g, "-")),
  );
  await mkdir(outDir, { recursive: true });
  // Every run starts a fresh chain: journal and keeper database of an earlier run in this folder
  // describe a chain that no longer exists.
  for (const stale of ["ignition", "keeper.sqlite", "keeper.sqlite-wal", "keeper.sqlite-shm", "keeper.log"]) {
    await rm(path.join(outDir, stale), { recursive: true, force: true });
  }
  process.stderr.write(
    `demo: ${pricePath.source}: ${A} assets (${pricePath.symbols.join(", ")}), ${n} days ${pricePath.dates[0]}..${pricePath.dates[n - 1]}\n`,
  );

  // Chain: compile if needed, an in-process EDR network, served over HTTP for the keeper.
  await hre.tasks.getTask("build").run({ quiet: true });
  const conn = await hre.network.create();
  const provider = conn.provider as unknown as EIP1193Provider;
  const bridge = await startRpcBridge(conn.provider);
  process.stderr.write(`demo: local chain at ${bridge.url} (in-process Hardhat EDR)\n`);

  const keeperAccount = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 1 });
  const guardian = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 2 }).address;
  const depositor = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 3 }).address;
  const params = localWorldFor(
    pricePath.symbols.map((symbol, i) => ({
      symbol,
      initialPrice: (pricePath.prices[0] as number[])[i] as number,
    })),
  );
  const tDeploy = Date.now();
  const world = await deployLocalWorld({
    provider,
    artifactResolver: new HardhatArtifactResolver(hre.artifacts),
    parameters: params,
    deploymentDir: path.join(outDir, "ignition"),
    roles: { keeper: keeperAccount.address, guardian },
  });
  const vaultAddress = (world.vault as NonNullable<LocalWorld["vault"]>).vault;
  process.stderr.write(
    `demo: world deployed in ${((Date.now() - tDeploy) / 1000).toFixed(1)} s (vault ${vaultAddress}); journal in ${path.join(outDir, "ignition")}\n`,
  );

  const market = new LocalMarket(world, conn.provider, params.feedDecimals);
  await market.setupArbitrageur();

  const keeperLog = createWriteStream(path.join(outDir, "keeper.log"));
  await depositUsd(world, provider, depositor, o.deposit);
  let opts: DemoOptions | undefined;
  if (o.options) {
    const tOpt = Date.now();
    opts = await deployDemoOptions(conn.ethers, world, {
      curator: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 4 }).address,
      lp: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 5 }).address,
      lpUsd: o.deposit * 20,
      capUsd: o.deposit * 2,
      feedDecimals: params.feedDecimals,
      initialVols: pricePath.symbols.map(
        (_, i) => realisedVol(pricePath, i, Math.min(o.warmup, n - 1)) ?? 0.6,
      ),
    });
    process.stderr.write(
      `demo: option venue ${opts.venue} (LP $${(o.deposit * 20).toLocaleString("en-US")}), adapter ${opts.adapter} registered in ${((Date.now() - tOpt) / 1000).toFixed(1)} s\n`,
    );
  }
  const driver: KeeperDriver = await createKeeperDriver({
    world,
    rpcUrl: bridge.url,
    privateKey: keeperAccount,
    database: path.join(outDir, "keeper.sqlite"),
    log: keeperLog,
    volTarget: o.volTarget,
    historyDays: Math.max(30, Math.min(365, o.warmup + 60)),
    provider: conn.provider,
    symbols: pricePath.symbols,
    ...(opts
      ? { options: { adapter: opts.adapter, venue: opts.venue, volatilityOracle: opts.volatilityOracle } }
      : {}),
  });
  process.stderr.write(`demo: keeper: ${driver.label}\n`);

  // Replay.
  const nav: number[] = [];
  const leverage: number[] = [];
  const weights: number[][] = pricePath.symbols.map(() => []);
  const rcs: (number | null)[][] = pricePath.symbols.map(() => []);
  const events: DemoReport["events"] = [];
  let cycles = 0;
  let rebalances = 0;
  let rejections = 0;
  let deleverages = 0;
  let gas = 0;
  let traded = 0;
  const dispersions: number[] = [];
  const optSeries = {
    premiumSpent: [] as number[],
    bookValue: [] as number[],
    dollarDelta: [] as number[],
    dollarGamma: [] as number[],
    vega: [] as number[],
    theta: [] as number[],
  };
  const optTotals = {
    premiumSpentUsd: 0,
    proceedsUsd: 0,
    orders: 0,
    gasSpent: 0,
    finalBookValueUsd: 0,
    settlements: 0,
    payoutsCollectedUsd: 0,
  };
  const progress = createProgress(n);
  for (let t = 0; t < n; t++) {
    const date = pricePath.dates[t] as string;
    const prices = pricePath.prices[t] as number[];
    if (t > 0) await market.advance(daysBetween(pricePath.dates[t - 1] as string, date) * 86_400);
    await market.updateFeeds(prices);
    await market.arbitrage(prices);
    // The keeper rebalances on its schedule; like a production keeper (one check per block) it
    // also acts on any day the vault reports a deleverage as due.
    const scheduled = t >= o.warmup && (t - o.warmup) % o.every === 0;
    // The volatility setter publishes realised volatility weekly and on keeper days (the oracle
    // refuses values older than 30 days, and the adapter's valuation needs a fresh one).
    if (opts && (scheduled || t % 7 === 0))
      for (let i = 0; i < A; i++) {
        const vol = realisedVol(pricePath, i, t);
        if (vol !== null) await opts.setVolatility(i, vol);
      }
    if (scheduled || (t >= o.warmup && (await driver.deleverageDue()))) {
      const r = await driver.cycle();
      cycles++;
      rejections += r.rejections;
      if (r.kind === "rebalance") rebalances++;
      if (r.kind === "deleverage") deleverages++;
      gas += r.gasUsed ?? 0;
      traded += r.tradedValueUsd ?? 0;
      events.push({
        date,
        kind: r.kind,
        detail: r.detail,
        ...(r.gasUsed === undefined ? {} : { gasUsed: r.gasUsed }),
        ...(r.tradedValueUsd === undefined ? {} : { tradedValueUsd: r.tradedValueUsd }),
      });
      if (r.options) {
        optTotals.premiumSpentUsd += r.options.premiumUsd;
        optTotals.proceedsUsd += r.options.proceedsUsd;
        optTotals.orders += r.options.orders;
        optTotals.gasSpent += r.options.gasUsed;
        optTotals.settlements += r.options.settlements;
        optTotals.payoutsCollectedUsd += r.options.payoutsUsd;
        if (r.options.orders > 0 || r.options.settlements > 0 || !/^no option orders/.test(r.options.detail))
          events.push({
            date,
            kind: "options",
            detail: r.options.detail,
            ...(r.options.gasUsed > 0 ? { gasUsed: r.options.gasUsed } : {}),
          });
      }
    }
    let optionDeltas: number[] | undefined;
    if (opts) {
      const book = await driver.optionBook();
      optionDeltas = book?.dollarDeltas;
      optSeries.premiumSpent.push(optTotals.premiumSpentUsd);
      optSeries.bookValue.push(book?.value ?? 0);
      optSeries.dollarDelta.push(book?.dollarDelta ?? 0);
      optSeries.dollarGamma.push(book?.dollarGamma ?? 0);
      optSeries.vega.push(book?.vega ?? 0);
      optSeries.theta.push(book?.theta ?? 0);
      optTotals.finalBookValueUsd = book?.value ?? 0;
    }
    const { value, balances } = await driver.holdings();
    nav.push(value);
    const w = balances.map((b, i) => (value > 0 ? (b * (prices[i] as number)) / value : 0));
    w.forEach((x, i) => (weights[i] as number[]).push(x));
    // Exposure as the vault and the keeper define it: spot plus the options' dollar delta per asset
    // (LeverageLib; the delta hedge keeps this net exposure on the risk-parity target).
    const net = w.map((x, i) => x + (value > 0 && optionDeltas ? (optionDeltas[i] ?? 0) / value : 0));
    leverage.push(net.reduce((s, x) => s + Math.abs(x), 0));
    const rc = net.some((x) => x > 0) ? riskContributionsAt(pricePath, t, net) : undefined;
    pricePath.symbols.forEach((_, i) =>
      (rcs[i] as (number | null)[]).push(rc === undefined ? null : (rc[i] as number)),
    );
    if (rc !== undefined && t >= o.warmup) dispersions.push(dispersion(rc));
    progress.update(
      t + 1,
      `${date} value $${Math.round(value).toLocaleString("en-US")} lev ${(leverage[t] as number).toFixed(2)}x`,
    );
  }
  progress.finish(`replayed ${n} days`);
  await driver.close();
  keeperLog.end();
  await bridge.close();

  // Benchmarks and summary.
  const initial = nav[0] as number;
  const equalWeight = constantMixBenchmark(
    pricePath,
    pricePath.symbols.map(() => 1 / A),
    o.every,
    initial,
  );
  const btcIdx = Math.max(0, pricePath.symbols.indexOf("WBTC"));
  const btcOnly = constantMixBenchmark(
    pricePath,
    pricePath.symbols.map((_, i) => (i === btcIdx ? 1 : 0)),
    o.every,
    initial,
  );
  const calendarDays = daysBetween(pricePath.dates[0] as string, pricePath.dates[n - 1] as string);
  const perf = (v: number[]) => ({
    totalReturn: totalReturn(v),
    annualisedReturn: annualisedReturn(v, calendarDays),
    volatility: annualisedVolatility(v, pricePath.dates),
    maxDrawdown: maxDrawdown(v),
  });
  const meanNav = nav.reduce((s, x) => s + x, 0) / n;
  const invested = leverage.slice(o.warmup);
  const report: DemoReport = {
    version: 1,
    createdAt: new Date().toISOString(),
    command: ["node", "scripts/demo.ts", ...process.argv.slice(2)].join(" "),
    wallTimeSeconds: (Date.now() - started) / 1000,
    config: {
      source: pricePath.source,
      assets: pricePath.symbols,
      days: n,
      startDate: pricePath.dates[0] as string,
      endDate: pricePath.dates[n - 1] as string,
      rebalanceEveryDays: o.every,
      warmupDays: o.warmup,
      volTarget: o.volTarget,
      depositUsd: o.deposit,
      options: opts !== undefined,
      seed,
      chain: `in-process Hardhat EDR (chain ${world.chainId}) over HTTP JSON-RPC; keeper: ${driver.label}`,
    },
    summary: {
      vault: perf(nav),
      volTarget: o.volTarget,
      meanRiskContributionDispersion: dispersions.length
        ? dispersions.reduce((s, x) => s + x, 0) / dispersions.length
        : null,
      finalRiskContributionDispersion: dispersions.length
        ? (dispersions[dispersions.length - 1] as number)
        : null,
      turnover: meanNav > 0 ? traded / meanNav : 0,
      tradedValueUsd: traded,
      keeperCycles: cycles,
      rebalances,
      guardRejections: rejections,
      deleverages,
      gasSpent: gas,
      meanLeverage: invested.length ? invested.reduce((s, x) => s + x, 0) / invested.length : 0,
      maxLeverage: leverage.length ? Math.max(...leverage) : 0,
      benchmarks: {
        equalWeight: perf(equalWeight),
        btcOnly: { ...perf(btcOnly), asset: pricePath.symbols[btcIdx] as string },
      },
      ...(opts ? { options: optTotals } : {}),
    },
    series: {
      dates: pricePath.dates,
      nav,
      equalWeight,
      btcOnly,
      leverage,
      drawdown: drawdownSeries(nav),
      weights: Object.fromEntries(pricePath.symbols.map((s, i) => [s, weights[i] as number[]])),
      riskContributions: Object.fromEntries(
        pricePath.symbols.map((s, i) => [s, rcs[i] as (number | null)[]]),
      ),
      ...(opts ? { options: optSeries } : {}),
    },
    events,
  };
  const files = await writeReport(outDir, report);
  process.stdout.write(`\n${summaryTable(report)}\n\nreport: ${files.html}\n        ${files.json}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    const detail =
      e instanceof Error ? (process.env.DEMO_DEBUG ? (e.stack ?? e.message) : e.message) : String(e);
    process.stderr.write(`\ndemo failed: ${detail}\n`);
    process.exit(1);
  },
);
