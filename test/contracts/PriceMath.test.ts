import { expect } from "chai";
import { network } from "hardhat";

const { ethers } = await network.create();

describe("PriceMath (through a harness)", () => {
  it("normalises an 8-decimal Chainlink answer to 18 decimals", async () => {
    const harness = await ethers.deployContract("PriceMathHarness");
    expect(await harness.normalize(3_000_12345678n, 8)).to.equal(3_000_123456780000000000n);
  });

  it("rounds an amount up and a value down", async () => {
    const harness = await ethers.deployContract("PriceMathHarness");
    const price = 3_000n * 10n ** 18n; // 3000 USD per token, 18-decimal token
    expect(await harness.amountUp(1n, price, 18)).to.equal(1n); // 1e-18 USD needs 1 wei (rounded up)
    expect(await harness.valueDown(1n, price, 18)).to.equal(3_000n);
  });

  it("rejects feeds with more than 36 decimals", async () => {
    const harness = await ethers.deployContract("PriceMathHarness");
    await expect(harness.normalize(1n, 37))
      .to.be.revertedWithCustomError(harness, "PriceMathUnsupportedDecimals")
      .withArgs(37);
  });
});
