import { expect } from "chai";
import { network } from "hardhat";
import type { Contract } from "ethers";
import { deployTestWorld, mint, type TestWorld, type TestToken } from "../../../deploy/test-world.ts";
import {
  addLiquidity,
  arbitrageToPrice,
  createPool,
  encodePath,
  ERC20_ABI,
  poolUsdPrice,
  routerExactInput,
  routerExactInputSingle,
  slot0,
  sqrtPriceX96FromPrices,
  usdPrice0FromSqrtPriceX96,
  WAD,
} from "../../../deploy/uniswap.ts";

const { ethers, networkHelpers } = await network.create();

/** |a - b| / b in bps, as a float. */
function relBps(a: bigint, b: bigint): number {
  const d = a > b ? a - b : b - a;
  return (Number(d) / Number(b)) * 10_000;
}

describe("Uniswap V3 world and UniswapV3SwapAdapter (real pools)", function () {
  this.timeout(120_000);
  let world: TestWorld;
  let adapter: Contract;
  let usdc: TestToken;
  let weth: TestToken;
  let wbtc: TestToken;
  let trader: Awaited<ReturnType<typeof ethers.getSigners>>[number];

  before(async () => {
    const [lp, t] = await ethers.getSigners();
    trader = t!;
    world = await deployTestWorld(ethers, lp!);
    usdc = world.usdc;
    weth = world.risk[0]!;
    wbtc = world.risk[1]!;
    adapter = (await ethers.deployContract("UniswapV3SwapAdapter", [
      await world.uni.router.getAddress(),
    ])) as unknown as Contract;
  });

  async function balanceOf(token: string, who: string): Promise<bigint> {
    return (await new ethers.Contract(token, ERC20_ABI, ethers.provider).getFunction("balanceOf")(
      who,
    )) as bigint;
  }

  it("creates pools at the requested USD prices (both token orders)", async () => {
    for (const [i, info] of world.usdcPools.entries()) {
      const risk = world.risk[i]!;
      const p = await poolUsdPrice(info, risk.address, usdc.price);
      expect(relBps(p, risk.price)).to.be.lessThan(0.01);
    }
    const p = await poolUsdPrice(world.crossPool, wbtc.address, weth.price);
    expect(relBps(p, wbtc.price)).to.be.lessThan(0.01);
  });

  it("sqrtPriceX96 round-trips through the USD price", () => {
    const t0 = { address: "0x0000000000000000000000000000000000000001", decimals: 8 };
    const t1 = { address: "0x0000000000000000000000000000000000000002", decimals: 6 };
    for (const price of [1n, 37n, 60_000n, 1_000_000n]) {
      const s = sqrtPriceX96FromPrices(t0, price * WAD, t1, WAD);
      const back = usdPrice0FromSqrtPriceX96(t0, t1, s, WAD);
      expect(relBps(back, price * WAD)).to.be.lessThan(1e-6);
    }
  });

  it("single-hop swap through the adapter: exact pull, output to caller, equals the router's own quote, nothing left behind", async () => {
    const amountIn = 5_000n * 10n ** 6n;
    await mint(usdc, trader.address, amountIn);
    const adapterAddress = await adapter.getAddress();
    // The router's own result for the same swap from the same state (then rewound).
    const snap = await networkHelpers.takeSnapshot();
    const { amountOut: quote } = await routerExactInputSingle(world.uni, trader, {
      tokenIn: usdc.address,
      tokenOut: weth.address,
      fee: world.fee,
      amountIn,
      approve: true,
    });
    await snap.restore();
    const usdcContract = usdc.contract.connect(trader) as Contract;
    await (await usdcContract.getFunction("approve")(adapterAddress, amountIn)).wait();
    const wethBefore = await balanceOf(weth.address, trader.address);
    const tx = (adapter.connect(trader) as Contract).getFunction("swap")(
      usdc.address,
      weth.address,
      amountIn,
      quote,
      {
        fees: [world.fee],
        intermediates: [],
      },
    );
    await expect(tx)
      .to.emit(adapter, "SwapExecuted")
      .withArgs(trader.address, usdc.address, weth.address, amountIn, quote, 1n);
    expect(await balanceOf(weth.address, trader.address)).to.equal(wethBefore + quote);
    expect(await balanceOf(usdc.address, trader.address)).to.equal(0n);
    expect(await balanceOf(usdc.address, adapterAddress)).to.equal(0n);
    expect(await balanceOf(weth.address, adapterAddress)).to.equal(0n);
    const routerAddress = await world.uni.router.getAddress();
    const allowance = (await usdc.contract.getFunction("allowance")(adapterAddress, routerAddress)) as bigint;
    expect(allowance).to.equal(0n);
    // within the 0.3 % fee tier plus a little price impact of the oracle price
    const oracleOut = (amountIn * 10n ** 12n * usdc.price) / weth.price;
    expect(relBps(quote, oracleOut)).to.be.lessThan(35);
  });

  it("two-hop swap (WBTC -> WETH -> USDC) encodes the typed route like the router expects", async () => {
    const amountIn = 10n ** 7n; // 0.1 WBTC
    await mint(wbtc, trader.address, amountIn);
    const adapterAddress = await adapter.getAddress();
    const route = { fees: [world.fee, world.fee], intermediates: [weth.address] };
    const onChainPath = (await adapter.getFunction("encodePath")(
      wbtc.address,
      usdc.address,
      route,
    )) as string;
    expect(onChainPath).to.equal(
      encodePath([wbtc.address, weth.address, usdc.address], [world.fee, world.fee]),
    );
    const snap = await networkHelpers.takeSnapshot();
    const { amountOut: quote } = await routerExactInput(world.uni, trader, {
      tokens: [wbtc.address, weth.address, usdc.address],
      fees: route.fees,
      amountIn,
      approve: true,
    });
    await snap.restore();
    await (
      await (wbtc.contract.connect(trader) as Contract).getFunction("approve")(adapterAddress, amountIn)
    ).wait();
    const before = await balanceOf(usdc.address, trader.address);
    await (
      await (adapter.connect(trader) as Contract).getFunction("swap")(
        wbtc.address,
        usdc.address,
        amountIn,
        quote,
        route,
      )
    ).wait();
    expect(await balanceOf(usdc.address, trader.address)).to.equal(before + quote);
    expect(await balanceOf(wbtc.address, adapterAddress)).to.equal(0n);
    // two 0.3 % hops: about 0.6 % below the oracle
    const oracleOut = (amountIn * 10n ** 6n * wbtc.price) / (usdc.price * 10n ** 8n);
    expect(relBps(quote, oracleOut)).to.be.within(55, 70);
  });

  it("reverts when the output would be below minAmountOut (and the caller keeps its tokens)", async () => {
    const amountIn = 10n ** 18n;
    await mint(weth, trader.address, amountIn);
    const adapterAddress = await adapter.getAddress();
    await (
      await (weth.contract.connect(trader) as Contract).getFunction("approve")(adapterAddress, amountIn)
    ).wait();
    const tooMuch = 3_000n * 10n ** 6n; // the oracle value: impossible after the 0.3 % fee
    await expect(
      (adapter.connect(trader) as Contract).getFunction("swap")(
        weth.address,
        usdc.address,
        amountIn,
        tooMuch,
        {
          fees: [world.fee],
          intermediates: [],
        },
      ),
    ).to.be.revertedWith("Too little received");
    expect(await balanceOf(weth.address, trader.address)).to.be.greaterThanOrEqual(amountIn);
  });

  it("refuses malformed routes, equal tokens and zero amounts", async () => {
    const a = adapter.connect(trader) as Contract;
    await expect(a.getFunction("swap")(weth.address, usdc.address, 1n, 0n, { fees: [], intermediates: [] }))
      .to.be.revertedWithCustomError(adapter, "SwapAdapterBadRoute")
      .withArgs(0n, 0n);
    await expect(
      a.getFunction("swap")(weth.address, usdc.address, 1n, 0n, { fees: [3000, 3000], intermediates: [] }),
    )
      .to.be.revertedWithCustomError(adapter, "SwapAdapterBadRoute")
      .withArgs(2n, 0n);
    const five = {
      fees: [3000, 3000, 3000, 3000, 3000],
      intermediates: Array(4).fill(wbtc.address) as string[],
    };
    await expect(a.getFunction("swap")(weth.address, usdc.address, 1n, 0n, five))
      .to.be.revertedWithCustomError(adapter, "SwapAdapterBadRoute")
      .withArgs(5n, 4n);
    await expect(
      a.getFunction("swap")(weth.address, weth.address, 1n, 0n, { fees: [3000], intermediates: [] }),
    )
      .to.be.revertedWithCustomError(adapter, "SwapAdapterBadTokens")
      .withArgs(weth.address, weth.address);
    await expect(
      a.getFunction("swap")(weth.address, usdc.address, 0n, 0n, { fees: [3000], intermediates: [] }),
    ).to.be.revertedWithCustomError(adapter, "SwapAdapterZeroAmount");
  });

  it("refuses a fee-on-transfer input token (the pull must deliver exactly amountIn)", async () => {
    const fot = (await ethers.deployContract("MockFeeOnTransferToken")) as unknown as Contract; // 1 % burnt
    const adapterAddress = await adapter.getAddress();
    await (await fot.getFunction("mint")(trader.address, 1_000n)).wait();
    await (await (fot.connect(trader) as Contract).getFunction("approve")(adapterAddress, 1_000n)).wait();
    await expect(
      (adapter.connect(trader) as Contract).getFunction("swap")(
        await fot.getAddress(),
        usdc.address,
        1_000n,
        0n,
        {
          fees: [3000],
          intermediates: [],
        },
      ),
    )
      .to.be.revertedWithCustomError(adapter, "SwapAdapterInputMismatch")
      .withArgs(1_000n, 990n);
  });

  it("arbitrageToPrice moves a pool back to the oracle price after a large swap, from either side", async () => {
    const [, , arb] = await ethers.getSigners();
    const info = world.usdcPools[0]!;
    for (const [dir, amountUsd] of [
      ["sell WETH", 2_000_000n],
      ["buy WETH", 3_000_000n],
    ] as const) {
      // push the pool away from the oracle with a big trade
      const sellWeth = dir === "sell WETH";
      const tokenIn = sellWeth ? weth : usdc;
      const amountIn = (amountUsd * WAD * 10n ** BigInt(tokenIn.decimals)) / tokenIn.price;
      await mint(tokenIn, trader.address, amountIn);
      const adapterAddress = await adapter.getAddress();
      await (
        await (tokenIn.contract.connect(trader) as Contract).getFunction("approve")(adapterAddress, amountIn)
      ).wait();
      await (
        await (adapter.connect(trader) as Contract).getFunction("swap")(
          tokenIn.address,
          sellWeth ? usdc.address : weth.address,
          amountIn,
          0n,
          { fees: [world.fee], intermediates: [] },
        )
      ).wait();
      const moved = await poolUsdPrice(info, weth.address, usdc.price);
      expect(relBps(moved, weth.price)).to.be.greaterThan(500); // the trade moved it > 5 %

      // the arbitrageur holds both tokens; the helper picks the side
      await mint(weth, arb!.address, 5_000n * 10n ** 18n);
      await mint(usdc, arb!.address, 20_000_000n * 10n ** 6n);
      const res = await arbitrageToPrice(
        world.uni,
        info,
        arb!,
        info.token0.address === weth.address ? weth.price : usdc.price,
        info.token0.address === weth.address ? usdc.price : weth.price,
      );
      expect(res.amountIn).to.be.greaterThan(0n);
      const back = await poolUsdPrice(info, weth.address, usdc.price);
      expect(relBps(back, weth.price)).to.be.lessThan(0.01);
      const routerAddress = await world.uni.router.getAddress();
      expect(await weth.contract.getFunction("allowance")(arb!.address, routerAddress)).to.equal(0n);
      expect(await usdc.contract.getFunction("allowance")(arb!.address, routerAddress)).to.equal(0n);
    }
  });

  it("band liquidity is concentrated: the same trade moves a banded pool less than a full-range pool of equal capital", async () => {
    const [lp] = await ethers.getSigners();
    const link = { address: "", decimals: 18 };
    // two fresh tokens so the pools are new
    const a = (await ethers.deployContract("MockToken", ["A", "A", 18])) as unknown as Contract;
    const b = (await ethers.deployContract("MockToken", ["B", "B", 6])) as unknown as Contract;
    link.address = await a.getAddress();
    const quote = { address: await b.getAddress(), decimals: 6 };
    const moves: number[] = [];
    for (const fee of [500, 3000]) {
      const info = await createPool(world.uni, link, 20n * WAD, quote, WAD, fee);
      const capital0 = 50_000n * 10n ** 18n; // 1M USD of A
      const capital1 = 1_000_000n * 10n ** 6n;
      await (await a.getFunction("mint")(lp!.address, capital0)).wait();
      await (await b.getFunction("mint")(lp!.address, capital1)).wait();
      await addLiquidity(world.uni, info, lp!, {
        amount0: info.token0.address === link.address ? capital0 : capital1,
        amount1: info.token0.address === link.address ? capital1 : capital0,
        ...(fee === 500 ? { band: { lower: 0.8, upper: 1.25 } } : {}),
      });
      const before = (await slot0(info.pool)).sqrtPriceX96;
      const amountIn = 100_000n * 10n ** 6n; // 100k USD of B
      await (await b.getFunction("mint")(trader.address, amountIn)).wait();
      await (
        await (b.connect(trader) as Contract).getFunction("approve")(await adapter.getAddress(), amountIn)
      ).wait();
      await (
        await (adapter.connect(trader) as Contract).getFunction("swap")(
          quote.address,
          link.address,
          amountIn,
          0n,
          {
            fees: [fee],
            intermediates: [],
          },
        )
      ).wait();
      const after = (await slot0(info.pool)).sqrtPriceX96;
      moves.push(relBps(after, before));
    }
    expect(moves[0]!).to.be.lessThan(moves[1]! / 3);
  });
});
