/**
 * The demo's local chain: an in-process Hardhat (EDR) network exposed over HTTP JSON-RPC on a
 * free loopback port (the keeper talks to it through that URL exactly as it would to a node), and
 * the market the demo drives: Chainlink-style feed updates, pool arbitrage back to the oracle
 * price through the real Uniswap V3 SwapRouter, and the clock.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createPublicClient,
  createWalletClient,
  custom,
  parseAbi,
  type Address,
  type EIP1193Provider as ViemProvider,
  type PublicClient,
  type WalletClient,
} from "viem";
import { sqrtPriceX96FromUsd, usdToFeedAnswer, usdToWad } from "../../deploy/pool-math.ts";
import type { LocalWorld } from "../../deploy/world.ts";

export interface Eip1193 {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

interface RpcRequest {
  jsonrpc?: string;
  id?: number | string | null;
  method?: unknown;
  params?: unknown;
}

async function answer(provider: Eip1193, req: RpcRequest): Promise<object> {
  const id = req.id ?? null;
  if (typeof req.method !== "string")
    return { jsonrpc: "2.0", id, error: { code: -32600, message: "invalid request" } };
  try {
    const result = await provider.request({ method: req.method, params: req.params ?? [] });
    return { jsonrpc: "2.0", id, result: result ?? null };
  } catch (e) {
    const err = e as { code?: unknown; message?: string; data?: unknown };
    const data = typeof err.data === "string" ? err.data : (err.data as { data?: unknown } | undefined)?.data;
    return {
      jsonrpc: "2.0",
      id,
      error: {
        code: typeof err.code === "number" ? err.code : -32603,
        message: err.message ?? String(e),
        ...(data === undefined ? {} : { data }),
      },
    };
  }
}

/** Serves `provider` as HTTP JSON-RPC (single and batch requests) on 127.0.0.1, port chosen by the OS. */
export async function startRpcBridge(provider: Eip1193): Promise<{ url: string; close(): Promise<void> }> {
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // One request at a time, in arrival order, like a single node.
      queue = queue.then(async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(
              JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }),
            );
          return;
        }
        const out: object | object[] = Array.isArray(body)
          ? await (async () => {
              const all: object[] = [];
              for (const r of body as RpcRequest[]) all.push(await answer(provider, r));
              return all;
            })()
          : await answer(provider, body as RpcRequest);
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
      });
    });
  });
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const FEED_ABI = parseAbi(["function updateAnswer(int256 answer)"]);
const TOKEN_ABI = parseAbi([
  "function mint(address to, uint256 amount)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function deposit() payable",
  "function balanceOf(address) view returns (uint256)",
]);
const POOL_ABI = parseAbi([
  "function slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool)",
]);
const ROUTER_ABI = parseAbi([
  "struct ExactInputSingleParams { address tokenIn; address tokenOut; uint24 fee; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; uint160 sqrtPriceLimitX96; }",
  "function exactInputSingle(ExactInputSingleParams params) payable returns (uint256 amountOut)",
]);

const MAX = 2n ** 256n - 1n;

const VAULT_ABI = parseAbi(["function deposit(uint256 assets, address receiver) returns (uint256)"]);

/**
 * Deposits `usd` of the asset into the world's vault for `depositor` (an unlocked account): the
 * deployer mints the asset to the depositor, who approves the vault and deposits. Throws when a
 * transaction reverts.
 */
export async function depositUsd(
  world: LocalWorld,
  provider: Eip1193,
  depositor: Address,
  usd: number,
): Promise<void> {
  const vault = world.vault?.vault;
  if (vault === undefined) throw new Error("the world has no vault (deploy it with roles)");
  const amount = BigInt(usd) * 10n ** BigInt(world.asset.decimals);
  const transport = custom(provider as unknown as ViemProvider);
  const publicClient = createPublicClient({ transport });
  const owner = createWalletClient({ transport, account: world.deployer });
  const user = createWalletClient({ transport, account: depositor });
  const check = async (hash: `0x${string}`, what: string): Promise<void> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (receipt.status !== "success") throw new Error(`deposit: ${what} reverted`);
  };
  await check(
    await owner.writeContract({
      chain: null,
      address: world.asset.address,
      abi: TOKEN_ABI,
      functionName: "mint",
      args: [depositor, amount],
    }),
    "mint",
  );
  await check(
    await user.writeContract({
      chain: null,
      address: world.asset.address,
      abi: TOKEN_ABI,
      functionName: "approve",
      args: [vault, amount],
    }),
    "approve",
  );
  await check(
    await user.writeContract({
      chain: null,
      address: vault,
      abi: VAULT_ABI,
      functionName: "deposit",
      args: [amount, depositor],
    }),
    "deposit",
  );
}

