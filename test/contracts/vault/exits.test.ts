/**
 * Exits: in-kind redemption under every failure state, reentrancy, and exits while paused.
 */
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import type { MockPositionAdapter } from "../../../types/ethers-contracts/index.ts";
import { USDC, credit, deployWorld, type World } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();

interface Loaded {
  w: World;
  adapter: MockPositionAdapter;
}

/** Alice 60 %, Bob 40 % of the shares; holdings: USDC, WETH, WBTC and an adapter holding USDC. */
async function loaded(): Promise<Loaded> {
  const w = await deployWorld(ethers);
  await w.vault.connect(w.alice).deposit(USDC(60_000), w.alice.address);
  await w.vault.connect(w.bob).deposit(USDC(40_000), w.bob.address);
  await w.vault.connect(w.admin).harnessMove(await w.usdc.getAddress(), -USDC(50_000)); // "spent" on the assets below
  await credit(w, w.tokens[0]!, 10n * 10n ** 18n); // 10 WETH = 30 000
  await credit(w, w.tokens[1]!, 3n * 10n ** 7n); // 0.3 WBTC = 18 000
  const adapter = (await ethers.deployContract("MockPositionAdapter", [
    await w.vault.getAddress(),
    await w.usdc.getAddress(),
  ])) as unknown as MockPositionAdapter;
  await w.vault.connect(w.curator).addAdapter(await adapter.getAddress());
  await w.usdc.mint(await adapter.getAddress(), USDC(2_000));
  await adapter.setValue(USDC(2_000));
  return { w, adapter };
}

type FeedState = "ok" | "stale" | "reverts" | "zero" | "negative" | "out-of-bounds" | "short";
const FEED_STATES: readonly FeedState[] = [
  "ok",
  "stale",
  "reverts",
  "zero",
  "negative",
  "out-of-bounds",
  "short",
];

async function applyFeedState(w: World, i: number, state: FeedState): Promise<void> {
  const feed = w.feeds[i]!;
  if (state === "stale") await feed.setRound(await feed.answer(), 1n, 1n);
  if (state === "reverts") await feed.setReverts(true);
  if (state === "zero") await feed.setAnswer(0);
  if (state === "negative") await feed.setAnswer(-1);
  if (state === "out-of-bounds") await feed.setAnswer((await feed.answer()) * 1000n);
  if (state === "short") await feed.setShortData(true);
}

