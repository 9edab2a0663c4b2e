import { expect } from "chai";
import fc from "fast-check";
import {
  checkRebalance,
  type PlannedTrade,
  planRebalance,
  type RebalanceBoundsF,
  type RebalancePlan,
} from "../../../keeper/risk/index.ts";

const USDC = "USDC";

function bounds(over: Partial<RebalanceBoundsF> = {}): RebalanceBoundsF {
  const assets = over.assets ?? [
    {
      token: "WETH",
      decimals: 18,
      price: 3000,
      balance: 150,
      value: 450_000,
      netExposure: 450_000,
      maxWeightBps: 6000,
    },
    {
      token: "WBTC",
      decimals: 8,
      price: 60000,
      balance: 4,
      value: 240_000,
      netExposure: 240_000,
      maxWeightBps: 6000,
    },
  ];
  const idle = over.idle ?? 310_000;
  const total = over.totalValue ?? idle + assets.reduce((a, x) => a + x.value, 0);
  const lev = assets.reduce((a, x) => a + Math.abs(x.netExposure), 0) / total;
  return {
    nonce: 7,
    rebalancePaused: false,
    oraclesHealthy: true,
    totalValue: total,
    idle,
    leverage: lev,
    targetLeverage: 1,
    maxLeverage: 1.5,
    ripcordLeverage: 2,
    maxTradeValue: 50_000,
    maxSlippageBps: 50,
    minRebalanceInterval: 3600,
    cooldownRemaining: 0,
    maxLossPerRebalance: 5_000,
    lossBudgetRemaining: 4_000,
    turnoverRemaining: 500_000,
    ...over,
    assets,
  };
}

const cov = {
  tokens: ["WETH", "WBTC"],
  matrix: [
    [0.64, 0.36],
    [0.36, 0.36],
  ],
};

function expectWellFormed(plan: RebalancePlan, b: RebalanceBoundsF, minTrade = 50, marginBps = 100): void {
  expect(plan.check.ok, JSON.stringify(plan.check.violations)).to.equal(true);
  // independent re-check, plain and with the margin
  expect(checkRebalance(b, plan.trades, USDC).ok).to.equal(true);
  expect(checkRebalance(b, plan.trades, USDC, { marginBps }).ok).to.equal(true);
  let seenBuy = false;
  for (const t of plan.trades) {
    expect(t.reason.length).to.be.greaterThan(10);
    expect(t.valueUsd).to.be.at.most(b.maxTradeValue * (1 - marginBps / 1e4) * (1 + 1e-12));
    expect(t.valueUsd).to.be.at.least(minTrade / 2); // chunks of a >= minTrade order are >= half a cap
    if (t.side === "buy") {
      seenBuy = true;
      expect(t.tokenIn).to.equal(USDC);
    } else {
      expect(seenBuy, "sells before buys").to.equal(false);
      expect(t.tokenOut).to.equal(USDC);
    }
  }
  for (const s of plan.skipped) expect(s.reason.length).to.be.greaterThan(5);
  expect(plan.nonce).to.equal(b.nonce);
}

