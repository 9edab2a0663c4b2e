/**
 * Keeper cycle latency: from "a new block exists" to "the rebalance transaction is broadcast",
 * for 4 and 16 assets, against a separate `hardhat node` process on 127.0.0.1.
 *
 *   npx node scripts/bench-keeper.ts [--samples 30] [--assets 4,16]
 *
 * Per sample: the script mines a block (evm_mine) and takes t0 when the node has answered; the
 * keeper then runs one full cycle pinned to that block (journal reconcile, bounds + deleverage flag
 * at the block, Chainlink history (older rounds from the SQLite cache, recent ones re-read), EWMA
 * covariance, risk parity, vol target, planRebalance, plan saved, eth_call simulation + gas
 * estimate + fees, intent journaled, local signing, attempt journaled, eth_sendRawTransaction); t1
 * is taken when the node has accepted the raw transaction into its pool (automine is off during
 * the cycle so that the node does not mine inside eth_sendRawTransaction; the script mines the
 * block afterwards and the keeper confirms it before the next sample). The figure excludes new-block detection
 * (the `run` loop polls eth_blockNumber every pollIntervalMs; add up to that interval plus one
 * round trip) and excludes mining/confirmation. The vault is MockRiskParityVault (contracts/test):
 * the same keeper-facing ABI as IRiskParityVault, but its rebalance only checks nonce, deadline
 * and caps (the figure does not depend on what the vault does after the transaction is sent).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildApp } from "../keeper/shell/app.ts";
import { parseConfig } from "../keeper/shell/config.ts";
import { deployKeeperWorld, worldConfig } from "./lib/keeperWorld.ts";

const HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const CHAIN_ID = 31337;

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
  if (j.error) throw new Error(j.error.message);
  return j.result;
}

async function startNode(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ["node_modules/hardhat/dist/src/cli.js", "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { stdio: ["ignore", "ignore", "pipe"] },
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

async function bench(
  url: string,
  assets: number,
  samples: number,
): Promise<{
  assets: number;
  trades: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  planMedian: number;
}> {
  const b = (await rpc(url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  const world = await deployKeeperWorld({
    url,
    chainId: CHAIN_ID,
    deployerKey: HARDHAT_KEY_0,
    assets,
    now: Number(BigInt(b.timestamp)),
  });
  const db = join(mkdtempSync(join(tmpdir(), "keeper-bench-")), "keeper.sqlite");
  const cfg = parseConfig(
    worldConfig(world, {
      urls: [url],
      chainId: CHAIN_ID,
      database: db,
      extra: { logLevel: "silent", pollIntervalMs: 50 },
    }),
  );
  const app = buildApp(cfg, { env: { KEEPER_PRIVATE_KEY: HARDHAT_KEY_1 } });
  let t1 = 0;
  app.sender!.hooks.afterBroadcast = () => {
    t1 = performance.now();
  };
  const lat: number[] = [];
  const planLat: number[] = [];
  let trades = 0;
  for (let i = 0; i < samples + 3; i++) {
    // plan-only timing (dry run) at the current block, for the breakdown
    const p0 = performance.now();
    await app.service.cycle({ dryRun: true });
    const p1 = performance.now();
    await rpc(url, "evm_mine");
    const t0 = performance.now();
    const bn = BigInt((await rpc(url, "eth_blockNumber")) as string);
    t1 = 0;
    // automine off: the node answers eth_sendRawTransaction when the tx is in its pool, not mined
    await rpc(url, "evm_setAutomine", [false]);
    const cycle = app.service.cycle({ blockNumber: bn });
    while (t1 === 0) await new Promise((res) => setTimeout(res, 2));
    await rpc(url, "evm_mine");
    await rpc(url, "evm_setAutomine", [true]);
    const r = await cycle;
    if (r.outcome !== "confirmed" || t1 === 0)
      throw new Error(`sample ${i}: ${r.action} ${r.outcome ?? ""} ${r.reason} ${r.error ?? ""}`);
    trades = r.decisions.filter((d) => d.action === "trade").length;
    if (i >= 3) {
      lat.push(t1 - t0);
      planLat.push(p1 - p0);
    }
  }
  app.close();
  const s = [...lat].sort((a, b) => a - b);
  const ps = [...planLat].sort((a, b) => a - b);
  return {
    assets,
    trades,
    median: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    min: s[0]!,
    max: s[s.length - 1]!,
    planMedian: quantile(ps, 0.5),
  };
}

const samples = Number(arg("samples", "30"));
const sizes = arg("assets", "4,16").split(",").map(Number);
const loadStart = loadavg();
const node = await startNode();
try {
  const rows = [];
  for (const n of sizes) rows.push(await bench(node.url, n, samples));
  console.log(
    `keeper cycle latency, new block -> transaction broadcast (${samples} samples after 3 warm-up, hardhat node on 127.0.0.1, Node ${process.version})`,
  );
  const la = (l: number[]): string => l.map((x) => x.toFixed(2)).join(" / ");
  console.log(
    `machine: ${cpus().length} cores; load average (1/5/15 min) at start ${la(loadStart)}, at end ${la(loadavg())}`,
  );
  console.log(
    "| assets | trades/rebalance | median (ms) | p95 (ms) | min (ms) | max (ms) | dry-run cycle median (ms) |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows)
    console.log(
      `| ${r.assets} | ${r.trades} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.min.toFixed(1)} | ${r.max.toFixed(1)} | ${r.planMedian.toFixed(1)} |`,
    );
} finally {
  node.proc.kill("SIGTERM");
}
