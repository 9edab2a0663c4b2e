/**
 * The yield leg on the real RiskParityVault: the vault holds the option venue's LP share (ovLP)
 * as a risk asset, priced by ERC4626SharePriceFeed and traded through ERC4626SwapAdapter.
 * Round trip through rebalance, min-out, guards, locked collateral (rebalance and deleverage
 * revert with a named error, in-kind exits still work), stale stablecoin feed, premium income,
 * and a donation that cannot profit the donor.
 */
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";
import { Contract } from "ethers";
import {
  deployYieldWorld,
  EMPTY_ROUTE,
  refreshYieldFeeds,
  sendRebalance,
  USDC,
  yieldOracleMinOut,
  yieldTrade,
  type YieldWorld,
} from "../../../deploy/yield-world.ts";
import { HEARTBEAT } from "../../../deploy/mock-vault-world.ts";

const { ethers, networkHelpers } = await network.create();
const WAD = 10n ** 18n;
const DAY = 86_400;
const KEEPER_SLIPPAGE_BPS = 30;

const ORACLE_ERRORS = new Contract(ethers.ZeroAddress, [
  "error OracleStale(address feed, uint256 updatedAt, uint256 heartbeat, uint256 timestamp)",
]);

describe("Yield leg: the vault as an LP of the option venue", function () {
  this.timeout(300_000);

  async function world(): Promise<YieldWorld> {
    return deployYieldWorld(ethers);
  }

  async function vaultAddr(y: YieldWorld): Promise<string> {
    return y.w.vault.getAddress();
  }

  /** Buys `assets` of pool shares through the vault's rebalance at the keeper's slippage. */
  async function buyShares(y: YieldWorld, assets: bigint): Promise<void> {
    const min = await yieldOracleMinOut(y, "buy", assets, KEEPER_SLIPPAGE_BPS);
    await await (
      (await sendRebalance(y, [await yieldTrade(y, "buy", assets, min)])) as { wait(): Promise<unknown> }
    ).wait();
  }

  /** `who` redeems `shares` of the vault in kind (no swaps) to itself. */
  async function redeemInKind(y: YieldWorld, who: HardhatEthersSigner, shares: bigint): Promise<void> {
    const vault = y.w.vault.connect(who) as Contract;
    await (await vault.getFunction("redeemInKind")(shares, who.address, who.address, [])).wait();
  }

  async function shareState(y: YieldWorld): Promise<{ balance: bigint; value: bigint; price: bigint }> {
    const b = await y.w.vault.getFunction("rebalanceBounds")();
    for (const a of b.assets as { token: string; balance: bigint; value: bigint; price: bigint }[])
      if (a.token.toLowerCase() === y.leg.token.toLowerCase())
        return { balance: a.balance, value: a.value, price: a.price };
    throw new Error("share not registered");
  }

  /** Bob (the outside LP) withdraws most of his liquidity, then eve buys ATM WETH puts locking ~80%. */
  async function lockPool(y: YieldWorld): Promise<{ premium: bigint }> {
    const venue = y.venue;
    await (
      await venue
        .connect(y.w.bob)
        .redeem(
          ((await venue["balanceOf(address)"](y.w.bob.address)) * 6n) / 10n,
          y.w.bob.address,
          y.w.bob.address,
        )
    ).wait();
    const weth = await y.w.tokens[0]!.getAddress();
    const now = await networkHelpers.time.latest();
    const expiry = BigInt(now + 30 * DAY);
    const strike = 3_000n * WAD;
    const amount = 170n * WAD;
    const [premium] = await venue.quoteBuy(weth, false, strike, expiry, amount);
    await (
      await (y.w.usdc.connect(y.w.eve) as Contract).getFunction("approve")(await venue.getAddress(), premium)
    ).wait();
    await (
      await venue.connect(y.w.eve).buy(weth, false, strike, expiry, amount, premium, y.w.eve.address)
    ).wait();
    return { premium };
  }

  it("registers the pool share with the composed feed (price ~ 1 USD per whole share)", async function () {
    const y = await networkHelpers.loadFixture(world);
    const [, answer] = await y.leg.feed.latestRoundData();
    // One whole ovLP (12 decimals) = previewRedeem(1e12) asset units at 1 USD.
    const perShare = await y.venue.previewRedeem(10n ** 12n);
    expect(answer / 10n ** 12n).to.equal(perShare);
    expect(await y.leg.feed.decimals()).to.equal(18n);
    expect(await y.w.vault.getFunction("riskAssetCount")()).to.equal(5n);
  });

  it("deposit and redeem round trip through rebalance: books match balances, value kept", async function () {
    const y = await networkHelpers.loadFixture(world);
    const vault = await vaultAddr(y);
    const total0 = (await y.w.vault.getFunction("totalAssets")()) as bigint;
    const idle0 = (await y.w.vault.getFunction("idleAssets")()) as bigint;
    const expectedShares = await y.venue.previewDeposit(USDC(250_000));
    await buyShares(y, USDC(250_000));
    const held = await y.venue["balanceOf(address)"](vault);
    expect(held).to.equal(expectedShares);
    expect(await y.w.vault.getFunction("trackedBalance")(y.leg.token)).to.equal(held);
    const total1 = (await y.w.vault.getFunction("totalAssets")()) as bigint;
    expect(total0 - total1).to.be.lte(1n); // rounding only, in the pool's favour
    const s = await shareState(y);
    expect(s.value).to.be.closeTo(USDC(250_000), 1n);
    // Counted as a risk asset: gross exposure (leverage) includes it.
    const lev = (await y.w.vault.getFunction("rebalanceBounds")()).leverage as bigint;
    expect(lev).to.be.closeTo((USDC(250_000) * WAD) / total1, 10n ** 12n);

    const min = await yieldOracleMinOut(y, "sell", held, KEEPER_SLIPPAGE_BPS);
    await await (
      (await sendRebalance(y, [await yieldTrade(y, "sell", held, min)])) as { wait(): Promise<unknown> }
    ).wait();
    expect(await y.venue["balanceOf(address)"](vault)).to.equal(0n);
    const idle2 = (await y.w.vault.getFunction("idleAssets")()) as bigint;
    expect(idle0 - idle2).to.be.lte(2n);
  });

  it("respects the keeper's min-out and refuses routes, pairs and zero amounts", async function () {
    const y = await networkHelpers.loadFixture(world);
    const shares = await y.venue.previewDeposit(USDC(100_000));
    await expect(sendRebalance(y, [await yieldTrade(y, "buy", USDC(100_000), shares + 1n)]))
      .to.be.revertedWithCustomError(y.leg.adapter, "ERC4626AdapterInsufficientOutput")
      .withArgs(shares, shares + 1n);
    const t = await yieldTrade(y, "buy", USDC(100_000), shares);
    await expect(sendRebalance(y, [{ ...t, route: { fees: [3000], intermediates: [] } }]))
      .to.be.revertedWithCustomError(y.leg.adapter, "ERC4626AdapterRouteNotEmpty")
      .withArgs(1n, 0n);
    // Direct calls: wrong pair, zero amount.
    const weth = await y.w.tokens[0]!.getAddress();
    await expect(y.leg.adapter.swap(weth, y.leg.token, 1n, 0n, EMPTY_ROUTE))
      .to.be.revertedWithCustomError(y.leg.adapter, "ERC4626AdapterBadTokens")
      .withArgs(weth, y.leg.token);
    await expect(
      y.leg.adapter.swap(await y.w.usdc.getAddress(), y.leg.token, 0n, 0n, EMPTY_ROUTE),
    ).to.be.revertedWithCustomError(y.leg.adapter, "ERC4626AdapterZeroAmount");
    // Above the max weight (30%): the vault's weight guard.
    const big = USDC(350_000);
    await expect(
      sendRebalance(y, [
        await yieldTrade(y, "buy", big, await yieldOracleMinOut(y, "buy", big, KEEPER_SLIPPAGE_BPS)),
      ]),
    ).to.be.revertedWithCustomError(y.w.vault, "LeverageWeightAboveMax");
  });

  it("earns the pool's premium income: the leg's value rises when options are bought from the pool", async function () {
    const y = await networkHelpers.loadFixture(world);
    await buyShares(y, USDC(250_000));
    const before = await shareState(y);
    const vaultShares = await y.venue["balanceOf(address)"](await vaultAddr(y));
    const { premium } = await lockPool(y);
    const supply = await y.venue.totalSupply();
    const after = await shareState(y);
    expect(after.balance).to.equal(before.balance);
    const gain = after.value - before.value;
    expect(gain).to.be.gt(0n);
    // The vault's pro-rata part of the premium (supply measured after bob's exit), to rounding.
    expect(gain).to.be.closeTo((premium * vaultShares) / supply, USDC(1));
  });

  it("locked collateral: a sell reverts with ERC4626AdapterRedeemLimited; in-kind exits still pay pool shares", async function () {
    const y = await networkHelpers.loadFixture(world);
    const vault = await vaultAddr(y);
    await buyShares(y, USDC(250_000));
    await lockPool(y);
    const held = await y.venue["balanceOf(address)"](vault);
    const maxRedeem = await y.venue.maxRedeem(vault);
    expect(maxRedeem).to.be.lt(held);
    const min = await yieldOracleMinOut(y, "sell", held, KEEPER_SLIPPAGE_BPS);
    await expect(sendRebalance(y, [await yieldTrade(y, "sell", held, min)]))
      .to.be.revertedWithCustomError(y.leg.adapter, "ERC4626AdapterRedeemLimited")
      .withArgs(held, maxRedeem);
    // A sell within the pool's limit still works.
    const part = maxRedeem / 2n;
    await await (
      (await sendRebalance(y, [
        await yieldTrade(y, "sell", part, await yieldOracleMinOut(y, "sell", part, KEEPER_SLIPPAGE_BPS)),
      ])) as { wait(): Promise<unknown> }
    ).wait();

    // Alice exits in kind with half her shares: she receives her slice of the pool shares.
    const alice = y.w.alice;
    const shares = ((await y.w.vault.getFunction("balanceOf")(alice.address)) as bigint) / 2n;
    const heldBefore = await y.venue["balanceOf(address)"](vault);
    const supply = (await y.w.vault.getFunction("totalSupply")()) as bigint;
    await redeemInKind(y, alice, shares);
    const got = await y.venue["balanceOf(address)"](alice.address);
    expect(got).to.be.gt(0n);
    // Pro rata (virtual shares 1e6 in the denominator; rounded down).
    expect(got).to.equal((heldBefore * shares) / (supply + 10n ** 6n));
    expect(await y.venue["balanceOf(address)"](vault)).to.equal(heldBefore - got);
    expect(await y.w.vault.getFunction("trackedBalance")(y.leg.token)).to.equal(heldBefore - got);
  });

  it("deleverage: without a route the share is skipped; with a route a locked pool reverts the chunk, in-kind exits still work", async function () {
    const y = await deployYieldWorld(ethers);
    const vault = await vaultAddr(y);
    const weth = await y.w.tokens[0]!.getAddress();
    const usdc = await y.w.usdc.getAddress();
    const swap = await y.swap.getAddress();
    // WETH route through the oracle swap adapter; vault buys 400k WETH and 250k pool shares.
    await (
      await (y.w.vault.connect(y.w.curator) as Contract).getFunction("setDeleverageRoute")(weth, swap, {
        fees: [3000],
        intermediates: [],
      })
    ).wait();
    const wethAmount = (USDC(400_000) * 10n ** 12n) / 3_000n; // 18 decimals at 3000 USD
    const wethMin = (wethAmount * 9_950n) / 10_000n;
    const buyWeth = {
      tokenIn: usdc,
      tokenOut: weth,
      amountIn: USDC(400_000),
      minAmountOut: wethMin,
      adapter: swap,
      route: { fees: [3000], intermediates: [] as string[] },
    };
    const buyShare = await yieldTrade(
      y,
      "buy",
      USDC(250_000),
      await yieldOracleMinOut(y, "buy", USDC(250_000), KEEPER_SLIPPAGE_BPS),
    );
    await await ((await sendRebalance(y, [buyWeth, buyShare])) as { wait(): Promise<unknown> }).wait();
    await lockPool(y);
    // The outside LP takes the pool's remaining free liquidity: the vault can redeem (almost) nothing.
    const bobMax = await y.venue.maxRedeem(y.w.bob.address);
    await (await y.venue.connect(y.w.bob).redeem(bobMax, y.w.bob.address, y.w.bob.address)).wait();
    expect(await y.venue.maxRedeem(vault)).to.be.lt((await y.venue["balanceOf(address)"](vault)) / 100n);
    // WETH crashes 60%: price per share falls > 20% below the peak: drawdown deleverage is due.
    const crashed = 1_200n * 10n ** 8n;
    await (await y.w.feeds[0]!.getFunction("setAnswer")(crashed)).wait();
    await (await y.swap.getFunction("setPrice")(weth, crashed * 10n ** 10n)).wait();
    const [due] = await y.w.vault.getFunction("shouldDeleverage")();
    expect(due).to.equal(true);

    const sharesBefore = await y.venue["balanceOf(address)"](vault);
    const wethBefore = (await y.w.vault.getFunction("trackedBalance")(weth)) as bigint;
    await (await (y.w.vault.connect(y.w.eve) as Contract).getFunction("deleverage")()).wait();
    expect(await y.venue["balanceOf(address)"](vault)).to.equal(sharesBefore); // no route: not sold
    expect((await y.w.vault.getFunction("trackedBalance")(weth)) as bigint).to.be.lt(wethBefore);

    // With a deleverage route on the share, the locked pool makes the whole chunk revert.
    await (
      await (y.w.vault.connect(y.w.curator) as Contract).getFunction("setDeleverageRoute")(
        y.leg.token,
        await y.leg.adapter.getAddress(),
        EMPTY_ROUTE,
      )
    ).wait();
    await networkHelpers.time.increase(3_601);
    await refreshYieldFeeds(y);
    await expect(
      (y.w.vault.connect(y.w.eve) as Contract).getFunction("deleverage")(),
    ).to.be.revertedWithCustomError(y.leg.adapter, "ERC4626AdapterRedeemLimited");
    // Exits never lock.
    const shares = ((await y.w.vault.getFunction("balanceOf")(y.w.alice.address)) as bigint) / 4n;
    await redeemInKind(y, y.w.alice, shares);
    expect(await y.venue["balanceOf(address)"](y.w.alice.address)).to.be.gt(0n);
  });

  it("a stale stablecoin feed makes the share's price stale: the vault refuses trades and deposits, in-kind exits work", async function () {
    const y = await networkHelpers.loadFixture(world);
    await buyShares(y, USDC(100_000));
    await networkHelpers.time.increase(HEARTBEAT + 1);
    // Everything fresh except the USDC/USD feed the share price is composed with.
    for (const f of y.w.feeds)
      await (await f.getFunction("setAnswer")(await f.getFunction("answer")())).wait();
    const shareFeed = await y.leg.feed.getAddress();
    const t = await yieldTrade(y, "buy", USDC(10_000), 1n);
    await expect(sendRebalance(y, [t])).to.be.revertedWithCustomError(ORACLE_ERRORS, "OracleStale");
    await expect(
      (y.w.vault.connect(y.w.alice) as Contract).getFunction("deposit")(USDC(1_000), y.w.alice.address),
    )
      .to.be.revertedWithCustomError(ORACLE_ERRORS, "OracleStale")
      .withArgs(
        shareFeed,
        (await y.usdFeed.getFunction("updatedAt")()) as bigint,
        HEARTBEAT,
        (await networkHelpers.time.latest()) + 1,
      );
    expect(await y.w.vault.getFunction("maxWithdraw")(y.w.alice.address)).to.equal(0n);
    const shares = ((await y.w.vault.getFunction("balanceOf")(y.w.alice.address)) as bigint) / 10n;
    await redeemInKind(y, y.w.alice, shares);
    expect(await y.venue["balanceOf(address)"](y.w.alice.address)).to.be.gt(0n);
    // A non-positive stablecoin answer is passed through (the vault rejects it too).
    await (await y.usdFeed.getFunction("setAnswer")(0n)).wait();
    const [, answer] = await y.leg.feed.latestRoundData();
    expect(answer).to.equal(0n);
  });

  it("a donation to the pool cannot profit a donor who holds vault shares", async function () {
    const y = await networkHelpers.loadFixture(world);
    await buyShares(y, USDC(250_000));
    const eve = y.w.eve;
    const venueAddr = await y.venue.getAddress();
    const start = (await y.w.usdc.getFunction("balanceOf")(eve.address)) as bigint;
    // Eve holds a large slice of the vault (deposits 1M next to alice's 1M), then donates.
    await (
      await (y.w.vault.connect(eve) as Contract).getFunction("deposit")(USDC(1_000_000), eve.address)
    ).wait();
    const priceBefore = (await y.leg.feed.latestRoundData())[1];
    const donation = USDC(200_000);
    await (await (y.w.usdc.connect(eve) as Contract).getFunction("transfer")(venueAddr, donation)).wait();
    const priceAfter = (await y.leg.feed.latestRoundData())[1];
    expect(priceAfter).to.be.gt(priceBefore); // the donation is real value shared by every LP
    // Eve exits: in kind (the pool shares then redeemed at the pool) and in cash where she can.
    const shares = (await y.w.vault.getFunction("balanceOf")(eve.address)) as bigint;
    await redeemInKind(y, eve, shares);
    const ovlp = await y.venue["balanceOf(address)"](eve.address);
    await (await y.venue.connect(eve).redeem(ovlp, eve.address, eve.address)).wait();
    const end = (await y.w.usdc.getFunction("balanceOf")(eve.address)) as bigint;
    expect(end).to.be.lt(start);
    // Her loss is at least the part of the donation that went to the other LPs and vault holders.
    const vaultFractionOfPool = (USDC(250_000) * WAD) / (await y.venue.totalAssets());
    expect(start - end).to.be.gte((donation * (WAD - vaultFractionOfPool)) / WAD);
  });
});
