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
  type Address,
  type EIP1193Provider as ViemProvider,
  type HDAccount,
} from "viem";
import type { LocalWorld } from "../../deploy/world.ts";
import { buildApp, type App } from "../../keeper/shell/app.ts";
import { parseConfig } from "../../keeper/shell/config.ts";
import type { CycleReport } from "../../keeper/shell/service.ts";
import type { Eip1193 } from "./chain.ts";

export interface StepResult {
  kind: "rebalance" | "skip" | "wait" | "rejection" | "deleverage" | "error";
  detail: string;
  /** Guard rejections seen in this cycle (simulations or transactions the vault refused). */
  rejections: number;
  gasUsed?: number;
  tradedValueUsd?: number;
}

export interface KeeperDriver {
  label: string;
  /** One keeper cycle. */
  cycle(): Promise<StepResult>;
  /** Whether the vault reports a deleverage as due (what a production keeper checks every block). */
  deleverageDue(): Promise<boolean>;
  /** The vault's value (USD, totalAssets) and risk-asset balances (whole tokens, world.riskTokens order). */
  holdings(): Promise<{ value: number; balances: number[] }>;
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

export async function createKeeperDriver(o: KeeperDriverOptions): Promise<KeeperDriver> {
  const vault = o.world.vault?.vault as Address;
  const key = o.privateKey.getHdKey().privateKey;
  if (key === null) throw new Error("keeper account has no private key");
  const privateKey = `0x${Buffer.from(key).toString("hex")}`;
  const config = parseConfig({
    chainId: o.world.chainId,
    rpcUrls: [o.rpcUrl],
    vault,
    asset: { address: o.world.asset.address, decimals: o.world.asset.decimals },
    feeds: Object.fromEntries(o.world.riskTokens.map((t) => [t.address, t.feed])),
    swap: { adapter: o.world.vault?.swapAdapter as Address, feeTier: o.world.riskTokens[0]?.poolFee ?? 3000 },
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
    logLevel: "info",
    strategy: { volTarget: o.volTarget, lookbackDays: 60, halfLifeDays: 30, margin: 0.9 },
  });
  const app: App = buildApp(config, { env: { KEEPER_PRIVATE_KEY: privateKey }, logDestination: o.log });
  const client = createPublicClient({ transport: custom(o.provider as unknown as ViemProvider) });
  const vaultAbi = parseAbi([
    "function totalAssets() view returns (uint256)",
    "function trackedBalance(address token) view returns (uint256)",
    "function shouldDeleverage() view returns (bool due, uint8 reason)",
  ]);
  return {
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
        const r = await app.service.cycle();
        let gasUsed: number | undefined;
        if (r.txHash !== undefined) {
          const receipt = await client.getTransactionReceipt({ hash: r.txHash as `0x${string}` });
          gasUsed = Number(receipt.gasUsed);
        }
        return toStep(r, gasUsed);
      } catch (e) {
        return { kind: "error", detail: (e as Error).message.split("\n")[0] ?? String(e), rejections: 0 };
      }
    },
    async close() {
      app.close();
    },
  };
}
