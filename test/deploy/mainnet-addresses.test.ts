/**
 * Checks deploy/addresses/mainnet.ts against the chain itself: runs only when MAINNET_RPC_URL is
 * set (a mainnet fork); skipped offline. Every feed must describe its pair with its decimals,
 * every token must report its symbol and decimals, and the Uniswap contracts must point at each
 * other.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { MAINNET } from "../../deploy/addresses/mainnet.ts";

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
});
