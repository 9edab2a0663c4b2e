/**
 * How much of the put overlay's premium the yield leg offsets, measured on the reference
 * OptionVenue over a real ETH price path (Refinitiv daily closes, /work/shared/data/prices/
 * btc-eth-daily/ETH_price.csv).
 *
 * Run: npx hardhat run scripts/yield-offset.ts
 * Environment: START (default 2022-01-01), MONTHS (default 24), LEG_USD (150000), LP_USD (1000000),
 * HEDGE_USD (400000), MONEYNESS (0.9), MARKET_USD (0: notional of puts an outside buyer also buys
 * each month, same strikes).
 *
 * The "vault" account holds LEG_USD of pool shares (the leg: 15% of a 1M USD vault) next to an
 * outside LP with LP_USD. Every 30 days it buys 30-day puts at MONEYNESS x spot on HEDGE_USD of ETH
 * (the overlay, at the pool's ask, implied volatility = trailing 30-day realised volatility, floor
 * 30%), the series settles on the first round after expiry, and the payout is redeemed. The leg's
 * P&L is the change in what the pool would pay for the vault's shares (previewRedeem). The pool's
 * income is premiums minus payouts, shared pro rata by its LPs, so with no outside flow the leg
 * returns f x (premium - payout) of the vault's own overlay, f = the vault's share of the pool.
 */
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import {
  DAY,
  USDC,
  WAD,
  WETH,
  deployVenueWorld,
  feedAnswer,
} from "../test/contracts/options/helpers/fixture.ts";

const env = (k: string, d: string): string => process.env[k] ?? d;
const START = env("START", "2022-01-01");
const MONTHS = Number(env("MONTHS", "24"));
const LEG = BigInt(env("LEG_USD", "150000")) * USDC;
const LP = BigInt(env("LP_USD", "1000000")) * USDC;
const HEDGE = Number(env("HEDGE_USD", "400000"));
const MONEYNESS = Number(env("MONEYNESS", "0.9"));
const MARKET = Number(env("MARKET_USD", "0"));