describe("planRebalance", () => {
  it("inside the no-trade band: no trades, a reason for each asset", () => {
    const b = bounds();
    // targets equal to current weights
    const plan = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.45, WBTC: 0.24 } },
      b,
    );
    expect(plan.trades).to.deep.equal([]);
    expect(plan.skipped.map((s) => s.asset).sort()).to.deep.equal(["WBTC", "WETH"]);
    for (const s of plan.skipped) expect(s.reason).to.match(/no-trade band/);
    expect(plan.drift).to.be.below(0.02);
  });

  it("RC drift just inside the band trades nothing; just outside it trades", () => {
    const b = bounds();
    // small weight change -> small RC drift
    const inside = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.44, WBTC: 0.25 } },
      b,
      { rcBand: 0.05 },
    );
    expect(inside.drift).to.be.below(0.05);
    expect(inside.trades.length).to.equal(0);
    const outside = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.44, WBTC: 0.25 } },
      b,
      { rcBand: inside.drift / 2 },
    );
    expect(outside.trades.length).to.be.greaterThan(0);
    expectWellFormed(outside, b);
  });

  it("measures the band against explicit risk budgets when given", () => {
    const b = bounds();
    // current RC of (450k, 240k) under cov
    const e = [450_000, 240_000];
    const m = cov.matrix;
    const se = [m[0]![0]! * e[0]! + m[0]![1]! * e[1]!, m[1]![0]! * e[0]! + m[1]![1]! * e[1]!];
    const v = e[0]! * se[0]! + e[1]! * se[1]!;
    const rc = [(e[0]! * se[0]!) / v, (e[1]! * se[1]!) / v];
    // targets differ from the current weights, but the risk split already matches the budgets
    const targets = { exposures: { WETH: 0.4, WBTC: 0.29 }, riskBudgets: { WETH: rc[0]!, WBTC: rc[1]! } };
    const plan = planRebalance({ vaultAsset: USDC, covariance: cov }, targets, b);
    expect(plan.drift).to.be.below(1e-12);
    expect(plan.trades).to.deep.equal([]);
    // the same targets without budgets: drift measured against the targets' own RC -> trades
    const plan2 = planRebalance({ vaultAsset: USDC, covariance: cov }, { exposures: targets.exposures }, b);
    expect(plan2.drift).to.be.greaterThan(0.02);
    expect(plan2.trades.length).to.be.greaterThan(0);
  });

  it("sells before buys, chunks <= per-trade cap less margin, and the chunks add up", () => {
    const b = bounds();
    const plan = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.3, WBTC: 0.45 } },
      b,
    );
    expectWellFormed(plan, b);
    const sells = plan.trades.filter((t) => t.side === "sell");
    const buys = plan.trades.filter((t) => t.side === "buy");
    expect(sells.every((t) => t.asset === "WETH")).to.equal(true);
    expect(buys.every((t) => t.asset === "WBTC")).to.equal(true);
    const sold = sells.reduce((a, t) => a + t.valueUsd, 0);
    const bought = buys.reduce((a, t) => a + t.valueUsd, 0);
    expect(sold).to.be.closeTo(150_000, 1e-6);
    expect(bought).to.be.closeTo(210_000, 1e-6);
    expect(sells.length).to.equal(Math.ceil(150_000 / (50_000 * 0.99)));
    // amounts, min-outs and values are consistent with the oracle and the slippage allowance (80 % of max)
    for (const t of plan.trades) {
      const price = t.asset === "WETH" ? 3000 : 60000;
      if (t.side === "sell") {
        expect(t.amountIn * price).to.be.closeTo(t.valueUsd, 1e-6);
        expect(t.minAmountOut).to.be.closeTo(t.valueUsd * (1 - 0.004), 1e-6);
      } else {
        expect(t.amountIn).to.be.closeTo(t.valueUsd, 1e-9);
        expect(t.minAmountOut * price).to.be.closeTo(t.valueUsd * (1 - 0.004), 1e-6);
      }
    }
  });

  it("no trade below the minimum size, with the reason", () => {
    const b = bounds();
    const plan = planRebalance(
      { vaultAsset: USDC },
      { exposures: { WETH: 0.3, WBTC: 0.24 + 30 / 1_000_000 } },
      b,
      { minTradeUsd: 100 },
    );
    expect(plan.trades.some((t) => t.asset === "WBTC")).to.equal(false);
    const s = plan.skipped.find((x) => x.asset === "WBTC");
    expect(s?.reason).to.match(/below minimum trade size/);
    expect(s?.desiredValueUsd).to.be.closeTo(30, 1e-6);
  });

  it("targets above a weight cap or the leverage cap are clipped with the safety margin", () => {
    const b = bounds({ maxLeverage: 1.0 });
    const plan = planRebalance({ vaultAsset: USDC }, { exposures: { WETH: 0.9, WBTC: 0.5 } }, b, {
      safetyMarginBps: 200,
    });
    expectWellFormed(plan, b, 50, 200);
    const post = plan.check.postOracleFill;
    expect(post.weights["WETH"]!).to.be.at.most(0.6 * 0.98 + 1e-12);
    expect(post.leverage).to.be.at.most(1.0 * 0.98 + 1e-12);
    expect(plan.notes.join(" ")).to.match(/clipped|scaled/);
  });

  it("during a cooldown only exposure-reducing trades are planned", () => {
    const b = bounds({ cooldownRemaining: 1200 });
    const plan = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.3, WBTC: 0.45 } },
      b,
    );
    expectWellFormed(plan, b);
    expect(plan.trades.every((t) => t.side === "sell")).to.equal(true);
    expect(plan.skipped.find((s) => s.asset === "WBTC")?.reason).to.match(/cooldown/);
  });

  it("respects turnover and loss budgets (less margin) and says so", () => {
    const b = bounds({ turnoverRemaining: 60_000 });
    const plan = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.3, WBTC: 0.45 } },
      b,
    );
    expectWellFormed(plan, b);
    expect(plan.check.postWorstCase.turnover).to.be.at.most(60_000 * 0.99 + 1e-6);
    expect(plan.skipped.some((s) => /turnover budget/.test(s.reason))).to.equal(true);
    const b2 = bounds({ lossBudgetRemaining: 200 });
    const plan2 = planRebalance(
      { vaultAsset: USDC, covariance: cov },
      { exposures: { WETH: 0.3, WBTC: 0.45 } },
      b2,
    );
    expectWellFormed(plan2, b2);
    expect(plan2.check.postWorstCase.worstCaseLoss).to.be.at.most(200 * 0.99 + 1e-9);
    expect(plan2.skipped.some((s) => /loss budget/.test(s.reason))).to.equal(true);
  });

  it("paused or unhealthy oracles: no trades", () => {
    for (const b of [bounds({ rebalancePaused: true }), bounds({ oraclesHealthy: false })]) {
      const plan = planRebalance({ vaultAsset: USDC }, { exposures: { WETH: 0.1, WBTC: 0.1 } }, b);
      expect(plan.trades).to.deep.equal([]);
      expect(plan.notes[0]).to.match(/paused|unhealthy/);
    }
  });

  it("a breached weight cap is reduced even when the RC drift is inside the band", () => {
    const assets = [
      {
        token: "WETH",
        decimals: 18,
        price: 3000,
        balance: 220,
        value: 660_000,
        netExposure: 660_000,
        maxWeightBps: 6000,
      },
      {
        token: "WBTC",
        decimals: 8,
        price: 60000,
        balance: 5,
        value: 300_000,
        netExposure: 300_000,
        maxWeightBps: 6000,
      },
    ];
    const b = bounds({ assets, idle: 40_000 });
    const plan = planRebalance({ vaultAsset: USDC }, { exposures: { WETH: 0.66, WBTC: 0.3 } }, b, {
      weightBand: 0.5,
      exposureBand: 1,
    });
    expectWellFormed(plan, b);
    expect(plan.notes.join(" ")).to.match(/cap breach/);
    expect(plan.trades.length).to.be.greaterThan(0);
    expect(plan.trades[0]!.side).to.equal("sell");
  });

  it("rejects targets for unknown tokens and invalid bounds", () => {
    expect(() => planRebalance({ vaultAsset: USDC }, { exposures: { DOGE: 0.1 } }, bounds())).to.throw(
      /not a vault risk asset/,
    );
    expect(() => planRebalance({ vaultAsset: USDC }, { exposures: { WETH: -0.1 } }, bounds())).to.throw(
      />= 0/,
    );
    expect(() =>
      planRebalance({ vaultAsset: USDC }, { exposures: {} }, bounds({ maxTradeValue: -1 })),
    ).to.throw(/maxTradeValue/);
  });
});

