/**
 * The ONE local "mock world" setup shared by the vault's mocha fixture
 * (test/contracts/vault/fixture.ts) and the guarded world (deploy/guarded-world.ts): seven signers,
 * the test MockUSDC, a RiskParityVault (or its harness) deployed through deploy/vault.ts with roles
 * on distinct signers, and MockToken risk assets with 8-decimal MockAggregator feeds registered on
 * the vault (maxWeightBps 5000, feed bounds at 1/100x and 100x the initial answer). Local only:
 * the mocks have open mints. Contracts are untyped ethers Contracts; callers cast to generated types.
 */
import type { BaseContract, Contract } from "ethers";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { deployVault, type VaultDeployment } from "./vault.ts";

export const USDC = (x: number | bigint): bigint => BigInt(x) * 10n ** 6n;
export const HEARTBEAT = 3600;

export interface TokenSpec {
  symbol: string;
  decimals: number;
  /** USD price, 8-decimal feed answer. */
  answer: bigint;
}

/** WETH 3000, WBTC 60000, LINK 15, SOLx 150 USD, with 18, 8, 18 and 6 decimals. */
export const DEFAULT_TOKENS: readonly TokenSpec[] = [
  { symbol: "WETH", decimals: 18, answer: 3_000n * 10n ** 8n },
  { symbol: "WBTC", decimals: 8, answer: 60_000n * 10n ** 8n },
  { symbol: "LINK", decimals: 18, answer: 15n * 10n ** 8n },
  { symbol: "SOLx", decimals: 6, answer: 150n * 10n ** 8n },
];

/** Feed config accepted by the vault: bounds at 1/100x and 100x the initial answer. */
export function feedConfig(feed: string, answer: bigint, decimals = 8, heartbeat = HEARTBEAT) {
  return { feed, heartbeat, decimals, minPrice: answer / 100n, maxPrice: answer * 100n };
}

export interface MockVaultWorld {
  ethers: HardhatEthers;
  admin: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  eve: HardhatEthersSigner;
  usdc: Contract;
  tokens: Contract[];
  feeds: Contract[];
  vault: Contract;
  deployment: VaultDeployment;
}

export interface MockVaultWorldOptions {
  tokens?: readonly TokenSpec[];
  curatorDelay?: number;
  /** Vault contract to deploy (default: deploy/vault.ts's default, RiskParityVault). */
  contractName?: string;
}

/** Deploys the vault over MockUSDC and registers one MockToken + MockAggregator per token spec. */
export async function deployMockVaultWorld(
  ethers: HardhatEthers,
  opts: MockVaultWorldOptions = {},
): Promise<MockVaultWorld> {
  const [admin, curator, guardian, keeper, alice, bob, eve] = await ethers.getSigners();
  if (!admin || !curator || !guardian || !keeper || !alice || !bob || !eve) throw new Error("need 7 signers");
  const usdc = (await ethers.deployContract("MockUSDC")) as unknown as Contract;
  const deployment = await deployVault(ethers, {
    asset: await usdc.getAddress(),
    admin,
    curator: curator.address,
    guardian: guardian.address,
    keeper: keeper.address,
    curatorDelay: opts.curatorDelay ?? 0,
    ...(opts.contractName === undefined ? {} : { contractName: opts.contractName }),
  });
  const vault = deployment.vault as unknown as Contract;
  const vaultAddress = await vault.getAddress();
  const tokens: Contract[] = [];
  const feeds: Contract[] = [];
  for (const spec of opts.tokens ?? DEFAULT_TOKENS) {
    const token = (await ethers.deployContract("MockToken", [
      spec.symbol,
      spec.symbol,
      spec.decimals,
    ])) as unknown as Contract;
    const feed = (await ethers.deployContract("MockAggregator", [8, spec.answer])) as unknown as Contract;
    const probe = 10n ** BigInt(spec.decimals);
    await (await token.getFunction("mint")(curator.address, probe)).wait();
    await (await (token.connect(curator) as Contract).getFunction("approve")(vaultAddress, probe)).wait();
    await (
      await (vault.connect(curator) as Contract).getFunction("addAsset")(
        await token.getAddress(),
        feedConfig(await feed.getAddress(), spec.answer),
        5_000,
        curator.address,
        probe,
      )
    ).wait();
    tokens.push(token);
    feeds.push(feed);
  }
  return {
    ethers,
    admin,
    curator,
    guardian,
    keeper,
    alice,
    bob,
    eve,
    usdc,
    tokens,
    feeds,
    vault,
    deployment,
  };
}

/** Keeper limits for local worlds: leverage 1x (max 1.5x, ripcord 2x), 1% slippage, daily window. */
export function localKeeperLimits(maxTradeValue: bigint) {
  const WAD = 10n ** 18n;
  return {
    targetLeverage: WAD,
    maxLeverage: 15n * 10n ** 17n,
    ripcordLeverage: 2n * WAD,
    maxSlippageBps: 100,
    deleverageSlippageBps: 200,
    maxLossPerRebalanceBps: 100,
    lossBudgetBps: 300,
    maxTradeValue,
    window: 86_400,
    minRebalanceInterval: 0,
    deleverageCooldown: 3600,
    turnoverBps: 10_000,
    deleverageChunkBps: 1_000,
    deleverageBudgetBps: 5_000,
    drawdownBps: 2_000,
    bountyBps: 10,
    maxBounty: USDC(100),
  };
}

/**
 * Makes a mock world keeper-ready: sets `localKeeperLimits(maxTradeValue)` on the vault, deploys
 * the test OracleSwapAdapter priced at each token's feed answer (USDC at 1) and whitelists it as
 * the vault's swap adapter. Returns the adapter and the limits set.
 */
export async function setUpLocalKeeper(
  w: {
    ethers: HardhatEthers;
    curator: HardhatEthersSigner;
    usdc: BaseContract;
    tokens: readonly BaseContract[];
    vault: BaseContract;
  },
  maxTradeValue: bigint,
  specs: readonly TokenSpec[] = DEFAULT_TOKENS,
): Promise<{ swap: Contract; limits: ReturnType<typeof localKeeperLimits> }> {
  const WAD = 10n ** 18n;
  const vault = w.vault.connect(w.curator) as Contract;
  const limits = localKeeperLimits(maxTradeValue);
  await (await vault.getFunction("setLimits")(limits)).wait();
  const swap = (await w.ethers.deployContract("OracleSwapAdapter")) as unknown as Contract;
  await (await swap.getFunction("setPrice")(await w.usdc.getAddress(), WAD)).wait();
  for (let i = 0; i < w.tokens.length; i++)
    await (
      await swap.getFunction("setPrice")(await w.tokens[i]!.getAddress(), specs[i]!.answer * 10n ** 10n)
    ).wait();
  await (await vault.getFunction("setSwapAdapter")(await swap.getAddress())).wait();
  return { swap, limits };
}
