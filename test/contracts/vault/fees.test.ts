/**
 * Fees: entry/exit fee against oracle front-running, management and performance fees with a
 * high-water mark, accrual skipped (not reverted) while oracles are unhealthy.
 */
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { USDC, credit, deployWorld, refreshFeeds, type World } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();
const YEAR = 365 * 24 * 3600;

/** 100 000 USDC of value: 10 000 idle and 30 WETH (90 %) at 3 000. */
async function wethHeavy(): Promise<World> {
  const w = await deployWorld(ethers);
  await w.vault.connect(w.alice).deposit(USDC(100_000), w.alice.address);
  await w.vault.connect(w.admin).harnessMove(await w.usdc.getAddress(), -USDC(90_000));
  await credit(w, w.tokens[0]!, 30n * 10n ** 18n);
  return w;
}

/** Front-runs a known WETH update of +`moveBps`: deposit before, exit after. Returns profit. */
async function frontRun(w: World, moveBps: bigint, inKind: boolean): Promise<bigint> {
  const eve = w.eve;
  const feed = w.feeds[0]!;
  const start = await w.usdc.balanceOf(eve.address);
  const wethStart = await w.tokens[0]!.balanceOf(eve.address);
  await w.vault.connect(eve).deposit(USDC(50_000), eve.address);
  const oldAnswer = await feed.answer();
  const newAnswer = (oldAnswer * (10_000n + moveBps)) / 10_000n;
  await feed.setAnswer(newAnswer);
  const shares = await w.vault.balanceOf(eve.address);
  if (inKind) await w.vault.connect(eve).redeemInKind(shares, eve.address, eve.address, []);
  else await w.vault.connect(eve).redeem(shares, eve.address, eve.address);
  // value every token Eve ends with at the new price, in USDC units
  const wethGained = (await w.tokens[0]!.balanceOf(eve.address)) - wethStart;
  const wethValue = (wethGained * newAnswer) / 10n ** 20n; // 18-dec token, 8-dec price -> 6-dec USDC
  return (await w.usdc.balanceOf(eve.address)) + wethValue - start;
}

describe("Entry/exit fee vs oracle front-running", () => {
  it("a known price move within the fees is not profitable to front-run (property, both exits)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 10, max: 100 }),
        fc.integer({ min: 10, max: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        async (entry, exit, frac, inKind) => {
          const w = await networkHelpers.loadFixture(wethHeavy);
          await w.vault.connect(w.admin).setFees(0, 0, entry, exit);
          const move = BigInt(Math.floor((entry + exit) * frac));
          expect(await frontRun(w, move, inKind)).to.be.lessThanOrEqual(0n);
        },
      ),
      { numRuns: 16 },
    );
  });

  it("without fees the same front-run is profitable (the test can fail)", async () => {
    const w = await networkHelpers.loadFixture(wethHeavy);
    expect(await frontRun(w, 100n, false)).to.be.greaterThan(0n);
  });
});

