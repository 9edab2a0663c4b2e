import { expect } from "chai";
import { network } from "hardhat";
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  CALL_CAP_RATIO,
  DAY,
  HEARTBEAT,
  LP_DEPOSIT,
  SPOT,
  USDC,
  VOL,
  WAD,
  WETH,
  deployVenueWorld,
  divUp,
  expiryIn,
  feedAnswer,
  refreshOracles,
  type VenueWorld,
} from "./helpers/fixture.ts";
import { blackScholes } from "../../../keeper/options/index.ts";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const STRIKE = SPOT * WAD;
const AMOUNT = 10n * WAD; // ten options on one WETH each
const YEAR = 365 * DAY;

async function world(): Promise<VenueWorld> {
  return deployVenueWorld(ethers);
}

/** Premium in USDC units for `amount` at fair price `fair` (18-decimal USD) with `spreadBps`. */
function expectedPremium(fair: bigint, amount: bigint, spreadBps: bigint): bigint {
  const ask = divUp(fair * (10_000n + spreadBps), 10_000n);
  return divUp(divUp(amount * ask, WAD), 10n ** 12n);
}

describe("OptionVenue: pricing", () => {
  it("prices a put like the reference Black-Scholes and a call as the capped call spread", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 30);
    const years = Number(expiry - BigInt(await time.latest())) / YEAR;
    const put = Number(await w.venue.fairPrice(WETH, false, STRIKE, expiry)) / 1e18;
    const call = Number(await w.venue.fairPrice(WETH, true, STRIKE, expiry)) / 1e18;
    const v = Number(VOL) / 1e18;
    const keeper = (strike: number, type: "call" | "put"): number =>
      blackScholes({ spot: 2000, strike, timeToExpiry: years, volatility: v, rate: 0, carry: 0, type }).price;
    const refPut = keeper(2000, "put");
    const refSpread = keeper(2000, "call") - keeper(4000, "call");
    expect(Math.abs(put - refPut) / refPut).to.be.lessThan(1e-9);
    expect(Math.abs(call - refSpread) / refSpread).to.be.lessThan(1e-9);
  });

  it("satisfies put-call parity on chain (C - P = S - K e^{-rT}) across strikes and rates", async () => {
    const harness = await ethers.deployContract("BlackScholesPricer");
    for (const rate of [0n, 5n * 10n ** 16n]) {
      for (const k of [1000n, 1800n, 2000n, 2300n, 4000n]) {
        const tau = 90n * BigInt(DAY);
        const c = await harness.price(STRIKE, k * WAD, tau, VOL, rate, true);
        const p = await harness.price(STRIKE, k * WAD, tau, VOL, rate, false);
        const lhs = Number(c - p) / 1e18;
        const rhs = 2000 - Number(k) * Math.exp(((-Number(rate) / 1e18) * Number(tau)) / YEAR);
        expect(Math.abs(lhs - rhs)).to.be.lessThan(1e-9 * 2000, `K=${k} r=${rate}`);
      }
    }
  });

  it("is monotone: puts rise and calls fall with strike; both rise with volatility and time", async () => {
    const harness = await ethers.deployContract("BlackScholesPricer");
    const tau = 30n * BigInt(DAY);
    let lastPut = 0n;
    let lastCall = ethers.MaxUint256;
    for (let k = 1000n; k <= 3000n; k += 100n) {
      const put = await harness.price(STRIKE, k * WAD, tau, VOL, 0n, false);
      const call = await harness.price(STRIKE, k * WAD, tau, VOL, 0n, true);
      expect(put).to.be.greaterThan(lastPut);
      expect(call).to.be.lessThan(lastCall);
      [lastPut, lastCall] = [put, call];
    }
    let last = 0n;
    for (let vol = 1n; vol <= 20n; vol++) {
      const price = await harness.price(STRIKE, 2100n * WAD, tau, (vol * WAD) / 10n, 0n, false);
      expect(price).to.be.greaterThan(last);
      last = price;
    }
    last = 0n;
    for (const days of [1n, 7n, 30n, 90n, 365n]) {
      const price = await harness.price(STRIKE, 1900n * WAD, days * BigInt(DAY), VOL, 0n, true);
      expect(price).to.be.greaterThan(last);
      last = price;
    }
  });

  it("quotes the ask as fair x (1 + spread), rounded up, and the bid as fair x (1 - spread), rounded down", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 14);
    const fair = await w.venue.fairPrice(WETH, false, STRIKE, expiry);
    const [premium, collateral] = await w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT);
    expect(premium).to.equal(expectedPremium(fair, AMOUNT, 100n));
    expect(collateral).to.equal((AMOUNT * STRIKE) / WAD / 10n ** 12n); // strike x amount
    const [, callCollateral] = await w.venue.quoteBuy(WETH, true, STRIKE, expiry, AMOUNT);
    expect(callCollateral).to.equal((AMOUNT * ((STRIKE * CALL_CAP_RATIO) / WAD - STRIKE)) / WAD / 10n ** 12n);
  });
});

