/**
 * The delta hedge inside the keeper's rebalance: the default planner (keeper/shell/strategy.ts,
 * pure) runs planDeltaHedge on the option book and, when an underlying's net delta (spot +
 * options) is off its risk-parity target by more than the band, puts that underlying's spot trade
 * into the same rebalance plan, even while the planner's own no-trade band holds.
 */
import { expect } from "chai";
import { blackScholes, type Position } from "../../../keeper/options/index.ts";
import type { RebalanceBoundsF } from "../../../keeper/planner/types.ts";
import type { PlanInput, PriceHistory } from "../../../keeper/shell/ports.ts";
import { createPlanner } from "../../../keeper/shell/strategy.ts";
import { looseBounds } from "./yieldInput.ts";

const PRICE = { A: 100, B: 50 };
const VOL = { A: 0.6, B: 0.6 };
const V = 1_000_000;

/** 60 days of a deterministic two-asset path (moderate correlation). */
function history(): PriceHistory {
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648 - 0.5;
  };
  const days = Array.from({ length: 61 }, (_, i) => 20_000 + i);
  const a = new Float64Array(61);
  const b = new Float64Array(61);
  let pa = PRICE.A;
  let pb = PRICE.B;
  for (let i = 60; i >= 0; i--) {
    a[i] = pa;
    b[i] = pb;
    const common = rnd();
    pa /= Math.exp(0.05 * (common + rnd()));
    pb /= Math.exp(0.05 * (common + rnd()));
  }
  return {
    days,
    prices: new Map([
      ["A", a],
      ["B", b],
    ]),
  };
}

function bounds(valueA: number, valueB: number, optionDeltaUsdA = 0): RebalanceBoundsF {
  return looseBounds(V, [
    {
      token: "A",
      decimals: 18,
      price: PRICE.A,
      balance: valueA / PRICE.A,
      value: valueA,
      netExposure: valueA + optionDeltaUsdA,
      maxWeightBps: 9_000,
    },
    {
      token: "B",
      decimals: 18,
      price: PRICE.B,
      balance: valueB / PRICE.B,
      value: valueB,
      netExposure: valueB,
      maxWeightBps: 9_000,
    },
  ]);
}

const planner = createPlanner({
  volTarget: 0.3,
  lookbackDays: 60,
  halfLifeDays: 30,
  margin: 0.9,
  minTradeValue: 10,
  slippageBps: 30,
});

function put(quantity: number, strike = 85): Position {
  return { kind: "option", underlying: "A", type: "put", strike, timeToExpiry: 30 / 365, quantity };
}
/** Independent put delta (Black-Scholes, rate 0). */
function putDelta(p: Position): number {
  if (p.kind !== "option") throw new Error("option expected");
  return (
    p.quantity *
    blackScholes({
      spot: PRICE.A,
      strike: p.strike,
      timeToExpiry: p.timeToExpiry,
      volatility: VOL.A,
      rate: 0,
      carry: 0,
      type: "put",
    }).delta
  );
}

describe("delta hedge in the rebalance plan (createPlanner + planDeltaHedge)", () => {
  const h = history();
  const input = (b: RebalanceBoundsF, hedge?: PlanInput["hedge"]): PlanInput => ({
    bounds: b,
    history: h,
    vaultAsset: "USD",
    now: 20_060 * 86_400,
    ...(hedge ? { hedge } : {}),
  });
  // holdings exactly on the risk-parity targets
  const targets = planner(input(bounds(0, 0))).targetWeights;
  const vA = targets.A! * V;
  const vB = targets.B! * V;
  const market = { A: { spot: PRICE.A, volatility: VOL.A }, B: { spot: PRICE.B, volatility: VOL.B } };

  it("the holdings on target: no trade", () => {
    expect(vA).to.be.greaterThan(10_000);
    expect(planner(input(bounds(vA, vB))).trades).to.deep.equal([]);
  });

  it("puts move A's net delta 3 % under target: inside the planner's band, outside a 2 % hedge band -> one buy of A", () => {
    // put quantity such that the option delta is -3 % of A's target exposure
    const unit = putDelta(put(1));
    const q = (-0.03 * (vA / PRICE.A)) / unit;
    const options = [put(q)];
    const optDeltaUnits = putDelta(options[0]!);
    const b = bounds(vA, vB, optDeltaUnits * PRICE.A);
    // without the hedge check the planner's own band holds: nothing to trade
    const plain = planner(input(b));
    expect(plain.trades, plain.notes.join("; ")).to.deep.equal([]);
    expect(plain.notes.join(" ")).to.match(/inside no-trade band/);

    const hedged = planner(
      input(b, { underlyings: ["A", "B"], options, market, config: { hedgeBandFraction: 0.02 } }),
    );
    const lineA = hedged.hedge!.find((l) => l.underlying === "A")!;
    expect(lineA.netDelta).to.be.closeTo(vA / PRICE.A + optDeltaUnits, 1e-9);
    expect(lineA.reason).to.equal("REHEDGE");
    expect(hedged.hedge!.find((l) => l.underlying === "B")!.reason).to.equal("IN_BAND");
    expect(hedged.trades).to.have.length(1);
    const t = hedged.trades[0]!;
    expect([t.asset, t.side]).to.deep.equal(["A", "buy"]);
    // the buy puts the net exposure back on the target: -optionDelta x price (the planner trades
    // to its margin-clipped target, here unclipped)
    expect(t.valueUsd).to.be.closeTo(-optDeltaUnits * PRICE.A, 1e-6 * V);
    expect(t.reason).to.match(/delta hedge inside the no-trade band/);
    expect(
      hedged.skipped.some((s) => s.asset === "B" && /only the delta hedge trades/.test(s.reason)),
    ).to.equal(true);
  });

  it("inside the hedge band (5 %): no trade; the hedge line says so", () => {
    const unit = putDelta(put(1));
    const options = [put((-0.03 * (vA / PRICE.A)) / unit)];
    const b = bounds(vA, vB, putDelta(options[0]!) * PRICE.A);
    const plan = planner(input(b, { underlyings: ["A", "B"], options, market }));
    expect(plan.trades).to.deep.equal([]);
    expect(plan.hedge!.map((l) => l.reason)).to.deep.equal(["IN_BAND", "IN_BAND"]);
  });

  it("the hedge trade obeys the same limits (cooldown: no risk-increasing buy)", () => {
    const unit = putDelta(put(1));
    const options = [put((-0.03 * (vA / PRICE.A)) / unit)];
    const b = { ...bounds(vA, vB, putDelta(options[0]!) * PRICE.A), cooldownRemaining: 600 };
    const plan = planner(
      input(b, { underlyings: ["A", "B"], options, market, config: { hedgeBandFraction: 0.02 } }),
    );
    expect(plan.trades).to.deep.equal([]);
    expect(plan.skipped.some((s) => s.asset === "A" && /cooldown/.test(s.reason))).to.equal(true);
  });
});