describe("Management and performance fees", () => {
  it("charges ~2 %/year management fee as shares to the recipient", async () => {
    const w = await networkHelpers.loadFixture(wethHeavy);
    await w.vault.connect(w.admin).setFeeRecipient(w.admin.address);
    await w.vault.connect(w.admin).setFees(200, 0, 0, 0);
    await networkHelpers.time.increase(YEAR);
    await refreshFeeds(w);
    const t0 = (await w.vault.vaultState()).hot;
    await expect(w.vault.accrueFees()).to.emit(w.vault, "FeesAccrued");
    const t1 = (await w.vault.vaultState()).hot;
    const elapsed = t1.lastAccrual - t0.lastAccrual;
    const value = await w.vault.convertToAssets(await w.vault.balanceOf(w.admin.address));
    const ta = await w.vault.totalAssets();
    const expected = (ta * 200n * elapsed) / (10_000n * BigInt(YEAR));
    // recipient's value within 0.01 % of the pro-rata fee, never above it
    expect(value <= expected).to.equal(true);
    expect(value >= (expected * 9_999n) / 10_000n).to.equal(true);
  });

  it("charges the performance fee only above the high-water mark", async () => {
    const w = await networkHelpers.loadFixture(wethHeavy);
    await w.vault.connect(w.admin).setFeeRecipient(w.admin.address);
    await w.vault.connect(w.admin).setFees(0, 2_000, 0, 0);
    const feed = w.feeds[0]!;
    // +10 % on WETH: gain 9 000 USDC -> fee 1 800
    await feed.setAnswer(3_300n * 10n ** 8n);
    await w.vault.accrueFees();
    const fee1 = await w.vault.convertToAssets(await w.vault.balanceOf(w.admin.address));
    expect(fee1).to.be.closeTo(USDC(1_800), USDC(1));
    expect(fee1 <= USDC(1_800)).to.equal(true);
    const hwm = (await w.vault.vaultState()).limits.highWaterMark;
    // fall back and recover to the same level: no new fee
    await feed.setAnswer(3_000n * 10n ** 8n);
    await w.vault.accrueFees();
    await feed.setAnswer(3_300n * 10n ** 8n);
    const sharesBefore = await w.vault.balanceOf(w.admin.address);
    await w.vault.accrueFees();
    expect(await w.vault.balanceOf(w.admin.address)).to.equal(sharesBefore);
    expect((await w.vault.vaultState()).limits.highWaterMark).to.equal(hwm);
  });

  it("previews include fees that would accrue now: preview == actual in the same block (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.bigInt({ min: 2_000n, max: 4_500n }),
        fc.bigInt({ min: USDC(10), max: USDC(20_000) }),
        async (days, price, assets) => {
          const w = await networkHelpers.loadFixture(wethHeavy);
          await w.vault.connect(w.admin).setFeeRecipient(w.admin.address);
          await w.vault.connect(w.admin).setFees(200, 2_000, 30, 30);
          await networkHelpers.time.increase(days * 24 * 3600);
          await w.feeds[0]!.setAnswer(price * 10n ** 8n);
          const probe = await ethers.deployContract("PreviewProbe");
          await w.usdc.connect(w.bob).approve(await probe.getAddress(), assets);
          const r = await probe.connect(w.bob).run.staticCall(await w.vault.getAddress(), assets);
          expect(r[1]).to.equal(r[0]);
          expect(r[3]).to.equal(r[2]);
          expect(r[5]).to.equal(r[4]);
          expect(r[7]).to.equal(r[6]);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("skips accrual (no revert) while an oracle is unhealthy, then catches up", async () => {
    const w = await networkHelpers.loadFixture(wethHeavy);
    await w.vault.connect(w.admin).setFeeRecipient(w.admin.address);
    await w.vault.connect(w.admin).setFees(200, 0, 0, 0);
    const last = (await w.vault.vaultState()).hot.lastAccrual;
    await networkHelpers.time.increase(YEAR / 2);
    await w.feeds[0]!.setReverts(true);
    await w.vault.accrueFees();
    expect(await w.vault.balanceOf(w.admin.address)).to.equal(0n);
    expect((await w.vault.vaultState()).hot.lastAccrual).to.equal(last);
    // an in-kind exit during the outage does not revert either
    await w.vault.connect(w.alice).redeemInKind(10n ** 12n, w.alice.address, w.alice.address, []);
    await w.feeds[0]!.setReverts(false);
    await refreshFeeds(w);
    await w.vault.accrueFees();
    expect(await w.vault.balanceOf(w.admin.address)).to.be.greaterThan(0n);
  });

  it("charges nothing while the fee recipient is unset", async () => {
    const w = await networkHelpers.loadFixture(wethHeavy);
    await w.vault.connect(w.admin).setFees(200, 2_000, 0, 0);
    await w.feeds[0]!.setAnswer(4_000n * 10n ** 8n);
    const supply = await w.vault.totalSupply();
    await w.vault.accrueFees();
    expect(await w.vault.totalSupply()).to.equal(supply);
  });
});
