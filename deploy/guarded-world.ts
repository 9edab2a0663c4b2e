/**
 * A guarded local world: a RiskParityVault (deployed with deploy/vault.ts, roles granted to
 * distinct signers, no curator delay) over the test MockUSDC, MockToken risk assets with
 * MockAggregator feeds (WETH 3000, WBTC 60000, LINK 15, SOLx 150 USD), wired to real Uniswap V3
 * pools: one 0.3 % pool per risk token against USDC with full-range liquidity at the feed price,
 * the UniswapV3SwapAdapter whitelisted and set as every token's deleverage route, guard limits
 * configured, and a deposit. Used by the guard tests and scripts/gas-rebalance.ts. Local only:
 * the mocks have open mints.
 */
import type { Contract } from "ethers";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { deployMockVaultWorld, USDC, type MockVaultWorld } from "./mock-vault-world.ts";
import {
  addLiquidity,
  amountsForUsd,
  createPool,
  deployUniswapV3,
  WAD,
  type PoolInfo,
  type TokenInfo,
  type UniswapV3,
} from "./uniswap.ts";

export const FEE = 3000;
export { USDC };

/** Signers, test tokens and feeds of the world (ethers Contracts: no generated types needed). */
export type World = MockVaultWorld;

/** The vault, its signers and the test tokens/feeds (each asset with maxWeightBps 5000). */
export async function deployWorld(ethers: HardhatEthers, seedAssets: bigint): Promise<World> {
  const w = await deployMockVaultWorld(ethers);
  const { admin, usdc, vault } = w;
  const vaultAddress = await vault.getAddress();
  if (seedAssets > 0n) {
    await (await usdc.getFunction("mint")(admin.address, seedAssets)).wait();
    await (await (usdc.connect(admin) as Contract).getFunction("approve")(vaultAddress, seedAssets)).wait();
    await (
      await (vault.connect(admin) as Contract).getFunction("deposit")(
        seedAssets,
        "0x000000000000000000000000000000000000dEaD",
      )
    ).wait();
  }
  return w;
}
export const E18 = WAD;
const MAX_UINT = 2n ** 256n - 1n;

/** The vault's RiskLimits struct (see contracts/libraries/VaultTypes.sol). */
export interface RiskLimits {
  targetLeverage: bigint;
  maxLeverage: bigint;
  ripcordLeverage: bigint;
  maxSlippageBps: number;
  deleverageSlippageBps: number;
  maxLossPerRebalanceBps: number;
  lossBudgetBps: number;
  maxTradeValue: bigint;
  window: number;
  minRebalanceInterval: number;
  deleverageCooldown: number;
  turnoverBps: number;
  deleverageChunkBps: number;
  deleverageBudgetBps: number;
  drawdownBps: number;
  bountyBps: number;
  maxBounty: bigint;
}

export const DEFAULT_LIMITS: RiskLimits = {
  targetLeverage: E18,
  maxLeverage: (E18 * 3n) / 2n,
  ripcordLeverage: 2n * E18,
  maxSlippageBps: 100,
  deleverageSlippageBps: 300,
  maxLossPerRebalanceBps: 100,
  lossBudgetBps: 50,
  maxTradeValue: USDC(300_000),
  window: 86_400,
  minRebalanceInterval: 0,
  deleverageCooldown: 600,
  turnoverBps: 20_000,
  deleverageChunkBps: 500,
  deleverageBudgetBps: 2_000,
  drawdownBps: 1_000,
  bountyBps: 10,
  maxBounty: USDC(100),
};

export interface GuardedVault {
  w: World;
  vault: Contract;
  uni: UniswapV3;
  adapter: Contract;
  usdcInfo: TokenInfo;
  /** Pool of each risk token (w.tokens order) against USDC. */
  pools: PoolInfo[];
  limits: RiskLimits;
}

export interface GuardedVaultOptions {
  limits?: Partial<RiskLimits>;
  /** USDC deposited by alice (default 1 000 000). */
  deposit?: bigint;
  /** Liquidity per side per pool in USD (default 100 000 000: a 200k trade costs ~50 bps). */
  liquidityUsd?: bigint;
}

/**
 * 18-decimal USD price of a vault token as the vault's guards see it (`rebalanceBounds().assets`,
 * 0 when its oracle is unhealthy); the asset is 1 USD.
 */
export async function priceOf(g: GuardedVault, token: string): Promise<bigint> {
  if (token.toLowerCase() === g.usdcInfo.address.toLowerCase()) return E18;
  const b = await g.vault.getFunction("rebalanceBounds")();
  for (const a of b.assets as { token: string; price: bigint }[]) {
    if (a.token.toLowerCase() === token.toLowerCase()) return a.price;
  }
  throw new Error(`not a vault asset: ${token}`);
}

/** 18-decimal USD price from a token's mock feed (8 decimals), independent of the vault. */
export async function feedPrice(feed: Contract): Promise<bigint> {
  return ((await feed.getFunction("answer")()) as bigint) * 10n ** 10n;
}

/** Decimals of a vault token. */
export async function decimalsOf(g: GuardedVault, token: string): Promise<number> {
  if (token.toLowerCase() === g.usdcInfo.address.toLowerCase()) return 6;
  const i = await indexOf(g, token);
  return Number(await g.w.tokens[i]!.getFunction("decimals")());
}