const rows = readFileSync("/work/shared/data/prices/btc-eth-daily/ETH_price.csv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(","))
  .map(([d, p]) => ({ date: d!, price: Number(p) }));
const first = rows.findIndex((r) => r.date >= START);
if (first < 31 || first + MONTHS * 30 + 1 >= rows.length)
  throw new Error(`START ${START} / MONTHS out of range`);

const { ethers, networkHelpers } = await network.create();
const w = await deployVenueWorld(ethers);
const vaultAcct = w.other;
const market = w.buyer;
const venue = w.venue;
const venueAddr = await venue.getAddress();
// Pool liquidity: the fixture's LP deposit is 1M; top up (or withdraw) to LP_USD, then the leg.
const lpNow = await venue.previewRedeem(await venue["balanceOf(address)"](w.lp.address));
if (LP > lpNow) {
  await w.usdc.mint(w.lp.address, LP - lpNow);
  await w.usdc.connect(w.lp).approve(venueAddr, LP - lpNow);
  await venue.connect(w.lp).deposit(LP - lpNow, w.lp.address);
} else if (LP < lpNow) {
  await venue.connect(w.lp).withdraw(lpNow - LP, w.lp.address, w.lp.address);
}
await w.usdc.mint(vaultAcct.address, 100_000_000n * USDC);
await w.usdc.connect(vaultAcct).approve(venueAddr, ethers.MaxUint256);
await w.usdc.mint(market.address, 100_000_000n * USDC);
await venue.connect(vaultAcct).deposit(LEG, vaultAcct.address);
const legShares = await venue["balanceOf(address)"](vaultAcct.address);
const leg0 = await venue.previewRedeem(legShares);

const toUsd = (x: bigint): number => Number(x) / 1e6;
/** Publishes an ETH / USD round at `usd` (rounded to 1e-4 USD). */
const publishEth = async (usd: number): Promise<void> => {
  await w.feed.updateAnswer((feedAnswer(1n) * BigInt(Math.round(usd * 1e4))) / 10_000n);
};
let premium = 0n;
let payout = 0n;
let marketPremium = 0n;
let marketPayout = 0n;
let marketSkipped = 0;
const t0 = await networkHelpers.time.latest();
for (let m = 0; m < MONTHS; m++) {
  const i0 = first + m * 30;
  const spot = rows[i0]!.price;
  let s2 = 0;
  for (let k = i0 - 29; k <= i0; k++) s2 += Math.log(rows[k]!.price / rows[k - 1]!.price) ** 2;
  const vol = Math.max(0.3, Math.min(4, Math.sqrt((s2 / 30) * 365)));
  const start = t0 + 10 + m * (30 * DAY + 3_600);
  await networkHelpers.time.increaseTo(start);
  await publishEth(spot);
  await w.volOracle.setVolatility(WETH, BigInt(Math.round(vol * 1e6)) * 10n ** 12n);
  const expiry = BigInt(start + 30 * DAY);
  const strike = BigInt(Math.round(spot * MONEYNESS)) * WAD;
  const buy = async (who: typeof market, usd: number): Promise<[bigint, bigint]> => {
    if (usd <= 0) return [0n, 0n];
    const amount = BigInt(Math.floor((usd / spot) * 1e6)) * 10n ** 12n;
    const before = await w.usdc.balanceOf(who.address);
    await venue.connect(who).buy(WETH, false, strike, expiry, amount, ethers.MaxUint256, who.address);
    return [before - (await w.usdc.balanceOf(who.address)), amount];
  };
  const [p, amount] = await buy(vaultAcct, HEDGE);
  let mp = 0n;
  let marketAmount = 0n;
  try {
    [mp, marketAmount] = await buy(market, MARKET);
  } catch {
    marketSkipped++; // the pool's utilisation cap: no room for the outside buyer this month
  }
  premium += p;
  marketPremium += mp;
  // A round just before expiry, then the first round after it: settlement at the day-30 close.
  await networkHelpers.time.increaseTo(Number(expiry) - 60);
  await publishEth(rows[i0 + 29]!.price);
  await networkHelpers.time.increaseTo(Number(expiry) + 60);
  await publishEth(rows[i0 + 30]!.price);
  const id = await venue.seriesId(WETH, false, strike, expiry);
  await venue.settle(id, await w.feed.latestRound());
  const redeem = async (who: typeof market, amt: bigint): Promise<bigint> => {
    if (amt === 0n) return 0n;
    const before = await w.usdc.balanceOf(who.address);
    await venue.connect(who).redeemPosition(id, amt, who.address);
    return (await w.usdc.balanceOf(who.address)) - before;
  };
  payout += await redeem(vaultAcct, amount);
  marketPayout += await redeem(market, marketAmount);
}
const leg1 = await venue.previewRedeem(legShares);
const legPnl = leg1 - leg0;
const f = Number(legShares) / Number(await venue.totalSupply());
const net = premium - payout;
console.log(
  `ETH ${rows[first]!.date} .. ${rows[first + MONTHS * 30]!.date}, ${MONTHS} monthly rolls of ${MONEYNESS} x spot puts on $${HEDGE}`,
);
console.log(
  `leg $${toUsd(LEG)} of a pool with $${toUsd(LP)} outside LP: vault share of the pool f = ${(100 * f).toFixed(2)}%`,
);
console.log(
  `outside buyer: $${MARKET} notional a month, premium $${toUsd(marketPremium).toFixed(2)}, payout $${toUsd(marketPayout).toFixed(2)}, months skipped (utilisation cap) ${marketSkipped}`,
);
console.log("| quantity | USD |");
console.log("|---|---:|");
console.log(`| overlay premium paid | ${toUsd(premium).toFixed(2)} |`);
console.log(`| overlay payouts received | ${toUsd(payout).toFixed(2)} |`);
console.log(`| overlay net cost (premium - payouts) | ${toUsd(net).toFixed(2)} |`);
console.log(`| yield leg P&L | ${toUsd(legPnl).toFixed(2)} |`);
console.log(`| leg P&L / premium paid | ${((100 * Number(legPnl)) / Number(premium)).toFixed(2)}% |`);
console.log(
  `| leg P&L / overlay net cost | ${net > 0n ? ((100 * Number(legPnl)) / Number(net)).toFixed(2) + "%" : "n/a (payouts exceeded premiums)"} |`,
);
const pool = f * toUsd(net + marketPremium - marketPayout);
console.log(`| check: f x (all premiums - all payouts) | ${pool.toFixed(2)} |`);
