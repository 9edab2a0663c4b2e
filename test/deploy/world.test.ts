import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre, { network } from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { deployLocalWorld } from "../../deploy/world.ts";
import { LOCAL } from "../../deploy/parameters.ts";
import { usdFromSqrtPriceX96 } from "../../deploy/pool-math.ts";

describe("local world deployment (Ignition)", function () {
  this.timeout(120_000);

  it("deploys tokens, feeds and pools priced at the oracle, and resumes instead of duplicating", async () => {
    const { ethers, provider } = await network.create();
    const dir = await mkdtemp(path.join(tmpdir(), "world-"));
    try {
      const opts = {
        provider: provider as unknown as EIP1193Provider,
        artifactResolver: new HardhatArtifactResolver(hre.artifacts),
        parameters: LOCAL,
        deploymentDir: dir,
      };
      const t0 = Date.now();
      const world = await deployLocalWorld(opts);
      console.log(`      first deployment: ${Date.now() - t0} ms`);
      const blockAfterFirst = await ethers.provider.getBlockNumber();
      for (const t of world.riskTokens) {
        const feed = await ethers.getContractAt("LocalPriceFeed", t.feed);
        const [, answer] = await feed.latestRoundData();
        const oracle = Number(answer) / 10 ** Number(await feed.decimals());
        const pool = new ethers.Contract(
          t.pool,
          [
            "function slot0() view returns (uint160,int24,uint16,uint16,uint16,uint8,bool)",
            "function liquidity() view returns (uint128)",
          ],
          ethers.provider,
        );
        const [sqrtPriceX96] = (await pool.getFunction("slot0")()) as [bigint];
        const poolPrice = usdFromSqrtPriceX96(
          {
            risk: t.address,
            riskDecimals: t.decimals,
            quote: world.asset.address,
            quoteDecimals: world.asset.decimals,
          },
          sqrtPriceX96,
        );
        expect(
          Math.abs(poolPrice / oracle - 1),
          `${t.symbol} pool ${poolPrice} vs oracle ${oracle}`,
        ).to.be.lessThan(1e-6);
        expect((await pool.getFunction("liquidity")()) as bigint).to.be.greaterThan(0n);
        const token = await ethers.getContractAt("LocalToken", t.address);
        expect(Number(await token.decimals())).to.equal(t.decimals);
      }
      const usdc = await ethers.getContractAt("LocalToken", world.asset.address);
      expect(await usdc.decimals()).to.equal(6n);
      expect(await usdc.nonces(world.deployer)).to.equal(0n); // permit (EIP-2612) is there

      const again = await deployLocalWorld(opts);
      expect(again).to.deep.equal(world);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockAfterFirst);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("local world with the vault (Ignition phase 3)", function () {
  this.timeout(180_000);

  it("deploys the vault with assets, feeds, seeded supply, roles and the curator delay", async () => {
    const { ethers, provider } = await network.create();
    const [, keeper, guardian] = await ethers.getSigners();
    const world = await deployLocalWorld({
      provider: provider as unknown as EIP1193Provider,
      artifactResolver: new HardhatArtifactResolver(hre.artifacts),
      parameters: LOCAL,
      roles: { keeper: keeper!.address, guardian: guardian!.address },
    });
    const v = world.vault!;
    const vault = await ethers.getContractAt("RiskParityVault", v.vault);
    expect(await vault.riskAssetCount()).to.equal(BigInt(LOCAL.riskTokens.length));
    const bounds = await vault.rebalanceBounds();
    expect(bounds.assets.map((a) => a.token)).to.deep.equal(world.riskTokens.map((t) => t.address));
    for (const [i, t] of world.riskTokens.entries()) {
      expect(Number(bounds.assets[i]!.maxWeightBps)).to.equal(t.maxWeightBps);
      expect(bounds.assets[i]!.price).to.be.greaterThan(0n);
    }
    expect(bounds.oraclesHealthy).to.equal(true);
    expect(bounds.maxSlippageBps).to.equal(BigInt(LOCAL.vault.maxSlippageBps));
    expect(bounds.targetLeverage).to.equal(LOCAL.vault.targetLeverage);
    expect(bounds.maxTradeValue).to.equal(BigInt(LOCAL.vault.limits.maxTradeValueUsd) * 10n ** 6n);
    expect(await vault.isSwapAdapter(v.swapAdapter)).to.equal(true);
    expect(await vault.totalSupply()).to.be.greaterThan(0n);
    expect(await vault.isHealthy()).to.equal(true);
    const manager = await ethers.getContractAt("VaultAccessManager", v.manager);
    const [isKeeper, keeperDelay] = await manager.hasRole(3n, keeper!.address);
    expect(isKeeper).to.equal(true);
    expect(keeperDelay).to.equal(0n);
    const [isCurator, curatorDelay] = await manager.hasRole(1n, world.deployer);
    expect(isCurator).to.equal(true);
    expect(curatorDelay).to.equal(BigInt(LOCAL.vault.riskIncreaseDelay));
    // A risk-increasing change now needs the delay: a direct call is refused.
    await expect(vault.setMaxWeight(world.riskTokens[0]!.address, 100)).to.be.revert(ethers);
    // Someone without a role cannot rebalance-adjacent admin calls either.
    await expect(vault.connect(guardian!).setDepositCap(1n)).to.be.revert(ethers);
  });
});
