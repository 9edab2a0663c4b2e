import { readFileSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import { createPlanner } from "../../../keeper/shell/strategy.ts";
import {
  combineYieldTargets,
  extendCovariance,
  REDEEM_SAFETY,
  yieldLegTarget,
  type YieldLegParams,
} from "../../../keeper/strategy/yieldLeg.ts";
import type { AssetStateF } from "../../../keeper/planner/types.ts";
import { planInput, RISK, SHARE, STRATEGY } from "./yieldInput.ts";

const BASELINE = new URL("./fixtures/planner-baseline.json", import.meta.url);

function shareAsset(value: number, maxWeightBps = 3000): AssetStateF {
  return { token: SHARE, decimals: 12, price: 1, balance: value, value, netExposure: value, maxWeightBps };
}

describe("keeper/strategy yield leg", () => {
  describe("off by default", () => {
    it("without a yield leg the planner's output is byte-identical to the recorded baseline", () => {
      // planner-baseline.json was written by the planner before the yield leg existed.
      const baseline = readFileSync(BASELINE, "utf8");
      const disabled = { token: SHARE, targetWeightBps: 0, maxWeightBps: 0 }; // config enabled: false
      for (const p of [createPlanner(STRATEGY), createPlanner({ ...STRATEGY, yieldLeg: disabled })]) {
        const out = {
          cash: p(planInput()),
          held: p(planInput({ held: [200_000, 150_000, 100_000] })),
        };
        expect(JSON.stringify(out, null, 1) + "\n").to.equal(baseline);
      }
    });
  });

  describe("yieldLegTarget", () => {
    const leg: YieldLegParams = { token: SHARE, targetWeightBps: 2000, maxWeightBps: 2500 };

    it("is the configured weight when no cap binds", () => {
      const t = yieldLegTarget(leg, shareAsset(0), 1e6, 0.9);
      expect(t.weight).to.equal(0.2);
    });

    it("is capped by the keeper's cap and by the on-chain max weight less the margin", () => {
      expect(yieldLegTarget({ ...leg, targetWeightBps: 4000 }, shareAsset(0), 1e6, 0.9).weight).to.equal(
        0.25,
      );
      const onChain = yieldLegTarget(leg, shareAsset(0, 1500), 1e6, 0.9);
      expect(onChain.weight).to.be.closeTo(0.135, 1e-12);
      expect(onChain.notes.join(" ")).to.contain("capped");
    });

    it("is raised to the weight the pool cannot redeem now", () => {
      // Holds 30%, wants 20%, the pool redeems only $40k of $1M: at least 26% stays.
      const t = yieldLegTarget(leg, shareAsset(300_000, 5000), 1e6, 0.9, 40_000);
      expect(t.weight).to.be.closeTo(0.3 - (40_000 * REDEEM_SAFETY) / 1e6, 1e-12);
      expect(t.notes.join(" ")).to.contain("collateral locked");
      // Enough redeemable: the configured weight.
      expect(yieldLegTarget(leg, shareAsset(300_000, 5000), 1e6, 0.9, 200_000).weight).to.equal(0.2);
    });

    it("rejects out-of-range weights", () => {
      expect(() => yieldLegTarget({ ...leg, targetWeightBps: 10_000 }, shareAsset(0), 1e6, 0.9)).to.throw(
        RangeError,
      );
      expect(() => yieldLegTarget({ ...leg, maxWeightBps: -1 }, shareAsset(0), 1e6, 0.9)).to.throw(
        RangeError,
      );
    });

    it("property: weight in [0, 1), within every cap unless the redeemable floor binds", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 10_000 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0.01, max: 1, noNaN: true }),
          fc.option(fc.double({ min: 0, max: 2e6, noNaN: true })),
          (target, cap, onChain, held, margin, redeemable) => {
            const V = 1e6;
            const a = shareAsset(held * V, onChain);
            const t = yieldLegTarget(
              { token: SHARE, targetWeightBps: target, maxWeightBps: cap },
              a,
              V,
              margin,
              redeemable ?? undefined,
            );
            expect(t.weight >= 0 && t.weight < 1).to.equal(true);
            const capped = Math.min(target / 1e4, cap / 1e4, (onChain / 1e4) * margin);
            const floor = redeemable === null ? -Infinity : held - (redeemable * REDEEM_SAFETY) / V;
            expect(t.weight).to.be.closeTo(Math.min(0.9999, Math.max(capped, floor, 0)), 1e-12);
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe("combineYieldTargets / extendCovariance", () => {
    it("property: risk exposures scale by (1 - w), the share gets w", () => {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 6 }),
          fc.double({ min: 0, max: 0.99, noNaN: true }),
          (xs, w) => {
            const risk: Record<string, number> = {};
            xs.forEach((x, i) => (risk[`t${i}`] = x));
            const out = combineYieldTargets(risk, SHARE, w);
            expect(out[SHARE]).to.equal(w);
            xs.forEach((x, i) => expect(out[`t${i}`]).to.be.closeTo(x * (1 - w), 1e-15));
          },
        ),
      );
      expect(() => combineYieldTargets({}, SHARE, 1)).to.throw(RangeError);
    });

    it("adds the share with zero variance and covariance", () => {
      const c = extendCovariance(["a", "b"], Float64Array.from([1, 2, 2, 5]), SHARE);
      expect(c.tokens).to.deep.equal(["a", "b", SHARE]);
      expect(Array.from(c.matrix.data)).to.deep.equal([1, 2, 0, 2, 5, 0, 0, 0, 0]);
    });
  });

  describe("planner with the leg enabled", () => {
    const yieldLeg: YieldLegParams = { token: SHARE, targetWeightBps: 2000, maxWeightBps: 2500 };

    it("targets the fixed share weight and scales the risk-parity weights by (1 - w)", () => {
      const off = createPlanner(STRATEGY)(planInput());
      const plan = createPlanner({ ...STRATEGY, yieldLeg })(
        planInput({ share: { value: 0, maxWeightBps: 3000 } }),
      );
      expect(plan.targetWeights[SHARE]).to.equal(0.2);
      for (const t of RISK) expect(plan.targetWeights[t]).to.be.closeTo(off.targetWeights[t]! * 0.8, 1e-12);
      // The share is bought with cash (one trade, against the vault asset), worth ~20% of value.
      const buys = plan.trades.filter((t) => t.asset === SHARE);
      expect(buys.every((t) => t.side === "buy")).to.equal(true);
      const bought = buys.reduce((s, t) => s + t.valueUsd, 0);
      expect(bought).to.be.closeTo(200_000, 1);
      // The risk contributions are those of the risk assets only.
      expect(Object.keys(plan.riskContributions)).to.not.include(SHARE);
    });

    it("never plans to sell more of the share than the pool can redeem", () => {
      const input = planInput({
        share: { value: 300_000, maxWeightBps: 3000 },
        held: [100_000, 80_000, 50_000],
      });
      const plan = createPlanner({ ...STRATEGY, yieldLeg: { ...yieldLeg, targetWeightBps: 500 } })({
        ...input,
        yieldRedeemableUsd: 60_000,
      });
      const sold = plan.trades
        .filter((t) => t.asset === SHARE && t.side === "sell")
        .reduce((s, t) => s + t.valueUsd, 0);
      expect(sold).to.be.gt(0);
      expect(sold).to.be.lte(60_000 + 1e-6);
      expect(plan.notes.join(" ")).to.contain("collateral locked");
    });

    it("does not force a sell above the redeemable amount when the share sits at its on-chain cap", () => {
      const input = planInput({
        share: { value: 300_000, maxWeightBps: 3000 },
        held: [100_000, 80_000, 50_000],
      });
      const plan = createPlanner({ ...STRATEGY, yieldLeg: { ...yieldLeg, maxWeightBps: 9000 } })({
        ...input,
        yieldRedeemableUsd: 5_000,
      });
      const sold = plan.trades
        .filter((t) => t.asset === SHARE && t.side === "sell")
        .reduce((s, t) => s + t.valueUsd, 0);
      expect(sold).to.be.lte(5_000 + 1e-6);
      expect(plan.targetWeights[SHARE]).to.be.closeTo(0.3 - (5_000 * REDEEM_SAFETY) / 1e6, 1e-9);
    });

    it("disabled (weight 0) with the share held: kept out of the solve and unwound", () => {
      const off = createPlanner(STRATEGY)(planInput());
      const plan = createPlanner({
        ...STRATEGY,
        yieldLeg: { token: SHARE, targetWeightBps: 0, maxWeightBps: 0 },
      })(planInput({ share: { value: 100_000, maxWeightBps: 3000 } }));
      expect(plan.targetWeights[SHARE]).to.equal(0);
      for (const t of RISK) expect(plan.targetWeights[t]).to.be.closeTo(off.targetWeights[t]!, 1e-12);
      const sold = plan.trades
        .filter((t) => t.asset === SHARE && t.side === "sell")
        .reduce((s, t) => s + t.valueUsd, 0);
      expect(sold).to.be.closeTo(100_000, 1);
    });

    it("skips the leg with a note when the share is not a vault asset", () => {
      const off = createPlanner(STRATEGY)(planInput());
      const plan = createPlanner({ ...STRATEGY, yieldLeg })(planInput());
      expect(plan.targetWeights).to.deep.equal(off.targetWeights);
      expect(plan.notes.join(" ")).to.contain("not a vault asset");
    });
  });
});
