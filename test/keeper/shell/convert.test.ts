import { expect } from "chai";
import fc from "fast-check";
import type { Address } from "viem";
import { boundsToFloat, fromFloatDown, toFloat, tradeToChain, valueOfRaw, type RawAssetState, type RawBounds } from "../../../keeper/shell/convert.ts";

const USDC = "0x00000000000000000000000000000000000000A1" as Address;
const WETH = "0x00000000000000000000000000000000000000B2" as Address;
const WBTC = "0x00000000000000000000000000000000000000c3" as Address;
const ADAPTER = "0x00000000000000000000000000000000000000D4" as Address;

describe("keeper edge conversion", () => {
  it("toFloat matches decimal division (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }), (x, d) => {
        const expected = Number(`${x < 0n ? "-" : ""}${(x < 0n ? -x : x).toString().padStart(d + 1, "0").slice(0, -d || undefined)}.${d ? (x < 0n ? -x : x).toString().padStart(d + 1, "0").slice(-d) : "0"}`);
        const got = toFloat(x, d);
        return Math.abs(got - expected) <= Math.abs(expected) * 1e-15;
      }),
    );
  });

  it("fromFloatDown never rounds up and is within one unit (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 18 }), (x, d) => {
        const n = fromFloatDown(x, d);
        const back = toFloat(n, d);
        return back <= x * (1 + 1e-15) && x - back <= 10 ** -d + x * 1e-15;
      }),
    );
    expect(fromFloatDown(-1, 6)).to.equal(0n);
    expect(fromFloatDown(Number.NaN, 6)).to.equal(0n);
  });

  const rawAsset = (token: Address, decimals: number, priceUsd: bigint): RawAssetState => ({ token, decimals, price: priceUsd * 10n ** 18n, balance: 0n, value: 0n, netExposure: 0n, maxWeightBps: 5000 });

  it("converts bounds: values, leverage, bps, prices", () => {
    const raw: RawBounds = {
      nonce: 7n, rebalancePaused: false, oraclesHealthy: true, totalValue: 1_234_567_890n, idle: 5_000_000n, leverage: 1_500_000_000_000_000_000n,
      targetLeverage: 10n ** 18n, maxLeverage: 2n * 10n ** 18n, ripcordLeverage: 3n * 10n ** 18n, maxTradeValue: 100_000_000n, maxSlippageBps: 50,
      minRebalanceInterval: 3600n, cooldownRemaining: 0n, maxLossPerRebalance: 1_000_000n, lossBudgetRemaining: 500_000n, turnoverRemaining: 10_000_000n,
      assets: [{ ...rawAsset(WETH, 18, 3000n), balance: 2n * 10n ** 18n, value: 6_000_000_000n, netExposure: -1_000_000n }],
    };
    const b = boundsToFloat(raw, 6);
    expect(b.nonce).to.equal(7n);
    expect(b.totalValue).to.be.closeTo(1234.56789, 1e-9);
    expect(b.leverage).to.equal(1.5);
    expect(b.maxSlippage).to.equal(0.005);
    expect(b.assets[0]!.price).to.equal(3000);
    expect(b.assets[0]!.balance).to.equal(2);
    expect(b.assets[0]!.netExposure).to.equal(-1);
    expect(b.assets[0]!.maxWeight).to.equal(0.5);
  });

  it("trade amounts never exceed the planned value and the minimum output respects the slippage (property)", () => {
    const assets = new Map([[WETH.toLowerCase(), rawAsset(WETH, 18, 3123n)], [WBTC.toLowerCase(), rawAsset(WBTC, 8, 97_000n)]]);
    const ctx = { asset: { address: USDC, decimals: 6 }, assets, adapter: ADAPTER, feeTier: 3000, slippageBps: 30 };
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e8, noNaN: true }), fc.constantFrom<[Address, Address]>([USDC, WETH], [WETH, USDC], [WBTC, WETH], [USDC, WBTC]), (value, [tin, tout]) => {
        const t = tradeToChain({ tokenIn: tin, tokenOut: tout, value, reason: "" }, ctx);
        const units = BigInt(Math.floor(value * 1e6));
        const inValue = tin === USDC ? t.amountIn : valueOfRaw(assets.get(tin.toLowerCase())!, t.amountIn, 6);
        const outValue = tout === USDC ? t.minAmountOut : valueOfRaw(assets.get(tout.toLowerCase())!, t.minAmountOut, 6);
        // sells no more than planned
        if (inValue > units + 1n) return false;
        // minimum output: at least (1 - slippage) of the value, at most the full value (+ rounding)
        const lower = (units * 9970n) / 10000n;
        return outValue + 2n >= (lower * 999n) / 1000n && outValue <= units + 1n;
      }),
    );
  });

  it("refuses to trade an asset without an oracle price", () => {
    const assets = new Map([[WETH.toLowerCase(), { ...rawAsset(WETH, 18, 0n) }]]);
    expect(() => tradeToChain({ tokenIn: USDC, tokenOut: WETH, value: 10, reason: "" }, { asset: { address: USDC, decimals: 6 }, assets, adapter: ADAPTER, feeTier: 500, slippageBps: 10 })).to.throw(/no oracle price/);
  });
});
