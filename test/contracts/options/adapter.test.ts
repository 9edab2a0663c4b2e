import { expect } from "chai";
import { network } from "hardhat";
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import fc from "fast-check";
import {
  DAY,
  HEARTBEAT,
  SPOT,
  USDC,
  WAD,
  WETH,
  deployVenueWorld,
  expiryIn,
  feedAnswer,
  type VenueWorld,
} from "./helpers/fixture.ts";
import type { OptionsMockVault, OptionVenueAdapter } from "../../../types/ethers-contracts/index.ts";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const STRIKE = SPOT * WAD;
const VAULT_ASSETS = 1_000_000n * USDC;
const PARAMS = {
  premiumBudgetBps: 200, // 2% of totalAssets per window
  premiumWindow: 7 * DAY,
  minExpiryDays: 1,
  maxExpiryDays: 90,
  strikeBandBps: 2_000, // strikes within +-20% of spot
  maxOpenSeries: 3,
};
const NOTIONAL_CAP = 200_000n * USDC; // 100 WETH at 2,000

interface AdapterWorld extends VenueWorld {
  vault: OptionsMockVault;
  adapter: OptionVenueAdapter;
}

async function deployAdapterWorld(): Promise<AdapterWorld> {
  const w = await deployVenueWorld(ethers);
  const vault = await ethers.deployContract("OptionsMockVault", [await w.usdc.getAddress(), VAULT_ASSETS]);
  await w.usdc.mint(await vault.getAddress(), VAULT_ASSETS);
  const adapter = await ethers.deployContract("OptionVenueAdapter", [
    await vault.getAddress(),
    await w.venue.getAddress(),
    await w.manager.getAddress(),
    PARAMS,
  ]);
  await adapter.setNotionalCap(WETH, NOTIONAL_CAP);
  return { ...w, vault, adapter };
}

const load = (): Promise<AdapterWorld> => networkHelpers.loadFixture(deployAdapterWorld);

function order(
  expiry: bigint,
  overrides: Partial<{ isCall: boolean; strike: bigint; amount: bigint; maxPremium: bigint }> = {},
) {
  return {
    underlying: WETH,
    isCall: overrides.isCall ?? false,
    strike: overrides.strike ?? STRIKE,
    expiry,
    amount: overrides.amount ?? 10n * WAD,
    maxPremium: overrides.maxPremium ?? 100_000n * USDC,
  };
}

const balance1155 = (w: AdapterWorld, holder: string, id: bigint): Promise<bigint> =>
  w.venue["balanceOf(address,uint256)"](holder, id);

