/**
 * Shared world for the vault's mocha tests: mock USDC (permit), risk tokens of several decimals,
 * mock Chainlink feeds, and a RiskParityVaultHarness deployed through deploy/vault.ts.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import {
  DEFAULT_TOKENS,
  deployMockVaultWorld,
  feedConfig,
  HEARTBEAT,
  USDC,
  type MockVaultWorld,
  type TokenSpec,
} from "../../../deploy/mock-vault-world.ts";
import type {
  MockAggregator,
  MockToken,
  MockUSDC,
  RiskParityVaultHarness,
  VaultAccessManager,
} from "../../../types/ethers-contracts/index.ts";

export { DEFAULT_TOKENS, feedConfig, HEARTBEAT, USDC, type TokenSpec };
export const WAD = 10n ** 18n;

/** The shared mock world with the generated contract types of the harness deployment. */
export interface World extends Omit<MockVaultWorld, "usdc" | "tokens" | "feeds" | "vault"> {
  usdc: MockUSDC;
  tokens: MockToken[];
  feeds: MockAggregator[];
  vault: RiskParityVaultHarness;
  manager: VaultAccessManager;
}

export interface WorldOptions {
  tokens?: readonly TokenSpec[];
  curatorDelay?: number;
  seedAssets?: bigint;
}

export async function deployWorld(ethers: HardhatEthers, opts: WorldOptions = {}): Promise<World> {
  const w = await deployMockVaultWorld(ethers, {
    ...opts,
    contractName: "RiskParityVaultHarness",
  });
  const { admin, alice, bob, eve, deployment } = w;
  const usdc = w.usdc as unknown as MockUSDC;
  const vault = w.vault as unknown as RiskParityVaultHarness;
  const tokens = w.tokens as unknown as MockToken[];
  const feeds = w.feeds as unknown as MockAggregator[];
  const vaultAddress = await vault.getAddress();
  for (const who of [admin, alice, bob, eve]) {
    await usdc.mint(who.address, USDC(1_000_000_000));
    await usdc.connect(who).approve(vaultAddress, 2n ** 256n - 1n);
  }
  const seed = opts.seedAssets ?? 0n;
  if (seed > 0n) await vault.connect(admin).deposit(seed, "0x000000000000000000000000000000000000dEaD");
  return { ...w, usdc, tokens, feeds, vault, manager: deployment.manager };
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
