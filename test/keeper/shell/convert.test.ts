import { expect } from "chai";
import fc from "fast-check";
import { getAddress, type Address } from "viem";
import {
  boundsToFloat,
  fromFloatDown,
  oracleQuote,
  plannedTradeToChain,
  toFloat,
  type RawAssetState,
  type RawBounds,
} from "../../../keeper/shell/convert.ts";
import type { PlannedTrade } from "../../../keeper/planner/types.ts";

const USDC = "0x00000000000000000000000000000000000000A1" as Address;
const WETH = "0x00000000000000000000000000000000000000B2" as Address;
const WBTC = "0x00000000000000000000000000000000000000c3" as Address;
const ADAPTER = "0x00000000000000000000000000000000000000D4" as Address;

describe("keeper edge conversion", () => {
  it("toFloat matches decimal division (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 18 }),
        (x, d) => {
          const expected = Number(
            `${x < 0n ? "-" : ""}${(x < 0n ? -x : x)
              .toString()
              .padStart(d + 1, "0")
              .slice(0, -d || undefined)}.${
              d
                ? (x < 0n ? -x : x)
                    .toString()
                    .padStart(d + 1, "0")
                    .slice(-d)
                : "0"
            }`,
          );
          const got = toFloat(x, d);
          return Math.abs(got - expected) <= Math.abs(expected) * 1e-15;
        },
      ),
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

  const rawAsset = (token: Address, decimals: number, priceUsd: bigint): RawAssetState => ({
    token,
    decimals,
    price: priceUsd * 10n ** 18n,
    balance: 0n,
    value: 0n,
    netExposure: 0n,
    maxWeightBps: 5000,
  });

  it("converts bounds: values, leverage, bps, prices", () => {
    const raw: RawBounds = {
      nonce: 7n,
      rebalancePaused: false,
      oraclesHealthy: true,
      totalValue: 1_234_567_890n,
      idle: 5_000_000n,
      leverage: 1_500_000_000_000_000_000n,
      targetLeverage: 10n ** 18n,
      maxLeverage: 2n * 10n ** 18n,
      ripcordLeverage: 3n * 10n ** 18n,
      maxTradeValue: 100_000_000n,
      maxSlippageBps: 50,
      minRebalanceInterval: 3600n,
      cooldownRemaining: 0n,
      maxLossPerRebalance: 1_000_000n,
      lossBudgetRemaining: 500_000n,
      turnoverRemaining: 10_000_000n,
      assets: [
        {
          ...rawAsset(WETH, 18, 3000n),
          balance: 2n * 10n ** 18n,
          value: 6_000_000_000n,
          netExposure: -1_000_000n,
        },
      ],
    };
    const b = boundsToFloat(raw, 6);
    expect(Math.abs(b.totalValue - 1234.56789)).to.be.lessThan(1e-9);
    expect(b.leverage).to.equal(1.5);
    expect(b.maxSlippageBps).to.equal(50);
    expect(b.nonce).to.equal(7);
    expect(b.assets[0]!.price).to.equal(3000);
    expect(b.assets[0]!.balance).to.equal(2);
    expect(b.assets[0]!.netExposure).to.equal(-1);
    expect(b.assets[0]!.maxWeightBps).to.equal(5000);
    expect(b.assets[0]!.token).to.equal(getAddress(WETH));
  });

  const decOf = (t: Address): number => (t === USDC ? 6 : t === WETH ? 18 : 8);
  const priceOf = (t: Address): number => (t === USDC ? 1 : t === WETH ? 3123 : 97_000);
  const planned = (tokenIn: Address, tokenOut: Address, valueUsd: number, slip: number): PlannedTrade => ({
    tokenIn,
    tokenOut,
    amountIn: valueUsd / priceOf(tokenIn),
    minAmountOut: (valueUsd / priceOf(tokenOut)) * (1 - slip),
    valueUsd,
    asset: tokenIn === USDC ? tokenOut : tokenIn,
    side: tokenIn === USDC ? "buy" : "sell",
    reason: "test",
  });

  it("oracle quote matches an independent float computation", () => {
    const assets = new Map([
      [WETH.toLowerCase(), rawAsset(WETH, 18, 3123n)],
      [WBTC.toLowerCase(), rawAsset(WBTC, 8, 97_000n)],
    ]);
    const ctx = {
      asset: { address: USDC, decimals: 6 },
      assets,
      adapter: ADAPTER,
      feeTier: 3000,
      slippageBps: 30,
    };
    expect(oracleQuote(WBTC, WETH, 10n ** 8n, ctx)).to.equal((97_000n * 10n ** 18n) / 3123n);
    expect(oracleQuote(USDC, WETH, 3123_000000n, ctx)).to.equal(10n ** 18n);
    expect(oracleQuote(WETH, USDC, 10n ** 18n, ctx)).to.equal(3123_000000n);
  });

  it("sells no more than planned; minimum output within [quote x (1 - slippage), quote] (property)", () => {
    const assets = new Map([
      [WETH.toLowerCase(), rawAsset(WETH, 18, 3123n)],
      [WBTC.toLowerCase(), rawAsset(WBTC, 8, 97_000n)],
    ]);
    const ctx = {
      asset: { address: USDC, decimals: 6 },
      assets,
      adapter: ADAPTER,
      feeTier: 3000,
      slippageBps: 30,
    };
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e8, noNaN: true }),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        fc.constantFrom<[Address, Address]>([USDC, WETH], [WETH, USDC], [WBTC, WETH], [USDC, WBTC]),
        (value, slip, [tin, tout]) => {
          const p = planned(tin, tout, value, slip);
          const t = plannedTradeToChain(p, ctx);
          if (toFloat(t.amountIn, decOf(tin)) > p.amountIn * (1 + 1e-12)) return false;
          const quote = oracleQuote(tin, tout, t.amountIn, ctx);
          const floor = (quote * 9970n + 9999n) / 10000n;
          return (
            t.minAmountOut <= quote &&
            t.minAmountOut >= floor &&
            t.route.fees[0] === 3000 &&
            t.adapter === ADAPTER
          );
        },
      ),
    );
  });

  it("refuses to trade an asset without an oracle price", () => {
    const assets = new Map([[WETH.toLowerCase(), { ...rawAsset(WETH, 18, 0n) }]]);
    expect(() =>
      plannedTradeToChain(planned(USDC, WETH, 10, 0), {
        asset: { address: USDC, decimals: 6 },
        assets,
        adapter: ADAPTER,
        feeTier: 500,
        slippageBps: 10,
      }),
    ).to.throw(/no oracle price/);
  });
});