describe("OptionVenueAdapter: open and the option guards", () => {
  it("opens for the vault: pulls the premium, holds the ERC-1155, records the series", async () => {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    const vaultAddr = await w.vault.getAddress();
    const adapterAddr = await w.adapter.getAddress();
    await w.vault.openOption(adapterAddr, order(expiry));
    const id = await w.venue.seriesId(WETH, false, STRIKE, expiry);
    const paid = VAULT_ASSETS - (await w.usdc.balanceOf(vaultAddr));
    expect(paid).to.be.greaterThan(0n);
    expect(await balance1155(w, adapterAddr, id)).to.equal(10n * WAD);
    expect(await w.adapter.openSeries()).to.deep.equal([id]);
    expect(await w.adapter.premiumUsed()).to.equal(paid);
    expect(await w.usdc.balanceOf(adapterAddr)).to.equal(0n);
    expect(await w.usdc.allowance(adapterAddr, await w.venue.getAddress())).to.equal(0n);
  });

  it("only the vault may open, close or redeem in kind", async () => {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    await expect(w.adapter.connect(w.other).open(order(expiry)))
      .to.be.revertedWithCustomError(w.adapter, "AdapterNotVault")
      .withArgs(w.other.address);
    await expect(w.adapter.connect(w.other).close(1n, 1n, 0n)).to.be.revertedWithCustomError(
      w.adapter,
      "AdapterNotVault",
    );
    await expect(
      w.adapter.connect(w.other).redeemInKind(w.other.address, 1n, 2n),
    ).to.be.revertedWithCustomError(w.adapter, "AdapterNotVault");
  });

  it("expiry guard: between minExpiryDays and maxExpiryDays", async () => {
    const w = await load();
    const now = BigInt(await time.latest()) + 10n;
    for (const expiry of [now + BigInt(DAY) / 2n, now + 91n * BigInt(DAY)]) {
      await time.setNextBlockTimestamp(now);
      await expect(w.vault.openOption(await w.adapter.getAddress(), order(expiry)))
        .to.be.revertedWithCustomError(w.adapter, "AdapterExpiryOutOfRange")
        .withArgs(expiry, now + BigInt(DAY), now + 90n * BigInt(DAY));
    }
  });

  it("strike guard: within the band around spot", async () => {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    for (const strike of [1_599n * WAD, 2_401n * WAD]) {
      await expect(w.vault.openOption(await w.adapter.getAddress(), order(expiry, { strike })))
        .to.be.revertedWithCustomError(w.adapter, "AdapterStrikeOutOfBand")
        .withArgs(strike, 1_600n * WAD, 2_400n * WAD);
    }
    await w.vault.openOption(await w.adapter.getAddress(), order(expiry, { strike: 1_600n * WAD }));
  });

  it("notional guard: live amount x spot per underlying <= cap", async () => {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    const adapterAddr = await w.adapter.getAddress();
    await w.vault.openOption(adapterAddr, order(expiry, { amount: 60n * WAD }));
    await expect(w.vault.openOption(adapterAddr, order(expiry, { amount: 41n * WAD, isCall: true })))
      .to.be.revertedWithCustomError(w.adapter, "AdapterNotionalCapExceeded")
      .withArgs(WETH, 202_000n * USDC, NOTIONAL_CAP);
    await w.vault.openOption(adapterAddr, order(expiry, { amount: 40n * WAD, isCall: true }));
    expect(await w.adapter.liveAmount(WETH)).to.equal(100n * WAD);
    await expect(
      w.vault.openOption(adapterAddr, order(expiry, { amount: 1n, isCall: true })),
    ).to.be.revertedWithCustomError(w.adapter, "AdapterNotionalCapExceeded");
  });

  it("series guard: at most maxOpenSeries distinct series; adding to a held series is fine", async () => {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    const adapterAddr = await w.adapter.getAddress();
    for (const k of [1_900n, 2_000n, 2_100n]) {
      await w.vault.openOption(adapterAddr, order(expiry, { strike: k * WAD, amount: WAD }));
    }
    await expect(w.vault.openOption(adapterAddr, order(expiry, { strike: 2_200n * WAD, amount: WAD })))
      .to.be.revertedWithCustomError(w.adapter, "AdapterTooManyOpenSeries")
      .withArgs(3, 3);
    await w.vault.openOption(adapterAddr, order(expiry, { strike: 2_100n * WAD, amount: WAD }));
  });

  it("premium guard: maxPremium per order", async () => {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    await expect(w.vault.openOption(await w.adapter.getAddress(), order(expiry, { maxPremium: 1n })))
      .to.be.revertedWithCustomError(w.adapter, "AdapterPremiumAboveMax")
      .withArgs(anyUint, 1n);
  });

  it("premium budget: bps of totalAssets per rolling window, refilling linearly", async () => {
    const w = await load();
    await w.vault.setTotalAssets(50_000n * USDC); // budget 1,000 USDC per window
    expect(await w.adapter.premiumBudget()).to.equal(1_000n * USDC);
    const expiry = await expiryIn(networkHelpers, 30);
    const adapterAddr = await w.adapter.getAddress();
    const small = order(expiry, { amount: 2n * WAD }); // ~ 2 x 183 USDC
    await w.vault.openOption(adapterAddr, small);
    await w.vault.openOption(adapterAddr, small);
    const used = await w.adapter.premiumUsed();
    const spentAt = BigInt(await time.latest());
    const remaining = 1_000n * USDC - used;
    await expect(w.vault.openOption(adapterAddr, small))
      .to.be.revertedWithCustomError(w.adapter, "AdapterPremiumBudgetExceeded")
      // One second of decay between the view and the mined block frees a few units.
      .withArgs(
        (premium: bigint) => premium > remaining,
        (left: bigint) => left >= remaining && left - remaining <= used / 600_000n + 1n,
      );
    // Half a window later, half of the spending has decayed (rounded up, against the keeper).
    await time.increase(PARAMS.premiumWindow / 2);
    await w.feed.updateAnswer(feedAnswer(SPOT));
    await w.volOracle.setVolatility(WETH, 8n * 10n ** 17n);
    const decayed = await w.adapter.premiumUsed();
    const window = BigInt(PARAMS.premiumWindow);
    const left = window - (BigInt(await time.latest()) - spentAt);
    expect(decayed).to.equal((used * left + window - 1n) / window);
    expect(decayed).to.be.closeTo(used / 2n, used / 1000n);
    await w.vault.openOption(adapterAddr, small);
    await time.increase(PARAMS.premiumWindow);
    expect(await w.adapter.premiumUsed()).to.equal(0n);
  });
});

