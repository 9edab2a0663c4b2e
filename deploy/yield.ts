/**
 * Deployment helper for the options strategy's optional yield leg (docs/options.md, "Yield leg"):
 * the vault supplies liquidity to the option venue's ERC-4626 LP pool by holding the pool's share
 * token (ovLP) as one more risk asset. Deploys the share price feed and the ERC-4626 swap adapter,
 * whitelists the adapter, and registers the share as a vault asset with its feed, heartbeat and
 * maximum weight, so every existing guard (oracle checks, bounded trades, slippage vs the oracle,
 * max weight, window budgets, in-kind exits) applies unchanged.
 *
 * The signer must hold the vault's CURATOR role without an execution delay (as in the local worlds;
 * with a delayed curator, schedule the same calls through deploy/vault.ts scheduleVaultCall).
 *
 * A deleverage route for the share is NOT set by default: deleverage sells every routed holding in
 * one transaction, and a pool whose collateral is locked cannot redeem, which would revert the
 * whole deleverage chunk (see the doc). Pass `deleverageRoute: true` only for a pool that can
 * always redeem.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, type Signer } from "ethers";
import type { ERC4626SharePriceFeed, ERC4626SwapAdapter } from "../types/ethers-contracts/index.ts";

/** The one route the ERC-4626 adapter accepts: empty (the pool is the only venue). */
export const EMPTY_ROUTE = { fees: [] as number[], intermediates: [] as string[] };

const VAULT_ABI = [
  "function setSwapAdapter(address adapter)",
  "function addAsset(address token, (address feed, uint32 heartbeat, uint8 decimals, uint64 minPrice, uint64 maxPrice) feed, uint16 maxWeightBps, address probeSource, uint256 probeAmount)",
  "function setDeleverageRoute(address token, address adapter, (uint24[] fees, address[] intermediates) route)",
];
const POOL_ABI = [
  "function asset() view returns (address)",
  "function deposit(uint256 assets, address receiver) returns (uint256)",
  "function balanceOf(address) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];
const ERC20_ABI = [
  "function approve(address spender, uint256 amount) returns (bool)",
  "function decimals() view returns (uint8)",
];

export interface DeployYieldLegOptions {
  /** Signer with the vault's CURATOR role (no delay); also funds the registration probe. */
  curator: Signer;
  vault: string;
  /** The ERC-4626 pool (the OptionVenue). */
  pool: string;
  /** Chainlink USD feed of the pool's asset (the stablecoin). */
  assetFeed: string;
  /** Heartbeat the vault enforces on the share feed: the asset feed's heartbeat, seconds. */
  heartbeat: number;
  /** The vault's hard cap on the share's weight, bps (the only bound on the pool's open-option risk). */
  maxWeightBps: number;
  /** Share price bounds, 8-decimal USD (defaults 0.01 and 100 USD per whole share). */
  minPrice?: bigint;
  maxPrice?: bigint;
  /**
   * Asset units the curator deposits into the pool to obtain the shares for the vault's
   * fee-on-transfer probe (sent back at once). Default: one whole asset token.
   */
  probeAssets?: bigint;
  /** Also register the pool as the share's deleverage route (default false; see the header). */
  deleverageRoute?: boolean;
}

export interface YieldLegDeployment {
  feed: ERC4626SharePriceFeed;
  adapter: ERC4626SwapAdapter;
  /** The pool share token, now a vault asset. */
  token: string;
  /** The OracleLib feed configuration registered on the vault. */
  feedConfig: { feed: string; heartbeat: number; decimals: number; minPrice: bigint; maxPrice: bigint };
}

/** Deploys the share feed and adapter and registers the pool share on the vault. */
export async function deployYieldLeg(
  ethers: HardhatEthers,
  opts: DeployYieldLegOptions,
): Promise<YieldLegDeployment> {
  const curatorAddress = await opts.curator.getAddress();
  const feed = (await ethers.deployContract(
    "ERC4626SharePriceFeed",
    [opts.pool, opts.assetFeed],
    opts.curator,
  )) as unknown as ERC4626SharePriceFeed;
  await feed.waitForDeployment();
  const adapter = (await ethers.deployContract(
    "ERC4626SwapAdapter",
    [opts.pool],
    opts.curator,
  )) as unknown as ERC4626SwapAdapter;
  await adapter.waitForDeployment();
  const adapterAddress = await adapter.getAddress();
  const vault = new Contract(opts.vault, VAULT_ABI, opts.curator);
  await (await vault.getFunction("setSwapAdapter")(adapterAddress)).wait();

  // Shares for the vault's transfer probe: deposit a little of the asset into the pool.
  const pool = new Contract(opts.pool, POOL_ABI, opts.curator);
  const asset = new Contract((await pool.getFunction("asset")()) as string, ERC20_ABI, opts.curator);
  const probeAssets = opts.probeAssets ?? 10n ** BigInt((await asset.getFunction("decimals")()) as bigint);
  await (await asset.getFunction("approve")(opts.pool, probeAssets)).wait();
  await (await pool.getFunction("deposit")(probeAssets, curatorAddress)).wait();
  const probeShares = (await pool.getFunction("balanceOf")(curatorAddress)) as bigint;
  await (await pool.getFunction("approve")(opts.vault, probeShares)).wait();

  const feedConfig = {
    feed: await feed.getAddress(),
    heartbeat: opts.heartbeat,
    decimals: 18,
    minPrice: opts.minPrice ?? 1_000_000n,
    maxPrice: opts.maxPrice ?? 100n * 10n ** 8n,
  };
  await (
    await vault.getFunction("addAsset")(opts.pool, feedConfig, opts.maxWeightBps, curatorAddress, probeShares)
  ).wait();
  if (opts.deleverageRoute === true) {
    await (await vault.getFunction("setDeleverageRoute")(opts.pool, adapterAddress, EMPTY_ROUTE)).wait();
  }
  return { feed, adapter, token: opts.pool, feedConfig };
}
