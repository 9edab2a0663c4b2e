/**
 * Gas of the options venue and its adapter on a local Hardhat network.
 * Run: npx hardhat run scripts/gas-options.ts
 * Views are measured with estimateGas (which includes the 21,000 base cost of a transaction; the
 * "execution" column subtracts it). Transactions report receipt.gasUsed.
 */
import { network } from "hardhat";
import {
  DAY,
  SPOT,
  USDC,
  VOL,
  WAD,
  WETH,
  deployVenueWorld,
  feedAnswer,
} from "../test/contracts/options/helpers/fixture.ts";

const { ethers, networkHelpers } = await network.create();
const w = await deployVenueWorld(ethers);
const rows: [string, bigint, boolean][] = [];
const view = (name: string, gas: bigint): void => void rows.push([name, gas, true]);
const tx = async (
  name: string,
  p: Promise<{ wait: () => Promise<{ gasUsed: bigint } | null> }>,
): Promise<void> => {
  const receipt = await (await p).wait();
  if (receipt === null) throw new Error(name);
  rows.push([name, receipt.gasUsed, false]);
};

const strike = SPOT * WAD;
const now = await networkHelpers.time.latest();
const expiry = BigInt(now + 30 * DAY);
const amount = 10n * WAD;
const venueAddr = await w.venue.getAddress();
const buyer = w.venue.connect(w.buyer);

view(
  "pricer.price (one vanilla Black-Scholes)",
  await w.pricer.price.estimateGas(strike, strike, 30n * BigInt(DAY), VOL, 0n, false),
);
view(
  "venue.quoteBuy put (oracle + vol + BS)",
  await w.venue.quoteBuy.estimateGas(WETH, false, strike, expiry, amount),
);
view(
  "venue.quoteBuy call spread (two BS)",
  await w.venue.quoteBuy.estimateGas(WETH, true, strike, expiry, amount),
);
await tx(
  "venue.buy put, new series",
  buyer.buy(WETH, false, strike, expiry, amount, ethers.MaxUint256, w.buyer.address),
);
await tx(
  "venue.buy put, existing series",
  buyer.buy(WETH, false, strike, expiry, amount, ethers.MaxUint256, w.buyer.address),
);
await tx(
  "venue.buy call spread, new series",
  buyer.buy(WETH, true, strike, expiry, amount, ethers.MaxUint256, w.buyer.address),
);
const putId = await w.venue.seriesId(WETH, false, strike, expiry);
view("venue.quoteSell put", await w.venue.quoteSell.estimateGas(putId, amount));
await tx("venue.sell put (sell back at the bid)", buyer.sell(putId, amount, 0n, w.buyer.address));

// Adapter: open one series through a mock vault.
const vault = await ethers.deployContract("OptionsMockVault", [await w.usdc.getAddress(), 1_000_000n * USDC]);
await w.usdc.mint(await vault.getAddress(), 1_000_000n * USDC);
const adapter = await ethers.deployContract("OptionVenueAdapter", [
  await vault.getAddress(),
  venueAddr,
  await w.manager.getAddress(),
  {
    premiumBudgetBps: 500,
    premiumWindow: 7 * DAY,
    minExpiryDays: 1,
    maxExpiryDays: 90,
    strikeBandBps: 2_000,
    maxOpenSeries: 8,
  },
]);
await adapter.setNotionalCap(WETH, 10_000_000n * USDC);
const adapterAddr = await adapter.getAddress();
const order = (k: bigint, isCall: boolean) => ({
  underlying: WETH,
  isCall,
  strike: k * WAD,
  expiry,
  amount,
  maxPremium: 100_000n * USDC,
});
await tx(
  "adapter.open via vault (guards + buy), new series",
  vault.openOption(adapterAddr, order(2_000n, false)),
);
view("adapter.realAssets, 1 series", await adapter.realAssets.estimateGas());
view("adapter.exposures, 1 series", await adapter.exposures.estimateGas());
await vault.openOption(adapterAddr, order(1_900n, false));
await vault.openOption(adapterAddr, order(2_200n, true));
view("adapter.realAssets, 3 series", await adapter.realAssets.estimateGas());
view("adapter.exposures, 3 series", await adapter.exposures.estimateGas());
await tx(
  "adapter.redeemInKind 1/2 via vault, 3 series",
  vault.redeemInKind(adapterAddr, w.other.address, 1n, 2n),
);

// Settlement: first round after expiry.
await networkHelpers.time.increaseTo(expiry + 60n);
await w.feed.updateAnswer(feedAnswer(1_800n));
const round = await w.feed.latestRound();
await tx("venue.settle (round verification + payout)", w.venue.settle(putId, round));
await tx("venue.redeemPosition (settled put)", buyer.redeemPosition(putId, amount, w.buyer.address));
await tx("adapter.settle (venue already settled: redeem to vault)", adapter.settle(putId, round));
const callId = await w.venue.seriesId(WETH, true, 2_200n * WAD, expiry);
await tx("adapter.settle (settles on the venue too)", adapter.settle(callId, round));

console.log("| operation | gas | execution (view: minus 21,000) |");
console.log("|---|---:|---:|");
for (const [name, gas, isView] of rows) console.log(`| ${name} | ${gas} | ${isView ? gas - 21_000n : "-"} |`);
void venueAddr;