describe("redeemInKind", () => {
  it("pays a pro-rata slice of every holding (rounded down) and of the adapter", async () => {
    const { w, adapter } = await networkHelpers.loadFixture(loaded);
    const shares = await w.vault.balanceOf(w.bob.address);
    const supply = await w.vault.totalSupply();
    const denominator = supply + 10n ** 6n;
    const tokens = [w.usdc, w.tokens[0]!, w.tokens[1]!, w.tokens[2]!, w.tokens[3]!];
    const tracked = await Promise.all(tokens.map(async (t) => w.vault.trackedBalance(await t.getAddress())));
    const expected = tracked.map((b) => (b * shares) / denominator);
    const before = await Promise.all(tokens.map((t) => t.balanceOf(w.eve.address)));
    await expect(w.vault.connect(w.bob).redeemInKind(shares, w.eve.address, w.bob.address, []))
      .to.emit(w.vault, "RedeemedInKind")
      .withArgs(w.bob.address, w.eve.address, w.bob.address, shares, expected);
    for (let i = 0; i < tokens.length; i++) {
      const got = (await tokens[i]!.balanceOf(w.eve.address)) - before[i]!;
      // the adapter pays its USDC slice on top of the vault's idle slice
      const adapterSlice = i === 0 ? (USDC(2_000) * shares) / denominator : 0n;
      expect(got).to.equal(expected[i]! + adapterSlice);
    }
    expect(await w.vault.balanceOf(w.bob.address)).to.equal(0n);
    expect(await adapter.value()).to.be.lessThan(USDC(2_000));
  });

  it("works while deposits and rebalances are paused, with every oracle and the adapter valuation down", async () => {
    const { w, adapter } = await networkHelpers.loadFixture(loaded);
    await w.vault.connect(w.guardian).pauseDeposits();
    await w.vault.connect(w.guardian).pauseRebalance();
    for (let i = 0; i < w.feeds.length; i++) await w.feeds[i]!.setReverts(true);
    await adapter.setValuationReverts(true);
    expect(await w.vault.maxRedeem(w.alice.address)).to.equal(0n);
    const shares = await w.vault.balanceOf(w.alice.address);
    const wethBefore = await w.tokens[0]!.balanceOf(w.alice.address);
    await w.vault.connect(w.alice).redeemInKind(shares / 2n, w.alice.address, w.alice.address, []);
    expect((await w.tokens[0]!.balanceOf(w.alice.address)) - wethBefore).to.be.greaterThan(0n);
  });

  it("skips an adapter whose redeemInKind reverts (InKindAdapterSkipped): the exit still pays every token slice", async () => {
    const { w, adapter } = await networkHelpers.loadFixture(loaded);
    await adapter.setInKindReverts(true);
    const shares = await w.vault.balanceOf(w.bob.address);
    const denominator = (await w.vault.totalSupply()) + 10n ** 6n;
    const weth = w.tokens[0]!;
    const expectedWeth = ((await w.vault.trackedBalance(await weth.getAddress())) * shares) / denominator;
    const adapterValue = await adapter.value();
    await expect(w.vault.connect(w.bob).redeemInKind(shares, w.eve.address, w.bob.address, []))
      .to.emit(w.vault, "InKindAdapterSkipped")
      .withArgs(await adapter.getAddress(), w.eve.address, shares, denominator);
    expect(await weth.balanceOf(w.eve.address)).to.equal(expectedWeth);
    expect(await w.vault.balanceOf(w.bob.address)).to.equal(0n);
    // the leaver's slice of the adapter stays with the remaining holders
    expect(await adapter.value()).to.equal(adapterValue);
    // and once the adapter works again, the next exit gets its slice as before
    await adapter.setInKindReverts(false);
    await expect(
      w.vault.connect(w.alice).redeemInKind(1_000n, w.alice.address, w.alice.address, []),
    ).to.not.emit(w.vault, "InKindAdapterSkipped");
    expect(await adapter.value()).to.be.lessThan(adapterValue);
  });

  for (const [mode, what] of [
    [1, "reverts with 1 MB of return data (a return-data bomb the vault could not afford to copy)"],
    [2, "burns all the gas it is given"],
  ] as const) {
    it(`a malicious adapter that ${what} cannot lock an in-kind exit (3M gas limit)`, async () => {
      const { w, adapter } = await networkHelpers.loadFixture(loaded);
      await adapter.setInKindGrief(mode, 1_000_000n);
      const shares = await w.vault.balanceOf(w.bob.address);
      const weth = w.tokens[0]!;
      const before = await weth.balanceOf(w.eve.address);
      const tx = w.vault
        .connect(w.bob)
        .redeemInKind(shares, w.eve.address, w.bob.address, [], { gasLimit: 3_000_000n });
      await expect(tx).to.emit(w.vault, "InKindAdapterSkipped");
      expect(await weth.balanceOf(w.eve.address)).to.be.greaterThan(before);
      expect(await w.vault.balanceOf(w.bob.address)).to.equal(0n);
    });
  }

  it("works for any holder under any combination of feed states (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.constantFrom(...FEED_STATES), fc.constantFrom(...FEED_STATES)),
        fc.boolean(),
        fc.bigInt({ min: 1n, max: 10n ** 18n }),
        fc.boolean(),
        async ([s0, s1], sequencerDown, fraction, useBob) => {
          const { w } = await networkHelpers.loadFixture(loaded);
          await applyFeedState(w, 0, s0);
          await applyFeedState(w, 1, s1);
          if (sequencerDown) {
            const seq = await ethers.deployContract("MockAggregator", [0, 0]);
            await seq.setRound(0, 1n, 1n);
            await w.vault.connect(w.curator).setSequencer(await seq.getAddress(), 3600);
            await seq.setAnswer(1);
          }
          const holder = useBob ? w.bob : w.alice;
          const bal = await w.vault.balanceOf(holder.address);
          const shares = (bal * fraction) / 10n ** 18n;
          if (shares === 0n) return;
          const supplyBefore = await w.vault.totalSupply();
          await w.vault.connect(holder).redeemInKind(shares, holder.address, holder.address, []);
          expect(await w.vault.totalSupply()).to.equal(supplyBefore - shares);
        },
      ),
      { numRuns: 16 },
    );
  });

  it("enforces per-holding minimums with InKindSlippage(token, amount, min) and checks their count", async () => {
    const { w } = await networkHelpers.loadFixture(loaded);
    const shares = 10n ** 15n;
    const weth = await w.tokens[0]!.getAddress();
    await expect(w.vault.connect(w.alice).redeemInKind(shares, w.alice.address, w.alice.address, [0, 0]))
      .to.be.revertedWithCustomError(w.vault, "LengthMismatch")
      .withArgs(5, 2);
    const denominator = (await w.vault.totalSupply()) + 10n ** 6n;
    const wethOut = ((await w.vault.trackedBalance(weth)) * shares) / denominator;
    await expect(
      w.vault
        .connect(w.alice)
        .redeemInKind(shares, w.alice.address, w.alice.address, [0, wethOut + 1n, 0, 0, 0]),
    )
      .to.be.revertedWithCustomError(w.vault, "InKindSlippage")
      .withArgs(weth, wethOut, wethOut + 1n);
    await w.vault
      .connect(w.alice)
      .redeemInKind(shares, w.alice.address, w.alice.address, [0, wethOut, 0, 0, 0]);
  });

  it("keeps the exit fee in the vault (remaining holders gain)", async () => {
    const { w } = await networkHelpers.loadFixture(loaded);
    await w.vault.connect(w.admin).setFees(0, 0, 0, 100);
    const ppsBefore = await w.vault.convertToAssets(10n ** 18n);
    await w.vault
      .connect(w.bob)
      .redeemInKind(await w.vault.balanceOf(w.bob.address), w.bob.address, w.bob.address, []);
    expect(await w.vault.convertToAssets(10n ** 18n)).to.be.greaterThan(ppsBefore);
  });

  it("spends allowance for a third party and refuses without it", async () => {
    const { w } = await networkHelpers.loadFixture(loaded);
    await expect(
      w.vault.connect(w.eve).redeemInKind(1000n, w.eve.address, w.alice.address, []),
    ).to.be.revertedWithCustomError(w.vault, "ERC20InsufficientAllowance");
    await w.vault.connect(w.alice).approve(w.eve.address, 10n ** 15n);
    await w.vault.connect(w.eve).redeemInKind(10n ** 15n, w.eve.address, w.alice.address, []);
    expect(await w.vault.allowance(w.alice.address, w.eve.address)).to.equal(0n);
  });

  it("blocks reentrancy from a token callback (ReentrancyGuardReentrantCall)", async () => {
    const w = await deployWorld(ethers, { tokens: [] });
    const reent = await ethers.deployContract("MockReentrantToken");
    const feed = await ethers.deployContract("MockAggregator", [8, 10n ** 8n]);
    await reent.mint(w.curator.address, 10n ** 18n);
    await reent.connect(w.curator).approve(await w.vault.getAddress(), 10n ** 18n);
    await w.vault
      .connect(w.curator)
      .addAsset(
        await reent.getAddress(),
        { feed: await feed.getAddress(), heartbeat: 3600, decimals: 8, minPrice: 1n, maxPrice: 10n ** 12n },
        5_000,
        w.curator.address,
        10n ** 18n,
      );
    await w.vault.connect(w.alice).deposit(USDC(1_000), w.alice.address);
    await reent.mint(w.admin.address, 10n ** 20n);
    await reent.connect(w.admin).approve(await w.vault.getAddress(), 10n ** 20n);
    await w.vault.connect(w.admin).harnessMove(await reent.getAddress(), 10n ** 20n);
    // The token re-enters redeemInKind while the vault pays Alice.
    await w.vault.connect(w.alice).approve(await reent.getAddress(), 2n ** 255n);
    const data = w.vault.interface.encodeFunctionData("redeemInKind", [
      10n ** 12n,
      w.alice.address,
      w.alice.address,
      [],
    ]);
    await reent.arm(await w.vault.getAddress(), data);
    await expect(
      w.vault.connect(w.alice).redeemInKind(10n ** 14n, w.alice.address, w.alice.address, []),
    ).to.be.revertedWithCustomError(w.vault, "ReentrancyGuardReentrantCall");
    // and re-entering deposit
    await reent.arm(
      await w.vault.getAddress(),
      w.vault.interface.encodeFunctionData("deposit", [USDC(1), w.alice.address]),
    );
    await expect(
      w.vault.connect(w.alice).redeemInKind(10n ** 14n, w.alice.address, w.alice.address, []),
    ).to.be.revertedWithCustomError(w.vault, "ReentrancyGuardReentrantCall");
    await reent.disarm();
    await w.vault.connect(w.alice).redeemInKind(10n ** 14n, w.alice.address, w.alice.address, []);
  });

  it("asset-paid exits revert with the oracle's error while unhealthy, and maxWithdraw/maxRedeem say 0", async () => {
    const { w } = await networkHelpers.loadFixture(loaded);
    await w.feeds[0]!.setReverts(true);
    expect(await w.vault.maxWithdraw(w.alice.address)).to.equal(0n);
    await expect(
      w.vault.connect(w.alice).withdraw(USDC(1), w.alice.address, w.alice.address),
    ).to.be.revertedWithCustomError(w.vault, "OracleCallFailed");
  });

  it("values adapter positions in totalAssets and reports AdapterValuationFailed on strict paths", async () => {
    const { w, adapter } = await networkHelpers.loadFixture(loaded);
    // 50 000 idle + 30 000 WETH + 18 000 WBTC + 2 000 adapter
    expect(await w.vault.totalAssets()).to.equal(USDC(100_000));
    await adapter.setValuationReverts(true);
    expect(await w.vault.totalAssets()).to.equal(USDC(98_000));
    expect(await w.vault.isHealthy()).to.equal(false);
    await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address))
      .to.be.revertedWithCustomError(w.vault, "AdapterValuationFailed")
      .withArgs(await adapter.getAddress());
  });
});
