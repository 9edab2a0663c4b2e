/**
 * Keeper cycle latency: from "a new block exists" to "the rebalance transaction is broadcast",
 * for 4 and 16 risk assets, against the real local world on a separate `hardhat node` process on
 * 127.0.0.1: RiskParityVault, Uniswap V3 pools with liquidity and the UniswapV3SwapAdapter,
 * deployed with Ignition exactly as `npm run deploy:local` and the demo deploy them.
 *
 *   npx node scripts/bench-keeper.ts [--samples 30] [--warmup 3] [--assets 4,16] [--days 90] [--no-baseline]
 *
 * (`npm run bench:keeper` = `--samples 30 --assets 4,16`; compiles first if needed.)
 *
 * Setup per asset count (not timed): deploy the world for N risk assets (`localWorldFor`,
 * `deployLocalWorld`, keeper and guardian roles on dev accounts 1 and 2), publish a seeded daily
 * price path (`generatePath`, no crash) into the feeds one day at a time as the demo does
 * (`LocalMarket.advance` + `updateFeeds`), arbitrage every pool to the last price, and deposit
 * 1 million USDC (`depositUsd`): the vault holds only USDC, far from its target, so the keeper
 * has a real rebalance to plan (one buy per risk asset), simulate (eth_call and eth_estimateGas
 * of the real vault's `rebalance`: guards, oracle reads, Uniswap swaps through the adapter) and
 * send. The keeper is the production service (`buildApp`) with the demo's config
 * (`localKeeperConfig`), 90 days of history.
 *
 * Per sample: `evm_snapshot`; a dry-run cycle at the current block (timed separately: the plan
 * part); automine off; `evm_mine`, t0 when the node has answered; the keeper runs one full cycle
 * pinned to that block (journal reconcile, bounds + deleverage flag, Chainlink history (older
 * rounds from the SQLite cache, recent ones re-read), EWMA covariance, risk parity, vol target,
 * planRebalance, plan saved, eth_call simulation + gas estimate + fees, intent journaled, local
 * signing, attempt journaled, eth_sendRawTransaction); t1 when the node has accepted the raw
 * transaction into its pool (automine is off, so the node does not mine inside
 * eth_sendRawTransaction). Then the script mines the block, the keeper confirms it, the script
 * checks the receipt status and that the vault now holds every token the keeper bought, and
 * reverts to the snapshot (`evm_revert`), restoring the keeper account's nonce
 * (`hardhat_setNonce`) so that the keeper's own nonce counter stays right. Every sample therefore
 * starts from the same vault, pools and feeds and measures the same rebalance; the keeper's
 * SQLite store (history cache, journal) is not reverted, as in a long-running keeper.
 *
 * Also printed, per row: the median time from t0 to "intent journaled" (the sender's
 * `afterIntent` hook: everything before signing, i.e. plan + simulation + gas estimate + fees),
 * the dry-run cycle, and, measured after each sample outside the timed window, the node's own
 * time to answer eth_call and eth_estimateGas for the transaction the keeper sent, at the block
 * it simulated against. Each sample must send; a sample counts as failed when the transaction
 * is not confirmed, its receipt status is not 1, or the vault does not hold every risk token
 * afterwards; the script exits 1 when any sample failed.
 *
 * Excluded: new-block detection (`run` polls eth_blockNumber every pollIntervalMs: add up to
 * that interval plus one round trip) and mining/confirmation. With the baseline (default on),
 * the same samples also run against MockRiskParityVault + TestAggregator feeds
 * (scripts/lib/keeperWorld.ts), whose `rebalance` only checks nonce, deadline and caps: the
 * ratio shows what simulating the real vault and its swaps adds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import hre from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { createPublicClient, getAddress, http, parseAbi, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { localWorldFor } from "../deploy/parameters.ts";
import { deployLocalWorld } from "../deploy/world.ts";
import { buildApp, type App } from "../keeper/shell/app.ts";
import { parseConfig } from "../keeper/shell/config.ts";
import { DEFAULT_ASSETS, generatePath, type GeneratedAsset } from "../keeper/sim/generate.ts";
import { depositUsd, LocalMarket } from "./demo/chain.ts";
import { localKeeperConfig } from "./demo/keeper.ts";
import { deployKeeperWorld, worldConfig } from "./lib/keeperWorld.ts";

const HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Dev account 1: the keeper role in the world, and the keeper's signing key. */
const HARDHAT_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const KEEPER = privateKeyToAccount(HARDHAT_KEY_1).address;
const CHAIN_ID = 31337;
const DAY = 86_400;
const DEPOSIT_USD = 1_000_000;
const SEED = 11;
const TRACKED_ABI = parseAbi(["function trackedBalance(address token) view returns (uint256)"]);

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const j = (await r.json()) as { result?: unknown; error?: { message: string } };
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}

