/**
 * ERC-4626 conformance as properties: for random vault states (fees, holdings, prices, idle) and
 * random amounts, every EIP rule the vault can be held to is checked against the actual calls.
 */
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { USDC, credit, deployWorld, type World } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();
const RUNS = 12;

async function base(): Promise<World> {
  const w = await deployWorld(ethers);
  await w.vault.connect(w.alice).deposit(USDC(50_000), w.alice.address);
  return w;
}

interface StateParams {
  entryBps: number;
  exitBps: number;
  weth: bigint; // wei credited
  priceAnswer: bigint; // 8-dec
  gain: bigint; // USDC credited (profit)
}

const stateArb = fc.record({
  entryBps: fc.integer({ min: 0, max: 100 }),
  exitBps: fc.integer({ min: 0, max: 100 }),
  weth: fc.bigInt({ min: 0n, max: 20n * 10n ** 18n }),
  priceAnswer: fc.bigInt({ min: 1_000n * 10n ** 8n, max: 9_000n * 10n ** 8n }),
  gain: fc.bigInt({ min: 0n, max: USDC(10_000) }),
});

async function setup(p: StateParams): Promise<World> {
  const w = await networkHelpers.loadFixture(base);
  await w.vault.connect(w.admin).setFees(0, 0, p.entryBps, p.exitBps);
  if (p.weth > 0n) await credit(w, w.tokens[0]!, p.weth);
  if (p.gain > 0n) await credit(w, w.usdc, p.gain);
  await w.feeds[0]!.setAnswer(p.priceAnswer);
  return w;
}

const amountArb = fc.bigInt({ min: 1n, max: USDC(100_000) });