async function loadWorld(): Promise<VenueWorld> {
  return networkHelpers.loadFixture(world);
}

describe("OptionVenue: minimum premium", () => {
  it("charges at least minPremiumBps of the collateral for far out-of-the-money options", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    const deepOtm = 200n * WAD; // put struck at 10% of spot: fair value ~ 0
    expect(await w.venue.fairPrice(WETH, false, deepOtm, expiry)).to.be.lessThan(10n ** 6n);
    const [premium, collateral] = await w.venue.quoteBuy(WETH, false, deepOtm, expiry, AMOUNT);
    expect(collateral).to.equal(2_000n * USDC);
    expect(premium).to.equal(divUp(collateral * 10n, 10_000n)); // 10 bps of 2,000 USDC
    await w.venue.setMinPremium(0);
    expect((await w.venue.quoteBuy(WETH, false, deepOtm, expiry, AMOUNT))[0]).to.be.lessThanOrEqual(1n);
    await expect(w.venue.setMinPremium(1_001)).to.be.revertedWithCustomError(
      w.venue,
      "VenueInvalidParameter",
    );
    await expect(w.venue.connect(w.other).setMinPremium(5)).to.be.revertedWithCustomError(
      w.venue,
      "AccessManagedUnauthorized",
    );
  });
});