async function indexOf(g: GuardedVault, token: string): Promise<number> {
  for (let i = 0; i < g.w.tokens.length; i++) {
    if ((await g.w.tokens[i]!.getAddress()).toLowerCase() === token.toLowerCase()) return i;
  }
  throw new Error(`unknown token ${token}`);
}

/** TradeMath.minAmountOut, recomputed in TypeScript (ceil of the exact bound). */
export function oracleMinOut(
  amountIn: bigint,
  priceIn: bigint,
  decIn: number,
  priceOut: bigint,
  decOut: number,
  slippageBps: number,
): bigint {
  const num = amountIn * priceIn * BigInt(10_000 - slippageBps) * 10n ** BigInt(decOut);
  const den = priceOut * 10_000n * 10n ** BigInt(decIn);
  return (num + den - 1n) / den;
}

/** A typed trade through the Uniswap adapter asking exactly the loosest bound the vault accepts. */
export async function trade(
  g: GuardedVault,
  tokenIn: string,
  tokenOut: string,
  amountIn: bigint,
  opts: { adapter?: string; minAmountOut?: bigint; slippageBps?: number } = {},
) {
  const minAmountOut =
    opts.minAmountOut ??
    oracleMinOut(
      amountIn,
      await priceOf(g, tokenIn),
      await decimalsOf(g, tokenIn),
      await priceOf(g, tokenOut),
      await decimalsOf(g, tokenOut),
      opts.slippageBps ?? g.limits.maxSlippageBps,
    );
  return {
    tokenIn,
    tokenOut,
    amountIn,
    minAmountOut,
    adapter: opts.adapter ?? (await g.adapter.getAddress()),
    route: { fees: [FEE], intermediates: [] as string[] },
  };
}

/** Sends a rebalance as the keeper with the current nonce and a one-hour deadline. */
export async function rebalance(g: GuardedVault, trades: Awaited<ReturnType<typeof trade>>[]) {
  const b = await g.vault.getFunction("rebalanceBounds")();
  const block = await g.w.ethers.provider.getBlock("latest");
  const deadline = BigInt(block!.timestamp) + 3_600n;
  return (g.vault.connect(g.w.keeper) as Contract).getFunction("rebalance")(trades, b.nonce, deadline);
}

export async function setLimits(g: GuardedVault, limits: RiskLimits): Promise<void> {
  await (await (g.vault.connect(g.w.curator) as Contract).getFunction("setLimits")(limits)).wait();
  g.limits = limits;
}

export async function deployGuardedVault(
  ethers: HardhatEthers,
  opts: GuardedVaultOptions = {},
): Promise<GuardedVault> {
  const w = await deployWorld(ethers, USDC(1_000));
  const vault = w.vault;
  const uni = await deployUniswapV3(w.admin);
  const usdcInfo = { address: await w.usdc.getAddress(), decimals: 6 };
  const pools: PoolInfo[] = [];
  const liquidityUsd = (opts.liquidityUsd ?? 100_000_000n) * WAD;
  for (let i = 0; i < w.tokens.length; i++) {
    const token = w.tokens[i]!;
    const info = {
      address: await token.getAddress(),
      decimals: Number(await token.getFunction("decimals")()),
    };
    const price = await feedPrice(w.feeds[i]!);
    const pool = await createPool(uni, info, price, usdcInfo, WAD, FEE);
    const p0 = pool.token0.address === info.address ? price : WAD;
    const p1 = pool.token0.address === info.address ? WAD : price;
    const [a0, a1] = amountsForUsd(pool, p0, p1, liquidityUsd);
    const t0 = pool.token0.address === info.address ? token : w.usdc;
    const t1 = pool.token0.address === info.address ? w.usdc : token;
    await (await t0.getFunction("mint")(w.admin.address, a0)).wait();
    await (await t1.getFunction("mint")(w.admin.address, a1)).wait();
    await addLiquidity(uni, pool, w.admin, { amount0: a0, amount1: a1 });
    pools.push(pool);
  }
  const adapter = (await ethers.deployContract("UniswapV3SwapAdapter", [
    await uni.router.getAddress(),
  ])) as unknown as Contract;
  const adapterAddress = await adapter.getAddress();
  const asCurator = vault.connect(w.curator) as Contract;
  await (await asCurator.getFunction("setSwapAdapter")(adapterAddress)).wait();
  for (const token of w.tokens) {
    await (
      await asCurator.getFunction("setDeleverageRoute")(await token.getAddress(), adapterAddress, {
        fees: [FEE],
        intermediates: [],
      })
    ).wait();
  }
  const limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  const g: GuardedVault = { w, vault, uni, adapter, usdcInfo, pools, limits };
  await setLimits(g, limits);
  const deposit = opts.deposit ?? USDC(1_000_000);
  await (await w.usdc.getFunction("mint")(w.alice.address, deposit)).wait();
  await (
    await (w.usdc.connect(w.alice) as Contract).getFunction("approve")(await vault.getAddress(), MAX_UINT)
  ).wait();
  await (await (vault.connect(w.alice) as Contract).getFunction("deposit")(deposit, w.alice.address)).wait();
  return g;
}
