/**
 * The keeper as the demo runs it: the production service (keeper/shell) built from a config that
 * points at the local chain's HTTP JSON-RPC URL, one `cycle()` per scheduled day. Each cycle's
 * report is mapped to a demo event (rebalance, skip, rejection, deleverage) with its gas.
 */
import type { Writable } from "node:stream";
import {
  createPublicClient,
  custom,
  parseAbi,
  parseAbiItem,
  type Address,
  type EIP1193Provider as ViemProvider,
  type HDAccount,
} from "viem";
import type { LocalWorld } from "../../deploy/world.ts";
import { buildApp, type App } from "../../keeper/shell/app.ts";
import { parseConfig } from "../../keeper/shell/config.ts";
import type { CycleReport } from "../../keeper/shell/service.ts";
import { portfolioGreeks } from "../../keeper/options/index.ts";
import { bookPositions } from "../../keeper/strategy/index.ts";
import { readOptionState, OPTION_ADAPTER_ABI, type OptionChainConfig } from "../../keeper/shell/options.ts";
import type { Eip1193 } from "./chain.ts";

export interface StepResult {
  kind: "rebalance" | "skip" | "wait" | "rejection" | "deleverage" | "error";
  detail: string;
  /** Guard rejections seen in this cycle (simulations or transactions the vault refused). */
  rejections: number;
  gasUsed?: number;
  tradedValueUsd?: number;
  /** The overlay's part of the cycle (options on). */
  options?: {
    detail: string;
    orders: number;
    premiumUsd: number;
    proceedsUsd: number;
    gasUsed: number;
    settlements: number;
    payoutsUsd: number;
  };
}

/** The option book's state on one day (options on). */
export interface OptionBookDay {
  /** The adapter's realAssets(): the book at the venue's bid, USD. */
  value: number;
  dollarDelta: number;
  dollarGamma: number;
  vega: number;
  theta: number;
  series: number;
  /** Dollar delta of the live options per risk token, in the world's `riskTokens` order. */
  dollarDeltas: number[];
}

export interface KeeperDriver {
  label: string;
  /** One keeper cycle. */
  cycle(): Promise<StepResult>;
  /** Whether the vault reports a deleverage as due (what a production keeper checks every block). */
  deleverageDue(): Promise<boolean>;
  /** The vault's value (USD, totalAssets) and risk-asset balances (whole tokens, world.riskTokens order). */
  holdings(): Promise<{ value: number; balances: number[] }>;
  /** The option book's value and Greeks (keeper/options portfolioGreeks); undefined with options off. */
  optionBook(): Promise<OptionBookDay | undefined>;
  close(): Promise<void>;
}

export interface KeeperDriverOptions {
  world: LocalWorld;
  rpcUrl: string;
  privateKey: HDAccount;
  database: string;
  log: Writable;
  volTarget: number;
  historyDays: number;
  provider: Eip1193;
  symbols: string[];
  /** Option venue + adapter: the keeper runs the put overlay after each rebalance. */
  options?: LocalKeeperConfigOptions["options"];
}

/** Maps a keeper cycle report to a demo event. */
export function toStep(r: CycleReport, gasUsed: number | undefined): StepResult {
  const traded = r.decisions.filter((d) => d.action === "trade").reduce((s, d) => s + d.value, 0);
  const retried = Math.max(0, r.attempts - 1);
  const detail = `${r.reason}${r.error ? ` (${r.error})` : ""}`;
  if (r.action === "deleverage") {
    return {
      kind: r.outcome === "confirmed" ? "deleverage" : "rejection",
      detail,
      rejections: r.outcome === "confirmed" ? 0 : 1,
      ...(gasUsed === undefined ? {} : { gasUsed }),
    };
  }
  if (r.action === "rebalance") {
    if (r.outcome === "confirmed")
      return {
        kind: "rebalance",
        detail,
        rejections: retried,
        tradedValueUsd: traded,
        ...(gasUsed === undefined ? {} : { gasUsed }),
      };
    return {
      kind: "rejection",
      detail,
      rejections: retried + 1,
      ...(gasUsed === undefined ? {} : { gasUsed }),
    };
  }
  return { kind: r.action === "wait" ? "wait" : "skip", detail, rejections: retried };
}

/** The risk tokens the demo's put overlay hedges: WBTC and WETH when the world has them. */
function hedgedTokens(world: LocalWorld): LocalWorld["riskTokens"] {
  return world.riskTokens.filter((t) => t.symbol === "WBTC" || t.symbol === "WETH");
}