describe("OptionVenue: buying, collateral and LP withdrawals", () => {
  it("takes the premium, mints the ERC-1155 position and locks strike x amount for a put", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    const id = await w.venue.seriesId(WETH, false, STRIKE, expiry);
    const before = await w.usdc.balanceOf(w.buyer.address);
    const [quoted] = await w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT);
    const tx = await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, AMOUNT, quoted, w.buyer.address);
    const receipt = await tx.wait();
    const log = receipt?.logs
      .map((l) => w.venue.interface.parseLog(l))
      .find((l) => l?.name === "OptionBought");
    expect(log?.args.id).to.equal(id);
    expect(log?.args.amount).to.equal(AMOUNT);
    const paid: bigint = log?.args.premium;
    // One second of time decay between the quote and the mined block: the premium is a little lower.
    expect(paid).to.be.lessThanOrEqual(quoted);
    expect(Number(quoted - paid) / Number(quoted)).to.be.lessThan(1e-5);
    expect(before - (await w.usdc.balanceOf(w.buyer.address))).to.equal(paid);
    expect(await w.venue["balanceOf(address,uint256)"](w.buyer.address, id)).to.equal(AMOUNT);
    expect(await w.venue.totalLocked()).to.equal(20_000n * USDC);
    expect(await w.venue.totalAssets()).to.equal(LP_DEPOSIT + paid);
  });

  it("rejects a premium above the buyer's maximum", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    const [quoted] = await w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT);
    const limit = quoted / 2n;
    await expect(w.venue.connect(w.buyer).buy(WETH, false, STRIKE, expiry, AMOUNT, limit, w.buyer.address))
      .to.be.revertedWithCustomError(w.venue, "VenuePremiumAboveMax")
      .withArgs(anyUint, limit);
  });

  it("limits LP withdrawals to unlocked assets (maxWithdraw / maxRedeem)", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    const amount = 300n * WAD; // locks 600,000 USDC of 1,000,000
    await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, amount, ethers.MaxUint256, w.buyer.address);
    const free = (await w.venue.totalAssets()) - (await w.venue.totalLocked());
    expect(await w.venue.freeAssets()).to.equal(free);
    const maxWithdraw = await w.venue.maxWithdraw(w.lp.address);
    // maxWithdraw = previewRedeem(maxRedeem): the free assets, rounded down by at most one unit.
    expect(maxWithdraw).to.be.lessThanOrEqual(free);
    expect(free - maxWithdraw).to.be.lessThanOrEqual(1n);
    expect(await w.venue.previewRedeem(await w.venue.maxRedeem(w.lp.address))).to.be.lessThanOrEqual(free);
    await expect(w.venue.connect(w.lp).withdraw(maxWithdraw + 1n, w.lp.address, w.lp.address))
      .to.be.revertedWithCustomError(w.venue, "ERC4626ExceededMaxWithdraw")
      .withArgs(w.lp.address, maxWithdraw + 1n, maxWithdraw);
    await w.venue.connect(w.lp).withdraw(maxWithdraw, w.lp.address, w.lp.address);
    expect((await w.venue.totalAssets()) - (await w.venue.totalLocked())).to.be.lessThanOrEqual(1n);
    const shares = await w.venue.maxRedeem(w.lp.address);
    expect(await w.venue.previewRedeem(shares)).to.be.lessThanOrEqual(
      (await w.venue.totalAssets()) - (await w.venue.totalLocked()),
    );
    await expect(
      w.venue.connect(w.lp).redeem(shares + 10n ** 9n, w.lp.address, w.lp.address),
    ).to.be.revertedWithCustomError(w.venue, "ERC4626ExceededMaxRedeem");
  });

  it("enforces the utilisation cap on new writes", async () => {
    const w = await loadWorld();
    await w.venue.setMaxUtilisation(5_000);
    const expiry = await expiryIn(networkHelpers, 7);
    await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, 240n * WAD, ethers.MaxUint256, w.buyer.address);
    // 240 puts lock 480,000; 20 more would lock 520,000 > 50% of ~1,0xx,xxx.
    const tx = w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, 20n * WAD, ethers.MaxUint256, w.buyer.address);
    const total = await w.venue.totalAssets();
    await expect(tx)
      .to.be.revertedWithCustomError(w.venue, "VenueUtilisationCapExceeded")
      .withArgs(520_000n * USDC, (cap: bigint) => cap > total / 2n && cap < 520_000n * USDC);
    await w.venue.setMaxUtilisation(6_000);
    await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, 20n * WAD, ethers.MaxUint256, w.buyer.address);
    expect(await w.venue.totalLocked()).to.equal(520_000n * USDC);
  });

  it("buys back before expiry at the bid and releases the collateral; refuses after expiry", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, AMOUNT, ethers.MaxUint256, w.buyer.address);
    const id = await w.venue.seriesId(WETH, false, STRIKE, expiry);
    const half = AMOUNT / 2n;
    const quoted = await w.venue.quoteSell(id, half);
    const before = await w.usdc.balanceOf(w.buyer.address);
    await w.venue.connect(w.buyer).sell(id, half, (quoted * 999n) / 1000n, w.buyer.address);
    const got = (await w.usdc.balanceOf(w.buyer.address)) - before;
    expect(Number(quoted - got) / Number(quoted)).to.be.within(0, 1e-5); // one second of time decay
    expect(await w.venue.totalLocked()).to.equal(10_000n * USDC);
    // The bid is below the ask: a round trip costs the spread.
    const [ask] = await w.venue.quoteBuy(WETH, false, STRIKE, expiry, half);
    expect(quoted).to.be.lessThan(ask);
    await expect(w.venue.connect(w.buyer).sell(id, half, quoted * 2n, w.buyer.address))
      .to.be.revertedWithCustomError(w.venue, "VenueProceedsBelowMin")
      .withArgs(anyUint, quoted * 2n);
    await time.increaseTo(expiry);
    await expect(w.venue.connect(w.buyer).sell(id, half, 0n, w.buyer.address))
      .to.be.revertedWithCustomError(w.venue, "VenueSeriesExpired")
      .withArgs(id, expiry);
  });

  it("rejects expiries in the past or beyond maxTimeToExpiry, and unlisted underlyings", async () => {
    const w = await loadWorld();
    const now = BigInt(await time.latest());
    await expect(
      w.venue.connect(w.buyer).buy(WETH, false, STRIKE, now, AMOUNT, ethers.MaxUint256, w.buyer.address),
    ).to.be.revertedWithCustomError(w.venue, "VenueExpiryOutOfRange");
    await expect(
      w.venue
        .connect(w.buyer)
        .buy(WETH, false, STRIKE, now + 400n * BigInt(DAY), AMOUNT, ethers.MaxUint256, w.buyer.address),
    ).to.be.revertedWithCustomError(w.venue, "VenueExpiryOutOfRange");
    await expect(
      w.venue
        .connect(w.buyer)
        .buy(
          w.other.address,
          false,
          STRIKE,
          now + 7n * BigInt(DAY),
          AMOUNT,
          ethers.MaxUint256,
          w.buyer.address,
        ),
    )
      .to.be.revertedWithCustomError(w.venue, "VenueUnderlyingNotListed")
      .withArgs(w.other.address);
  });

  it("keeps admin functions behind the AccessManager", async () => {
    const w = await loadWorld();
    await expect(w.venue.connect(w.other).setSpread(10)).to.be.revertedWithCustomError(
      w.venue,
      "AccessManagedUnauthorized",
    );
    await expect(w.venue.setSpread(2_001))
      .to.be.revertedWithCustomError(w.venue, "VenueInvalidParameter")
      .withArgs(2_001, 2_000);
    await expect(w.venue.setMaxUtilisation(10_001)).to.be.revertedWithCustomError(
      w.venue,
      "VenueInvalidParameter",
    );
  });
});