describe("OptionVenueAdapter: value, exposure, close, settle, in-kind", () => {
  async function withPositions() {
    const w = await load();
    const expiry = await expiryIn(networkHelpers, 30);
    const adapterAddr = await w.adapter.getAddress();
    await w.vault.openOption(adapterAddr, order(expiry, { amount: 30n * WAD }));
    await w.vault.openOption(
      adapterAddr,
      order(expiry, { amount: 10n * WAD, isCall: true, strike: 2_200n * WAD }),
    );
    const putId = await w.venue.seriesId(WETH, false, STRIKE, expiry);
    const callId = await w.venue.seriesId(WETH, true, 2_200n * WAD, expiry);
    return { w, expiry, adapterAddr, putId, callId };
  }

  it("realAssets = what selling everything back would fetch now", async () => {
    const { w, adapterAddr, putId, callId } = await withPositions();
    const expected =
      (await w.venue.quoteSell(putId, 30n * WAD)) + (await w.venue.quoteSell(callId, 10n * WAD));
    expect(await w.adapter.realAssets()).to.equal(expected);
    // Conservative: below what the vault paid (the spread is lost on a round trip).
    const paid = VAULT_ASSETS - (await w.usdc.balanceOf(await w.vault.getAddress()));
    expect(expected).to.be.lessThan(paid);
    expect(await balance1155(w, adapterAddr, putId)).to.equal(30n * WAD);
  });

  it("exposures: delta x amount x spot, puts negative, calls positive, netted per underlying", async () => {
    const { w, putId, callId } = await withPositions();
    const [putDelta, spot] = await w.venue.delta(putId);
    const [callDelta] = await w.venue.delta(callId);
    expect(putDelta).to.be.lessThan(0n);
    expect(callDelta).to.be.greaterThan(0n);
    const toAssets = (d: bigint, amount: bigint): bigint => {
      const mag = ((((d < 0n ? -d : d) * amount) / WAD) * spot) / WAD / 10n ** 12n;
      return d < 0n ? -mag : mag;
    };
    const expected = toAssets(putDelta, 30n * WAD) + toAssets(callDelta, 10n * WAD);
    const exposures = await w.adapter.exposures();
    expect(exposures.length).to.equal(1);
    expect(exposures[0]?.underlying).to.equal(WETH);
    expect(exposures[0]?.exposure).to.equal(expected);
    expect(expected).to.be.lessThan(0n); // 30 ATM puts outweigh 10 OTM call spreads
  });

  it("close: sells back to the venue, proceeds to the vault, series dropped when flat", async () => {
    const { w, adapterAddr, putId } = await withPositions();
    const vaultAddr = await w.vault.getAddress();
    const before = await w.usdc.balanceOf(vaultAddr);
    const quoted = await w.venue.quoteSell(putId, 30n * WAD);
    await w.vault.closeOption(adapterAddr, putId, 30n * WAD, (quoted * 999n) / 1000n);
    const got = (await w.usdc.balanceOf(vaultAddr)) - before;
    expect(Number(quoted - got) / Number(quoted)).to.be.within(0, 1e-5);
    expect(await w.adapter.openSeries()).to.have.lengthOf(1);
    await expect(w.vault.closeOption(adapterAddr, putId, 1n, 0n))
      .to.be.revertedWithCustomError(w.adapter, "AdapterUnknownSeries")
      .withArgs(putId);
  });

  it("settle: anyone settles; the payout is held and valued by the adapter until the vault collects it", async () => {
    const { w, expiry, putId, callId } = await withPositions();
    const vaultAddr = await w.vault.getAddress();
    await time.increaseTo(expiry - 10n);
    await w.feed.updateAnswer(feedAnswer(1_900n));
    await time.increaseTo(expiry + 5n);
    await w.feed.updateAnswer(feedAnswer(1_700n));
    const round = await w.feed.latestRound();
    // Expired, not settled: valued at the payoff at the oracle spot (1 700), so that settling (which
    // anyone may do) cannot make the vault's value jump for someone who deposited just before.
    const pending = 30n * 300n * USDC;
    expect(await w.adapter.realAssets()).to.equal(pending);
    expect(await w.adapter.exposures()).to.have.lengthOf(0);
    // Someone settles the put on the venue directly: its payout is now pending for the vault.
    await w.venue.connect(w.other).settle(putId, round);
    expect(await w.adapter.realAssets()).to.equal(pending);
    const before = await w.usdc.balanceOf(vaultAddr);
    await expect(w.adapter.connect(w.other).settle(putId, round))
      .to.emit(w.adapter, "OptionSettled")
      .withArgs(putId, 30n * WAD, pending);
    await w.adapter.connect(w.other).settle(callId, round); // settles on the venue too; pays 0
    // A permissionless settle must not move value outside the vault's accounting: the payout stays
    // in the adapter, still counted in realAssets, until the vault collects it with a zero close.
    expect(await w.usdc.balanceOf(vaultAddr)).to.equal(before);
    expect(await w.adapter.pendingPayout()).to.equal(pending);
    expect(await w.adapter.realAssets()).to.equal(pending);
    expect(await w.adapter.openSeries()).to.have.lengthOf(0);
    expect(await w.adapter.liveAmount(WETH)).to.equal(0n);
    await expect(w.vault.closeOption(await w.adapter.getAddress(), putId, 0n, pending))
      .to.emit(w.adapter, "PayoutsReleased")
      .withArgs(vaultAddr, pending);
    expect((await w.usdc.balanceOf(vaultAddr)) - before).to.equal(pending);
    expect(await w.adapter.pendingPayout()).to.equal(0n);
    expect(await w.adapter.realAssets()).to.equal(0n);
  });

  it("an expired, unsettled series is valued at exactly what settling at the current round pays (puts, capped calls)", async () => {
    for (const price of [500n, 1_700n, 2_100n, 2_500n, 4_000n, 5_000n]) {
      const { w, expiry, putId, callId } = await withPositions();
      await time.increaseTo(expiry - 10n);
      await w.feed.updateAnswer(feedAnswer(1_900n));
      await time.increaseTo(expiry + 5n);
      await w.feed.updateAnswer(feedAnswer(price));
      const before = await w.adapter.realAssets();
      const round = await w.feed.latestRound();
      await w.venue.connect(w.other).settle(putId, round);
      await w.venue.connect(w.other).settle(callId, round);
      const paid = (await w.venue.payoutOf(putId, 30n * WAD)) + (await w.venue.payoutOf(callId, 10n * WAD));
      expect(before, `spot ${price}`).to.equal(paid);
      expect(await w.adapter.realAssets(), `spot ${price}`).to.equal(paid);
    }
  });

  it("redeemInKind also pays the pro-rata share of held settlement payouts, rounded down", async () => {
    const { w, expiry, adapterAddr, putId } = await withPositions();
    await time.increaseTo(expiry - 10n);
    await w.feed.updateAnswer(feedAnswer(1_900n));
    await time.increaseTo(expiry + 5n);
    await w.feed.updateAnswer(feedAnswer(1_700n));
    await w.adapter.connect(w.other).settle(putId, await w.feed.latestRound());
    const pending = await w.adapter.pendingPayout();
    expect(pending).to.equal(30n * 300n * USDC);
    const receiver = w.other.address;
    const before = await w.usdc.balanceOf(receiver);
    await expect(w.vault.redeemInKind(adapterAddr, receiver, 1n, 3n))
      .to.emit(w.adapter, "PayoutsReleased")
      .withArgs(receiver, pending / 3n);
    expect((await w.usdc.balanceOf(receiver)) - before).to.equal(pending / 3n);
    expect(await w.adapter.pendingPayout()).to.equal(pending - pending / 3n);
  });

  it("redeemInKind: pro-rata ERC-1155 transfer rounded down, works with every oracle stale", async () => {
    const { w, adapterAddr, putId, callId } = await withPositions();
    await time.increase(2 * DAY); // spot feed (1h heartbeat) and volatility (1 day) both stale
    await expect(w.adapter.realAssets()).to.be.revertedWithCustomError(w.venue, "OracleStale");
    const receiver = w.other.address;
    await w.vault.redeemInKind(adapterAddr, receiver, 1n, 3n);
    expect(await balance1155(w, receiver, putId)).to.equal(10n * WAD);
    expect(await balance1155(w, receiver, callId)).to.equal((10n * WAD) / 3n);
    expect(await balance1155(w, adapterAddr, callId)).to.equal(10n * WAD - (10n * WAD) / 3n);
    // 1 wei of options, 1/3 of it rounds to zero: nothing moves, the vault keeps it.
    await w.vault.redeemInKind(adapterAddr, receiver, 1n, 10n ** 30n);
    expect(await balance1155(w, receiver, putId)).to.equal(10n * WAD);
    await expect(w.vault.redeemInKind(adapterAddr, receiver, 2n, 1n))
      .to.be.revertedWithCustomError(w.adapter, "AdapterInvalidFraction")
      .withArgs(2n, 1n);
    await expect(w.vault.redeemInKind(adapterAddr, receiver, 0n, 0n)).to.be.revertedWithCustomError(
      w.adapter,
      "AdapterInvalidFraction",
    );
    // Everything: the series leave the adapter's book.
    await w.vault.redeemInKind(adapterAddr, receiver, 1n, 1n);
    expect(await w.adapter.openSeries()).to.have.lengthOf(0);
    expect(await balance1155(w, receiver, putId)).to.equal(30n * WAD);
    void HEARTBEAT;
  });
});

