/**
 * The keeper with the yield leg enabled against the real RiskParityVault and the reference option
 * venue (deploy/yield-world.ts): one cycle buys the pool share to ~its target weight through the
 * ERC-4626 adapter; options bought from the pool then raise the value of the vault's leg by its
 * pro-rata part of the premium. With the leg disabled the keeper plans no trade of the share.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Contract } from "ethers";
import { buildApp } from "../../../keeper/shell/app.ts";
import { parseConfig } from "../../../keeper/shell/config.ts";
import { deployYieldWorld } from "../../../deploy/yield-world.ts";
import type { World } from "../../contracts/vault/fixture.ts";
import { startRpcServer, type Eip1193 } from "./rpcServer.ts";
import { deployPriceHistories, KEEPER_KEY, keeperTestConfig } from "./keeperVault.ts";
import { LogSink, tempDb } from "./world.ts";

const WAD = 10n ** 18n;
const DAY = 86_400;

describe("keeper yield leg on a Hardhat chain", function () {
  this.timeout(180_000);

  it("holds ~the target weight in pool shares and earns the pool's premium income", async () => {
    const conn = await network.create();
    const { ethers } = conn;
    const rpc = await startRpcServer(conn.provider as unknown as Eip1193);
    try {
      const y = await deployYieldWorld(ethers);
      const vaultAddr = (await y.w.vault.getAddress()) as `0x${string}`;
      const feeds = await deployPriceHistories(ethers, y.w as unknown as World);
      const base = keeperTestConfig({
        rpcUrl: rpc.url,
        vault: vaultAddr,
        asset: await y.w.usdc.getAddress(),
        feeds,
        swapAdapter: await y.swap.getAddress(),
      });
      const leg = {
        token: y.leg.token,
        adapter: await y.leg.adapter.getAddress(),
        targetWeightBps: 1_500,
        maxWeightBps: 2_500,
      };
      const share = y.leg.token.toLowerCase();

      // Disabled: the share is a vault asset, but the keeper plans no trade of it.
      const offCfg = parseConfig({
        ...base,
        database: tempDb("yield-off"),
        yieldLeg: { ...leg, enabled: false },
      });
      const off = buildApp(offCfg, {
        env: { KEEPER_PRIVATE_KEY: KEEPER_KEY },
        logDestination: new LogSink(),
      });
      try {
        const dry = await off.service.cycle({ dryRun: true });
        const shareTrades = dry.decisions.filter(
          (d) => d.action === "trade" && [d.tokenIn, d.tokenOut].some((t) => t.toLowerCase() === share),
        );
        expect(shareTrades.length, JSON.stringify(dry.decisions)).to.equal(0);
      } finally {
        off.close();
      }

      /** One keeper cycle (sending) on a fresh database, with the leg enabled or not: it must confirm. */
      const confirmedCycle = async (db: string, enabled: boolean): Promise<void> => {
        const cfg = parseConfig({ ...base, database: tempDb(db), yieldLeg: { ...leg, enabled } });
        const sink = new LogSink();
        const app = buildApp(cfg, { env: { KEEPER_PRIVATE_KEY: KEEPER_KEY }, logDestination: sink });
        try {
          const r = await app.service.cycle();
          expect(r.outcome, `${r.reason} ${r.error ?? ""}\n${sink.text().slice(-3000)}`).to.equal(
            "confirmed",
          );
        } finally {
          app.close();
        }
      };
      await confirmedCycle("yield-on", true);
      const b = await y.w.vault.getFunction("rebalanceBounds")();
      const total = b.totalValue as bigint;
      const st = (b.assets as { token: string; value: bigint; balance: bigint }[]).find(
        (a) => a.token.toLowerCase() === share,
      )!;
      const weight = Number((st.value * 10_000n) / total) / 1e4;
      expect(weight).to.be.within(0.14, 0.151);
      expect(await y.venue["balanceOf(address)"](vaultAddr)).to.equal(st.balance);

      // Options bought from the pool: the leg's value rises by its pro-rata part of the premium.
      const weth = await y.w.tokens[0]!.getAddress();
      const now = (await ethers.provider.getBlock("latest"))!.timestamp;
      const expiry = BigInt(now + 30 * DAY);
      const [premium] = await y.venue.quoteBuy(weth, false, 2_700n * WAD, expiry, 100n * WAD);
      const venueAddr = await y.venue.getAddress();
      await (await (y.w.usdc.connect(y.w.eve) as Contract).getFunction("approve")(venueAddr, premium)).wait();
      const supply = await y.venue.totalSupply();
      await (
        await y.venue
          .connect(y.w.eve)
          .buy(weth, false, 2_700n * WAD, expiry, 100n * WAD, premium, y.w.eve.address)
      ).wait();
      const b2 = await y.w.vault.getFunction("rebalanceBounds")();
      const st2 = (b2.assets as { token: string; value: bigint }[]).find(
        (a) => a.token.toLowerCase() === share,
      )!;
      const gain = st2.value - st.value;
      expect(gain).to.be.gt(0n);
      expect(gain).to.be.closeTo((premium * st.balance) / supply, 10n ** 6n);
      expect((b2.totalValue as bigint) - total).to.equal(gain);

      // Locked pool: the outside LP takes the free liquidity, leaving the vault able to redeem only
      // part of its shares. Unwinding the leg (enabled: false) sells at most maxRedeem and confirms.
      const bobMax = await y.venue.maxRedeem(y.w.bob.address);
      await (await y.venue.connect(y.w.bob).redeem(bobMax, y.w.bob.address, y.w.bob.address)).wait();
      const lp = await ethers.getSigners();
      await (await y.w.usdc.getFunction("mint")(lp[8]!.address, 100_000n * 10n ** 6n)).wait();
      await (
        await (y.w.usdc.connect(lp[8]!) as Contract).getFunction("approve")(venueAddr, 2n ** 256n - 1n)
      ).wait();
      await (await y.venue.connect(lp[8]!).deposit(100_000n * 10n ** 6n, lp[8]!.address)).wait();
      const redeemable = await y.venue.maxRedeem(vaultAddr);
      const heldBefore = await y.venue["balanceOf(address)"](vaultAddr);
      expect(redeemable).to.be.gt(0n);
      expect(redeemable).to.be.lt(heldBefore);
      await confirmedCycle("yield-unwind", false);
      const heldAfter = await y.venue["balanceOf(address)"](vaultAddr);
      expect(heldAfter).to.be.lt(heldBefore);
      expect(heldBefore - heldAfter).to.be.lte(redeemable);
    } finally {
      await rpc.close();
      await conn.close();
    }
  });
});