async function startNode(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ["node_modules/hardhat/dist/src/cli.js", "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error("hardhat node exited");
    try {
      await rpc(url, "eth_chainId");
      return { url, proc };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  proc.kill();
  throw new Error("hardhat node did not start in 60 s");
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The demo's four assets, then invented ones (prices 2..450 USD, volatility 50-80 %) up to `n`. */
function basket(n: number): GeneratedAsset[] {
  const prices = [2, 5, 12, 30, 75, 180, 450];
  return Array.from({ length: n }, (_, k) =>
    k < DEFAULT_ASSETS.length
      ? DEFAULT_ASSETS[k]!
      : {
          symbol: `RSK${k + 1}`,
          initialPrice: prices[k % prices.length]!,
          annualVol: 0.5 + 0.05 * (k % 7),
          annualDrift: 0.2,
        },
  );
}

const log = (msg: string): boolean => process.stderr.write(`bench-keeper: ${msg}\n`);

interface Bench {
  label: string;
  app: App;
  /** The vault's asset (USDC): trades paying it are buys. */
  asset: string;
  /** Whether the rebalance `txHash` succeeded on chain (and the vault now holds what it bought). */
  check(txHash: string, bought: readonly string[]): Promise<boolean>;
}

/** Deploys the real local world for `n` risk assets, writes `days` of feed history, deposits. */
async function realWorld(url: string, n: number, days: number): Promise<Bench> {
  const started = performance.now();
  const conn = await hre.network.create({ network: "localhost", override: { url } });
  try {
    const provider = conn.provider as unknown as EIP1193Provider;
    const accounts = ((await provider.request({ method: "eth_accounts" })) as string[]).map((a) =>
      getAddress(a),
    );
    if (accounts[1] !== KEEPER) throw new Error(`dev account 1 is ${accounts[1]}, expected ${KEEPER}`);
    const path = generatePath({ assets: basket(n), days, seed: SEED, crash: null });
    const first = path.prices[0]!;
    const last = path.prices[days - 1]!;
    const params = localWorldFor(path.symbols.map((symbol, i) => ({ symbol, initialPrice: first[i]! })));
    const world = await deployLocalWorld({
      provider,
      artifactResolver: new HardhatArtifactResolver(hre.artifacts),
      parameters: params,
      roles: { keeper: KEEPER, guardian: accounts[2]! },
    });
    const deployed = performance.now();
    const market = new LocalMarket(world, conn.provider, params.feedDecimals);
    await market.setupArbitrageur();
    for (let t = 0; t < days; t++) {
      if (t > 0) await market.advance(DAY);
      await market.updateFeeds(path.prices[t]!);
    }
    await market.arbitrage(last);
    await depositUsd(world, conn.provider, accounts[3]!, DEPOSIT_USD);
    log(
      `${n} assets: world deployed in ${((deployed - started) / 1000).toFixed(1)} s, ${days} days of feed history + deposit in ${((performance.now() - deployed) / 1000).toFixed(1)} s`,
    );
    const vault = world.vault!.vault;
    const cfg = parseConfig(
      localKeeperConfig({
        world,
        rpcUrl: url,
        database: join(mkdtempSync(join(tmpdir(), "keeper-bench-")), "keeper.sqlite"),
        volTarget: 0.15,
        historyDays: 90,
        logLevel: "silent",
      }),
    );
    const app = buildApp(cfg, { env: { KEEPER_PRIVATE_KEY: HARDHAT_KEY_1 } });
    const reader = createPublicClient({ transport: http(url) });
    const tracked = (token: Address): Promise<bigint> =>
      reader.readContract({
        address: vault,
        abi: TRACKED_ABI,
        functionName: "trackedBalance",
        args: [token],
      });
    return {
      label: "RiskParityVault + Uniswap V3",
      app,
      asset: world.asset.address,
      async check(txHash, bought) {
        const receipt = (await rpc(url, "eth_getTransactionReceipt", [txHash])) as { status: string } | null;
        if (receipt?.status !== "0x1" || bought.length === 0) return false;
        for (const t of bought) if ((await tracked(getAddress(t))) === 0n) return false;
        return true;
      },
    };
  } finally {
    await conn.close();
  }
}

/** The mock world of the previous version of this benchmark (baseline). */
async function mockWorld(url: string, n: number): Promise<Bench> {
  const b = (await rpc(url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  const world = await deployKeeperWorld({
    url,
    chainId: CHAIN_ID,
    deployerKey: HARDHAT_KEY_0,
    assets: n,
    now: Number(BigInt(b.timestamp)),
  });
  const cfg = parseConfig(
    worldConfig(world, {
      urls: [url],
      chainId: CHAIN_ID,
      database: join(mkdtempSync(join(tmpdir(), "keeper-bench-")), "keeper.sqlite"),
      extra: { logLevel: "silent", pollIntervalMs: 50 },
    }),
  );
  return {
    label: "MockRiskParityVault",
    asset: world.asset,
    app: buildApp(cfg, { env: { KEEPER_PRIVATE_KEY: HARDHAT_KEY_1 } }),
    async check(txHash) {
      const receipt = (await rpc(url, "eth_getTransactionReceipt", [txHash])) as { status: string } | null;
      return receipt?.status === "0x1";
    },
  };
}

interface Row {
  assets: number;
  label: string;
  trades: string;
  ok: number;
  failed: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  planMedian: number;
  /** Medians: t0 -> intent journaled (plan, simulation, gas estimate, fees); the node alone. */
  intentMedian: number;
  callMedian: number;
  estimateMedian: number;
  gas: string;
}

async function measure(url: string, n: number, b: Bench, samples: number, warmup: number): Promise<Row> {
  const sender = b.app.sender;
  if (!sender) throw new Error("no signer");
  const lat: number[] = [];
  const planLat: number[] = [];
  const intentLat: number[] = [];
  const callLat: number[] = [];
  const estimateLat: number[] = [];
  const trades = new Set<number>();
  const gas = new Set<string>();
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < warmup + samples; i++) {
    const snapshot = (await rpc(url, "evm_snapshot")) as string;
    const nonceBefore = (await rpc(url, "eth_getTransactionCount", [KEEPER, "latest"])) as string;
    // plan-only timing (dry run) at the current block, for the breakdown
    const p0 = performance.now();
    await b.app.service.cycle({ dryRun: true });
    const p1 = performance.now();
    let t1 = 0;
    let tIntent = 0;
    sender.hooks.afterIntent = () => {
      tIntent = performance.now();
    };
    let sent!: () => void;
    const broadcast = new Promise<void>((resolve) => (sent = resolve));
    sender.hooks.afterBroadcast = () => {
      t1 = performance.now();
      sent();
    };
    // automine off before the block: the node answers eth_sendRawTransaction when the transaction
    // is in its pool, not mined
    await rpc(url, "evm_setAutomine", [false]);
    await rpc(url, "evm_mine");
    const t0 = performance.now();
    const bn = BigInt((await rpc(url, "eth_blockNumber")) as string);
    const cycle = b.app.service.cycle({ blockNumber: bn });
    await Promise.race([broadcast, cycle]);
    await rpc(url, "evm_mine");
    await rpc(url, "evm_setAutomine", [true]);
    const r = await cycle;
    if (t1 === 0 || r.txHash === undefined)
      throw new Error(
        `${b.label}, ${n} assets, sample ${i}: nothing sent: ${r.action} ${r.outcome ?? ""} ${r.reason} ${r.error ?? ""}`,
      );
    const tradeDecisions = r.decisions.filter((d) => d.action === "trade");
    const bought = tradeDecisions
      .filter((d) => d.tokenIn.toLowerCase() === b.asset.toLowerCase())
      .map((d) => d.tokenOut);
    const success = r.outcome === "confirmed" && (await b.check(r.txHash, bought));
    // Diagnostics (not timed above): the node's own time for the keeper's eth_call and
    // eth_estimateGas of the same transaction, on the state the keeper simulated against.
    const tx = (await rpc(url, "eth_getTransactionByHash", [r.txHash])) as { to: string; input: string };
    const call = { from: KEEPER, to: tx.to, data: tx.input };
    const at = `0x${bn.toString(16)}`;
    const c0 = performance.now();
    await rpc(url, "eth_call", [call, at]);
    const c1 = performance.now();
    await rpc(url, "eth_estimateGas", [call, at]);
    const c2 = performance.now();
    const receipt = (await rpc(url, "eth_getTransactionReceipt", [r.txHash])) as { gasUsed: string } | null;
    const nonceAfter = (await rpc(url, "eth_getTransactionCount", [KEEPER, "latest"])) as string;
    await rpc(url, "evm_revert", [snapshot]);
    if (nonceAfter !== nonceBefore) await rpc(url, "hardhat_setNonce", [KEEPER, nonceAfter]);
    if (i === 0) {
      log(
        `${b.label}, ${n} assets: ${tradeDecisions.length} trades, $${Math.round(tradeDecisions.reduce((x, d) => x + d.value, 0)).toLocaleString("en-US")} in total; ${r.outcome ?? ""} ${r.reason}`,
      );
    }
    if (i < warmup) continue;
    if (success) ok++;
    else {
      failed++;
      log(`${b.label}, ${n} assets, sample ${i}: ${r.outcome ?? ""} ${r.reason} ${r.error ?? ""}`);
    }
    trades.add(tradeDecisions.length);
    if (receipt) gas.add(BigInt(receipt.gasUsed).toString());
    lat.push(t1 - t0);
    planLat.push(p1 - p0);
    intentLat.push(tIntent - t0);
    callLat.push(c1 - c0);
    estimateLat.push(c2 - c1);
  }
  b.app.close();
  const s = [...lat].sort((x, y) => x - y);
  const med = (xs: number[]): number =>
    quantile(
      [...xs].sort((x, y) => x - y),
      0.5,
    );
  return {
    assets: n,
    label: b.label,
    trades: [...trades].join("/"),
    ok,
    failed,
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    min: s[0]!,
    max: s[s.length - 1]!,
    planMedian: med(planLat),
    intentMedian: med(intentLat),
    callMedian: med(callLat),
    estimateMedian: med(estimateLat),
    gas: [...gas].join("/"),
  };
}

const samples = Number(arg("samples", "30"));
const warmup = Number(arg("warmup", "3"));
const days = Number(arg("days", "90"));
const sizes = arg("assets", "4,16").split(",").map(Number);
const baseline = !process.argv.includes("--no-baseline");
if (!(samples >= 1) || !(warmup >= 0) || !(days >= 61) || sizes.some((n) => !(n >= 1 && n <= 16)))
  throw new Error("--samples >= 1, --warmup >= 0, --days >= 61, --assets between 1 and 16");

const wallStart = performance.now();
await hre.tasks.getTask("build").run({ quiet: true });
const loadStart = loadavg();
const node = await startNode();
try {
  const rows: Row[] = [];
  for (const n of sizes) {
    rows.push(await measure(node.url, n, await realWorld(node.url, n, days), samples, warmup));
    if (baseline) rows.push(await measure(node.url, n, await mockWorld(node.url, n), samples, warmup));
  }
  const la = (l: number[]): string => l.map((x) => x.toFixed(2)).join(" / ");
  console.log(
    `keeper cycle latency, new block -> transaction broadcast (${samples} samples after ${warmup} warm-up, hardhat node on 127.0.0.1, Node ${process.version})`,
  );
  console.log(
    `machine: ${cpus().length} cores; load average (1/5/15 min) at start ${la(loadStart)}, at end ${la(loadavg())}; wall time ${((performance.now() - wallStart) / 1000).toFixed(0)} s`,
  );
  console.log(
    "| assets | vault | trades | rebalances ok / failed | median (ms) | p90 (ms) | min (ms) | max (ms) | to intent journaled | dry-run cycle | node eth_call | node eth_estimateGas | rebalance gas |",
  );
  console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const f = (x: number): string => x.toFixed(1);
  for (const r of rows)
    console.log(
      `| ${r.assets} | ${r.label} | ${r.trades} | ${r.ok} / ${r.failed} | ${f(r.median)} | ${f(r.p90)} | ${f(r.min)} | ${f(r.max)} | ${f(r.intentMedian)} | ${f(r.planMedian)} | ${f(r.callMedian)} | ${f(r.estimateMedian)} | ${r.gas} |`,
    );
  console.log(
    "(the last four time columns are medians in ms; 'dry-run cycle' is `keeper plan`'s work at the same block, 'node eth_call' / 'node eth_estimateGas' the node's own time for the sent transaction)",
  );
  if (baseline)
    for (const n of sizes) {
      const real = rows.find((r) => r.assets === n && r.label !== "MockRiskParityVault");
      const mock = rows.find((r) => r.assets === n && r.label === "MockRiskParityVault");
      if (real && mock)
        console.log(`${n} assets: real / mock median = ${(real.median / mock.median).toFixed(2)}`);
    }
  if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
} finally {
  node.proc.kill("SIGTERM");
}