describe("OptionVenueAdapter: curator parameters", () => {
  it("setters are restricted and validated", async () => {
    const w = await load();
    await expect(w.adapter.connect(w.other).setNotionalCap(WETH, 1n)).to.be.revertedWithCustomError(
      w.adapter,
      "AccessManagedUnauthorized",
    );
    await expect(w.adapter.connect(w.other).setGuardParams(PARAMS)).to.be.revertedWithCustomError(
      w.adapter,
      "AccessManagedUnauthorized",
    );
    for (const bad of [
      { ...PARAMS, premiumBudgetBps: 10_001 },
      { ...PARAMS, premiumWindow: 0 },
      { ...PARAMS, minExpiryDays: 91 },
      { ...PARAMS, maxExpiryDays: 731, minExpiryDays: 1 },
      { ...PARAMS, strikeBandBps: 10_001 },
      { ...PARAMS, maxOpenSeries: 33 },
    ]) {
      await expect(w.adapter.setGuardParams(bad)).to.be.revertedWithCustomError(
        w.adapter,
        "AdapterInvalidParams",
      );
    }
    await expect(w.adapter.setGuardParams({ ...PARAMS, maxOpenSeries: 5 })).to.emit(
      w.adapter,
      "GuardParamsSet",
    );
    expect((await w.adapter.guardParams()).maxOpenSeries).to.equal(5n);
    await expect(w.adapter.setNotionalCap(WETH, 5n)).to.emit(w.adapter, "NotionalCapSet").withArgs(WETH, 5n);
  });

  it("guardian path: only risk-reducing changes, immediately; curator changes wait for the delay", async () => {
    const w = await load();
    const [, , , , curator, guardian] = await ethers.getSigners();
    if (curator === undefined || guardian === undefined) throw new Error("signers");
    const adapterAddr = await w.adapter.getAddress();
    const sel = (
      name: "setGuardParams" | "setNotionalCap" | "tightenGuardParams" | "lowerNotionalCap",
    ): string => w.adapter.interface.getFunction(name).selector;
    const CURATOR = 1n;
    const GUARDIAN = 2n;
    await w.manager.setTargetFunctionRole(
      adapterAddr,
      [sel("setGuardParams"), sel("setNotionalCap")],
      CURATOR,
    );
    await w.manager.setTargetFunctionRole(
      adapterAddr,
      [sel("tightenGuardParams"), sel("lowerNotionalCap")],
      GUARDIAN,
    );
    await w.manager.grantRole(CURATOR, curator.address, DAY); // execution delay: one day
    await w.manager.grantRole(GUARDIAN, guardian.address, 0);

    // Guardian: tightening works at once; loosening any field is refused with both parameter sets.
    await w.adapter
      .connect(guardian)
      .tightenGuardParams({ ...PARAMS, maxOpenSeries: 2, strikeBandBps: 1_000 });
    expect((await w.adapter.guardParams()).maxOpenSeries).to.equal(2n);
    for (const looser of [
      { ...PARAMS, maxOpenSeries: 3, strikeBandBps: 1_000 },
      { ...PARAMS, maxOpenSeries: 2, strikeBandBps: 1_001 },
      { ...PARAMS, maxOpenSeries: 2, strikeBandBps: 1_000, premiumBudgetBps: 201 },
      { ...PARAMS, maxOpenSeries: 2, strikeBandBps: 1_000, premiumWindow: PARAMS.premiumWindow - 1 },
      { ...PARAMS, maxOpenSeries: 2, strikeBandBps: 1_000, minExpiryDays: 0 },
      { ...PARAMS, maxOpenSeries: 2, strikeBandBps: 1_000, maxExpiryDays: 91 },
    ]) {
      await expect(w.adapter.connect(guardian).tightenGuardParams(looser)).to.be.revertedWithCustomError(
        w.adapter,
        "AdapterNotRiskReducing",
      );
    }
    await w.adapter.connect(guardian).lowerNotionalCap(WETH, NOTIONAL_CAP - 1n);
    await expect(w.adapter.connect(guardian).lowerNotionalCap(WETH, NOTIONAL_CAP))
      .to.be.revertedWithCustomError(w.adapter, "AdapterNotLower")
      .withArgs(NOTIONAL_CAP - 1n, NOTIONAL_CAP);
    await expect(w.adapter.connect(guardian).setNotionalCap(WETH, 1n)).to.be.revertedWithCustomError(
      w.adapter,
      "AccessManagedUnauthorized",
    );

    // Curator: a direct call is refused (the role has a delay); scheduled, it executes after the delay.
    const data = w.adapter.interface.encodeFunctionData("setNotionalCap", [WETH, 2n * NOTIONAL_CAP]);
    await expect(
      w.adapter.connect(curator).setNotionalCap(WETH, 2n * NOTIONAL_CAP),
    ).to.be.revertedWithCustomError(w.manager, "AccessManagerNotScheduled");
    await w.manager.connect(curator).schedule(adapterAddr, data, 0);
    await expect(w.manager.connect(curator).execute(adapterAddr, data)).to.be.revertedWithCustomError(
      w.manager,
      "AccessManagerNotReady",
    );
    await time.increase(DAY);
    await w.manager.connect(curator).execute(adapterAddr, data);
    expect(await w.adapter.notionalCap(WETH)).to.equal(2n * NOTIONAL_CAP);
  });

  it("refuses a venue whose asset differs from the vault's", async () => {
    const w = await load();
    const otherAsset = await ethers.deployContract("OptionsMockUSDC");
    const vault = await ethers.deployContract("OptionsMockVault", [await otherAsset.getAddress(), 1n]);
    const factory = await ethers.getContractFactory("OptionVenueAdapter");
    await expect(
      factory.deploy(
        await vault.getAddress(),
        await w.venue.getAddress(),
        await w.manager.getAddress(),
        PARAMS,
      ),
    ).to.be.revertedWithCustomError(factory, "AdapterAssetMismatch");
  });
});

