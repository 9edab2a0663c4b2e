import { expect } from "chai";
import hre, { network } from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { createPublicClient, http } from "viem";
import { deployLocalWorld } from "../../deploy/world.ts";
import { LOCAL } from "../../deploy/parameters.ts";
import { usdFromSqrtPriceX96 } from "../../deploy/pool-math.ts";
import { LocalMarket, startRpcBridge } from "../../scripts/demo/chain.ts";

describe("demo market: feeds, arbitrage, clock, JSON-RPC bridge", function () {
  this.timeout(120_000);

  it("arbitrages every pool to the new oracle price and serves the chain over HTTP", async () => {
    const { provider } = await network.create();
    const world = await deployLocalWorld({
      provider: provider as unknown as EIP1193Provider,
      artifactResolver: new HardhatArtifactResolver(hre.artifacts),
      parameters: LOCAL,
    });
    const market = new LocalMarket(world, provider);
    await market.setupArbitrageur();
    const t0 = await market.timestamp();
    await market.advance(86_400);
    expect((await market.timestamp()) - t0).to.be.at.least(86_400);

    const moves = [1.3, 0.6, 1.05, 0.25];
    const prices = LOCAL.riskTokens.map((t, i) => t.initialPrice * (moves[i] as number));
    await market.updateFeeds(prices);
    await market.arbitrage(prices);
    const sqrt = await market.poolSqrtPrices();
    world.riskTokens.forEach((t, i) => {
      const p = usdFromSqrtPriceX96(
        {
          risk: t.address,
          riskDecimals: t.decimals,
          quote: world.asset.address,
          quoteDecimals: world.asset.decimals,
        },
        sqrt[i] as bigint,
      );
      expect(Math.abs(p / (prices[i] as number) - 1), t.symbol).to.be.lessThan(1e-6);
    });
    expect(market.arbitrageSwaps).to.equal(4);
    // Already at the price: no swap.
    await market.arbitrage(prices);
    expect(market.arbitrageSwaps).to.equal(4);

    const bridge = await startRpcBridge(provider);
    try {
      expect(bridge.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createPublicClient({ transport: http(bridge.url) });
      expect(await client.getChainId()).to.equal(world.chainId);
      expect(Number((await client.getBlock()).timestamp)).to.equal(await market.timestamp());
      const res = await fetch(bridge.url, { method: "POST", body: "not json" });
      expect(res.status).to.equal(400);
    } finally {
      await bridge.close();
    }
  });
});
