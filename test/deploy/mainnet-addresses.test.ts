/**
 * Checks deploy/addresses/mainnet.ts and the MainnetVault module against the chain itself: runs
 * only when MAINNET_RPC_URL is set (a mainnet fork); skipped offline (the offline counterpart is
 * test/deploy/mainnet-vault.test.ts). Every feed must describe its pair with its decimals, every
 * token must report its symbol and decimals, the Uniswap contracts must point at each other; then
 * the real configuration is deployed on the fork and a deposit and a keeper-style rebalance go
 * through the real Uniswap pools.
 */
import { expect } from "chai";
import hre, { network } from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { MAINNET } from "../../deploy/addresses/mainnet.ts";
import { oracleMinOut } from "../../deploy/guarded-world.ts";
import { deployMainnetVault, preflightMainnet } from "../../deploy/mainnet.ts";
import { buyWithEther, fundDeployerOnFork } from "../../deploy/mainnet-fork.ts";
import { MAINNET_PARAMETERS as P } from "../../deploy/parameters.ts";
import { LOCAL_IGNITION_CONFIG } from "../../deploy/world.ts";
import { signerRoles } from "./roles.ts";

const hasRpc = typeof process.env.MAINNET_RPC_URL === "string" && process.env.MAINNET_RPC_URL !== "";