describe("ERC-4626 conformance (properties)", () => {
  it("asset(), decimals() and totalAssets() never revert; share decimals = asset + 6", async () => {
    const w = await networkHelpers.loadFixture(base);
    expect(await w.vault.asset()).to.equal(await w.usdc.getAddress());
    expect(await w.vault.decimals()).to.equal(12n);
    await w.feeds[0]!.setReverts(true);
    await credit(w, w.tokens[0]!, 1n);
    expect(await w.vault.totalAssets()).to.be.a("bigint");
  });

  it("previewDeposit == deposit, <= convertToShares (rounded down, fee kept); emits Deposit", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, amountArb, async (p, assets) => {
        const w = await setup(p);
        const preview = await w.vault.previewDeposit(assets);
        const convert = await w.vault.convertToShares(assets);
        expect(preview <= convert).to.equal(true);
        if (preview === 0n) {
          await expect(w.vault.connect(w.bob).deposit(assets, w.eve.address))
            .to.be.revertedWithCustomError(w.vault, "ZeroShares")
            .withArgs(assets);
          return;
        }
        const before = await w.vault.balanceOf(w.bob.address);
        await expect(w.vault.connect(w.bob).deposit(assets, w.eve.address))
          .to.emit(w.vault, "Deposit")
          .withArgs(w.bob.address, w.eve.address, assets, preview);
        expect(await w.vault.balanceOf(w.bob.address)).to.equal(before);
        expect(await w.vault.balanceOf(w.eve.address)).to.equal(preview);
      }),
      { numRuns: RUNS },
    );
  });

  it("previewMint == mint, >= convertToAssets (rounded up); emits Deposit", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.bigInt({ min: 1n, max: 10n ** 20n }), async (p, shares) => {
        const w = await setup(p);
        const preview = await w.vault.previewMint(shares);
        expect(preview >= (await w.vault.convertToAssets(shares))).to.equal(true);
        const usdcBefore = await w.usdc.balanceOf(w.bob.address);
        await expect(w.vault.connect(w.bob).mint(shares, w.bob.address))
          .to.emit(w.vault, "Deposit")
          .withArgs(w.bob.address, w.bob.address, preview, shares);
        expect(usdcBefore - (await w.usdc.balanceOf(w.bob.address))).to.equal(preview);
      }),
      { numRuns: RUNS },
    );
  });

  it("previewWithdraw == withdraw, >= convertToShares (rounded up); emits Withdraw", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.bigInt({ min: 1n, max: USDC(40_000) }), async (p, assets) => {
        const w = await setup(p);
        const preview = await w.vault.previewWithdraw(assets);
        expect(preview >= (await w.vault.convertToShares(assets))).to.equal(true);
        const sharesBefore = await w.vault.balanceOf(w.alice.address);
        await expect(w.vault.connect(w.alice).withdraw(assets, w.bob.address, w.alice.address))
          .to.emit(w.vault, "Withdraw")
          .withArgs(w.alice.address, w.bob.address, w.alice.address, assets, preview);
        expect(sharesBefore - (await w.vault.balanceOf(w.alice.address))).to.equal(preview);
      }),
      { numRuns: RUNS },
    );
  });

  it("previewRedeem == redeem, <= convertToAssets (rounded down); emits Withdraw", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.bigInt({ min: 10n ** 6n, max: 4n * 10n ** 16n }), async (p, wanted) => {
        const w = await setup(p);
        const max = await w.vault.maxRedeem(w.alice.address);
        const shares = wanted < max ? wanted : max;
        const preview = await w.vault.previewRedeem(shares);
        expect(preview <= (await w.vault.convertToAssets(shares))).to.equal(true);
        if (preview === 0n) {
          await expect(
            w.vault.connect(w.alice).redeem(shares, w.bob.address, w.alice.address),
          ).to.be.revertedWithCustomError(w.vault, "ZeroAssets");
          return;
        }
        const usdcBefore = await w.usdc.balanceOf(w.bob.address);
        await expect(w.vault.connect(w.alice).redeem(shares, w.bob.address, w.alice.address))
          .to.emit(w.vault, "Withdraw")
          .withArgs(w.alice.address, w.bob.address, w.alice.address, preview, shares);
        expect((await w.usdc.balanceOf(w.bob.address)) - usdcBefore).to.equal(preview);
      }),
      { numRuns: RUNS },
    );
  });

  it("round trips favour the vault: deposit->redeem and mint->withdraw never return more", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, amountArb, async (p, assets) => {
        const w = await setup(p);
        const bob = w.vault.connect(w.bob);
        const start = await w.usdc.balanceOf(w.bob.address);
        if ((await w.vault.previewDeposit(assets)) === 0n) {
          await expect(bob.deposit(assets, w.bob.address)).to.be.revertedWithCustomError(
            w.vault,
            "ZeroShares",
          );
          return;
        }
        await bob.deposit(assets, w.bob.address);
        const shares = await w.vault.balanceOf(w.bob.address);
        if (shares > 0n && (await w.vault.previewRedeem(shares)) > 0n)
          await bob.redeem(shares, w.bob.address, w.bob.address);
        expect((await w.usdc.balanceOf(w.bob.address)) <= start).to.equal(true);
        // mint -> withdraw everything withdrawable
        const start2 = await w.usdc.balanceOf(w.bob.address);
        await bob.mint(10n ** 15n, w.bob.address);
        const max = await w.vault.maxWithdraw(w.bob.address);
        if (max > 0n) await bob.withdraw(max, w.bob.address, w.bob.address);
        expect((await w.usdc.balanceOf(w.bob.address)) <= start2).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("maxDeposit/maxMint respect the cap exactly: max succeeds, max+1 reverts", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.bigInt({ min: 1n, max: USDC(30_000) }), async (p, room) => {
        const w = await setup(p);
        const cap = (await w.vault.totalAssets()) + room;
        await w.vault.connect(w.guardian).lowerDepositCap(cap);
        const maxDeposit = await w.vault.maxDeposit(w.bob.address);
        expect(maxDeposit).to.equal(room);
        await expect(
          w.vault.connect(w.bob).deposit(maxDeposit + 1n, w.bob.address),
        ).to.be.revertedWithCustomError(w.vault, "DepositCapExceeded");
        const maxMint = await w.vault.maxMint(w.bob.address);
        if (maxMint > 0n) {
          const snapshot = await networkHelpers.takeSnapshot();
          await w.vault.connect(w.bob).mint(maxMint, w.bob.address);
          await snapshot.restore();
        }
        if ((await w.vault.previewDeposit(maxDeposit)) > 0n) {
          await w.vault.connect(w.bob).deposit(maxDeposit, w.bob.address);
          expect(await w.vault.maxDeposit(w.bob.address)).to.equal(0n);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("maxWithdraw/maxRedeem are exact when idle is short: max succeeds; more reverts", async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.bigInt({ min: USDC(1), max: USDC(49_000) }), async (p, moved) => {
        const w = await setup(p);
        // move idle out of the vault's books into a risk asset stand-in: debit USDC, credit WETH of equal value
        await w.vault.connect(w.admin).harnessMove(await w.usdc.getAddress(), -moved);
        const idle = await w.vault.idleAssets();
        const maxW = await w.vault.maxWithdraw(w.alice.address);
        const maxR = await w.vault.maxRedeem(w.alice.address);
        expect(maxW <= idle).to.equal(true);
        expect((await w.vault.previewRedeem(maxR)) <= idle).to.equal(true);
        const snapshot = await networkHelpers.takeSnapshot();
        if (maxW > 0n) await w.vault.connect(w.alice).withdraw(maxW, w.alice.address, w.alice.address);
        await snapshot.restore();
        if ((await w.vault.previewRedeem(maxR)) > 0n)
          await w.vault.connect(w.alice).redeem(maxR, w.alice.address, w.alice.address);
        await snapshot.restore();
        await expect(
          w.vault.connect(w.alice).withdraw(idle + 1n, w.alice.address, w.alice.address),
        ).to.be.revertedWithCustomError(w.vault, "InsufficientIdle");
      }),
      { numRuns: RUNS },
    );
  });

  it("maxWithdraw/maxRedeem cover the whole balance when idle suffices", async () => {
    const w = await networkHelpers.loadFixture(base);
    await w.vault.connect(w.admin).setFees(0, 0, 0, 50);
    await w.vault.connect(w.bob).deposit(USDC(1_000), w.bob.address);
    const bal = await w.vault.balanceOf(w.bob.address);
    expect(await w.vault.maxRedeem(w.bob.address)).to.equal(bal);
    expect(await w.vault.maxWithdraw(w.bob.address)).to.equal(await w.vault.previewRedeem(bal));
    await w.vault
      .connect(w.bob)
      .withdraw(await w.vault.maxWithdraw(w.bob.address), w.bob.address, w.bob.address);
    expect((await w.vault.balanceOf(w.bob.address)) <= 1n).to.equal(true);
  });

  it("a third party spends the owner's allowance (in shares) for withdraw and redeem", async () => {
    const w = await networkHelpers.loadFixture(base);
    const shares = await w.vault.previewWithdraw(USDC(100));
    await expect(w.vault.connect(w.bob).withdraw(USDC(100), w.bob.address, w.alice.address))
      .to.be.revertedWithCustomError(w.vault, "ERC20InsufficientAllowance")
      .withArgs(w.bob.address, 0, shares);
    await w.vault.connect(w.alice).approve(w.bob.address, shares + 10n ** 12n);
    await expect(w.vault.connect(w.bob).withdraw(USDC(100), w.eve.address, w.alice.address))
      .to.emit(w.vault, "Withdraw")
      .withArgs(w.bob.address, w.eve.address, w.alice.address, USDC(100), shares);
    expect(await w.vault.allowance(w.alice.address, w.bob.address)).to.equal(10n ** 12n);
    await w.vault.connect(w.bob).redeem(10n ** 12n, w.bob.address, w.alice.address);
    expect(await w.vault.allowance(w.alice.address, w.bob.address)).to.equal(0n);
  });

  it("rejects zero amounts on every entry and exit", async () => {
    const w = await networkHelpers.loadFixture(base);
    const v = w.vault.connect(w.alice);
    await expect(v.deposit(0, w.alice.address)).to.be.revertedWithCustomError(w.vault, "ZeroAmount");
    await expect(v.mint(0, w.alice.address)).to.be.revertedWithCustomError(w.vault, "ZeroAmount");
    await expect(v.withdraw(0, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ZeroAmount",
    );
    await expect(v.redeem(0, w.alice.address, w.alice.address)).to.be.revertedWithCustomError(
      w.vault,
      "ZeroAmount",
    );
    await expect(v.redeemInKind(0, w.alice.address, w.alice.address, [])).to.be.revertedWithCustomError(
      w.vault,
      "ZeroAmount",
    );
    await expect(v.redeem(1, w.alice.address, w.alice.address))
      .to.be.revertedWithCustomError(w.vault, "ZeroAssets")
      .withArgs(1);
  });

  it("stops deposits when paused (DepositsPaused), exits keep working", async () => {
    const w = await networkHelpers.loadFixture(base);
    await w.vault.connect(w.guardian).pauseDeposits();
    expect(await w.vault.maxDeposit(w.bob.address)).to.equal(0n);
    expect(await w.vault.maxMint(w.bob.address)).to.equal(0n);
    await expect(w.vault.connect(w.bob).deposit(USDC(1), w.bob.address)).to.be.revertedWithCustomError(
      w.vault,
      "DepositsPaused",
    );
    await expect(w.vault.connect(w.bob).mint(1n, w.bob.address)).to.be.revertedWithCustomError(
      w.vault,
      "DepositsPaused",
    );
    await w.vault.connect(w.alice).withdraw(USDC(10), w.alice.address, w.alice.address);
    await w.vault.connect(w.alice).redeem(10n ** 12n, w.alice.address, w.alice.address);
  });
});
