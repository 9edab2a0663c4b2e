/**
 * Vault-side keeper guards, deleverage and option entry points, with mock swap adapters
 * (OracleSwapAdapter fills at a set price minus a set slippage; MaliciousSwapAdapter lies).
 * Each guard's revert is checked with its custom error and values.
 */
import { expect } from "chai";
import type { Contract } from "ethers";
import { network } from "hardhat";
import type { MockPositionAdapter } from "../../../types/ethers-contracts/index.ts";
import type { RiskLimits } from "../../../deploy/guarded-world.ts";
import { USDC, WAD, deployWorld, refreshFeeds, type World } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();

const E18 = 10n ** 18n;
const EMPTY_ROUTE = { fees: [3000], intermediates: [] as string[] };

const LIMITS: RiskLimits = {
  targetLeverage: (4n * E18) / 10n,
  maxLeverage: (5n * E18) / 10n,
  ripcordLeverage: (6n * E18) / 10n,
  maxSlippageBps: 100,
  deleverageSlippageBps: 300,
  maxLossPerRebalanceBps: 50,
  lossBudgetBps: 100,
  maxTradeValue: USDC(60_000),
  window: 86_400,
  minRebalanceInterval: 3_600,
  deleverageCooldown: 600,
  turnoverBps: 20_000,
  deleverageChunkBps: 1_000,
  deleverageBudgetBps: 3_000,
  drawdownBps: 1_000,
  bountyBps: 10,
  maxBounty: USDC(100),
};

interface RWorld {
  w: World;
  swap: Contract;
  swapAddress: string;
  usdcAddress: string;
  weth: string;
  wbtc: string;
}

async function base(): Promise<RWorld> {
  const w = await deployWorld(ethers);
  await w.vault.connect(w.alice).deposit(USDC(100_000), w.alice.address);
  const swap = (await ethers.deployContract("OracleSwapAdapter")) as unknown as Contract;
  const swapAddress = await swap.getAddress();
  const usdcAddress = await w.usdc.getAddress();
  await swap.getFunction("setPrice")(usdcAddress, WAD);
  for (let i = 0; i < w.tokens.length; i++) {
    const answer = await w.feeds[i]!.answer();
    await swap.getFunction("setPrice")(await w.tokens[i]!.getAddress(), answer * 10n ** 10n);
  }
  await w.vault.connect(w.curator).setSwapAdapter(swapAddress);
  await w.vault.connect(w.curator).setLimits(LIMITS);
  const weth = await w.tokens[0]!.getAddress();
  const wbtc = await w.tokens[1]!.getAddress();
  return { w, swap, swapAddress, usdcAddress, weth, wbtc };
}

function trade(tokenIn: string, tokenOut: string, amountIn: bigint, minAmountOut: bigint, adapter: string) {
  return { tokenIn, tokenOut, amountIn, minAmountOut, adapter, route: EMPTY_ROUTE };
}

/** USDC -> WETH trade for `usdc`, min out at the oracle minus `slipBps`. */
function buyWeth(r: RWorld, usdc: bigint, slipBps = 100n, adapter = r.swapAddress) {
  const wethOut = (usdc * 10n ** 12n) / 3_000n; // 18-dec WETH at 3000 USD for a 6-dec USDC amount
  const min = slipBps === 0n ? wethOut : (wethOut * (10_000n - slipBps)) / 10_000n + 1n;
  return trade(r.usdcAddress, r.weth, usdc, min, adapter);
}

/** WETH -> USDC trade of `wethAmount` at 3000, min out at the oracle minus `slipBps`. */
function sellWeth(r: RWorld, wethAmount: bigint, slipBps = 100n) {
  const usdcOut = (wethAmount * 3_000n) / 10n ** 12n;
  return trade(
    r.weth,
    r.usdcAddress,
    wethAmount,
    (usdcOut * (10_000n - slipBps)) / 10_000n + 1n,
    r.swapAddress,
  );
}

async function deadline(): Promise<number> {
  return (await networkHelpers.time.latest()) + 600;
}

async function rebalance(r: RWorld, trades: ReturnType<typeof trade>[]) {
  const nonce = (await r.w.vault.rebalanceBounds()).nonce;
  return r.w.vault.connect(r.w.keeper).rebalance(trades, nonce, await deadline());
}

