import { expect } from "chai";
import { network } from "hardhat";
import { USDC, credit, deployWorld } from "./fixture.ts";

const { ethers } = await network.create();

describe("RiskParityVault smoke", () => {
  it("deploys, registers 4 assets, values a deposit and a credited holding", async () => {
    const w = await deployWorld(ethers);
    expect(await w.vault.riskAssetCount()).to.equal(4n);
    await w.vault.connect(w.alice).deposit(USDC(1000), w.alice.address);
    expect(await w.vault.totalAssets()).to.equal(USDC(1000));
    await credit(w, w.tokens[0]!, 10n ** 18n); // 1 WETH at 3000
    expect(await w.vault.totalAssets()).to.equal(USDC(4000));
  });
});