/** Feeds, pools and clock of the local world, driven by one unlocked account (the deployer). */
export class LocalMarket {
  readonly world: LocalWorld;
  readonly provider: Eip1193;
  readonly publicClient: PublicClient;
  private readonly wallet: WalletClient;
  private readonly account: Address;
  private readonly feedDecimals: number;
  /** Gas used by the market's own transactions (feeds and arbitrage), not the keeper's. */
  gasUsed = 0n;
  arbitrageSwaps = 0;

  constructor(world: LocalWorld, provider: Eip1193, feedDecimals = 8) {
    this.world = world;
    this.provider = provider;
    this.account = world.deployer;
    this.feedDecimals = feedDecimals;
    const transport = custom(provider as unknown as ViemProvider);
    this.publicClient = createPublicClient({ transport });
    this.wallet = createWalletClient({ transport, account: this.account });
  }

  private async send(
    to: Address,
    abi: readonly unknown[],
    functionName: string,
    args: readonly unknown[],
    value?: bigint,
  ): Promise<void> {
    const hash = await this.wallet.writeContract({
      chain: null,
      account: this.account,
      address: to,
      abi: abi as never,
      functionName: functionName as never,
      args: args as never,
      gas: 1_500_000n,
      ...(value === undefined ? {} : { value }),
    } as never);
    const receipt = await this.publicClient.getTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} on ${to} reverted`);
    this.gasUsed += receipt.gasUsed;
  }

  /** Gives the arbitrageur (the deployer) deep balances of every token and approves the router. */
  async setupArbitrageur(): Promise<void> {
    await this.provider.request({
      method: "hardhat_setBalance",
      params: [this.account, `0x${(10n ** 33n).toString(16)}`],
    });
    const all = [this.world.asset, ...this.world.riskTokens];
    for (const t of all) {
      if (t.address === this.world.weth) await this.send(t.address, TOKEN_ABI, "deposit", [], 10n ** 32n);
      else await this.send(t.address, TOKEN_ABI, "mint", [this.account, 10n ** BigInt(t.decimals + 15)]);
      await this.send(t.address, TOKEN_ABI, "approve", [this.world.swapRouter, MAX]);
    }
  }

  /** Moves the clock forward by `seconds` and mines a block. */
  async advance(seconds: number): Promise<void> {
    await this.provider.request({ method: "evm_increaseTime", params: [seconds] });
    await this.provider.request({ method: "evm_mine", params: [] });
  }

  async timestamp(): Promise<number> {
    const block = await this.publicClient.getBlock({ blockTag: "latest" });
    return Number(block.timestamp);
  }

  /** Publishes a new round on every risk token's feed (`prices` in world.riskTokens order). */
  async updateFeeds(prices: readonly number[]): Promise<void> {
    for (const [i, t] of this.world.riskTokens.entries()) {
      await this.send(t.feed, FEED_ABI, "updateAnswer", [
        usdToFeedAnswer(prices[i] as number, this.feedDecimals),
      ]);
    }
    // The asset's feed reports a fresh 1 USD round too (its heartbeat also applies).
    await this.send(this.world.asset.feed, FEED_ABI, "updateAnswer", [usdToFeedAnswer(1, this.feedDecimals)]);
  }

  /**
   * Arbitrages each pool back to `prices` (USD per token): one exact-input swap through the
   * SwapRouter with the target as the price limit, so the pool stops exactly there.
   */
  async arbitrage(prices: readonly number[]): Promise<void> {
    const deadline = BigInt((await this.timestamp()) + 3_600);
    for (const [i, t] of this.world.riskTokens.entries()) {
      const side = {
        risk: t.address,
        riskDecimals: t.decimals,
        quote: this.world.asset.address,
        quoteDecimals: this.world.asset.decimals,
      };
      const target = sqrtPriceX96FromUsd(side, usdToWad(prices[i] as number));
      const [current] = await this.publicClient.readContract({
        address: t.pool,
        abi: POOL_ABI,
        functionName: "slot0",
      });
      if (current === target) continue;
      const token0 =
        BigInt(t.address) < BigInt(this.world.asset.address) ? t.address : this.world.asset.address;
      const token1 = token0 === t.address ? this.world.asset.address : t.address;
      const zeroForOne = target < current;
      await this.send(this.world.swapRouter, ROUTER_ABI, "exactInputSingle", [
        {
          tokenIn: zeroForOne ? token0 : token1,
          tokenOut: zeroForOne ? token1 : token0,
          fee: t.poolFee,
          recipient: this.account,
          deadline,
          amountIn: 2n ** 120n,
          amountOutMinimum: 0n,
          sqrtPriceLimitX96: target,
        },
      ]);
      this.arbitrageSwaps++;
    }
  }

  /** Current pool prices (USD per risk token), world.riskTokens order. */
  async poolSqrtPrices(): Promise<bigint[]> {
    const out: bigint[] = [];
    for (const t of this.world.riskTokens) {
      const [sqrt] = await this.publicClient.readContract({
        address: t.pool,
        abi: POOL_ABI,
        functionName: "slot0",
      });
      out.push(sqrt);
    }
    return out;
  }
}