describe("OptionVenueAdapter: properties (fast-check)", () => {
  async function positionsFixture(): Promise<AdapterWorld & { ids: bigint[] }> {
    const w = await deployAdapterWorld();
    const expiry = BigInt((await time.latest()) + 30 * DAY);
    const adapterAddr = await w.adapter.getAddress();
    await w.vault.openOption(adapterAddr, order(expiry, { amount: 7n * WAD + 3n }));
    await w.vault.openOption(
      adapterAddr,
      order(expiry, { amount: 11n * WAD + 1n, isCall: true, strike: 2_100n * WAD }),
    );
    await w.vault.openOption(adapterAddr, order(expiry, { amount: 5n, strike: 1_900n * WAD }));
    return { ...w, ids: [...(await w.adapter.openSeries())] };
  }

  it("redeemInKind moves exactly floor(balance x num / den) of every series and conserves the rest", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        async (den, rawNum) => {
          const num = rawNum % (den + 1n);
          const w = await networkHelpers.loadFixture(positionsFixture);
          const adapterAddr = await w.adapter.getAddress();
          const before = await Promise.all(w.ids.map((id) => balance1155(w, adapterAddr, id)));
          await w.vault.redeemInKind(adapterAddr, w.other.address, num, den);
          for (const [i, id] of w.ids.entries()) {
            const b = before[i] ?? 0n;
            const moved = (b * num) / den;
            expect(await balance1155(w, w.other.address, id)).to.equal(moved);
            expect(await balance1155(w, adapterAddr, id)).to.equal(b - moved);
          }
          const stillHeld = w.ids.filter((_, i) => (before[i] ?? 0n) - ((before[i] ?? 0n) * num) / den > 0n);
          expect([...(await w.adapter.openSeries())].sort()).to.deep.equal([...stillHeld].sort());
        },
      ),
      { numRuns: 25 },
    );
  });

  it("the premium counted against the budget decays linearly and never exceeds what was spent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 * PARAMS.premiumWindow }), async (elapsed) => {
        const w = await networkHelpers.loadFixture(positionsFixture);
        const used = await w.adapter.premiumUsed();
        const spentAt = BigInt(await time.latest());
        await time.increase(elapsed);
        const now = BigInt(await time.latest());
        const window = BigInt(PARAMS.premiumWindow);
        const left = now - spentAt >= window ? 0n : window - (now - spentAt);
        const expected = (used * left + window - 1n) / window;
        expect(await w.adapter.premiumUsed()).to.equal(expected);
        expect(expected).to.be.lessThanOrEqual(used);
      }),
      { numRuns: 25 },
    );
  });
});