async function setWethPrice(r: RWorld, usd: bigint): Promise<void> {
  await r.w.feeds[0]!.setAnswer(usd * 10n ** 8n);
  await r.swap.getFunction("setPrice")(r.weth, usd * E18);
}

describe("Keeper rebalance guards", () => {
  it("executes typed trades, books measured amounts, increments the nonce and emits events", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    await expect(rebalance(r, [buyWeth(r, USDC(30_000))]))
      .to.emit(w.vault, "Rebalanced")
      .and.to.emit(w.vault, "TradeExecuted");
    expect(await w.vault.trackedBalance(r.weth)).to.equal(10n * E18);
    expect(await w.vault.idleAssets()).to.equal(USDC(70_000));
    const b = await w.vault.rebalanceBounds();
    expect(b.nonce).to.equal(1n);
    expect(b.totalValue).to.equal(USDC(100_000));
    expect(b.leverage).to.equal((3n * E18) / 10n);
    expect(b.assets[0]!.value).to.equal(USDC(30_000));
    expect(b.cooldownRemaining).to.be.greaterThan(0n);
    expect(await w.tokens[0]!.allowance(await w.vault.getAddress(), r.swapAddress)).to.equal(0n);
    expect(await w.usdc.allowance(await w.vault.getAddress(), r.swapAddress)).to.equal(0n);
  });

  it("refuses a stale nonce, an expired deadline, an empty batch and non-keepers", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    const k = w.vault.connect(w.keeper);
    await expect(k.rebalance([buyWeth(r, USDC(1_000))], 7, await deadline()))
      .to.be.revertedWithCustomError(w.vault, "RebalanceNonceMismatch")
      .withArgs(7, 0);
    const past = (await networkHelpers.time.latest()) - 1;
    await expect(k.rebalance([buyWeth(r, USDC(1_000))], 0, past)).to.be.revertedWithCustomError(
      w.vault,
      "RebalanceExpired",
    );
    await expect(k.rebalance([], 0, await deadline())).to.be.revertedWithCustomError(
      w.vault,
      "EmptyRebalance",
    );
    await expect(w.vault.connect(w.eve).rebalance([buyWeth(r, USDC(1_000))], 0, await deadline()))
      .to.be.revertedWithCustomError(w.vault, "AccessManagedUnauthorized")
      .withArgs(w.eve.address);
    // two keepers with the same nonce: the second is refused
    await k.rebalance([buyWeth(r, USDC(1_000))], 0, await deadline());
    await expect(k.rebalance([buyWeth(r, USDC(1_000))], 0, await deadline()))
      .to.be.revertedWithCustomError(w.vault, "RebalanceNonceMismatch")
      .withArgs(0, 1);
  });

  it("refuses unlisted adapters, unregistered or identical tokens, zero and oversized trades", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    const other = await ethers.deployContract("OracleSwapAdapter");
    await expect(rebalance(r, [buyWeth(r, USDC(1_000), 100n, await other.getAddress())]))
      .to.be.revertedWithCustomError(w.vault, "SwapAdapterNotAllowed")
      .withArgs(await other.getAddress());
    const stranger = await ethers.deployContract("MockToken", ["X", "X", 18]);
    await expect(
      rebalance(r, [trade(r.usdcAddress, await stranger.getAddress(), USDC(1), 1n, r.swapAddress)]),
    )
      .to.be.revertedWithCustomError(w.vault, "UnknownAsset")
      .withArgs(await stranger.getAddress());
    await expect(rebalance(r, [trade(r.weth, r.weth, 1n, 1n, r.swapAddress)]))
      .to.be.revertedWithCustomError(w.vault, "TradeSameToken")
      .withArgs(r.weth);
    await expect(
      rebalance(r, [trade(r.usdcAddress, r.weth, 0n, 0n, r.swapAddress)]),
    ).to.be.revertedWithCustomError(w.vault, "ZeroAmount");
    await expect(rebalance(r, [buyWeth(r, USDC(60_001))]))
      .to.be.revertedWithCustomError(w.vault, "TradeTooLarge")
      .withArgs(USDC(60_001), USDC(60_000));
    await expect(rebalance(r, [trade(r.weth, r.usdcAddress, E18, 1n, r.swapAddress)]))
      .to.be.revertedWithCustomError(w.vault, "InsufficientHolding")
      .withArgs(r.weth, E18, 0);
  });

  it("requires minAmountOut >= the oracle output minus the allowed slippage (TradeMinOutBelowOracle)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const oracleMin = (USDC(3_000) * 10n ** 12n * 9_900n) / (3_000n * 10_000n); // 0.99 WETH exactly
    await expect(rebalance(r, [trade(r.usdcAddress, r.weth, USDC(3_000), oracleMin - 1n, r.swapAddress)]))
      .to.be.revertedWithCustomError(r.w.vault, "TradeMinOutBelowOracle")
      .withArgs(oracleMin - 1n, oracleMin);
    await rebalance(r, [trade(r.usdcAddress, r.weth, USDC(3_000), oracleMin, r.swapAddress)]);
  });

  it("measures what the adapter delivered, not what it claims (SwapExecutionInsufficientOutput)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const liar = await ethers.deployContract("MaliciousSwapAdapter");
    await liar.getFunction("setMode")(1); // LIE: delivers half of minAmountOut, returns minAmountOut
    const liarAddress = await liar.getAddress();
    await r.w.vault.connect(r.w.curator).setSwapAdapter(liarAddress);
    const t = buyWeth(r, USDC(3_000), 100n, liarAddress);
    await expect(rebalance(r, [t]))
      .to.be.revertedWithCustomError(r.w.vault, "SwapExecutionInsufficientOutput")
      .withArgs(r.weth, t.minAmountOut / 2n, t.minAmountOut);
  });

  it("bounds the loss of one rebalance (RebalanceLossTooHigh) and over the window (WindowBudgetExceeded)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    await r.swap.getFunction("setSlippageBps")(90); // fills 0.9 % below the oracle (inside the 1 % allowance)
    // 60 000 traded at 0.9 % loss = 540 > 0.5 % of 100 000 = 500
    await expect(rebalance(r, [buyWeth(r, USDC(60_000))]))
      .to.be.revertedWithCustomError(w.vault, "RebalanceLossTooHigh")
      .withArgs(USDC(540), USDC(500));
    // 50 000 at 0.9 % = 450 per rebalance; the window budget is 1 % = 1 000: the third fails
    await rebalance(r, [buyWeth(r, USDC(50_000))]);
    await rebalance(r, [sellWeth(r, (await w.vault.trackedBalance(r.weth)) - 1n)]); // reduce-only: no interval
    const b = await w.vault.rebalanceBounds();
    expect(b.lossBudgetRemaining).to.be.lessThan(USDC(200));
    await networkHelpers.time.increase(3_600);
    await refreshFeeds(w);
    await expect(rebalance(r, [buyWeth(r, USDC(30_000))])).to.be.revertedWithCustomError(
      w.vault,
      "WindowBudgetExceeded",
    );
    // the budget refills linearly: after a full window it is available again
    await networkHelpers.time.increase(86_400);
    await refreshFeeds(w);
    await rebalance(r, [buyWeth(r, USDC(30_000))]);
  });

  it("caps turnover over the window (WindowBudgetExceeded)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    await w.vault.connect(w.guardian).tightenLimits({ ...LIMITS, turnoverBps: 5_000 });
    await rebalance(r, [buyWeth(r, USDC(30_000))]);
    // 30 000 bought + 30 000 sold > 50 % of 100 000
    await expect(rebalance(r, [sellWeth(r, 10n * E18)])).to.be.revertedWithCustomError(
      w.vault,
      "WindowBudgetExceeded",
    );
    await rebalance(r, [sellWeth(r, 6n * E18)]);
  });

  it("keeps every weight under its maximum (LeverageWeightAboveMax) and leverage under the maximum (LeverageAboveMax)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    await w.vault.connect(w.guardian).lowerMaxWeight(r.weth, 2_000);
    await expect(rebalance(r, [buyWeth(r, USDC(30_000), 0n)]))
      .to.be.revertedWithCustomError(w.vault, "LeverageWeightAboveMax")
      .withArgs(r.weth, USDC(30_000), USDC(100_000), 2_000);
    // two assets, 30 % each: leverage 0.6 > 0.5
    const btcOut = (USDC(30_000) * 10n ** 2n) / 60_000n; // 8-dec WBTC
    await expect(
      rebalance(r, [
        buyWeth(r, USDC(20_000), 0n),
        trade(r.usdcAddress, r.wbtc, USDC(30_000), btcOut, r.swapAddress),
        buyWeth(r, USDC(10_000), 0n),
      ]),
    ).to.be.revertedWithCustomError(w.vault, "LeverageWeightAboveMax");
    await w.vault.connect(w.curator).setMaxWeight(r.weth, 5_000);
    await expect(
      rebalance(r, [
        buyWeth(r, USDC(30_000), 0n),
        trade(r.usdcAddress, r.wbtc, USDC(30_000), btcOut, r.swapAddress),
      ]),
    )
      .to.be.revertedWithCustomError(w.vault, "LeverageAboveMax")
      .withArgs((6n * E18) / 10n, LIMITS.maxLeverage);
  });

  it("counts adapter exposures in leverage (a long call adds, a put subtracts)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    const adapter = (await ethers.deployContract("MockPositionAdapter", [
      await w.vault.getAddress(),
      r.usdcAddress,
    ])) as unknown as MockPositionAdapter;
    await w.vault.connect(w.curator).addAdapter(await adapter.getAddress());
    await w.vault.connect(w.curator).setMaxWeight(r.weth, 10_000);
    await adapter.setExposures([{ underlying: r.weth, exposure: USDC(25_000) }]);
    // 30 000 spot + 25 000 call delta = 0.55 > 0.5
    await expect(rebalance(r, [buyWeth(r, USDC(30_000), 0n)]))
      .to.be.revertedWithCustomError(w.vault, "LeverageAboveMax")
      .withArgs((55n * E18) / 100n, LIMITS.maxLeverage);
    await adapter.setExposures([{ underlying: r.weth, exposure: -USDC(10_000) }]);
    await rebalance(r, [buyWeth(r, USDC(45_000), 0n)]); // 45 000 - 10 000 = 0.35
    expect((await w.vault.rebalanceBounds()).assets[0]!.netExposure).to.equal(USDC(35_000));
  });

  it("enforces the minimum interval except for a batch that only sells into the asset and lowers gross exposure", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    await rebalance(r, [buyWeth(r, USDC(30_000))]);
    const last = await networkHelpers.time.latest();
    await expect(rebalance(r, [buyWeth(r, USDC(1_000))]))
      .to.be.revertedWithCustomError(w.vault, "RebalanceTooSoon")
      .withArgs(last + 3_600, last + 1);
    // selling WETH for USDC reduces gross exposure: allowed at once, slippage still checked
    await expect(
      rebalance(r, [trade(r.weth, r.usdcAddress, E18, USDC(2_000), r.swapAddress)]),
    ).to.be.revertedWithCustomError(w.vault, "TradeMinOutBelowOracle");
    await rebalance(r, [trade(r.weth, r.usdcAddress, E18, USDC(2_970), r.swapAddress)]);
    await networkHelpers.time.increase(3_600);
    await refreshFeeds(w);
    await rebalance(r, [buyWeth(r, USDC(1_000))]);
  });

  it("guardian pause stops keeper rebalances (RebalanceIsPaused); admin unpauses", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    await w.vault.connect(w.guardian).pauseRebalance();
    await expect(rebalance(r, [buyWeth(r, USDC(1_000))])).to.be.revertedWithCustomError(
      w.vault,
      "RebalanceIsPaused",
    );
    expect((await w.vault.rebalanceBounds()).rebalancePaused).to.equal(true);
    await w.vault.connect(w.admin).unpauseRebalance();
    await rebalance(r, [buyWeth(r, USDC(1_000))]);
  });

  it("validates limits: ladder, slippage caps, bounty cap; tighten refuses loosening", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    const c = w.vault.connect(w.curator);
    await expect(c.setLimits({ ...LIMITS, maxLeverage: LIMITS.ripcordLeverage }))
      .to.be.revertedWithCustomError(w.vault, "InvalidLeverageLadder")
      .withArgs(LIMITS.targetLeverage, LIMITS.ripcordLeverage, LIMITS.ripcordLeverage);
    await expect(c.setLimits({ ...LIMITS, maxSlippageBps: 301, deleverageSlippageBps: 400 }))
      .to.be.revertedWithCustomError(w.vault, "TradeSlippageAboveCap")
      .withArgs(301, 300);
    await expect(c.setLimits({ ...LIMITS, deleverageSlippageBps: 1_001 }))
      .to.be.revertedWithCustomError(w.vault, "InvalidLimit")
      .withArgs(1_001, 1_000);
    await expect(c.setLimits({ ...LIMITS, bountyBps: 101 }))
      .to.be.revertedWithCustomError(w.vault, "InvalidLimit")
      .withArgs(101, 100);
    await expect(
      w.vault.connect(w.guardian).tightenLimits({ ...LIMITS, maxSlippageBps: 150 }),
    ).to.be.revertedWithCustomError(w.vault, "LimitsNotTighter");
    await expect(w.vault.connect(w.guardian).setLimits(LIMITS)).to.be.revertedWithCustomError(
      w.vault,
      "AccessManagedUnauthorized",
    );
    await expect(w.vault.connect(w.guardian).tightenLimits({ ...LIMITS, maxSlippageBps: 50 })).to.emit(
      w.vault,
      "LimitsSet",
    );
  });
});

