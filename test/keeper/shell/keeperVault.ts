/**
 * The real RiskParityVault set up for keeper tests: limits, an oracle-priced swap adapter, a
 * deposit, and Chainlink-style price histories (60 daily rounds per token ending at the vault's
 * feed answer) for the keeper's planner, the keeper config and key, and the option venue + adapter.
 * Shared by the keeper shell's chain tests.
 */
import type { Address, Hex } from "viem";
import type { network } from "hardhat";
import { deployWorld, USDC, DEFAULT_TOKENS, type World } from "../../contracts/vault/fixture.ts";
import { OVERLAY_GUARD_PARAMS } from "../../contracts/options/helpers/fixture.ts";
import { setUpLocalKeeper } from "../../../deploy/mock-vault-world.ts";
import { deployOptionAdapter, deployOptionsVenue } from "../../../deploy/options.ts";
import type {
  OptionVenue,
  OptionVenueAdapter,
  VolatilityOracle,
} from "../../../types/ethers-contracts/index.ts";

type Ethers = Awaited<ReturnType<typeof network.create>>["ethers"];

const DAY = 86_400;

/** Hardhat's default account #3: the keeper signer of the mock worlds. */
export const KEEPER_KEY: Hex = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

/**
 * Keeper config (input of parseConfig, without `database`) for a local vault: the Hardhat chain
 * behind `rpcUrl`, USDC (6 decimals) as the asset, the given history feeds and swap adapter, fast
 * polling, 60 days of history (50-day lookback, 20-day half-life), no metrics, debug logs.
 */
export function keeperTestConfig(p: {
  rpcUrl: string;
  vault: Address;
  asset: string;
  feeds: Record<string, string>;
  swapAdapter: string;
}) {
  return {
    chainId: 31337,
    rpcUrls: [p.rpcUrl],
    vault: p.vault,
    asset: { address: p.asset, decimals: 6 },
    feeds: p.feeds,
    swap: { adapter: p.swapAdapter, feeTier: 3000 },
    historyDays: 60,
    pollIntervalMs: 50,
    minTradeValue: 50,
    metrics: { enabled: false },
    logLevel: "debug",
    fees: { stuckAfterMs: 5_000, maxFeePerGasGwei: 500 },
    strategy: { lookbackDays: 50, halfLifeDays: 20 },
  };
}

export interface KeeperVault {
  w: World;
  vaultAddr: Address;
  /** The whitelisted OracleSwapAdapter (fills at the tokens' feed prices). */
  swapAddr: Address;
}

export async function deployKeeperVault(ethers: Ethers): Promise<KeeperVault> {
  const w = await deployWorld(ethers, { seedAssets: USDC(1_000) });
  const vaultAddr = (await w.vault.getAddress()) as Address;
  const { swap } = await setUpLocalKeeper(w, USDC(200_000));
  const swapAddr = (await swap.getAddress()) as Address;
  await w.vault.connect(w.alice).deposit(USDC(1_000_000), w.alice.address);
  return { w, vaultAddr, swapAddr };
}

/** Deploys one TestAggregator per token with 60 daily rounds ending at the vault's feed answer. */
export async function deployPriceHistories(ethers: Ethers, w: World): Promise<Record<string, string>> {
  const now = Number((await ethers.provider.getBlock("latest"))!.timestamp);
  const feeds: Record<string, string> = {};
  for (let i = 0; i < w.tokens.length; i++) {
    const agg = await ethers.deployContract("TestAggregator", [8]);
    const last = Number(DEFAULT_TOKENS[i]!.answer);
    const answers: bigint[] = [];
    const times: bigint[] = [];
    for (let d = 59; d >= 0; d--) {
      const wiggle = 1 + 0.03 * Math.sin(d * (i + 1.3)) + 0.02 * Math.cos(d * 0.7 * (i + 2));
      answers.push(BigInt(Math.round(d === 0 ? last : last * wiggle)));
      times.push(BigInt(now - d * DAY - 60));
    }
    await agg.getFunction("pushRounds")(answers, times);
    feeds[await w.tokens[i]!.getAddress()] = await agg.getAddress();
  }
  return feeds;
}

export interface KeeperOptions {
  venue: OptionVenue;
  volatilityOracle: VolatilityOracle;
  venueAddr: Address;
  adapter: OptionVenueAdapter;
  adapterAddr: Address;
}

/**
 * The option venue and adapter (deploy/options.ts) on a keeper vault: `list` sets up and lists
 * each token on the venue (volatility config and feed are the caller's), bob deposits 20M USDC as
 * the venue's LP, and the adapter (OVERLAY_GUARD_PARAMS, 1M USDC notional cap per token) is
 * registered on the vault.
 */
export async function deployKeeperOptions(
  ethers: Ethers,
  { w, vaultAddr }: KeeperVault,
  list: (
    v: { venue: OptionVenue; volatilityOracle: VolatilityOracle },
    token: string,
    i: number,
  ) => Promise<void>,
): Promise<KeeperOptions> {
  const managerAddr = await w.manager.getAddress();
  const { venue, volatilityOracle } = await deployOptionsVenue(ethers, {
    admin: w.admin,
    manager: managerAddr,
    asset: await w.usdc.getAddress(),
    volSetter: w.admin.address,
  });
  const venueAddr = (await venue.getAddress()) as Address;
  const tokenAddrs = await Promise.all(w.tokens.map((t) => t.getAddress()));
  for (const [i, t] of tokenAddrs.entries()) await list({ venue, volatilityOracle }, t, i);
  await w.usdc.mint(w.bob.address, USDC(20_000_000));
  await w.usdc.connect(w.bob).approve(venueAddr, USDC(20_000_000));
  await venue.connect(w.bob).deposit(USDC(20_000_000), w.bob.address);
  const adapter = await deployOptionAdapter(ethers, {
    admin: w.admin,
    manager: managerAddr,
    vault: vaultAddr,
    venue: venueAddr,
    params: OVERLAY_GUARD_PARAMS,
  });
  const adapterAddr = (await adapter.getAddress()) as Address;
  for (const t of tokenAddrs) await adapter.connect(w.curator).setNotionalCap(t, USDC(1_000_000));
  await w.vault.connect(w.curator).getFunction("addAdapter")(adapterAddr);
  return { venue, volatilityOracle, venueAddr, adapter, adapterAddr };
}
