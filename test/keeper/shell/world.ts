/** Test world: an in-process EDR node behind an HTTP JSON-RPC server and a fault proxy. */
import { Writable } from "node:stream";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Hex, PublicClient } from "viem";
import { createChainClient } from "../../../keeper/shell/chain.ts";
import { createLogger } from "../../../keeper/shell/log.ts";
import { KeeperMetrics } from "../../../keeper/shell/metrics.ts";
import { Sender, type SenderOptions } from "../../../keeper/shell/sender.ts";
import { Store } from "../../../keeper/shell/store.ts";
import { loadArtifactErrors } from "../../../keeper/shell/abi.ts";
import { FaultProxy } from "./faultProxy.ts";
import { startRpcServer, type Eip1193 } from "./rpcServer.ts";

export const CHAIN_ID = 31337;

export async function startWorld() {
  const conn = await network.create();
  const provider = conn.provider as unknown as Eip1193;
  const rpc = await startRpcServer(provider);
  const proxy = new FaultProxy(rpc.url);
  await proxy.start();
  const rpcCall = (method: string, params: unknown[] = []): Promise<unknown> =>
    provider.request({ method, params });
  return {
    ethers: conn.ethers,
    provider,
    rpc,
    proxy,
    rpcCall,
    mine: (n = 1) => rpcCall("hardhat_mine", [`0x${n.toString(16)}`]),
    setAutomine: (on: boolean) => rpcCall("evm_setAutomine", [on]),
    close: async () => {
      await proxy.close();
      await rpc.close();
      await conn.close();
    },
  };
}
export type World = Awaited<ReturnType<typeof startWorld>>;

export async function fundedKey(world: World): Promise<Hex> {
  const key = generatePrivateKey();
  await world.rpcCall("hardhat_setBalance", [privateKeyToAccount(key).address, "0x56BC75E2D63100000"]); // 100 ETH
  return key;
}

export function tempDb(name = "keeper"): string {
  return join(mkdtempSync(join(tmpdir(), "keeper-test-")), `${name}.sqlite`);
}

/** Captures every log line as text. */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.lines.push(chunk.toString("utf8"));
    cb();
  }
  text(): string {
    return this.lines.join("");
  }
}

export const ERROR_ABI = loadArtifactErrors([
  "artifacts/contracts/test/KeeperNonceTarget.sol/KeeperNonceTarget.json",
  "artifacts/contracts/test/MockRiskParityVault.sol/MockRiskParityVault.json",
  "artifacts/contracts/RiskParityVault.sol/RiskParityVault.json",
]);

export function senderOptions(over: Partial<SenderOptions> = {}): SenderOptions {
  return {
    chainId: CHAIN_ID,
    confirmations: 1,
    maxFeePerGas: 500_000_000_000n,
    maxPriorityFeePerGas: 2_000_000_000n,
    bumpPercent: 20,
    stuckAfterMs: 400,
    maxReplacements: 5,
    gasLimitMultiplier: 1.3,
    pollMs: 25,
    maxWaitMs: 20_000,
    errorAbi: ERROR_ABI,
    ...over,
  };
}

export function makeKeeper(args: {
  urls: string[];
  key: Hex;
  db: string;
  options?: Partial<SenderOptions>;
  sink?: LogSink;
  timeoutMs?: number;
}) {
  const metrics = new KeeperMetrics();
  const client: PublicClient = createChainClient(
    {
      chainId: CHAIN_ID,
      rpcUrls: args.urls,
      timeoutMs: args.timeoutMs ?? 1_500,
      retryCount: 3,
      retryDelayMs: 20,
      pollIntervalMs: 50,
    },
    metrics,
  );
  const sink = args.sink ?? new LogSink();
  const logger = createLogger("debug", sink, [args.key]);
  const store = new Store(args.db);
  const sender = new Sender({
    client,
    account: privateKeyToAccount(args.key),
    store,
    options: senderOptions(args.options),
    logger,
    metrics,
  });
  return { client, store, sender, metrics, logger, sink };
}