describe("vault model", () => {
  const b = bounds();
  const sell = (usd: number, minOutFactor = 0.996): PlannedTrade => ({
    tokenIn: "WETH",
    tokenOut: USDC,
    amountIn: usd / 3000,
    minAmountOut: usd * minOutFactor,
    valueUsd: usd,
    asset: "WETH",
    side: "sell",
    reason: "test",
  });
  const buy = (usd: number, token = "WBTC", price = 60000): PlannedTrade => ({
    tokenIn: USDC,
    tokenOut: token,
    amountIn: usd,
    minAmountOut: (usd / price) * 0.996,
    valueUsd: usd,
    asset: token,
    side: "buy",
    reason: "test",
  });
  const codes = (trades: PlannedTrade[], over: Partial<RebalanceBoundsF> = {}): string[] =>
    checkRebalance({ ...b, ...over }, trades, USDC).violations.map((v) => v.code);

  it("accepts a plain valid plan and an empty plan", () => {
    expect(codes([sell(40_000), buy(40_000)])).to.deep.equal([]);
    expect(codes([], { rebalancePaused: true })).to.deep.equal([]);
  });
  it("flags each rule", () => {
    expect(codes([sell(10_000)], { rebalancePaused: true })).to.include("PAUSED");
    expect(codes([sell(10_000)], { oraclesHealthy: false })).to.include("ORACLES_UNHEALTHY");
    expect(codes([{ ...sell(10_000), tokenOut: "WBTC" }])).to.include("BAD_TRADE");
    expect(codes([{ ...buy(10_000), tokenOut: "DOGE" }])).to.include("UNKNOWN_TOKEN");
    expect(codes([sell(60_000)])).to.include("TRADE_CAP");
    expect(codes([sell(10_000, 0.99)])).to.include("MIN_OUT");
    expect(
      codes([
        buy(40_000),
        buy(40_000),
        buy(40_000),
        buy(40_000),
        buy(40_000),
        buy(40_000),
        buy(40_000),
        buy(40_000),
      ]),
    ).to.include("BALANCE");
    expect(codes([sell(40_000), sell(40_000)], { turnoverRemaining: 50_000 })).to.include("TURNOVER");
    expect(codes([sell(40_000), sell(40_000)], { lossBudgetRemaining: 100 })).to.include("LOSS");
    // WBTC to 0.6+ of value
    expect(
      codes([
        sell(50_000),
        sell(50_000),
        sell(50_000),
        buy(50_000),
        buy(50_000),
        buy(50_000),
        buy(50_000),
        buy(50_000),
        buy(50_000),
        buy(50_000),
        buy(50_000),
      ]),
    ).to.include("WEIGHT");
    expect(codes([buy(50_000), buy(50_000)], { maxLeverage: 0.75 })).to.include("LEVERAGE");
    expect(codes([buy(10_000)], { cooldownRemaining: 10 })).to.include("COOLDOWN");
    expect(codes([sell(10_000)], { cooldownRemaining: 10 })).to.deep.equal([]);
  });
  it("reducing trades stay allowed above a cap (leverage already above max)", () => {
    expect(codes([sell(40_000)], { maxLeverage: 0.5 })).to.deep.equal([]);
    expect(codes([buy(10_000)], { maxLeverage: 0.5 })).to.include("LEVERAGE");
  });
});