export interface LocalKeeperConfigOptions {
  world: LocalWorld;
  rpcUrl: string;
  database: string;
  volTarget: number;
  historyDays: number;
  logLevel: "info" | "silent";
  /** Option venue + adapter: the keeper runs the put overlay after each rebalance. */
  options?: { adapter: Address; venue: Address; volatilityOracle: Address };
}

/**
 * The keeper's configuration (before `parseConfig`) for a local world deployed with roles: its
 * vault, asset, feeds and Uniswap swap adapter, the demo's strategy and fee settings. Shared by
 * the demo and the keeper latency benchmark (scripts/bench-keeper.ts).
 */
export function localKeeperConfig(o: LocalKeeperConfigOptions): Record<string, unknown> {
  const vault = o.world.vault;
  if (vault === undefined) throw new Error("the world has no vault (deploy it with roles)");
  const hedged = hedgedTokens(o.world);
  return {
    chainId: o.world.chainId,
    rpcUrls: [o.rpcUrl],
    vault: vault.vault,
    asset: { address: o.world.asset.address, decimals: o.world.asset.decimals },
    feeds: Object.fromEntries(o.world.riskTokens.map((t) => [t.address, t.feed])),
    swap: { adapter: vault.swapAdapter, feeTier: o.world.riskTokens[0]?.poolFee ?? 3000 },
    historyDays: o.historyDays,
    pollIntervalMs: 50,
    confirmations: 1,
    deadlineSeconds: 3_600,
    slippageBps: 50,
    minTradeValue: 100,
    autoDeleverage: true,
    fees: { stuckAfterMs: 5_000, maxReplacements: 2 },
    database: o.database,
    metrics: { enabled: false },
    logLevel: o.logLevel,
    strategy: { volTarget: o.volTarget, lookbackDays: 60, halfLifeDays: 30, margin: 0.9 },
    ...(o.options
      ? {
          options: {
            ...o.options,
            // Puts on the two largest assets only, 25 % amount tolerance: fewer orders (each one
            // prices on chain) keep the demo's run time down. Six-week puts held to expiry
            // (rollBeforeDays 0): the weekly keeper meets each expiry on a keeper day, settles the
            // series on the first round after expiry, collects the payout into the vault and
            // buys the next series in the same cycle (no sell-back spread at the roll).
            underlyings: hedged.map((t) => t.address),
            overlay: { putDelta: 0.2, tenorDays: 42, rollBeforeDays: 0, amountTolerance: 0.25 },
          },
        }
      : {}),
  };
}

