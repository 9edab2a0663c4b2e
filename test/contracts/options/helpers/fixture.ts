import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type {
  OptionsMockAggregator,
  OptionsMockUSDC,
  OptionsTestAccessManager,
  BlackScholesPricer,
  OptionVenue,
  VolatilityOracle,
} from "../../../../types/ethers-contracts/index.ts";
import type { GuardParams } from "../../../../deploy/options.ts";

export const WAD = 10n ** 18n;
export const USDC = 10n ** 6n;
export const DAY = 86_400;
/** A listed underlying; the venue is cash-settled, so no token contract is needed. */
export const WETH = "0x00000000000000000000000000000000000000e7";
export const SPOT = 2_000n; // USD
export const FEED_DECIMALS = 8;
export const HEARTBEAT = 3_600;
export const VOL = 8n * 10n ** 17n; // 80%
export const CALL_CAP_RATIO = 2n * WAD;
export const LP_DEPOSIT = 1_000_000n * USDC;

/**
 * Adapter guards of the overlay tests that run the keeper against a real vault (keeper shell and
 * e2e): 3% premium budget per 30 days, expiries 7 to 60 days, strikes within 30%, 8 open series.
 */
export const OVERLAY_GUARD_PARAMS: GuardParams = {
  premiumBudgetBps: 300,
  premiumWindow: 30 * DAY,
  minExpiryDays: 7,
  maxExpiryDays: 60,
  strikeBandBps: 3_000,
  maxOpenSeries: 8,
};

export interface VenueWorld {
  admin: HardhatEthersSigner;
  lp: HardhatEthersSigner;
  buyer: HardhatEthersSigner;
  other: HardhatEthersSigner;
  manager: OptionsTestAccessManager;
  usdc: OptionsMockUSDC;
  feed: OptionsMockAggregator;
  volOracle: VolatilityOracle;
  pricer: BlackScholesPricer;
  venue: OptionVenue;
}

/** Feed answer (8 decimals) for a USD price. */
export const feedAnswer = (usd: bigint): bigint => usd * 10n ** BigInt(FEED_DECIMALS);

/**
 * Deploys the venue world: AccessManager (admin = first signer), 6-decimal stablecoin, an 8-decimal
 * feed at SPOT (bounds 1..1,000,000 USD), a volatility oracle at VOL (bounds 5%..500%, max age 1 day), the venue (call cap
 * 2x strike, default spread 100 bps, utilisation cap 80%) with WETH listed, and an LP deposit.
 */
export async function deployVenueWorld(ethers: HardhatEthers): Promise<VenueWorld> {
  const [admin, lp, buyer, other] = await ethers.getSigners();
  if (admin === undefined || lp === undefined || buyer === undefined || other === undefined)
    throw new Error("signers");
  const manager = await ethers.deployContract("OptionsTestAccessManager", [admin.address]);
  const usdc = await ethers.deployContract("OptionsMockUSDC");
  const feed = await ethers.deployContract("OptionsMockAggregator", [FEED_DECIMALS, feedAnswer(SPOT)]);
  const volOracle = await ethers.deployContract("VolatilityOracle", [await manager.getAddress()]);
  await volOracle.setConfig(WETH, 5n * 10n ** 16n, 5n * WAD, DAY);
  await volOracle.setVolatility(WETH, VOL);
  const pricer = await ethers.deployContract("BlackScholesPricer");
  const venue = await ethers.deployContract("OptionVenue", [
    await usdc.getAddress(),
    await manager.getAddress(),
    await pricer.getAddress(),
    await volOracle.getAddress(),
    CALL_CAP_RATIO,
  ]);
  await venue.listUnderlying(WETH, {
    feed: await feed.getAddress(),
    heartbeat: HEARTBEAT,
    decimals: FEED_DECIMALS,
    minPrice: 1n * 10n ** 8n, // bounds are 8-decimal USD (OracleLib)
    maxPrice: 1_000_000n * 10n ** 8n,
  });

  await usdc.mint(lp.address, LP_DEPOSIT);
  await usdc.connect(lp).approve(await venue.getAddress(), LP_DEPOSIT);
  await venue.connect(lp).deposit(LP_DEPOSIT, lp.address);
  await usdc.mint(buyer.address, 1_000_000n * USDC);
  await usdc.connect(buyer).approve(await venue.getAddress(), ethers.MaxUint256);
  return { admin, lp, buyer, other, manager, usdc, feed, volOracle, pricer, venue };
}

/** Refreshes the spot feed and the volatility so that neither is stale after a time jump. */
export async function refreshOracles(
  world: VenueWorld,
  spotUsd: bigint = SPOT,
  vol: bigint = VOL,
): Promise<void> {
  await world.feed.updateAnswer(feedAnswer(spotUsd));
  await world.volOracle.setVolatility(WETH, vol);
}

/** An expiry `days` from the latest block. */
export async function expiryIn(helpers: NetworkHelpers, days: number): Promise<bigint> {
  return BigInt((await helpers.time.latest()) + days * DAY);
}

/** ceil(a / b) for non-negative bigints. */
export const divUp = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
