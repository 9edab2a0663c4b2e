/**
 * Local world for the yield leg (shared by test/contracts/yield, the keeper's yield-leg chain test
 * and scripts/gas-yield.ts): the mock vault world (RiskParityVault over MockUSDC with WETH, WBTC,
 * LINK, SOLx) with keeper limits and an oracle-priced swap adapter for the risk tokens, the
 * reference option venue over the same stablecoin (WETH listed on the vault's own WETH feed), an
 * LP in the venue, a USDC/USD feed, and the yield leg registered through deploy/yield.ts. Local
 * only (open-mint mocks).
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { Contract } from "ethers";
import {
  deployMockVaultWorld,
  feedConfig,
  HEARTBEAT,
  setUpLocalKeeper,
  USDC,
  DEFAULT_TOKENS,
} from "./mock-vault-world.ts";
import { oracleMinOut } from "./guarded-world.ts";
import { deployOptionsVenue } from "./options.ts";
import { DEAD_ADDRESS } from "./vault.ts";
import { deployYieldLeg, EMPTY_ROUTE, type YieldLegDeployment } from "./yield.ts";
import type { MockVaultWorld } from "./mock-vault-world.ts";
import type { OptionVenue, VolatilityOracle } from "../types/ethers-contracts/index.ts";

const WAD = 10n ** 18n;
const DAY = 86_400;

export { USDC, EMPTY_ROUTE };

export interface YieldWorld {
  w: MockVaultWorld;
  venue: OptionVenue;
  volOracle: VolatilityOracle;
  /** USDC / USD, 8 decimals, answer 1. */
  usdFeed: Contract;
  /** Oracle-priced swap adapter for the risk tokens (test-only). */
  swap: Contract;
  leg: YieldLegDeployment;
  /** Keeper limits set on the vault. */
  limits: Record<string, bigint | number>;
}

export interface YieldWorldOptions {
  /** Max weight of the pool share on the vault, bps (default 3000). */
  maxWeightBps?: number;
  /** Pool liquidity from an outside LP, asset units (default 1M USDC). */
  lpAssets?: bigint;
  /** Vault deposit by alice, asset units (default 1M USDC). */
  vaultAssets?: bigint;
  /** Register the pool as the share's deleverage route (default false). */
  deleverageRoute?: boolean;
}

/** Builds the world (see the header). */
export async function deployYieldWorld(
  ethers: HardhatEthers,
  opts: YieldWorldOptions = {},
): Promise<YieldWorld> {
  const w = await deployMockVaultWorld(ethers);
  const { admin, curator, alice, bob } = w;
  const vaultAddress = await w.vault.getAddress();
  const usdcAddress = await w.usdc.getAddress();
  for (const who of [admin, curator, alice, bob, w.eve]) {
    await (await w.usdc.getFunction("mint")(who.address, USDC(1_000_000_000))).wait();
    await (
      await (w.usdc.connect(who) as Contract).getFunction("approve")(vaultAddress, 2n ** 256n - 1n)
    ).wait();
  }
  await (await (w.vault.connect(admin) as Contract).getFunction("deposit")(USDC(1_000), DEAD_ADDRESS)).wait();
  const { swap, limits } = await setUpLocalKeeper(w, USDC(500_000));

  const managerAddress = await w.deployment.manager.getAddress();
  const { venue, volatilityOracle } = await deployOptionsVenue(ethers, {
    admin,
    manager: managerAddress,
    asset: usdcAddress,
    volSetter: admin.address,
  });
  const weth = await w.tokens[0]!.getAddress();
  await (await volatilityOracle.connect(admin).setConfig(weth, 5n * 10n ** 16n, 5n * WAD, DAY)).wait();
  await (await volatilityOracle.connect(admin).setVolatility(weth, 8n * 10n ** 17n)).wait();
  await (
    await venue
      .connect(admin)
      .listUnderlying(weth, feedConfig(await w.feeds[0]!.getAddress(), DEFAULT_TOKENS[0]!.answer))
  ).wait();
  const venueAddress = await venue.getAddress();
  const lpAssets = opts.lpAssets ?? USDC(1_000_000);
  await (
    await (w.usdc.connect(bob) as Contract).getFunction("approve")(venueAddress, 2n ** 256n - 1n)
  ).wait();
  await (await venue.connect(bob).deposit(lpAssets, bob.address)).wait();

  const usdFeed = (await ethers.deployContract("MockAggregator", [8, 10n ** 8n])) as unknown as Contract;
  const leg = await deployYieldLeg(ethers, {
    curator,
    vault: vaultAddress,
    pool: venueAddress,
    assetFeed: await usdFeed.getAddress(),
    heartbeat: HEARTBEAT,
    maxWeightBps: opts.maxWeightBps ?? 3_000,
    ...(opts.deleverageRoute === undefined ? {} : { deleverageRoute: opts.deleverageRoute }),
  });
  await (
    await (w.vault.connect(alice) as Contract).getFunction("deposit")(
      opts.vaultAssets ?? USDC(1_000_000),
      alice.address,
    )
  ).wait();
  return { w, venue, volOracle: volatilityOracle, usdFeed, swap, leg, limits };
}

/** Refreshes every vault feed and the USDC feed to "now" with their current answers. */
export async function refreshYieldFeeds(y: YieldWorld): Promise<void> {
  for (const f of [...y.w.feeds, y.usdFeed])
    await (await f.getFunction("setAnswer")(await f.getFunction("answer")())).wait();
  const weth = await y.w.tokens[0]!.getAddress();
  await (
    await y.volOracle.connect(y.w.admin).setVolatility(weth, await y.volOracle.getVolatility(weth))
  ).wait();
}

/** A keeper trade between USDC and the pool share through the yield adapter (empty route). */
export async function yieldTrade(
  y: YieldWorld,
  side: "buy" | "sell",
  amountIn: bigint,
  minAmountOut: bigint,
): Promise<{
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
  minAmountOut: bigint;
  adapter: string;
  route: typeof EMPTY_ROUTE;
}> {
  const usdc = await y.w.usdc.getAddress();
  const share = y.leg.token;
  return {
    tokenIn: side === "buy" ? usdc : share,
    tokenOut: side === "buy" ? share : usdc,
    amountIn,
    minAmountOut,
    adapter: await y.leg.adapter.getAddress(),
    route: EMPTY_ROUTE,
  };
}

/** Oracle minimum output the vault will require for a yield trade at `slippageBps` (TradeMath, ceil). */
export async function yieldOracleMinOut(
  y: YieldWorld,
  side: "buy" | "sell",
  amountIn: bigint,
  slippageBps: number,
): Promise<bigint> {
  const [, sharePrice] = await y.leg.feed.latestRoundData();
  const usdPrice = WAD; // the vault has no asset feed: 1 USD
  return side === "buy"
    ? oracleMinOut(amountIn, usdPrice, 6, sharePrice, 12, slippageBps)
    : oracleMinOut(amountIn, sharePrice, 12, usdPrice, 6, slippageBps);
}

/** Sends a rebalance as the keeper with the current nonce. */
export async function sendRebalance(y: YieldWorld, trades: unknown[]): Promise<unknown> {
  const b = await y.w.vault.getFunction("rebalanceBounds")();
  const block = await y.w.ethers.provider.getBlock("latest");
  return (y.w.vault.connect(y.w.keeper) as Contract).getFunction("rebalance")(
    trades,
    b.nonce,
    BigInt(block!.timestamp) + 3_600n,
  );
}