describe("planRebalance: property — every plan passes the vault model", () => {
  const assetArb = (token: string) =>
    fc.record({
      token: fc.constant(token),
      decimals: fc.constant(18),
      price: fc.double({ min: 0.01, max: 100_000, noNaN: true }),
      units: fc.double({ min: 0, max: 1, noNaN: true }), // fraction of value, scaled below
      adapter: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
      maxWeightBps: fc.integer({ min: 500, max: 10_000 }),
    });
  const arb = fc.record({
    assets: fc.tuple(assetArb("A"), assetArb("B"), assetArb("C"), assetArb("D"), assetArb("E")),
    nAssets: fc.integer({ min: 1, max: 5 }),
    total: fc.double({ min: 1_000, max: 1e8, noNaN: true }),
    idleFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    maxLeverage: fc.double({ min: 0.2, max: 3, noNaN: true }),
    maxTradeFrac: fc.double({ min: 0.005, max: 0.5, noNaN: true }),
    maxSlippageBps: fc.integer({ min: 0, max: 300 }),
    cooldown: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3600 }) },
    ),
    // mostly realistic budgets, sometimes exhausted ones
    lossFrac: fc.oneof(
      { weight: 5, arbitrary: fc.double({ min: 1e-4, max: 0.01, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
    turnoverFrac: fc.oneof(
      { weight: 5, arbitrary: fc.double({ min: 0.05, max: 3, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
    targets: fc.array(fc.double({ min: 0, max: 1.2, noNaN: true }), { minLength: 5, maxLength: 5 }),
    marginBps: fc.integer({ min: 0, max: 500 }),
    minTradeFrac: fc.double({ min: 0, max: 0.002, noNaN: true }),
    useCov: fc.boolean(),
    rcBand: fc.double({ min: 0, max: 0.2, noNaN: true }),
  });
  it("random states, targets and bounds", () => {
    const stats = { runs: 0, nonEmpty: 0, dropped: 0 };
    fc.assert(
      fc.property(arb, (g) => {
        const chosen = g.assets.slice(0, g.nAssets);
        const idle = g.total * g.idleFrac;
        const riskValue = g.total - idle;
        const sumU = chosen.reduce((a, x) => a + x.units, 0) || 1;
        const assets = chosen.map((x) => {
          const value = (riskValue * x.units) / sumU;
          return {
            token: x.token,
            decimals: x.decimals,
            price: x.price,
            balance: value / x.price,
            value,
            netExposure: value + x.adapter * g.total,
            maxWeightBps: x.maxWeightBps,
          };
        });
        const total = idle + assets.reduce((a, x) => a + x.value, 0);
        const b: RebalanceBoundsF = {
          nonce: 1,
          rebalancePaused: false,
          oraclesHealthy: true,
          totalValue: total,
          idle,
          leverage: assets.reduce((a, x) => a + Math.abs(x.netExposure), 0) / total,
          targetLeverage: g.maxLeverage * 0.8,
          maxLeverage: g.maxLeverage,
          ripcordLeverage: g.maxLeverage * 1.3,
          maxTradeValue: g.maxTradeFrac * total,
          maxSlippageBps: g.maxSlippageBps,
          minRebalanceInterval: 600,
          cooldownRemaining: g.cooldown,
          maxLossPerRebalance: g.lossFrac * total,
          lossBudgetRemaining: g.lossFrac * total * 0.7,
          turnoverRemaining: g.turnoverFrac * total,
          assets,
        };
        const exposures: Record<string, number> = {};
        assets.forEach((a, i) => (exposures[a.token] = g.targets[i]!));
        const n = assets.length;
        const matrix = Array.from({ length: n }, (_, i) =>
          Array.from({ length: n }, (__, j) => (i === j ? 0.3 + 0.1 * i : 0.1)),
        );
        const state = g.useCov
          ? { vaultAsset: USDC, covariance: { tokens: assets.map((a) => a.token), matrix } }
          : { vaultAsset: USDC };
        const minTrade = g.minTradeFrac * total;
        const plan = planRebalance(state, { exposures }, b, {
          safetyMarginBps: g.marginBps,
          minTradeUsd: minTrade,
          rcBand: g.rcBand,
        });
        stats.runs++;
        if (plan.trades.length > 0) stats.nonEmpty++;
        if (plan.skipped.some((s) => s.reason.startsWith("dropped"))) stats.dropped++;
        expect(plan.check.ok, JSON.stringify(plan.check.violations)).to.equal(true);
        expect(checkRebalance(b, plan.trades, USDC).ok).to.equal(true);
        expect(checkRebalance(b, plan.trades, USDC, { marginBps: g.marginBps }).ok).to.equal(true);
        // accounting: for every asset, what is traded plus what is skipped (with a reason) is
        // exactly the desired change towards the effective target
        for (const a of assets) {
          const traded = plan.trades
            .filter((t) => t.asset === a.token)
            .reduce((acc, t) => acc + (t.side === "buy" ? t.valueUsd : -t.valueUsd), 0);
          const skippedUsd = plan.skipped
            .filter((x) => x.asset === a.token)
            .reduce((acc, x) => acc + x.desiredValueUsd, 0);
          const want = plan.desiredValueUsd[a.token]!;
          expect(traded + skippedUsd).to.be.closeTo(want, 1e-9 * total + 1e-9);
          const t = plan.effectiveTargets[a.token]!;
          expect(t).to.be.at.most((a.maxWeightBps / 1e4) * (1 - g.marginBps / 1e4) + 1e-15);
          expect(want).to.be.closeTo((t - a.netExposure / total) * total, 1e-9 * total);
        }
        let seenBuy = false;
        for (const t of plan.trades) {
          expect(t.valueUsd).to.be.at.most(b.maxTradeValue * (1 + 1e-12));
          expect(t.valueUsd * (1 + 1e-12)).to.be.at.least(
            Math.min(minTrade, b.maxTradeValue * (1 - g.marginBps / 1e4)) / 2,
          );
          expect(t.reason).to.be.a("string").and.not.equal("");
          if (t.side === "buy") seenBuy = true;
          else expect(seenBuy).to.equal(false);
          if (g.cooldown > 0) expect(t.side).to.equal("sell");
        }
      }),
      { numRuns: 300, seed: 2026 },
    );
    // the generator must exercise real plans, not only empty ones
    expect(stats.nonEmpty).to.be.greaterThan(stats.runs / 3);
    if (process.env["PLANNER_STATS"]) console.log(stats);
  });
});

describe("vault model: property — the margin only tightens", () => {
  it("a random plan accepted with a margin is accepted without it", () => {
    const tradeArb = fc.record({
      buy: fc.boolean(),
      asset: fc.integer({ min: 0, max: 1 }),
      frac: fc.double({ min: 1e-6, max: 0.08, noNaN: true }),
      slip: fc.double({ min: 0, max: 0.01, noNaN: true }),
    });
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(tradeArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (ts, marginBps, cooldown) => {
          const b = bounds({ cooldownRemaining: cooldown ? 100 : 0, maxLeverage: 1.2 });
          const trades: PlannedTrade[] = ts.map((t) => {
            const a = b.assets[t.asset]!;
            const usd = t.frac * b.totalValue;
            return t.buy
              ? {
                  tokenIn: USDC,
                  tokenOut: a.token,
                  amountIn: usd,
                  minAmountOut: (usd / a.price) * (1 - t.slip),
                  valueUsd: usd,
                  asset: a.token,
                  side: "buy",
                  reason: "random",
                }
              : {
                  tokenIn: a.token,
                  tokenOut: USDC,
                  amountIn: usd / a.price,
                  minAmountOut: usd * (1 - t.slip),
                  valueUsd: usd,
                  asset: a.token,
                  side: "sell",
                  reason: "random",
                };
          });
          const tight = checkRebalance(b, trades, USDC, { marginBps });
          const plain = checkRebalance(b, trades, USDC);
          if (tight.ok) {
            accepted++;
            expect(plain.ok).to.equal(true);
          }
          // and every plain violation is also a tightened violation
          const tightCodes = new Set(tight.violations.map((v) => v.code));
          for (const v of plain.violations) expect(tightCodes.has(v.code)).to.equal(true);
        },
      ),
      { numRuns: 400, seed: 11 },
    );
    expect(accepted).to.be.greaterThan(20);
  });
});