describe("Deleverage (anyone)", () => {
  /** 50 % in WETH, then WETH doubles: leverage 100 000 / 150 000 = 0.667 > ripcord 0.6. */
  async function overLevered(): Promise<RWorld> {
    const r = await base();
    await rebalance(r, [buyWeth(r, USDC(50_000), 0n)]);
    await setWethPrice(r, 6_000n);
    await r.w.vault.connect(r.w.curator).setDeleverageRoute(r.weth, r.swapAddress, EMPTY_ROUTE);
    return r;
  }

  it("is not due below the ripcord (DeleverageNotDue)", async () => {
    const r = await networkHelpers.loadFixture(base);
    await rebalance(r, [buyWeth(r, USDC(50_000), 0n)]);
    expect(await r.w.vault.shouldDeleverage()).to.deep.equal([false, 0n]);
    await expect(r.w.vault.connect(r.w.eve).deleverage())
      .to.be.revertedWithCustomError(r.w.vault, "DeleverageNotDue")
      .withArgs(
        (v: bigint) => v <= LIMITS.maxLeverage && v > LIMITS.maxLeverage - 10n ** 8n,
        LIMITS.ripcordLeverage,
      );
  });

  it("sells one chunk (<= chunk cap) toward the maximum, pays a capped bounty once, then cools down", async () => {
    const r = await networkHelpers.loadFixture(overLevered);
    const { w } = r;
    expect(await w.vault.shouldDeleverage()).to.deep.equal([true, 1n]);
    const before = await w.usdc.balanceOf(w.eve.address);
    const wethBefore = await w.vault.trackedBalance(r.weth);
    // needed: 100 000 - 0.5 x 150 000 = 25 000; chunk cap 10 % x 150 000 = 15 000 (within rounding)
    const receipt = await (await w.vault.connect(w.eve).deleverage()).wait();
    const ev = receipt!.logs
      .map((l) => w.vault.interface.parseLog(l))
      .find((e) => e?.name === "Deleveraged")!;
    const sold: bigint = ev.args.soldValue;
    expect(ev.args.reason).to.equal(1n);
    expect(sold <= USDC(15_000) && sold > USDC(15_000) - 10n).to.equal(true);
    expect(ev.args.bounty).to.equal((sold * 10n) / 10_000n);
    expect(ev.args.leverageAfter).to.be.lessThan(ev.args.leverageBefore);
    expect((await w.usdc.balanceOf(w.eve.address)) - before).to.equal(ev.args.bounty);
    const wethSold = wethBefore - (await w.vault.trackedBalance(r.weth));
    expect(wethSold).to.be.closeTo((USDC(15_000) * 10n ** 12n) / 6_000n, 10n ** 13n);
    // leverage is now 85 000 / ~150 000 = 0.567: lower the ripcord so a second chunk is due
    await w.vault.connect(w.curator).setLimits({ ...LIMITS, ripcordLeverage: (52n * E18) / 100n });
    const last = await networkHelpers.time.latest();
    await expect(w.vault.connect(w.eve).deleverage())
      .to.be.revertedWithCustomError(w.vault, "DeleverageCooldown")
      .withArgs(last - 1 + 600, last + 1);
    await networkHelpers.time.increase(600);
    // second chunk sells only what is needed to reach the maximum less the 300 bps slippage
    // allowance (about 12 300: more than the 10 000 that reaching the maximum exactly needs, less
    // than the 15 000 cap), so slippage cannot leave leverage a hair above the maximum
    const receipt2 = await (await w.vault.connect(w.eve).deleverage()).wait();
    const ev2 = receipt2!.logs
      .map((l) => w.vault.interface.parseLog(l))
      .find((e) => e?.name === "Deleveraged")!;
    expect(ev2.args.soldValue).to.be.greaterThan(USDC(10_000));
    expect(ev2.args.soldValue).to.be.lessThan(USDC(15_000));
    expect(ev2.args.leverageAfter).to.be.lessThanOrEqual(
      (LIMITS.maxLeverage * 9_700n) / 10_000n + 10n ** 15n,
    );
    expect(await w.vault.shouldDeleverage()).to.deep.equal([false, 0n]);
  });

  it("limits the notional sold per window and stays available while keeper rebalances are paused", async () => {
    const r = await networkHelpers.loadFixture(overLevered);
    const { w } = r;
    await w.vault.connect(w.guardian).pauseRebalance();
    await w.vault
      .connect(w.curator)
      .setLimits({ ...LIMITS, deleverageBudgetBps: 1_200, ripcordLeverage: (52n * E18) / 100n });
    await w.vault.connect(w.eve).deleverage(); // 15 000 of an 18 000 budget
    await networkHelpers.time.increase(600);
    await refreshFeeds(w);
    // about 3 000 left (plus a little refill)
    const tx = await w.vault.connect(w.eve).deleverage();
    const receipt = await tx.wait();
    const ev = receipt!.logs.map((l) => w.vault.interface.parseLog(l)).find((e) => e?.name === "Deleveraged");
    expect(ev!.args.soldValue).to.be.lessThan(USDC(3_200));
    expect(ev!.args.soldValue).to.be.greaterThan(USDC(2_900));
  });

  it("caps the bounty at maxBounty and uses the oracle slippage bound for its swaps", async () => {
    const r = await networkHelpers.loadFixture(overLevered);
    const { w } = r;
    await w.vault.connect(w.curator).setLimits({ ...LIMITS, bountyBps: 100, maxBounty: USDC(20) });
    await r.swap.getFunction("setSlippageBps")(301); // worse than the 3 % deleverage allowance
    await expect(w.vault.connect(w.eve).deleverage()).to.be.revertedWithCustomError(
      r.swap,
      "OracleSwapAdapterTooLittle",
    );
    await r.swap.getFunction("setSlippageBps")(250);
    const before = await w.usdc.balanceOf(w.eve.address);
    await w.vault.connect(w.eve).deleverage();
    expect((await w.usdc.balanceOf(w.eve.address)) - before).to.equal(USDC(20));
  });

  it("triggers on a drawdown of the price per share within the window (reason 2) and sells a chunk even below the target leverage", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    // Target 1x: a spot-only book is always at or below it, and a drawdown must still de-risk.
    await w.vault
      .connect(w.curator)
      .setLimits({ ...LIMITS, targetLeverage: E18, maxLeverage: E18, ripcordLeverage: (11n * E18) / 10n });
    await rebalance(r, [buyWeth(r, USDC(50_000), 0n)]); // records the peak price per share
    await w.vault.connect(w.curator).setDeleverageRoute(r.weth, r.swapAddress, EMPTY_ROUTE);
    await setWethPrice(r, 2_300n); // value 50 000 + 38 333 = 88 333: -11.7 %
    expect(await w.vault.shouldDeleverage()).to.deep.equal([true, 2n]);
    await expect(w.vault.connect(w.eve).deleverage()).to.emit(w.vault, "Deleveraged");
  });

  it("Chainlink Automation upkeep runs the same deleverage and forwards the bounty", async () => {
    const r = await networkHelpers.loadFixture(overLevered);
    const { w } = r;
    const upkeep = await ethers.deployContract("DeleverageUpkeep", [
      await w.vault.getAddress(),
      w.bob.address,
    ]);
    const [needed, data] = await upkeep.getFunction("checkUpkeep")("0x");
    expect(needed).to.equal(true);
    const before = await w.usdc.balanceOf(w.bob.address);
    await upkeep.getFunction("performUpkeep")(data);
    expect((await w.usdc.balanceOf(w.bob.address)) - before).to.be.closeTo(USDC(15), 10n);
  });
});

