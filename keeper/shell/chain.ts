/**
 * Chain reads: a viem public client over a `fallback` of HTTP transports (JSON-RPC batching,
 * per-endpoint latency/error metrics), the vault's bounds in one call, and conversion at this
 * edge (convert.ts).
 */
import {
  createPublicClient,
  fallback,
  http,
  type Address,
  type PublicClient,
  type Chain,
  defineChain,
} from "viem";
import { VAULT_ABI } from "./abi.ts";
import { boundsToFloat, type RawBounds } from "./convert.ts";
import { instrumentedFetch, type KeeperMetrics } from "./metrics.ts";
import type { RebalanceBoundsF } from "../planner/types.ts";

export interface RpcOptions {
  chainId: number;
  rpcUrls: readonly string[];
  timeoutMs: number;
  retryCount: number;
  retryDelayMs: number;
  pollIntervalMs?: number;
}

export function chainFor(chainId: number, rpcUrls: readonly string[]): Chain {
  return defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [...rpcUrls] } },
  });
}

/** Public client: each URL is an HTTP transport with batching; `fallback` moves to the next URL on failure. */
export function createChainClient(opts: RpcOptions, metrics?: KeeperMetrics): PublicClient {
  const transports = opts.rpcUrls.map((url) =>
    http(url, {
      batch: { batchSize: 200, wait: 0 },
      timeout: opts.timeoutMs,
      retryCount: 0, // retries are the fallback's job, across URLs
      ...(metrics ? { fetchFn: instrumentedFetch(metrics, url) } : {}),
    }),
  );
  return createPublicClient({
    chain: chainFor(opts.chainId, opts.rpcUrls),
    transport: fallback(transports, { retryCount: opts.retryCount, retryDelay: opts.retryDelayMs }),
    pollingInterval: opts.pollIntervalMs ?? 1000,
    cacheTime: 0,
  });
}

export interface VaultState {
  blockNumber: bigint;
  timestamp: number;
  raw: RawBounds;
  bounds: RebalanceBoundsF;
  deleverageDue: boolean;
  deleverageReason: number;
}

/** Reads the bounds and the deleverage flag at one block (two calls sent as one JSON-RPC batch). */
export async function readVaultState(
  client: PublicClient,
  vault: Address,
  assetDecimals: number,
  blockNumber?: bigint,
): Promise<VaultState> {
  const block =
    blockNumber === undefined
      ? await client.getBlock({ blockTag: "latest" })
      : await client.getBlock({ blockNumber });
  const [raw, [due, reason]] = await Promise.all([
    client.readContract({
      address: vault,
      abi: VAULT_ABI,
      functionName: "rebalanceBounds",
      blockNumber: block.number,
    }),
    client.readContract({
      address: vault,
      abi: VAULT_ABI,
      functionName: "shouldDeleverage",
      blockNumber: block.number,
    }),
  ]);
  return {
    blockNumber: block.number,
    timestamp: Number(block.timestamp),
    raw,
    bounds: boundsToFloat(raw, assetDecimals),
    deleverageDue: due,
    deleverageReason: reason,
  };
}
