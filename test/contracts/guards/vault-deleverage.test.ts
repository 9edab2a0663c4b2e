/**
 * Issue 4 deleverage scenarios on RiskParityVault with real Uniswap V3 pools:
 *  - spot holdings only: leverage <= 1, so only the drawdown trigger can fire; a crash that trips
 *    it is answered by chunked sales at the rate limit (chunk cap, cooldown, budget per window);
 *  - a test adapter reporting leveraged exposure: a crash that puts leverage above the ripcord is
 *    brought back under the maximum in the expected number of chunks;
 *  - the bounty is paid once per chunk, never twice.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Contract, ContractTransactionResponse } from "ethers";
import { arbitrageToPrice } from "../../../deploy/uniswap.ts";
import {
  deployGuardedVault,
  E18,
  feedPrice,
  rebalance,
  trade,
  USDC,
  type GuardedVault,
  type RiskLimits,
} from "./vault-fixture.ts";

const { ethers, networkHelpers } = await network.create();

describe("RiskParityVault.deleverage (real Uniswap V3 pools)", function () {
  this.timeout(600_000);

  async function refreshFeeds(g: GuardedVault): Promise<void> {
    for (const f of g.w.feeds)
      await (await f.getFunction("setAnswer")(await f.getFunction("answer")())).wait();
  }

  /** Moves feed i by `bps` (negative = crash) and arbitrages its pool to the new price. */
  async function crash(g: GuardedVault, i: number, bps: bigint): Promise<void> {
    const feed = g.w.feeds[i]!;
    await (
      await feed.getFunction("setAnswer")(((await feed.getFunction("answer")()) * (10_000n + bps)) / 10_000n)
    ).wait();
    const token = await g.w.tokens[i]!.getAddress();
    const price = await feedPrice(g.w.feeds[i]!);
    const pool = g.pools[i]!;
    const arb = g.w.bob;
    // the arbitrageur holds plenty of both sides
    await (await g.w.tokens[i]!.getFunction("mint")(arb.address, 10n ** 30n)).wait();
    await (await g.w.usdc.getFunction("mint")(arb.address, USDC(100_000_000))).wait();
    const p0 = pool.token0.address === token ? price : E18;
    const p1 = pool.token0.address === token ? E18 : price;
    await arbitrageToPrice(g.uni, pool, arb, p0, p1);
  }

  async function realign(g: GuardedVault): Promise<void> {
    for (let i = 0; i < g.pools.length; i++) await crash(g, i, 0n);
  }

  const lev = async (g: GuardedVault): Promise<bigint> =>
    (await g.vault.getFunction("rebalanceBounds")()).leverage as bigint;
  const totalOf = async (g: GuardedVault): Promise<bigint> =>
    (await g.vault.getFunction("totalAssets")()) as bigint;

  /** Calls deleverage as `caller`; returns sold value and bounty from the event, and the caller's gain. */
  async function chunk(g: GuardedVault, caller = g.w.eve) {
    const before = await g.w.usdc.getFunction("balanceOf")(caller.address);
    const tx = (await (g.vault.connect(caller) as Contract).getFunction(
      "deleverage",
    )()) as ContractTransactionResponse;
    const receipt = await tx.wait();
    const ev = receipt!.logs
      .map((l) => {
        try {
          return g.vault.interface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((e) => e?.name === "Deleveraged");
    if (!ev) throw new Error("no Deleveraged event");
    const gain = (await g.w.usdc.getFunction("balanceOf")(caller.address)) - before;
    return {
      reason: Number(ev.args.reason),
      sold: ev.args.soldValue as bigint,
      bounty: ev.args.bounty as bigint,
      levBefore: ev.args.leverageBefore as bigint,
      levAfter: ev.args.leverageAfter as bigint,
      gain,
    };
  }

  describe("spot holdings only", () => {
    let g: GuardedVault;
    // drawdown sells toward 0.2x (see docs/guards.md, findings: a 1x target would sell nothing);
    // a loose loss budget so that building the book does not exhaust it
    const limits: Partial<RiskLimits> = { targetLeverage: E18 / 5n, lossBudgetBps: 1_000 };

    before(async () => {
      g = await deployGuardedVault(ethers, { limits });
      // 45 % WETH, 45 % WBTC in trades of at most 300k
      for (const i of [0, 1]) {
        const t = await g.w.tokens[i]!.getAddress();
        await (await rebalance(g, [await trade(g, g.usdcInfo.address, t, USDC(225_000))])).wait();
        await (await rebalance(g, [await trade(g, g.usdcInfo.address, t, USDC(225_000))])).wait();
      }
    });

    it("leverage stays <= 1x whatever the prices: the ripcord never fires", async () => {
      const snap = await networkHelpers.takeSnapshot();
      for (const move of [-5_000n, 3_000n, -2_000n]) {
        await crash(g, 0, move);
        await crash(g, 1, -move / 2n);
        expect(await lev(g)).to.be.at.most(E18);
        const [due, reason] = (await g.vault.getFunction("shouldDeleverage")()) as [boolean, bigint];
        if (due) expect(reason).to.equal(2n); // only the drawdown trigger
      }
      await snap.restore();
    });

    it("a 40 % crash trips the drawdown trigger; sales come in chunks <= chunk cap, spaced by the cooldown, within the window budget; one bounty per chunk", async () => {
      const snap = await networkHelpers.takeSnapshot();
      expect(((await g.vault.getFunction("shouldDeleverage")()) as [boolean, bigint])[0]).to.equal(false);
      await expect(
        (g.vault.connect(g.w.eve) as Contract).getFunction("deleverage")(),
      ).to.be.revertedWithCustomError(g.vault, "DeleverageNotDue");
      await crash(g, 0, -4_000n);
      await crash(g, 1, -4_000n);
      const [due, reason] = (await g.vault.getFunction("shouldDeleverage")()) as [boolean, bigint];
      expect(due).to.equal(true);
      expect(reason).to.equal(2n);

      const windowStart = await networkHelpers.time.latest();
      const total0 = await totalOf(g);
      const budget = (total0 * BigInt(g.limits.deleverageBudgetBps)) / 10_000n;
      let soldInWindow = 0n;
      let chunks = 0;
      for (;;) {
        const t = await totalOf(g);
        let c;
        try {
          c = await chunk(g);
        } catch (e) {
          expect(String(e)).to.match(/NothingToDeleverage/);
          break;
        }
        chunks++;
        if (process.env.GUARDS_VERBOSE === "1") console.log({ chunk: chunks, budget, ...c });
        expect(c.reason).to.equal(2);
        expect(c.sold).to.be.greaterThan(0n);
        expect(c.sold).to.be.at.most((t * BigInt(g.limits.deleverageChunkBps)) / 10_000n + 1n);
        const expectedBounty = (c.sold * BigInt(g.limits.bountyBps)) / 10_000n;
        expect(c.bounty).to.equal(expectedBounty < g.limits.maxBounty ? expectedBounty : g.limits.maxBounty);
        expect(c.gain).to.equal(c.bounty);
        soldInWindow += c.sold;
        // a second call in the same block: cooldown, and no second bounty
        const eveBefore = await g.w.usdc.getFunction("balanceOf")(g.w.eve.address);
        await expect(
          (g.vault.connect(g.w.eve) as Contract).getFunction("deleverage")(),
        ).to.be.revertedWithCustomError(g.vault, "DeleverageCooldown");
        expect(await g.w.usdc.getFunction("balanceOf")(g.w.eve.address)).to.equal(eveBefore);
        const bobBefore = await g.w.usdc.getFunction("balanceOf")(g.w.bob.address);
        await expect(
          (g.vault.connect(g.w.bob) as Contract).getFunction("deleverage")(),
        ).to.be.revertedWithCustomError(g.vault, "DeleverageCooldown");
        expect(await g.w.usdc.getFunction("balanceOf")(g.w.bob.address)).to.equal(bobBefore);
        await networkHelpers.time.increase(g.limits.deleverageCooldown);
        await refreshFeeds(g);
        await realign(g);
        if (chunks > 20) break;
      }
      expect(chunks).to.be.greaterThan(1);
      // within one window, the deleverage notional stays within its budget (rate bound)
      const elapsed = BigInt((await networkHelpers.time.latest()) - windowStart);
      expect(soldInWindow).to.be.at.most(budget + (budget * elapsed) / BigInt(g.limits.window) + 1n);
      await snap.restore();
    });
  });

  describe("leveraged exposure from a position adapter", () => {
    it("a crash that puts leverage above the ripcord is brought back under the maximum in the expected number of chunks", async () => {
      const g = await deployGuardedVault(ethers, {
        limits: {
          deleverageBudgetBps: 10_000,
          deleverageChunkBps: 1_000,
          deleverageCooldown: 300,
          lossBudgetBps: 1_000,
        },
      });
      const weth = await g.w.tokens[0]!.getAddress();
      const wbtc = await g.w.tokens[1]!.getAddress();
      for (const t of [weth, wbtc]) {
        await (await rebalance(g, [await trade(g, g.usdcInfo.address, t, USDC(225_000))])).wait();
        await (await rebalance(g, [await trade(g, g.usdcInfo.address, t, USDC(225_000))])).wait();
      }
      // short puts on WETH: positive delta, worth ~0 to the vault (conservative value)
      const puts = (await ethers.deployContract("MockPositionAdapter", [
        await g.vault.getAddress(),
        g.usdcInfo.address,
      ])) as unknown as Contract;
      await (await puts.getFunction("setExposures")([{ underlying: weth, exposure: USDC(300_000) }])).wait();
      await (
        await (g.vault.connect(g.w.curator) as Contract).getFunction("addAdapter")(await puts.getAddress())
      ).wait();
      const lev0 = await lev(g);
      expect(lev0).to.be.at.most(g.limits.maxLeverage);

      // 30 % crash: spot loses 30 %, the puts go deep in the money (delta -> 1 on 1.3M notional)
      await crash(g, 0, -3_000n);
      await crash(g, 1, -3_000n);
      await (await puts.getFunction("setExposures")([{ underlying: weth, exposure: USDC(900_000) }])).wait();
      const levCrash = await lev(g);
      expect(levCrash).to.be.greaterThan(g.limits.ripcordLeverage);

      // expected chunks: sell spot until gross <= max x total; each chunk sells chunkBps of total
      const b = await g.vault.getFunction("rebalanceBounds")();
      let gross = 0n;
      for (const a of b.assets) gross += a.netExposure < 0n ? -a.netExposure : a.netExposure;
      const total = b.totalValue as bigint;
      const needed = gross - (g.limits.maxLeverage * total) / E18;
      const perChunk = (total * BigInt(g.limits.deleverageChunkBps)) / 10_000n;
      const expected = Number((needed + perChunk - 1n) / perChunk);

      let chunks = 0;
      let bounties = 0n;
      while ((await lev(g)) > g.limits.maxLeverage && chunks < 3 * expected + 5) {
        const c = await chunk(g);
        chunks++;
        bounties += c.bounty;
        // the ripcord latches: once a ripcord deleverage has started it stays due (reason 1) until
        // leverage is back at or below the maximum, not merely below the ripcord
        expect(c.reason).to.equal(1);
        if (process.env.GUARDS_VERBOSE === "1") console.log({ chunk: chunks, expected, ...c });
        expect(c.levAfter).to.be.lessThan(c.levBefore);
        await networkHelpers.time.increase(g.limits.deleverageCooldown);
        await refreshFeeds(g);
        await realign(g);
      }
      expect(await lev(g)).to.be.at.most(g.limits.maxLeverage);
      // slippage and bounties shrink the total a little, so one extra chunk may be needed
      expect(chunks).to.be.within(expected, expected + 1);
      expect(bounties).to.be.at.most(g.limits.maxBounty * BigInt(chunks));
    });
  });
});