export async function createKeeperDriver(o: KeeperDriverOptions): Promise<KeeperDriver> {
  const vault = o.world.vault?.vault as Address;
  const key = o.privateKey.getHdKey().privateKey;
  if (key === null) throw new Error("keeper account has no private key");
  const privateKey = `0x${Buffer.from(key).toString("hex")}`;
  const hedged = hedgedTokens(o.world);
  const config = parseConfig(
    localKeeperConfig({
      world: o.world,
      rpcUrl: o.rpcUrl,
      database: o.database,
      volTarget: o.volTarget,
      historyDays: o.historyDays,
      logLevel: "info",
      ...(o.options ? { options: o.options } : {}),
    }),
  );
  const app: App = buildApp(config, { env: { KEEPER_PRIVATE_KEY: privateKey }, logDestination: o.log });
  const client = createPublicClient({ transport: custom(o.provider as unknown as ViemProvider) });
  const vaultAbi = parseAbi([
    "function totalAssets() view returns (uint256)",
    "function trackedBalance(address token) view returns (uint256)",
    "function shouldDeleverage() view returns (bool due, uint8 reason)",
  ]);
  const chainCfg: OptionChainConfig | undefined = o.options
    ? {
        vault,
        adapter: o.options.adapter,
        venue: o.options.venue,
        volatilityOracle: o.options.volatilityOracle,
        assetDecimals: o.world.asset.decimals,
        underlyings: hedged.map((t) => ({
          name: t.address,
          address: t.address,
          decimals: t.decimals,
        })),
      }
    : undefined;
  const opened = parseAbiItem(
    "event OptionOpened(uint256 indexed seriesId, address indexed underlying, uint256 amount, uint256 premium)",
  );
  const closed = parseAbiItem(
    "event OptionClosed(uint256 indexed seriesId, uint256 amount, uint256 proceeds)",
  );
  const settledEv = parseAbiItem(
    "event OptionSettled(uint256 indexed seriesId, uint256 amount, uint256 payout)",
  );
  const released = parseAbiItem("event PayoutsReleased(address indexed to, uint256 amount)");
  const assetScale = 10 ** o.world.asset.decimals;
  /** Premium paid, proceeds, settlements, collected payouts and gas of the option transactions mined after block `from`. */
  async function optionFlows(from: bigint) {
    if (!o.options)
      return { orders: 0, premiumUsd: 0, proceedsUsd: 0, gasUsed: 0, settlements: 0, payoutsUsd: 0 };
    const range = { address: o.options.adapter, fromBlock: from + 1n, toBlock: "latest" as const };
    const [opens, closes, settles, releases] = await Promise.all([
      client.getLogs({ ...range, event: opened }),
      client.getLogs({ ...range, event: closed }),
      client.getLogs({ ...range, event: settledEv }),
      client.getLogs({ ...range, event: released, args: { to: vault } }),
    ]);
    let gasUsed = 0;
    const txs = new Set([...opens, ...closes, ...settles, ...releases].map((l) => l.transactionHash));
    for (const h of txs) gasUsed += Number((await client.getTransactionReceipt({ hash: h })).gasUsed);
    return {
      orders: opens.length + closes.length,
      premiumUsd: opens.reduce((s, l) => s + Number(l.args.premium ?? 0n), 0) / assetScale,
      proceedsUsd: closes.reduce((s, l) => s + Number(l.args.proceeds ?? 0n), 0) / assetScale,
      gasUsed,
      settlements: settles.length,
      payoutsUsd: releases.reduce((s, l) => s + Number(l.args.amount ?? 0n), 0) / assetScale,
    };
  }
  return {
    async optionBook() {
      if (!chainCfg) return undefined;
      const { input } = await readOptionState(client, chainCfg);
      const market = Object.fromEntries(
        Object.entries(input.market).map(([u, m]) => [u, { forward: m.spot, volatility: m.volatility }]),
      );
      const greeks = portfolioGreeks(bookPositions(input.book, input.now), market);
      const g = greeks.total;
      const byToken = new Map(
        Object.entries(greeks.byUnderlying).map(([u, x]) => [u.toLowerCase(), x.dollarDelta]),
      );
      const value = await client.readContract({
        address: chainCfg.adapter,
        abi: OPTION_ADAPTER_ABI,
        functionName: "realAssets",
      });
      return {
        value: Number(value) / assetScale,
        dollarDelta: g.dollarDelta,
        dollarGamma: g.dollarGamma,
        vega: g.vega,
        theta: g.theta,
        series: input.book.length,
        dollarDeltas: o.world.riskTokens.map((t) => byToken.get(t.address.toLowerCase()) ?? 0),
      };
    },
    async deleverageDue() {
      const [due] = await client.readContract({
        address: vault,
        abi: vaultAbi,
        functionName: "shouldDeleverage",
      });
      return due;
    },
    async holdings() {
      const value =
        Number(await client.readContract({ address: vault, abi: vaultAbi, functionName: "totalAssets" })) /
        10 ** o.world.asset.decimals;
      const balances: number[] = [];
      for (const t of o.world.riskTokens) {
        balances.push(
          Number(
            await client.readContract({
              address: vault,
              abi: vaultAbi,
              functionName: "trackedBalance",
              args: [t.address],
            }),
          ) /
            10 ** t.decimals,
        );
      }
      return { value, balances };
    },
    label: `keeper/shell KeeperService over ${o.rpcUrl} as ${o.privateKey.address}`,
    async cycle() {
      try {
        const before = await client.getBlockNumber({ cacheTime: 0 });
        const r = await app.service.cycle();
        let gasUsed: number | undefined;
        if (r.txHash !== undefined) {
          const receipt = await client.getTransactionReceipt({ hash: r.txHash as `0x${string}` });
          gasUsed = Number(receipt.gasUsed);
        }
        const step = toStep(r, gasUsed);
        if (r.options) {
          const flows = await optionFlows(before);
          const orders = r.options.decisions.filter(
            (d) =>
              d.action === "open" || d.action === "close" || d.action === "settle" || d.action === "collect",
          );
          const skips = r.options.decisions.filter((d) => d.action === "skip" && d.reason !== "COVERED");
          step.options = {
            ...flows,
            detail:
              `${r.options.reason}${r.options.error ? ` (${r.options.error})` : ""}` +
              (orders.length
                ? `: ${orders.map((d) => `${d.action} ${d.underlying.slice(0, 8)} ${d.reason}`).join(", ")}`
                : "") +
              (skips.length
                ? `; skips ${skips.map((d) => `${d.underlying.slice(0, 8)} ${d.reason}`).join(", ")}`
                : ""),
          };
          if (r.options.action === "sent" && r.options.outcome !== "confirmed") step.rejections += 1;
        }
        return step;
      } catch (e) {
        return { kind: "error", detail: (e as Error).message.split("\n")[0] ?? String(e), rejections: 0 };
      }
    },
    async close() {
      app.close();
    },
  };
}
