/**
 * Shared world for the vault's mocha tests: mock USDC (permit), risk tokens of several decimals,
 * mock Chainlink feeds, and a RiskParityVaultHarness deployed through deploy/vault.ts.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { deployVault, type VaultDeployment } from "../../../deploy/vault.ts";
import type {
  MockAggregator,
  MockToken,
  MockUSDC,
  RiskParityVaultHarness,
  VaultAccessManager,
} from "../../../types/ethers-contracts/index.ts";

export const USDC = (x: number | bigint): bigint => BigInt(x) * 10n ** 6n;
export const WAD = 10n ** 18n;
export const HEARTBEAT = 3600;

export interface TokenSpec {
  symbol: string;
  decimals: number;
  /** USD price, 8-decimal feed answer. */
  answer: bigint;
}

export const DEFAULT_TOKENS: readonly TokenSpec[] = [
  { symbol: "WETH", decimals: 18, answer: 3_000n * 10n ** 8n },
  { symbol: "WBTC", decimals: 8, answer: 60_000n * 10n ** 8n },
  { symbol: "LINK", decimals: 18, answer: 15n * 10n ** 8n },
  { symbol: "SOLx", decimals: 6, answer: 150n * 10n ** 8n },
];

export interface World {
  ethers: HardhatEthers;
  admin: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  eve: HardhatEthersSigner;
  usdc: MockUSDC;
  tokens: MockToken[];
  feeds: MockAggregator[];
  vault: RiskParityVaultHarness;
  manager: VaultAccessManager;
  deployment: VaultDeployment;
}

export interface WorldOptions {
  tokens?: readonly TokenSpec[];
  curatorDelay?: number;
  seedAssets?: bigint;
}

/** Feed config accepted by the vault: bounds at 1/100x and 100x the initial answer. */
export function feedConfig(feed: string, answer: bigint, decimals = 8, heartbeat = HEARTBEAT) {
  return { feed, heartbeat, decimals, minPrice: answer / 100n, maxPrice: answer * 100n };
}

export async function deployWorld(ethers: HardhatEthers, opts: WorldOptions = {}): Promise<World> {
  const [admin, curator, guardian, keeper, alice, bob, eve] = await ethers.getSigners();
  if (!admin || !curator || !guardian || !keeper || !alice || !bob || !eve) throw new Error("need 7 signers");
  const usdc = (await ethers.deployContract("MockUSDC")) as unknown as MockUSDC;
  const deployment = await deployVault(ethers, {
    asset: await usdc.getAddress(),
    admin,
    curator: curator.address,
    guardian: guardian.address,
    keeper: keeper.address,
    curatorDelay: opts.curatorDelay ?? 0,
    contractName: "RiskParityVaultHarness",
  });
  const vault = deployment.vault as unknown as RiskParityVaultHarness;
  const vaultAddress = await vault.getAddress();
  const tokens: MockToken[] = [];
  const feeds: MockAggregator[] = [];
  for (const spec of opts.tokens ?? DEFAULT_TOKENS) {
    const token = (await ethers.deployContract("MockToken", [
      spec.symbol,
      spec.symbol,
      spec.decimals,
    ])) as unknown as MockToken;
    const feed = (await ethers.deployContract("MockAggregator", [
      8,
      spec.answer,
    ])) as unknown as MockAggregator;
    const probe = 10n ** BigInt(spec.decimals);
    await token.mint(curator.address, probe);
    await token.connect(curator).approve(vaultAddress, probe);
    await vault
      .connect(curator)
      .addAsset(
        await token.getAddress(),
        feedConfig(await feed.getAddress(), spec.answer),
        5_000,
        curator.address,
        probe,
      );
    tokens.push(token);
    feeds.push(feed);
  }
  for (const who of [admin, alice, bob, eve]) {
    await usdc.mint(who.address, USDC(1_000_000_000));
    await usdc.connect(who).approve(vaultAddress, 2n ** 256n - 1n);
  }
  const seed = opts.seedAssets ?? 0n;
  if (seed > 0n) await vault.connect(admin).deposit(seed, "0x000000000000000000000000000000000000dEaD");
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
    manager: deployment.manager,
    deployment,
  };
}

/** Mints `amount` of `token` to `from` and credits it to the vault's holdings (harness only). */
export async function credit(
  w: World,
  token: MockToken | MockUSDC,
  amount: bigint,
  from = w.admin,
): Promise<void> {
  await token.mint(from.address, amount);
  await token.connect(from).approve(await w.vault.getAddress(), amount);
  await w.vault.connect(from).harnessMove(await token.getAddress(), amount);
}

/** Refreshes every feed's round to "now" with its current answer. */
export async function refreshFeeds(w: World): Promise<void> {
  for (const f of w.feeds) await f.setAnswer(await f.answer());
}