(hasRpc ? describe : describe.skip)("mainnet addresses (fork, needs MAINNET_RPC_URL)", function () {
  this.timeout(300_000);

  it("feeds, tokens and Uniswap V3 contracts are what deploy/addresses/mainnet.ts says", async () => {
    const { ethers } = await network.create("mainnetFork");
    const feedAbi = [
      "function description() view returns (string)",
      "function decimals() view returns (uint8)",
      "function latestRoundData() view returns (uint80,int256,uint256,uint256,uint80)",
    ];
    for (const f of [...Object.values(MAINNET.feeds), MAINNET.wbtcBtcFeed]) {
      const feed = new ethers.Contract(f.address, feedAbi, ethers.provider);
      expect(((await feed.getFunction("description")()) as string).replace(/\s/g, ""), f.address).to.equal(
        f.pair.replace(/\s/g, ""),
      );
      expect(Number(await feed.getFunction("decimals")())).to.equal(f.decimals);
      const [, answer] = (await feed.getFunction("latestRoundData")()) as [bigint, bigint];
      expect(answer > 0n).to.equal(true);
    }
    const tokenAbi = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];
    for (const t of Object.values(MAINNET.tokens)) {
      const token = new ethers.Contract(t.address, tokenAbi, ethers.provider);
      expect(await token.getFunction("symbol")()).to.equal(t.symbol);
      expect(Number(await token.getFunction("decimals")())).to.equal(t.decimals);
    }
    const router = new ethers.Contract(
      MAINNET.uniswapV3.swapRouter.address,
      ["function factory() view returns (address)", "function WETH9() view returns (address)"],
      ethers.provider,
    );
    expect(await router.getFunction("factory")()).to.equal(MAINNET.uniswapV3.factory.address);
    expect(await router.getFunction("WETH9")()).to.equal(MAINNET.tokens.WETH.address);
    const npm = new ethers.Contract(
      MAINNET.uniswapV3.positionManager.address,
      ["function factory() view returns (address)"],
      ethers.provider,
    );
    expect(await npm.getFunction("factory")()).to.equal(MAINNET.uniswapV3.factory.address);
    const factory = new ethers.Contract(
      MAINNET.uniswapV3.factory.address,
      ["function getPool(address,address,uint24) view returns (address)"],
      ethers.provider,
    );
    expect(
      await factory.getFunction("getPool")(MAINNET.tokens.USDC.address, MAINNET.tokens.WETH.address, 3000),
    ).to.not.equal(ethers.ZeroAddress);
  });

  it("deploys MainnetVault on the fork, then a deposit and a keeper rebalance trade in the real pools", async () => {
    const { ethers, provider } = await network.create("mainnetFork");
    const signers = await ethers.getSigners();
    const [deployer, , , , keeper, , user] = signers;
    const roles = signerRoles(signers);
    await fundDeployerOnFork(deployer!, P, 10n ** 17n);
    const eip1193 = provider as unknown as EIP1193Provider;
    expect(
      await preflightMainnet({
        provider: eip1193,
        parameters: P,
        deployer: deployer!.address,
        roles,
        checkFunding: true,
      }),
    ).to.deep.equal([]);
    const deployed = await deployMainnetVault({
      provider: eip1193,
      artifactResolver: new HardhatArtifactResolver(hre.artifacts),
      parameters: P,
      roles,
      config: LOCAL_IGNITION_CONFIG,
    });
    const vault = await ethers.getContractAt("RiskParityVault", deployed.vault);
    expect(await vault.asset()).to.equal(MAINNET.tokens.USDC.address);
    expect(await vault.riskAssetCount()).to.equal(BigInt(P.riskTokens.length));
    expect(await vault.isHealthy()).to.equal(true);
    const adapter = await ethers.getContractAt("UniswapV3SwapAdapter", deployed.swapAdapter);
    expect(await adapter.ROUTER()).to.equal(MAINNET.uniswapV3.swapRouter.address);

    // A depositor buys USDC on Uniswap and deposits it.
    const usdc = await ethers.getContractAt("MockUSDC", MAINNET.tokens.USDC.address);
    const amount = await buyWithEther(user!, P, "USDC", 10n * 10n ** 18n);
    await (await usdc.connect(user!).approve(deployed.vault, amount)).wait();
    await (await vault.connect(user!).deposit(amount, user!.address)).wait();
    expect(await vault.balanceOf(user!.address)).to.be.greaterThan(0n);

    // The keeper moves 30% into WETH through the real USDC/WETH pool, bounded by the oracle.
    const b = await vault.rebalanceBounds();
    const weth = b.assets.find((a) => a.token === MAINNET.tokens.WETH.address)!;
    const amountIn = (amount * 3n) / 10n;
    const fee = P.riskTokens.find((t) => t.symbol === "WETH")!.poolFee;
    // The vault prices USDC with its own feed: ask for at least the oracle minimum it computes.
    const usdcFeed = new ethers.Contract(
      MAINNET.feeds.USDC.address,
      ["function latestRoundData() view returns (uint80,int256,uint256,uint256,uint80)"],
      ethers.provider,
    );
    const [, usdcAnswer] = (await usdcFeed.getFunction("latestRoundData")()) as [bigint, bigint];
    const usdcPrice = usdcAnswer * 10n ** BigInt(18 - MAINNET.feeds.USDC.decimals);
    const trade = {
      tokenIn: MAINNET.tokens.USDC.address,
      tokenOut: MAINNET.tokens.WETH.address,
      amountIn,
      minAmountOut: oracleMinOut(amountIn, usdcPrice, 6, weth.price, 18, P.vault.maxSlippageBps),
      adapter: deployed.swapAdapter,
      route: { fees: [fee], intermediates: [] as string[] },
    };
    const block = await ethers.provider.getBlock("latest");
    const valueBefore = await vault.totalAssets();
    await (await vault.connect(keeper!).rebalance([trade], b.nonce, BigInt(block!.timestamp) + 600n)).wait();
    expect(await vault.trackedBalance(MAINNET.tokens.WETH.address)).to.be.greaterThanOrEqual(
      trade.minAmountOut,
    );
    expect((await vault.rebalanceBounds()).nonce).to.equal(b.nonce + 1n);
    const valueAfter = await vault.totalAssets();
    expect(valueBefore - valueAfter).to.be.lessThanOrEqual(
      (valueBefore * BigInt(P.vault.maxLossBps)) / 10_000n,
    );
  });
});
