/**
 * Gas of the yield leg on a local Hardhat network (deploy/yield-world.ts: the real
 * RiskParityVault, the reference OptionVenue as the LP pool, ERC4626SharePriceFeed,
 * ERC4626SwapAdapter). Run: npx hardhat run scripts/gas-yield.ts
 * Transactions report receipt.gasUsed; views are estimateGas (including the 21,000 base cost).
 * Compared with a one-trade rebalance of WETH through the test OracleSwapAdapter (same vault
 * guards, a trivial swap), and vault deposits/exits before and after the vault holds the share
 * (every held asset adds one oracle read to each deposit and cash exit).
 */
import { network } from "hardhat";
import type { Contract } from "ethers";
import {
  deployYieldWorld,
  sendRebalance,
  USDC,
  yieldOracleMinOut,
  yieldTrade,
} from "../deploy/yield-world.ts";

const { ethers } = await network.create();
const y = await deployYieldWorld(ethers);
const rows: [string, bigint][] = [];
type Sent = { wait: () => Promise<{ gasUsed: bigint } | null> };
const tx = async (name: string, p: Promise<unknown>): Promise<void> => {
  const receipt = await ((await p) as Sent).wait();
  if (receipt === null) throw new Error(name);
  rows.push([name, receipt.gasUsed]);
};
const vault = y.w.vault;
const alice = y.w.alice;
const SLIP = 30;

await tx(
  "vault.deposit (4 risk assets registered, none held)",
  (vault.connect(alice) as Contract).getFunction("deposit")(USDC(1_000), alice.address),
);
const weth = await y.w.tokens[0]!.getAddress();
const usdc = await y.w.usdc.getAddress();
const wethAmount = (USDC(100_000) * 10n ** 12n) / 3_000n;
await tx(
  "vault.rebalance: 1 trade USDC -> WETH (OracleSwapAdapter, for comparison)",
  sendRebalance(y, [
    {
      tokenIn: usdc,
      tokenOut: weth,
      amountIn: USDC(100_000),
      minAmountOut: (wethAmount * 9_950n) / 10_000n,
      adapter: await y.swap.getAddress(),
      route: { fees: [3000], intermediates: [] as string[] },
    },
  ]),
);
await tx(
  "vault.deposit (WETH held)",
  (vault.connect(alice) as Contract).getFunction("deposit")(USDC(1_000), alice.address),
);
await tx(
  "vault.rebalance: 1 trade USDC -> ovLP (yield leg deposit, first)",
  sendRebalance(y, [
    await yieldTrade(y, "buy", USDC(100_000), await yieldOracleMinOut(y, "buy", USDC(100_000), SLIP)),
  ]),
);
await tx(
  "vault.rebalance: 1 trade USDC -> ovLP (yield leg deposit, again)",
  sendRebalance(y, [
    await yieldTrade(y, "buy", USDC(50_000), await yieldOracleMinOut(y, "buy", USDC(50_000), SLIP)),
  ]),
);
await tx(
  "vault.deposit (WETH and ovLP held)",
  (vault.connect(alice) as Contract).getFunction("deposit")(USDC(1_000), alice.address),
);
const held = await y.venue["balanceOf(address)"](await vault.getAddress());
await tx(
  "vault.rebalance: 1 trade ovLP -> USDC (yield leg redeem, half)",
  sendRebalance(y, [
    await yieldTrade(y, "sell", held / 2n, await yieldOracleMinOut(y, "sell", held / 2n, SLIP)),
  ]),
);
await tx(
  "vault.redeem (cash exit, WETH and ovLP held)",
  (vault.connect(alice) as Contract).getFunction("redeem")(10n ** 9n, alice.address, alice.address),
);
await tx(
  "vault.redeemInKind (WETH and ovLP held)",
  (vault.connect(alice) as Contract).getFunction("redeemInKind")(10n ** 9n, alice.address, alice.address, []),
);
rows.push([
  "ERC4626SharePriceFeed.latestRoundData (estimateGas)",
  await y.leg.feed.latestRoundData.estimateGas(),
]);
rows.push([
  "USDC/USD MockAggregator.latestRoundData (estimateGas)",
  await y.usdFeed.getFunction("latestRoundData").estimateGas(),
]);

console.log("| operation | gas |");
console.log("|---|---:|");
for (const [name, gas] of rows) console.log(`| ${name} | ${gas} |`);
