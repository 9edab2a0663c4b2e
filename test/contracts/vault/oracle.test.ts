import { expect } from "chai";
import { network } from "hardhat";
import type { MockAggregator } from "../../../types/ethers-contracts/index.ts";
import { HEARTBEAT, USDC, credit, deployWorld, feedConfig, refreshFeeds, type World } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();

/** A world with Alice's deposit and 1 WETH on the books, so the WETH feed is needed. */
async function world(): Promise<{ w: World; feed: MockAggregator; feedAddress: string }> {
  const w = await deployWorld(ethers);
  await w.vault.connect(w.alice).deposit(USDC(10_000), w.alice.address);
  await credit(w, w.tokens[0]!, 10n ** 18n);
  const feed = w.feeds[0]!;
  return { w, feed, feedAddress: await feed.getAddress() };
}

describe("OracleLib through the vault", () => {
  it("normalises an 8-decimal answer to 18 decimals", async () => {
    const { w } = await world();
    // 10 000 idle + 1 WETH at 3 000.00000000 (8 decimals) = 13 000 USDC
    expect(await w.vault.totalAssets()).to.equal(USDC(13_000));
  });

  it("rejects a zero answer with OracleNonPositiveAnswer(feed, 0)", async () => {
    const { w, feed, feedAddress } = await world();
    await feed.setAnswer(0);
    await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address))
      .to.be.revertedWithCustomError(w.vault, "OracleNonPositiveAnswer")
      .withArgs(feedAddress, 0);
  });

  it("rejects a negative answer with OracleNonPositiveAnswer(feed, answer)", async () => {
    const { w, feed, feedAddress } = await world();
    await feed.setAnswer(-5);
    await expect(w.vault.previewDeposit(1n))
      .to.be.revertedWithCustomError(w.vault, "OracleNonPositiveAnswer")
      .withArgs(feedAddress, -5);
  });

  it("rejects a stale round with OracleStale(feed, updatedAt, heartbeat, now)", async () => {
    const { w, feed, feedAddress } = await world();
    const updatedAt = await feed.updatedAt();
    await networkHelpers.time.increase(HEARTBEAT + 1);
    const now = BigInt(await networkHelpers.time.latest()) + 1n;
    await networkHelpers.time.setNextBlockTimestamp(now);
    await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address))
      .to.be.revertedWithCustomError(w.vault, "OracleStale")
      .withArgs(feedAddress, updatedAt, HEARTBEAT, now);
  });

  it("accepts a round exactly at the heartbeat and rejects one second later", async () => {
    const { w, feed } = await world();
    const dep = BigInt(await networkHelpers.time.latest()) + 10n;
    await feed.setRound(3_000n * 10n ** 8n, dep - BigInt(HEARTBEAT), dep - BigInt(HEARTBEAT));
    await networkHelpers.time.setNextBlockTimestamp(dep);
    await w.vault.connect(w.bob).deposit(USDC(1), w.bob.address); // age == heartbeat: accepted
    await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address)).to.be.revertedWithCustomError(
      w.vault,
      "OracleStale",
    );
  });

  it("rejects an updatedAt in the future as stale", async () => {
    const { w, feed } = await world();
    const t = BigInt(await networkHelpers.time.latest());
    await feed.setRound(3_000n * 10n ** 8n, t, t + 1000n);
    await expect(w.vault.previewDeposit(1n)).to.be.revertedWithCustomError(w.vault, "OracleStale");
  });

  it("rejects prices outside the bounds with OracleOutOfBounds(feed, price18, min, max)", async () => {
    const { w, feed, feedAddress } = await world();
    const initial = 3_000n * 10n ** 8n;
    await feed.setAnswer(initial * 100n + 1n);
    await expect(w.vault.previewDeposit(1n))
      .to.be.revertedWithCustomError(w.vault, "OracleOutOfBounds")
      .withArgs(feedAddress, (initial * 100n + 1n) * 10n ** 10n, initial / 100n, initial * 100n);
    await feed.setAnswer(initial / 100n - 1n);
    await expect(w.vault.previewDeposit(1n))
      .to.be.revertedWithCustomError(w.vault, "OracleOutOfBounds")
      .withArgs(feedAddress, (initial / 100n - 1n) * 10n ** 10n, initial / 100n, initial * 100n);
  });

  it("turns a reverting feed or malformed return data into OracleCallFailed(feed)", async () => {
    const { w, feed, feedAddress } = await world();
    await feed.setReverts(true);
    await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address))
      .to.be.revertedWithCustomError(w.vault, "OracleCallFailed")
      .withArgs(feedAddress);
    await feed.setReverts(false);
    await feed.setShortData(true);
    await expect(w.vault.previewDeposit(1n))
      .to.be.revertedWithCustomError(w.vault, "OracleCallFailed")
      .withArgs(feedAddress);
  });

  it("views never revert while a feed is unhealthy: holdings it prices count as 0", async () => {
    const { w, feed } = await world();
    expect(await w.vault.isHealthy()).to.equal(true);
    await feed.setReverts(true);
    expect(await w.vault.isHealthy()).to.equal(false);
    expect(await w.vault.totalAssets()).to.equal(USDC(10_000));
    expect(await w.vault.maxDeposit(w.bob.address)).to.equal(0n);
    expect(await w.vault.maxMint(w.bob.address)).to.equal(0n);
    expect(await w.vault.maxWithdraw(w.alice.address)).to.equal(0n);
    expect(await w.vault.maxRedeem(w.alice.address)).to.equal(0n);
    expect(await w.vault.convertToAssets(10n ** 12n)).to.be.a("bigint");
  });

  it("does not need the feed of an asset the vault does not hold", async () => {
    const { w } = await world();
    await w.feeds[1]!.setReverts(true); // WBTC: zero balance
    expect(await w.vault.isHealthy()).to.equal(true);
    await w.vault.connect(w.bob).deposit(USDC(1), w.bob.address);
  });

  describe("asset (stablecoin) feed", () => {
    it("values holdings in asset units through the asset's price (a depeg raises risk-asset value in USDC)", async () => {
      const { w } = await world();
      const usdcFeed = await ethers.deployContract("MockAggregator", [8, 100_000_000n]);
      await w.vault
        .connect(w.curator)
        .setFeed(await w.usdc.getAddress(), feedConfig(await usdcFeed.getAddress(), 100_000_000n));
      expect(await w.vault.totalAssets()).to.equal(USDC(13_000));
      await usdcFeed.setAnswer(96_000_000n); // 0.96 USD
      // 10 000 idle + 3000 USD / 0.96 = 3125 USDC
      expect(await w.vault.totalAssets()).to.equal(USDC(13_125));
      await usdcFeed.setAnswer(0);
      expect(await w.vault.maxDeposit(w.bob.address)).to.equal(0n);
      await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address)).to.be.revertedWithCustomError(
        w.vault,
        "OracleNonPositiveAnswer",
      );
    });
  });

  describe("L2 sequencer", () => {
    it("stops deposits while the sequencer is down or within its grace period, with named errors", async () => {
      const { w } = await world();
      const seq = await ethers.deployContract("MockAggregator", [0, 0]);
      const seqAddress = await seq.getAddress();
      const t0 = BigInt(await networkHelpers.time.latest());
      await seq.setRound(0, t0 - 7200n, t0 - 7200n);
      await w.vault.connect(w.curator).setSequencer(seqAddress, 3600);
      await w.vault.connect(w.bob).deposit(USDC(1), w.bob.address);

      await seq.setRound(1, t0, t0);
      await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address))
        .to.be.revertedWithCustomError(w.vault, "SequencerDown")
        .withArgs(seqAddress, 1);
      expect(await w.vault.maxDeposit(w.bob.address)).to.equal(0n);

      const back = BigInt(await networkHelpers.time.latest());
      await seq.setRound(0, back, back);
      await networkHelpers.time.setNextBlockTimestamp(back + 10n);
      await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address))
        .to.be.revertedWithCustomError(w.vault, "SequencerGracePeriod")
        .withArgs(seqAddress, back, 3600, back + 10n);
      await networkHelpers.time.increase(3600);
      await refreshFeeds(w);
      await w.vault.connect(w.bob).deposit(USDC(1), w.bob.address);
    });

    it("refuses to configure a sequencer feed that reports down", async () => {
      const { w } = await world();
      const seq = await ethers.deployContract("MockAggregator", [0, 1]);
      await expect(
        w.vault.connect(w.curator).setSequencer(await seq.getAddress(), 3600),
      ).to.be.revertedWithCustomError(w.vault, "SequencerDown");
    });
  });
});