describe("Option entry points (keeper)", () => {
  it("approves exactly maxPremium, resets it, books the premium and checks leverage with the adapter's exposure", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    const opt = await ethers.deployContract("MockOptionAdapter", [await w.vault.getAddress(), r.usdcAddress]);
    const optAddress = await opt.getAddress();
    await w.vault.connect(w.curator).addAdapter(optAddress);
    const order = {
      underlying: r.weth,
      isCall: true,
      strike: 3_000n * E18,
      expiry: 0,
      amount: E18,
      maxPremium: USDC(200),
    };
    await opt.getFunction("setNext")(USDC(150), USDC(150), USDC(20_000)); // premium, value after, exposure
    await expect(w.vault.connect(w.keeper).openOption(optAddress, order)).to.emit(w.vault, "OptionOpened");
    expect(await w.vault.idleAssets()).to.equal(USDC(100_000) - USDC(150));
    expect(await w.usdc.allowance(await w.vault.getAddress(), optAddress)).to.equal(0n);
    expect(await opt.getFunction("lastAllowance")()).to.equal(USDC(200));
    // a second call worth 40 000 of delta: 0.6 > 0.5
    await w.vault.connect(w.curator).setMaxWeight(r.weth, 10_000);
    await opt.getFunction("setNext")(USDC(150), USDC(300), USDC(60_000));
    await expect(w.vault.connect(w.keeper).openOption(optAddress, order)).to.be.revertedWithCustomError(
      w.vault,
      "LeverageAboveMax",
    );
    // an overpriced option loses more than the per-action bound
    await opt.getFunction("setNext")(USDC(200), USDC(160), USDC(20_000));
    await w.vault.connect(w.keeper).openOption(optAddress, { ...order, maxPremium: USDC(1_000) });
    await opt.getFunction("setNext")(USDC(900), USDC(170), USDC(20_000));
    await expect(
      w.vault.connect(w.keeper).openOption(optAddress, { ...order, maxPremium: USDC(1_000) }),
    ).to.be.revertedWithCustomError(w.vault, "RebalanceLossTooHigh");
    await expect(w.vault.connect(w.eve).openOption(optAddress, order)).to.be.revertedWithCustomError(
      w.vault,
      "AccessManagedUnauthorized",
    );
  });

  it("closes through the adapter with a measured minimum (ProceedsBelowMin)", async () => {
    const r = await networkHelpers.loadFixture(base);
    const { w } = r;
    const opt = await ethers.deployContract("MockOptionAdapter", [await w.vault.getAddress(), r.usdcAddress]);
    const optAddress = await opt.getAddress();
    await w.vault.connect(w.curator).addAdapter(optAddress);
    const order = {
      underlying: r.weth,
      isCall: true,
      strike: 3_000n * E18,
      expiry: 0,
      amount: E18,
      maxPremium: USDC(200),
    };
    await opt.getFunction("setNext")(USDC(150), USDC(150), USDC(20_000));
    await w.vault.connect(w.keeper).openOption(optAddress, order);
    await opt.getFunction("setClose")(USDC(140), 0n, 0n); // pays 140, value and exposure to 0
    await expect(w.vault.connect(w.keeper).closeOption(optAddress, 1, E18, USDC(141)))
      .to.be.revertedWithCustomError(w.vault, "ProceedsBelowMin")
      .withArgs(USDC(140), USDC(141));
    await expect(w.vault.connect(w.keeper).closeOption(optAddress, 1, E18, USDC(140))).to.emit(
      w.vault,
      "OptionClosed",
    );
    expect(await w.vault.idleAssets()).to.equal(USDC(100_000) - USDC(10));
  });
});
