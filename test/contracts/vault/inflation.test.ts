/**
 * Inflation / donation: the first-depositor attack fails and donations never move the share price
 * (holdings are accounted internally; 10**6 virtual shares on top).
 */
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import { DEAD_ADDRESS } from "../../../deploy/vault.ts";
import { USDC, credit, deployWorld } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();

describe("Inflation and donation attacks", () => {
  it("classic first-depositor attack: the victim keeps (nearly) all funds, the attacker loses the donation", async () => {
    const w = await deployWorld(ethers);
    const vault = await w.vault.getAddress();
    const attackerStart = await w.usdc.balanceOf(w.eve.address);
    // 1. attacker deposits 1 wei of USDC, 2. donates 10 000 USDC directly
    await w.vault.connect(w.eve).deposit(1n, w.eve.address);
    await w.usdc.connect(w.eve).transfer(vault, USDC(10_000));
    // 3. victim deposits 10 000 USDC
    await w.vault.connect(w.alice).deposit(USDC(10_000), w.alice.address);
    const victimShares = await w.vault.balanceOf(w.alice.address);
    expect(victimShares).to.be.greaterThan(0n);
    const victimValue = await w.vault.previewRedeem(victimShares);
    expect(victimValue >= USDC(10_000) - 1n).to.equal(true);
    // 4. attacker redeems everything: gets back at most its 1 wei, the donation is lost to it
    const eveShares = await w.vault.balanceOf(w.eve.address);
    const eveOut = await w.vault.previewRedeem(eveShares);
    if (eveOut > 0n) await w.vault.connect(w.eve).redeem(eveShares, w.eve.address, w.eve.address);
    expect((await w.usdc.balanceOf(w.eve.address)) - attackerStart).to.be.lessThanOrEqual(-USDC(10_000));
    // victim exits with everything
    await w.vault.connect(w.alice).redeem(victimShares, w.alice.address, w.alice.address);
    expect(await w.usdc.balanceOf(w.alice.address)).to.be.greaterThanOrEqual(USDC(1_000_000_000) - 1n);
  });

  it("donations of the asset or of a risk asset do not move the share price (property)", async () => {
    const base = async () => {
      const w = await deployWorld(ethers);
      await w.vault.connect(w.alice).deposit(USDC(5_000), w.alice.address);
      await credit(w, w.tokens[0]!, 10n ** 18n);
      return w;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: USDC(10_000_000) }),
        fc.bigInt({ min: 1n, max: 10n ** 22n }),
        async (usdcDonation, wethDonation) => {
          const w = await networkHelpers.loadFixture(base);
          const vault = await w.vault.getAddress();
          const pps = await w.vault.convertToAssets(10n ** 18n);
          const ta = await w.vault.totalAssets();
          await w.usdc.mint(vault, usdcDonation);
          await w.tokens[0]!.mint(vault, wethDonation);
          expect(await w.vault.convertToAssets(10n ** 18n)).to.equal(pps);
          expect(await w.vault.totalAssets()).to.equal(ta);
          // a deposit after the donation gets the same shares as before it
          expect(await w.vault.previewDeposit(USDC(1_000))).to.equal(
            await w.vault.convertToShares(USDC(1_000)),
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it("the deploy helper can seed dead shares", async () => {
    const w = await deployWorld(ethers, { seedAssets: USDC(1) });
    expect(await w.vault.balanceOf(DEAD_ADDRESS)).to.equal(USDC(1) * 10n ** 6n);
  });
});
