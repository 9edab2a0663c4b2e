/**
 * Attacks on the trade guards as a vault composes them (TradeGuardHarness: oracle-bounded
 * minAmountOut via TradeMath, balance-only SwapExecution, per-trade cap, WindowBudget loss budget),
 * on real Uniswap V3 pools with liquidity.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Contract } from "ethers";
import { deployTestWorld, mint, type TestToken, type TestWorld } from "../../../deploy/test-world.ts";
import { routerExactInputSingle, WAD } from "../../../deploy/uniswap.ts";

const { ethers, networkHelpers } = await network.create();

const SLIPPAGE_BPS = 100n;
const LOSS_PER_DAY = 1_000n * WAD; // USD
const DAY = 86_400;

interface TradeStruct {
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
  minAmountOut: bigint;
  adapter: string;
  route: { fees: number[]; intermediates: string[] };
}

describe("Trade guards under attack (real Uniswap V3 pools)", function () {
  this.timeout(300_000);
  let world: TestWorld;
  let usdc: TestToken;
  let weth: TestToken;
  let adapter: Contract;
  let harness: Contract;
  let attacker: Awaited<ReturnType<typeof ethers.getSigners>>[number];

  before(async () => {
    const [lp, a] = await ethers.getSigners();
    attacker = a!;
    world = await deployTestWorld(ethers, lp!);
    usdc = world.usdc;
    weth = world.risk[0]!;
    adapter = (await ethers.deployContract("UniswapV3SwapAdapter", [
      await world.uni.router.getAddress(),
    ])) as unknown as Contract;
    harness = (await ethers.deployContract("TradeGuardHarness")) as unknown as Contract;
    for (const t of [usdc, ...world.risk])
      await (await harness.getFunction("setPrice")(t.address, t.price)).wait();
    await (await harness.getFunction("configure")(SLIPPAGE_BPS, 1_000_000n * WAD, LOSS_PER_DAY, DAY)).wait();
    await mint(usdc, await harness.getAddress(), 10_000_000n * 10n ** 6n);
  });

  async function bal(token: TestToken, who: string): Promise<bigint> {
    return (await token.contract.getFunction("balanceOf")(who)) as bigint;
  }

  function buyWeth(
    amountUsdc: bigint,
    minAmountOut: bigint,
    adapterAddress?: string,
  ): Promise<TradeStruct[]> {
    return (async () => [
      {
        tokenIn: usdc.address,
        tokenOut: weth.address,
        amountIn: amountUsdc,
        minAmountOut,
        adapter: adapterAddress ?? (await adapter.getAddress()),
        route: { fees: [world.fee], intermediates: [] },
      },
    ])();
  }

  /** Oracle value (USD wad) of a WETH amount. */
  const wethUsd = (amount: bigint): bigint => (amount * weth.price) / WAD;

  describe("sandwich around a keeper trade", () => {
    const KEEPER_USDC = 20_000n * 10n ** 6n; // 20k USD into a 10M-per-side pool
    const FRONT_RUNS_USD = [5_000n, 20_000n, 50_000n, 100_000n, 250_000n, 1_000_000n];

    async function sandwich(
      frontRunUsd: bigint,
      keeperMinOut: (oracleMin: bigint) => Promise<bigint>,
    ): Promise<{ reverted: boolean; attackerPnl: bigint; keeperLossBps: number }> {
      const snap = await networkHelpers.takeSnapshot();
      const frontIn = frontRunUsd * 10n ** 6n;
      await mint(usdc, attacker.address, frontIn);
      const usdcStart = await bal(usdc, attacker.address);
      // 1. attacker buys WETH first (same direction as the keeper)
      const { amountOut: wethGot } = await routerExactInputSingle(world.uni, attacker, {
        tokenIn: usdc.address,
        tokenOut: weth.address,
        fee: world.fee,
        amountIn: frontIn,
        approve: true,
      });
      // 2. the keeper's trade, with the guard's oracle bound
      const oracleMin = (await harness.getFunction("oracleMinOut")(
        usdc.address,
        weth.address,
        KEEPER_USDC,
      )) as bigint;
      const minOut = await keeperMinOut(oracleMin);
      const harnessAddress = await harness.getAddress();
      const wethBefore = await bal(weth, harnessAddress);
      let reverted = false;
      try {
        await (await harness.getFunction("execute")(await buyWeth(KEEPER_USDC, minOut))).wait();
      } catch {
        reverted = true;
      }
      const keeperGot = (await bal(weth, harnessAddress)) - wethBefore;
      const keeperValue = wethUsd(keeperGot);
      const paid = KEEPER_USDC * 10n ** 12n;
      const keeperLossBps = reverted ? 0 : (Number(paid - keeperValue) / Number(paid)) * 10_000;
      // 3. attacker sells everything back
      await routerExactInputSingle(world.uni, attacker, {
        tokenIn: weth.address,
        tokenOut: usdc.address,
        fee: world.fee,
        amountIn: wethGot,
        approve: true,
      });
      const attackerPnl = (await bal(usdc, attacker.address)) - usdcStart;
      await snap.restore();
      return { reverted, attackerPnl, keeperLossBps };
    }

    it("loosest keeper bound (oracle - 100 bps): every sandwich either reverts or loses the attacker money; keeper loss <= 100 bps", async () => {
      const results = [];
      for (const f of FRONT_RUNS_USD) {
        const r = await sandwich(f, async (oracleMin) => oracleMin);
        results.push({ f, ...r });
        if (process.env.GUARDS_VERBOSE === "1") console.log({ f, ...r });
        expect(r.reverted || r.attackerPnl < 0n, `front-run ${f} USD profitable: ${r.attackerPnl}`).to.equal(
          true,
        );
        expect(r.keeperLossBps).to.be.at.most(Number(SLIPPAGE_BPS));
      }
      // the large front-runs are stopped by the oracle bound itself
      expect(results.filter((r) => r.reverted).length).to.be.greaterThan(0);
      expect(results[0]!.reverted).to.equal(false);
    });

    it("quote-based keeper bound (fresh quote - 10 bps, never below the oracle bound): any front-run beyond the tolerance reverts", async () => {
      // the keeper quotes before the attacker moves (what it simulated with eth_call)
      const quoteSnap = await networkHelpers.takeSnapshot();
      const harnessAddress = await harness.getAddress();
      const before = await bal(weth, harnessAddress);
      const oracleMin = (await harness.getFunction("oracleMinOut")(
        usdc.address,
        weth.address,
        KEEPER_USDC,
      )) as bigint;
      await (await harness.getFunction("execute")(await buyWeth(KEEPER_USDC, oracleMin))).wait();
      const quoted = (await bal(weth, harnessAddress)) - before;
      await quoteSnap.restore();
      const tight = (quoted * 9_990n) / 10_000n;
      expect(tight).to.be.greaterThan(oracleMin);
      for (const f of FRONT_RUNS_USD) {
        const r = await sandwich(f, async () => tight);
        expect(r.reverted || r.attackerPnl < 0n, `front-run ${f} USD profitable: ${r.attackerPnl}`).to.equal(
          true,
        );
        if (f >= 20_000n) expect(r.reverted, `front-run ${f} USD not stopped`).to.equal(true);
      }
    });

    it("a keeper minAmountOut below the oracle bound is refused before any swap", async () => {
      const oracleMin = (await harness.getFunction("oracleMinOut")(
        usdc.address,
        weth.address,
        KEEPER_USDC,
      )) as bigint;
      await expect(harness.getFunction("execute")(await buyWeth(KEEPER_USDC, oracleMin - 1n)))
        .to.be.revertedWithCustomError(harness, "TradeMinOutBelowOracle")
        .withArgs(oracleMin - 1n, oracleMin);
    });
  });

  describe("malicious swap adapter", () => {
    let evil: Contract;
    beforeEach(async () => {
      evil = (await ethers.deployContract("MaliciousSwapAdapter")) as unknown as Contract;
    });

    async function tradeThroughEvil(): Promise<TradeStruct[]> {
      const oracleMin = (await harness.getFunction("oracleMinOut")(
        usdc.address,
        weth.address,
        10_000n * 10n ** 6n,
      )) as bigint;
      return buyWeth(10_000n * 10n ** 6n, oracleMin, await evil.getAddress());
    }

    for (const [name, mode] of [
      ["lies about its output (delivers half)", 1],
      ["steals the input (delivers nothing)", 2],
    ] as const) {
      it(`an adapter that ${name} is caught by the balance check`, async () => {
        await (await evil.getFunction("setMode")(mode)).wait();
        const trades = await tradeThroughEvil();
        await expect(harness.getFunction("execute")(trades)).to.be.revertedWithCustomError(
          harness,
          "SwapExecutionInsufficientOutput",
        );
      });
    }

    it("an adapter that under-delivers by 1 unit is caught", async () => {
      await (await evil.getFunction("setDeliverBps")(9_999n)).wait();
      await expect(harness.getFunction("execute")(await tradeThroughEvil())).to.be.revertedWithCustomError(
        harness,
        "SwapExecutionInsufficientOutput",
      );
    });

    it("an adapter that tries to pull more than approved fails", async () => {
      await (await evil.getFunction("setMode")(4)).wait();
      await expect(harness.getFunction("execute")(await tradeThroughEvil())).to.be.revertedWithCustomError(
        usdc.contract,
        "ERC20InsufficientAllowance",
      );
    });

    it("an adapter that does not pull leaves no allowance behind", async () => {
      await (await evil.getFunction("setMode")(5)).wait();
      const harnessAddress = await harness.getAddress();
      await (await harness.getFunction("execute")(await tradeThroughEvil())).wait();
      expect(await usdc.contract.getFunction("allowance")(harnessAddress, await evil.getAddress())).to.equal(
        0n,
      );
    });

    it("an adapter that re-enters the executor is stopped by the reentrancy guard", async () => {
      await (await evil.getFunction("setMode")(3)).wait();
      const inner = await tradeThroughEvil();
      const data = harness.interface.encodeFunctionData("execute", [inner]);
      // swallowing the inner revert: the outer trade completes but the re-entry did nothing
      await (await evil.getFunction("setReentry")(await harness.getAddress(), data, false)).wait();
      const callsBefore = (await evil.getFunction("calls")()) as bigint;
      await (await harness.getFunction("execute")(await tradeThroughEvil())).wait();
      expect(await evil.getFunction("lastReentrySucceeded")()).to.equal(false);
      expect((await evil.getFunction("calls")()) as bigint).to.equal(callsBefore + 1n); // inner never reached the adapter
      const reason = (await evil.getFunction("lastReentryResult")()) as string;
      expect(reason.slice(0, 10)).to.equal(
        harness.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      // bubbling: the whole batch reverts
      await (await evil.getFunction("setReentry")(await harness.getAddress(), data, true)).wait();
      await expect(harness.getFunction("execute")(await tradeThroughEvil())).to.be.revertedWithCustomError(
        harness,
        "ReentrancyGuardReentrantCall",
      );
    });

    it("a re-entrant token callback into the executor is stopped too", async () => {
      const reent = (await ethers.deployContract("MockReentrantToken")) as unknown as Contract;
      const reentAddress = await reent.getAddress();
      await (await harness.getFunction("setPrice")(reentAddress, WAD)).wait();
      await (await reent.getFunction("mint")(await harness.getAddress(), 10n ** 24n)).wait();
      const evilAddress = await evil.getAddress();
      const trade: TradeStruct = {
        tokenIn: reentAddress,
        tokenOut: weth.address,
        amountIn: 1_000n * WAD,
        minAmountOut: 0n,
        adapter: evilAddress,
        route: { fees: [3000], intermediates: [] },
      };
      const oracleMin = (await harness.getFunction("oracleMinOut")(
        reentAddress,
        weth.address,
        trade.amountIn,
      )) as bigint;
      trade.minAmountOut = oracleMin;
      await (
        await reent.getFunction("arm")(
          await harness.getAddress(),
          harness.interface.encodeFunctionData("execute", [[trade]]),
        )
      ).wait();
      await expect(harness.getFunction("execute")([trade])).to.be.revertedWithCustomError(
        harness,
        "ReentrancyGuardReentrantCall",
      );
    });
  });

  describe("compromised keeper draining through bad trades over many blocks", () => {
    it("total loss stays within the loss budget's rate bound (capacity x (1 + elapsed / window))", async () => {
      const snap = await networkHelpers.takeSnapshot();
      // worst-case adapter: delivers exactly the oracle bound (the full 100 bps allowance) every time
      const evil = (await ethers.deployContract("MaliciousSwapAdapter")) as unknown as Contract;
      await (
        await harness.getFunction("configure")(SLIPPAGE_BPS, 1_000_000n * WAD, LOSS_PER_DAY, DAY)
      ).wait();
      const start = BigInt(await networkHelpers.time.latest());
      let ok = 0;
      let refused = 0;
      const TRADE = 25_000n * 10n ** 6n; // each fill loses ~250 USD at the oracle
      for (let hour = 0; hour < 72; hour++) {
        const oracleMin = (await harness.getFunction("oracleMinOut")(
          usdc.address,
          weth.address,
          TRADE,
        )) as bigint;
        try {
          await (
            await harness.getFunction("execute")(await buyWeth(TRADE, oracleMin, await evil.getAddress()))
          ).wait();
          ok++;
        } catch (e) {
          expect(String(e)).to.contain("WindowBudgetExceeded");
          refused++;
        }
        await networkHelpers.time.increase(3_600);
      }
      const elapsed = BigInt(await networkHelpers.time.latest()) - start;
      const totalLoss = (await harness.getFunction("totalLoss")()) as bigint;
      const bound = LOSS_PER_DAY + (LOSS_PER_DAY * elapsed) / BigInt(DAY);
      expect(totalLoss).to.be.at.most(bound);
      // an unguarded keeper would have lost 72 x ~250 USD = ~18k USD; the budget held it near 4k
      expect(totalLoss).to.be.lessThan(5_000n * WAD);
      if (process.env.GUARDS_VERBOSE === "1") console.log({ ok, refused, totalLoss, bound });
      expect(refused).to.be.greaterThan(40);
      expect(ok).to.be.greaterThan(10);
      await snap.restore();
    });

    it("trades above the per-trade cap and slippage above the 300 bps hard cap are refused", async () => {
      const snap = await networkHelpers.takeSnapshot();
      await (await harness.getFunction("configure")(SLIPPAGE_BPS, 10_000n * WAD, LOSS_PER_DAY, DAY)).wait();
      const big = 10_001n * 10n ** 6n;
      await expect(harness.getFunction("execute")(await buyWeth(big, 0n)))
        .to.be.revertedWithCustomError(harness, "HarnessTradeTooLarge")
        .withArgs(10_001n * WAD, 10_000n * WAD);
      await expect(harness.getFunction("configure")(301n, 0n, 0n, DAY))
        .to.be.revertedWithCustomError(harness, "TradeSlippageAboveCap")
        .withArgs(301n, 300n);
      await snap.restore();
    });
  });
});
