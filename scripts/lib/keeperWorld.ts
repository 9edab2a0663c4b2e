/**
 * A local world for the keeper (tests and the latency benchmark): `n` TestAggregator feeds with a
 * synthetic daily history (seeded, one common factor), and a MockRiskParityVault whose bounds hold
 * everything in the first asset, so the planner has work to do. Deployed with viem from the
 * Hardhat artifacts over any JSON-RPC URL.
 */
import { readFileSync } from "node:fs";
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../../keeper/shell/chain.ts";

const DAY = 86_400;

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const a = JSON.parse(readFileSync(`artifacts/contracts/test/${name}.sol/${name}.json`, "utf8")) as {
    abi: Abi;
    bytecode: Hex;
  };
  return { abi: a.abi, bytecode: a.bytecode };
}

/** Deterministic PRNG (mulberry32) and standard normals (Box-Muller). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
}

/** Daily prices for `n` assets over `days` days: one market factor plus idiosyncratic noise. */
export function syntheticPrices(n: number, days: number, seed = 7): number[][] {
  const u = rng(seed);
  const out: number[][] = [];
  const start = Array.from({ length: n }, (_, i) => 10 + 100 * (i + 1));
  const vols = Array.from({ length: n }, (_, i) => (0.4 + 0.05 * (i % 8)) / Math.sqrt(365));
  for (let i = 0; i < n; i++) out.push([start[i]!]);
  for (let d = 1; d < days; d++) {
    const m = normal(u);
    for (let i = 0; i < n; i++) {
      const r = vols[i]! * (0.6 * m + 0.8 * normal(u));
      const prev = out[i]![d - 1]!;
      out[i]!.push(prev * Math.exp(r - 0.5 * vols[i]! * vols[i]!));
    }
  }
  return out;
}

export interface KeeperWorld {
  vault: Address;
  asset: Address;
  adapter: Address;
  tokens: Address[];
  feeds: Address[];
  prices: number[][];
  /** first calendar day (UTC day number) of the history */
  firstDay: number;
  vaultAbi: Abi;
  aggregatorAbi: Abi;
}

export interface WorldOptions {
  url: string;
  chainId: number;
  deployerKey: Hex;
  assets: number;
  days?: number;
  /** chain time (unix seconds) the history should end at */
  now: number;
  seed?: number;
  totalValueUsd?: number;
  maxTradeValueUsd?: number;
}

export const USD6 = 1_000_000n;

export async function deployKeeperWorld(o: WorldOptions): Promise<KeeperWorld> {
  const account = privateKeyToAccount(o.deployerKey);
  const chain = chainFor(o.chainId, [o.url]);
  const wallet = createWalletClient({ account, chain, transport: http(o.url) });
  const pub = createPublicClient({ chain, transport: http(o.url) });
  const deploy = async (name: string, args: unknown[] = []): Promise<Address> => {
    const { abi, bytecode } = artifact(name);
    const hash = await wallet.deployContract({ abi, bytecode, args });
    const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (!r.contractAddress) throw new Error(`deploy ${name} failed`);
    return r.contractAddress;
  };
  const write = async (address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<void> => {
    const hash = await wallet.writeContract({ address, abi, functionName, args, chain });
    const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (r.status !== "success") throw new Error(`${functionName} reverted`);
  };

  const days = o.days ?? 90;
  const prices = syntheticPrices(o.assets, days, o.seed ?? 7);
  const lastDay = Math.floor(o.now / DAY);
  const firstDay = lastDay - days + 1;
  const agg = artifact("TestAggregator");
  const feeds: Address[] = [];
  for (let i = 0; i < o.assets; i++) {
    const feed = await deploy("TestAggregator", [8]);
    const answers = prices[i]!.map((p) => BigInt(Math.round(p * 1e8)));
    // one round per day, an hour after midnight, the last one before `now`
    const times = prices[i]!.map((_, d) => BigInt(Math.min((firstDay + d) * DAY + 3600, o.now - 60)));
    await write(feed, agg.abi, "pushRounds", [answers, times]);
    feeds.push(feed);
  }
  const vault = await deploy("MockRiskParityVault");
  const vaultAbi = artifact("MockRiskParityVault").abi;
  // token addresses with mixed-case checksums on purpose (catches lower-case/checksum mix-ups)
  const tokens = Array.from({ length: o.assets }, (_, i) =>
    getAddress(`0x${(0xabc0 + i).toString(16).padStart(40, "0")}`),
  );
  const asset = getAddress("0x000000000000000000000000000000000000a5dc");
  const adapter = getAddress("0x000000000000000000000000000000000000ad00");
  const total = BigInt(o.totalValueUsd ?? 1_000_000) * USD6;
  // Everything risky sits in asset 0 (60 % of value): far from parity.
  const assets = tokens.map((token, i) => {
    const last = prices[i]![days - 1]!;
    const price = BigInt(Math.round(last * 1e8)) * 10n ** 10n;
    const value = i === 0 ? (total * 6n) / 10n : 0n;
    const balance = i === 0 ? (value * 10n ** 12n * 10n ** 18n) / price : 0n;
    return { token, decimals: 18, price, balance, value, netExposure: value, maxWeightBps: 5000 };
  });
  await write(vault, vaultAbi, "setAssets", [assets]);
  await write(vault, vaultAbi, "setBounds", [
    boundsTuple({
      total,
      idle: (total * 4n) / 10n,
      leverage: 6n * 10n ** 17n,
      maxTradeValue: BigInt(o.maxTradeValueUsd ?? 100_000) * USD6,
    }),
  ]);
  return { vault, asset, adapter, tokens, feeds, prices, firstDay, vaultAbi, aggregatorAbi: agg.abi };
}

export function boundsTuple(p: {
  nonce?: bigint;
  total: bigint;
  idle: bigint;
  leverage: bigint;
  maxTradeValue: bigint;
  paused?: boolean;
  ripcord?: bigint;
}) {
  return {
    nonce: p.nonce ?? 0n,
    rebalancePaused: p.paused ?? false,
    oraclesHealthy: true,
    totalValue: p.total,
    idle: p.idle,
    leverage: p.leverage,
    targetLeverage: 10n ** 18n,
    maxLeverage: 15n * 10n ** 17n,
    ripcordLeverage: p.ripcord ?? 2n * 10n ** 18n,
    maxTradeValue: p.maxTradeValue,
    maxSlippageBps: 100,
    minRebalanceInterval: 3600n,
    cooldownRemaining: 0n,
    maxLossPerRebalance: p.total / 50n,
    lossBudgetRemaining: p.total / 50n,
    turnoverRemaining: p.total,
    assets: [],
  };
}

/** Keeper config object (before validation) for a world. */
export function worldConfig(
  w: KeeperWorld,
  o: { urls: string[]; chainId: number; database: string; extra?: Record<string, unknown> },
): Record<string, unknown> {
  return {
    chainId: o.chainId,
    rpcUrls: o.urls,
    vault: w.vault,
    asset: { address: w.asset, decimals: 6 },
    feeds: Object.fromEntries(w.tokens.map((t, i) => [t, w.feeds[i]])),
    swap: { adapter: w.adapter, feeTier: 3000 },
    historyDays: 90,
    pollIntervalMs: 50,
    confirmations: 1,
    minTradeValue: 50,
    database: o.database,
    metrics: { enabled: false },
    logLevel: "silent",
    fees: { stuckAfterMs: 500, maxFeePerGasGwei: 500 },
    rpc: { timeoutMs: 2000, retryCount: 2, retryDelayMs: 20 },
    ...(o.extra ?? {}),
  };
}
