/**
 * The real RiskParityVault set up for keeper tests: limits, an oracle-priced swap adapter, a
 * deposit, and Chainlink-style price histories (60 daily rounds per token ending at the vault's
 * feed answer) for the keeper's planner. Shared by vault.test.ts and options.test.ts.
 */
import type { Address } from "viem";
import type { network } from "hardhat";
import { deployWorld, USDC, DEFAULT_TOKENS, type World } from "../../contracts/vault/fixture.ts";
import { setUpLocalKeeper } from "../../../deploy/mock-vault-world.ts";

type Ethers = Awaited<ReturnType<typeof network.create>>["ethers"];

const DAY = 86_400;

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
