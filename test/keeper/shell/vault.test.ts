/**
 * The keeper against the real RiskParityVault (branch `vault`, phase 2): deployed with the vault's
 * own fixture (deploy/vault.ts), limits set, an oracle-priced swap adapter, USDC deposited. The
 * keeper plans from TestAggregator histories that end at the vault's feed prices.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Hex } from "viem";
import { buildApp } from "../../../keeper/shell/app.ts";
import { parseConfig } from "../../../keeper/shell/config.ts";
import { startRpcServer, type Eip1193 } from "./rpcServer.ts";
import { deployKeeperVault, deployPriceHistories, KEEPER_KEY, keeperTestConfig } from "./keeperVault.ts";
import { LogSink, tempDb } from "./world.ts";

describe("keeper against the real RiskParityVault", function () {
  this.timeout(180_000);

  it("plans, simulates and executes a bounded rebalance with the vault's nonce", async () => {
    const conn = await network.create();
    const { ethers } = conn;
    const rpc = await startRpcServer(conn.provider as unknown as Eip1193);
    try {
      const { w, vaultAddr, swapAddr: adapterAddr } = await deployKeeperVault(ethers);
      // Keeper price history: 60 daily rounds per token ending at the vault's feed answer.
      const feeds = await deployPriceHistories(ethers, w);
      const cfg = parseConfig({
        ...keeperTestConfig({
          rpcUrl: rpc.url,
          vault: vaultAddr,
          asset: await w.usdc.getAddress(),
          feeds,
          swapAdapter: adapterAddr,
        }),
        database: tempDb("vault"),
      });
      const sink = new LogSink();
      const app = buildApp(cfg, { env: { KEEPER_PRIVATE_KEY: KEEPER_KEY }, logDestination: sink });
      try {
        const dry = await app.service.cycle({ dryRun: true });
        expect(dry.action, JSON.stringify(dry)).to.equal("dry-run");
        expect(dry.decisions.filter((d) => d.action === "trade").length).to.be.greaterThan(0);
        const r = await app.service.cycle();
        expect(r.outcome, `${r.reason} ${r.error ?? ""}\n${sink.text().slice(-3000)}`).to.equal("confirmed");
        expect(r.rebalanceNonce).to.equal("0");
        const bounds = await w.vault.rebalanceBounds();
        expect(bounds.nonce).to.equal(1n);
        const receipt = await ethers.provider.getTransactionReceipt(r.txHash!);
        expect(receipt?.status).to.equal(1);
        const held = await Promise.all(w.tokens.map(async (t) => t.balanceOf(vaultAddr)));
        expect(held.some((b) => b > 10n)).to.equal(true);
        // replaying the executed nonce-0 calldata is refused by the vault's nonce guard, decoded
        const executed = app.store.intents()[0]!;
        const replay = await app.sender!.send({
          kind: "rebalance",
          vault: vaultAddr,
          to: vaultAddr,
          data: executed.data as Hex,
          rebalanceNonce: 0n,
          planId: null,
        });
        expect(replay.status).to.equal("simulation-failed");
        expect(replay.status === "simulation-failed" && replay.error.name).to.equal("RebalanceNonceMismatch");
        expect((await w.vault.rebalanceBounds()).nonce).to.equal(1n);
      } finally {
        app.close();
      }
    } finally {
      await rpc.close();
      await conn.close();
    }
  });
});
