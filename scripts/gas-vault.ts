/**
 * Gas of the RiskParityVault's deposit, redeem and redeemInKind with 1, 4 and 16 risk assets held,
 * beside a plain OpenZeppelin ERC-4626 (decimals offset 6) measured in the same run.
 *
 *   npx hardhat run scripts/gas-vault.ts
 *
 * Scenario (identical for every vault): an existing holder already deposited; a fresh account
 * deposits 1 000 USDC (cold receiver balance), then redeems half its shares for USDC, then (our
 * vault only) redeems half of the rest in kind. Our vault holds every risk asset (each valued
 * through its feed on every deposit/redeem), charges 1 %/year management, 10 % performance,
 * 10 bps entry and exit fees, and accrues fees on every call (each transaction is a new block).
 * Feeds are the test MockAggregator (one cold account + about 4 cold slots per read, close to a
 * Chainlink proxy + aggregator pair; a real proxy costs somewhat more).
 */
import { network } from "hardhat";
import { deployVault } from "../deploy/vault.ts";
import type { MockUSDC, RiskParityVaultHarness } from "../types/ethers-contracts/index.ts";

const { ethers } = await network.create();
const USDC = (x: bigint): bigint => x * 10n ** 6n;

interface Row {
  name: string;
  deposit: bigint;
  redeem: bigint;
  inKind: bigint | null;
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

async function measurePlain(): Promise<Row> {
  const [admin, holder, user] = await ethers.getSigners();
  if (!admin || !holder || !user) throw new Error("signers");
  const usdc = (await ethers.deployContract("MockUSDC")) as unknown as MockUSDC;
  const plain = await ethers.deployContract("PlainERC4626", [await usdc.getAddress()]);
  for (const s of [holder, user]) {
    await usdc.mint(s.address, USDC(1_000_000n));
    await usdc.connect(s).approve(await plain.getAddress(), 2n ** 256n - 1n);
  }
  await plain.connect(holder).getFunction("deposit")(USDC(100_000n), holder.address);
  const deposit = await gasOf(plain.connect(user).getFunction("deposit")(USDC(1_000n), user.address));
  const shares = (await plain.getFunction("balanceOf")(user.address)) as bigint;
  const redeem = await gasOf(
    plain.connect(user).getFunction("redeem")(shares / 2n, user.address, user.address),
  );
  return { name: "plain OZ ERC4626", deposit, redeem, inKind: null };
}

async function measureVault(nAssets: number): Promise<Row> {
  const [admin, holder, user] = await ethers.getSigners();
  if (!admin || !holder || !user) throw new Error("signers");
  const usdc = (await ethers.deployContract("MockUSDC")) as unknown as MockUSDC;
  const { vault: v } = await deployVault(ethers, {
    asset: await usdc.getAddress(),
    admin,
    curator: admin.address,
    curatorDelay: 0,
    contractName: "RiskParityVaultHarness",
  });
  const vault = v as unknown as RiskParityVaultHarness;
  const vaultAddress = await vault.getAddress();
  for (const s of [admin, holder, user]) {
    await usdc.mint(s.address, USDC(10_000_000n));
    await usdc.connect(s).approve(vaultAddress, 2n ** 256n - 1n);
  }
  await vault.connect(holder).deposit(USDC(100_000n), holder.address);
  for (let i = 0; i < nAssets; i++) {
    const decimals = [18, 8, 6, 12][i % 4]!;
    const answer = BigInt(10 + i) * 10n ** 8n;
    const token = await ethers.deployContract("MockToken", [`T${i}`, `T${i}`, decimals]);
    const feed = await ethers.deployContract("MockAggregator", [8, answer]);
    const unit = 10n ** BigInt(decimals);
    await token.getFunction("mint")(admin.address, unit * 1_000n);
    await token.getFunction("approve")(vaultAddress, unit * 1_000n);
    await vault.addAsset(
      await token.getAddress(),
      { feed: await feed.getAddress(), heartbeat: 86_400, decimals: 8, minPrice: 1n, maxPrice: 10n ** 15n },
      1_000,
      admin.address,
      unit,
    );
    await vault.harnessMove(await token.getAddress(), unit * 100n);
  }
  await vault.setFeeRecipient(admin.address);
  await vault.setFees(100, 1_000, 10, 10);
  await vault.accrueFees(); // steady state: the fee recipient already holds shares
  const deposit = await gasOf(vault.connect(user).deposit(USDC(1_000n), user.address));
  const shares = await vault.balanceOf(user.address);
  const redeem = await gasOf(vault.connect(user).redeem(shares / 2n, user.address, user.address));
  const inKind = await gasOf(vault.connect(user).redeemInKind(shares / 4n, user.address, user.address, []));
  return { name: `RiskParityVault, ${nAssets} risk asset${nAssets > 1 ? "s" : ""}`, deposit, redeem, inKind };
}

const rows: Row[] = [await measurePlain()];
for (const n of [1, 4, 16]) rows.push(await measureVault(n));
const base = rows[0]!;
const ratio = (x: bigint, b: bigint): string => (Number(x) / Number(b)).toFixed(2) + "x";
console.log("| vault | deposit | vs plain | redeem | vs plain | redeemInKind |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.deposit} | ${ratio(r.deposit, base.deposit)} | ${r.redeem} | ${ratio(r.redeem, base.redeem)} | ${r.inKind ?? "-"} |`,
  );
}