describe("OptionVenue: oracles", () => {
  it("refuses to quote on a stale or non-positive spot", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    await time.increase(HEARTBEAT + 1);
    await w.volOracle.setVolatility(WETH, VOL);
    await expect(w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT)).to.be.revertedWithCustomError(
      w.venue,
      "OracleStale",
    );
    await w.feed.updateAnswer(0n);
    await expect(w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT))
      .to.be.revertedWithCustomError(w.venue, "OracleNonPositiveAnswer")
      .withArgs(await w.feed.getAddress(), 0n);
  });

  it("stops spot reads while the L2 sequencer is down or in its grace period", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    const sequencer = await ethers.deployContract("OptionsMockAggregator", [0, 0n]); // 0 = up, startedAt = now
    await expect(w.venue.setSequencer(await sequencer.getAddress(), 3_600))
      .to.emit(w.venue, "SequencerSet")
      .withArgs(await sequencer.getAddress(), 3_600);
    await expect(w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT)).to.be.revertedWithCustomError(
      w.venue,
      "SequencerGracePeriod",
    );
    await time.increase(3_600);
    await refreshOracles(w);
    await w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT);
    await sequencer.updateAnswer(1n); // down
    await expect(w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT))
      .to.be.revertedWithCustomError(w.venue, "SequencerDown")
      .withArgs(await sequencer.getAddress(), 1n);
    await expect(w.venue.connect(w.other).setSequencer(ethers.ZeroAddress, 0)).to.be.revertedWithCustomError(
      w.venue,
      "AccessManagedUnauthorized",
    );
    await w.venue.setSequencer(ethers.ZeroAddress, 0);
    await w.venue.quoteBuy(WETH, false, STRIKE, expiry, AMOUNT);
  });

  it("volatility oracle: stale, out of bounds, tightened bounds, unconfigured, unauthorised", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    await time.increase(DAY + 1);
    await w.feed.updateAnswer(feedAnswer(SPOT));
    const updatedAt = (await w.volOracle.observation(WETH)).updatedAt;
    await expect(w.venue.quoteBuy(WETH, false, STRIKE, expiry + BigInt(DAY), AMOUNT))
      .to.be.revertedWithCustomError(w.volOracle, "VolatilityStale")
      .withArgs(WETH, updatedAt, DAY);
    await expect(w.volOracle.setVolatility(WETH, 6n * WAD))
      .to.be.revertedWithCustomError(w.volOracle, "VolatilityOutOfBounds")
      .withArgs(WETH, 6n * WAD, 5n * 10n ** 16n, 5n * WAD);
    await expect(w.volOracle.setVolatility(WETH, 10n ** 16n)).to.be.revertedWithCustomError(
      w.volOracle,
      "VolatilityOutOfBounds",
    );
    await w.volOracle.setVolatility(WETH, VOL);
    expect(await w.volOracle.getVolatility(WETH)).to.equal(VOL);
    await w.volOracle.setConfig(WETH, 10n ** 17n, 5n * 10n ** 17n, DAY); // max 50% < current 80%
    await expect(w.volOracle.getVolatility(WETH)).to.be.revertedWithCustomError(
      w.volOracle,
      "VolatilityOutOfBounds",
    );
    await expect(w.volOracle.getVolatility(w.other.address))
      .to.be.revertedWithCustomError(w.volOracle, "VolatilityNotConfigured")
      .withArgs(w.other.address);
    await expect(w.volOracle.connect(w.other).setVolatility(WETH, VOL)).to.be.revertedWithCustomError(
      w.volOracle,
      "AccessManagedUnauthorized",
    );
    await expect(w.volOracle.setConfig(WETH, 0n, WAD, DAY)).to.be.revertedWithCustomError(
      w.volOracle,
      "VolatilityInvalidConfig",
    );
  });
});

