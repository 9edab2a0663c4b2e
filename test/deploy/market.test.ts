import { expect } from "chai";
import hre, { network } from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, getAddress, http, parseAbi } from "viem";
import { deployLocalWorld } from "../../deploy/world.ts";
import { LOCAL } from "../../deploy/parameters.ts";
import { usdFromSqrtPriceX96 } from "../../deploy/pool-math.ts";
import { depositUsd, LocalMarket, startRpcBridge } from "../../scripts/demo/chain.ts";
import { localKeeperConfig } from "../../scripts/demo/keeper.ts";
import { buildApp } from "../../keeper/shell/app.ts";
import { parseConfig } from "../../keeper/shell/config.ts";

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

  it("deposits USDC into the vault, and the shared keeper config plans a rebalance of it", async () => {
    const { provider } = await network.create();
    const eip = provider as unknown as EIP1193Provider;
    const accounts = ((await eip.request({ method: "eth_accounts" })) as string[]).map((a) => getAddress(a));
    const [, keeper, guardian, depositor] = accounts;
    if (!keeper || !guardian || !depositor) throw new Error("need 4 dev accounts");
    const world = await deployLocalWorld({
      provider: eip,
      artifactResolver: new HardhatArtifactResolver(hre.artifacts),
      parameters: LOCAL,
      roles: { keeper, guardian },
    });
    const vault = world.vault!.vault;
    const { vault: _, ...bare } = world; // a world deployed without roles has no vault
    const refused = await depositUsd(bare, provider, depositor, 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(refused)).to.match(/no vault/);
    expect(() =>
      localKeeperConfig({
        world: bare,
        rpcUrl: "http://127.0.0.1:1",
        database: ":memory:",
        volTarget: 0.15,
        historyDays: 90,
        logLevel: "silent",
      }),
    ).to.throw(/no vault/);

    const market = new LocalMarket(world, provider);
    await market.setupArbitrageur();
    // 40 daily rounds on every feed, each asset drifting differently
    for (let d = 0; d < 40; d++) {
      if (d > 0) await market.advance(86_400);
      await market.updateFeeds(LOCAL.riskTokens.map((t, i) => t.initialPrice * (1 + 0.004 * d * (i - 1.5))));
    }
    const bridge = await startRpcBridge(provider);
    const client = createPublicClient({ transport: http(bridge.url) });
    const abi = parseAbi([
      "function totalAssets() view returns (uint256)",
      "function balanceOf(address) view returns (uint256)",
    ]);
    try {
      const before = await client.readContract({ address: vault, abi, functionName: "totalAssets" });
      await depositUsd(world, provider, depositor, 250_000);
      const after = await client.readContract({ address: vault, abi, functionName: "totalAssets" });
      expect(after - before).to.equal(250_000n * 10n ** 6n);
      expect(
        await client.readContract({ address: vault, abi, functionName: "balanceOf", args: [depositor] }),
      ).to.be.greaterThan(0n);

      const cfg = parseConfig(
        localKeeperConfig({
          world,
          rpcUrl: bridge.url,
          database: join(mkdtempSync(join(tmpdir(), "market-test-")), "keeper.sqlite"),
          volTarget: 0.15,
          historyDays: 90,
          logLevel: "silent",
        }),
      );
      expect(cfg.vault).to.equal(vault);
      expect(cfg.swap.adapter).to.equal(world.vault!.swapAdapter);
      expect(Object.keys(cfg.feeds)).to.have.length(world.riskTokens.length);
      for (const t of world.riskTokens) expect(cfg.feeds[t.address]).to.equal(t.feed);
      expect(cfg.options).to.equal(undefined);
      const app = buildApp(cfg, { env: {} });
      try {
        const r = await app.service.cycle({ dryRun: true });
        expect(r.action, r.reason).to.equal("dry-run");
        // the vault holds only USDC: the plan buys risk assets with it
        const buys = r.decisions.filter((d) => d.action === "trade");
        expect(buys.length).to.be.greaterThan(0);
        for (const b of buys) expect(b.tokenIn).to.equal(world.asset.address);
      } finally {
        app.close();
      }
    } finally {
      await bridge.close();
    }
  });
});