describe("OptionVenue: settlement", () => {
  /** Buys puts and calls expiring in 7 days and produces rounds before and after expiry. */
  async function expiredWorld(settlementUsd: bigint) {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, AMOUNT, ethers.MaxUint256, w.buyer.address);
    await w.venue
      .connect(w.buyer)
      .buy(WETH, true, STRIKE, expiry, AMOUNT, ethers.MaxUint256, w.buyer.address);
    const putId = await w.venue.seriesId(WETH, false, STRIKE, expiry);
    const callId = await w.venue.seriesId(WETH, true, STRIKE, expiry);
    await time.increaseTo(expiry - 100n);
    await w.feed.updateAnswer(feedAnswer(1_950n));
    const before = await w.feed.latestRound();
    await time.increaseTo(expiry + 30n);
    await w.feed.updateAnswer(feedAnswer(settlementUsd));
    const first = await w.feed.latestRound();
    await w.feed.updateAnswer(feedAnswer(settlementUsd + 100n));
    const second = await w.feed.latestRound();
    return { w, expiry, putId, callId, before, first, second };
  }

  it("rejects settlement before expiry", async () => {
    const w = await loadWorld();
    const expiry = await expiryIn(networkHelpers, 7);
    await w.venue
      .connect(w.buyer)
      .buy(WETH, false, STRIKE, expiry, AMOUNT, ethers.MaxUint256, w.buyer.address);
    const id = await w.venue.seriesId(WETH, false, STRIKE, expiry);
    await expect(w.venue.settle(id, await w.feed.latestRound()))
      .to.be.revertedWithCustomError(w.venue, "VenueSeriesNotExpired")
      .withArgs(id, expiry);
  });

  it("accepts only the first round at or after expiry", async () => {
    const { w, expiry, putId, before, first, second } = await expiredWorld(1_800n);
    const beforeData = await w.feed.getRoundData(before);
    await expect(w.venue.settle(putId, before))
      .to.be.revertedWithCustomError(w.venue, "VenueSettlementRoundTooEarly")
      .withArgs(before, beforeData.updatedAt, expiry);
    const firstData = await w.feed.getRoundData(first);
    await expect(w.venue.settle(putId, second))
      .to.be.revertedWithCustomError(w.venue, "VenueSettlementRoundNotFirst")
      .withArgs(second, firstData.updatedAt, expiry);
    await expect(w.venue.settle(putId, first))
      .to.emit(w.venue, "SeriesSettled")
      .withArgs(putId, first, 1_800n * WAD, 200n * WAD, 2_000n * USDC);
    await expect(w.venue.settle(putId, first)).to.be.revertedWithCustomError(
      w.venue,
      "VenueSeriesAlreadySettled",
    );
  });

  it("rejects a round that opens a new phase (predecessor not verifiable)", async () => {
    const { w, putId, expiry } = await expiredWorld(1_800n);
    const phaseStart = (2n << 64n) | 1n;
    await w.feed.updateRoundData(phaseStart, feedAnswer(1_800n), expiry + 60n, expiry + 60n);
    await expect(w.venue.settle(putId, phaseStart))
      .to.be.revertedWithCustomError(w.venue, "VenueSettlementRoundUnverifiable")
      .withArgs(phaseStart);
  });

  it("rejects a settlement answer outside the feed's bounds", async () => {
    const { w, putId } = await expiredWorld(1_800n);
    // Rewrite the first post-expiry round with an answer above maxAnswer (1,000,000 USD).
    const first = await w.feed.latestRound();
    const data = await w.feed.getRoundData(first - 1n);
    await w.feed.updateRoundData(first - 1n, feedAnswer(2_000_000n), data.updatedAt, data.startedAt);
    await expect(w.venue.settle(putId, first - 1n))
      .to.be.revertedWithCustomError(w.venue, "VenueSettlementAnswerInvalid")
      .withArgs(first - 1n, feedAnswer(2_000_000n));
  });

  it("pays the put intrinsic and caps the call spread; unlocks collateral into owed payouts", async () => {
    const { w, putId, callId, first } = await expiredWorld(4_500n);
    const lockedBefore = await w.venue.totalLocked();
    await w.venue.settle(putId, first);
    await w.venue.settle(callId, first);
    expect((await w.venue.series(putId)).payoutPerOption).to.equal(0n);
    // Call payoff min(4500 - 2000, 2000 x (2 - 1)) = 2000 per option: the cap binds.
    expect((await w.venue.series(callId)).payoutPerOption).to.equal(2_000n * WAD);
    expect(lockedBefore).to.equal(40_000n * USDC);
    expect(await w.venue.totalLocked()).to.equal(0n);
    expect(await w.venue.totalOwed()).to.equal(20_000n * USDC);
  });

  it("lets a transferee redeem: ERC-1155 transfer, then both holders redeem their share", async () => {
    const { w, putId, first } = await expiredWorld(1_750n);
    const third = AMOUNT / 3n;
    await w.venue.connect(w.buyer).safeTransferFrom(w.buyer.address, w.other.address, putId, third, "0x");
    await w.venue.settle(putId, first);
    const owed = await w.venue.totalOwed();
    expect(owed).to.equal(divUp(AMOUNT * 250n, 10n ** 12n)); // 250 USD x 10 options
    const payoutOther = (third * 250n * WAD) / WAD / 10n ** 12n;
    const b0 = await w.usdc.balanceOf(w.other.address);
    await w.venue.connect(w.other).redeemPosition(putId, third, w.other.address);
    expect((await w.usdc.balanceOf(w.other.address)) - b0).to.equal(payoutOther);
    const rest = AMOUNT - third;
    const b1 = await w.usdc.balanceOf(w.buyer.address);
    await w.venue.connect(w.buyer).redeemPosition(putId, rest, w.buyer.address);
    expect((await w.usdc.balanceOf(w.buyer.address)) - b1).to.equal((rest * 250n) / 10n ** 12n);
    expect(await w.venue.totalOwed()).to.equal(0n);
    expect(await w.venue["balanceOf(address,uint256)"](w.buyer.address, putId)).to.equal(0n);
    await expect(
      w.venue.connect(w.buyer).redeemPosition(putId, 1n, w.buyer.address),
    ).to.be.revertedWithCustomError(w.venue, "ERC1155InsufficientBalance");
  });

  it("does not redeem before settlement", async () => {
    const { w, putId } = await expiredWorld(1_800n);
    await expect(w.venue.connect(w.buyer).redeemPosition(putId, 1n, w.buyer.address))
      .to.be.revertedWithCustomError(w.venue, "VenueSeriesNotSettled")
      .withArgs(putId);
  });

  it("keeps the pool solvent: LP value after settlement = deposit + premiums - payouts", async () => {
    const { w, putId, callId, first } = await expiredWorld(1_800n);
    const premiums = (await w.venue.totalAssets()) - LP_DEPOSIT;
    await w.venue.settle(putId, first);
    await w.venue.settle(callId, first);
    expect(await w.venue.totalAssets()).to.equal(LP_DEPOSIT + premiums - 2_000n * USDC);
    expect(await w.venue.maxWithdraw(w.lp.address)).to.be.closeTo(LP_DEPOSIT + premiums - 2_000n * USDC, 1n);
    await refreshOracles(w);
  });
});
