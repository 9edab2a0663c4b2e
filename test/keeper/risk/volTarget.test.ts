import { expect } from "chai";
import {
  InsufficientHistoryError,
  InvalidOptionError,
  volatilityTargetScale,
} from "../../../keeper/risk/index.ts";
import { covFromVolCorr } from "./helpers.ts";

describe("volatilityTargetScale", () => {
  const S = covFromVolCorr(
    [0.6, 0.8],
    [
      [1, 0.5],
      [0.5, 1],
    ],
  );
  const w = [0.5, 0.5];
  const exAnte = Math.sqrt(0.25 * 0.36 + 0.25 * 0.64 + 2 * 0.25 * 0.5 * 0.6 * 0.8); // w'Sw

  it("ex-ante: scale = target / sqrt(w' S w) when below max leverage", () => {
    const r = volatilityTargetScale({
      weights: w,
      targetVolatility: 0.3,
      maxLeverage: 3,
      forecast: { kind: "ex-ante", covariance: S },
    });
    expect(r.forecastVolatility).to.be.closeTo(exAnte, 1e-15);
    expect(r.scale).to.be.closeTo(0.3 / exAnte, 1e-14);
    expect(r.binding).to.equal("target");
    expect(r.scaledVolatility).to.be.closeTo(0.3, 1e-14);
  });
  it("caps by max leverage and by the risky-exposure cap", () => {
    const lev = volatilityTargetScale({
      weights: w,
      targetVolatility: 5,
      maxLeverage: 1.5,
      forecast: { kind: "ex-ante", covariance: S },
    });
    expect(lev.scale).to.equal(1.5);
    expect(lev.binding).to.equal("leverage");
    const cap = volatilityTargetScale({
      weights: w,
      targetVolatility: 5,
      maxLeverage: 3,
      maxRiskyExposure: 0.8,
      forecast: { kind: "ex-ante", covariance: S },
    });
    expect(cap.scale).to.be.closeTo(0.8, 1e-15);
    expect(cap.grossExposure).to.be.closeTo(0.8, 1e-15);
    expect(cap.binding).to.equal("exposure");
  });
  it("ex-post: EWMA of the current weights' historical portfolio returns, annualised", () => {
    const rows: number[][] = [];
    for (let t = 0; t < 200; t++) rows.push([0.02 * Math.sin(t), 0.03 * Math.cos(1.7 * t)]);
    rows[50] = [NaN, 0.01]; // a missing period is skipped, not zero-filled
    const hl = 30;
    const lambda = Math.pow(0.5, 1 / hl);
    let num = 0;
    let den = 0;
    rows.forEach((r, t) => {
      if (Number.isNaN(r[0]!)) return;
      const p = 0.5 * r[0]! + 0.5 * r[1]!;
      const wt = Math.pow(lambda, rows.length - 1 - t);
      num += wt * p * p;
      den += wt;
    });
    const expected = Math.sqrt((num / den) * 365);
    const res = volatilityTargetScale({
      weights: w,
      targetVolatility: 0.2,
      maxLeverage: 10,
      forecast: { kind: "ex-post", returns: rows, halfLife: hl },
    });
    expect(res.forecastVolatility).to.be.closeTo(expected, 1e-12);
    expect(res.scale).to.be.closeTo(0.2 / expected, 1e-10);
    const r252 = volatilityTargetScale({
      weights: w,
      targetVolatility: 0.2,
      maxLeverage: 10,
      forecast: { kind: "ex-post", returns: rows, halfLife: hl, annualization: 252 },
    });
    expect(r252.forecastVolatility).to.be.closeTo(expected * Math.sqrt(252 / 365), 1e-12);
  });
  it("validates inputs", () => {
    expect(() =>
      volatilityTargetScale({
        weights: w,
        targetVolatility: 0,
        maxLeverage: 1,
        forecast: { kind: "ex-ante", covariance: S },
      }),
    ).to.throw(InvalidOptionError);
    expect(() =>
      volatilityTargetScale({
        weights: w,
        targetVolatility: 0.2,
        maxLeverage: -1,
        forecast: { kind: "ex-ante", covariance: S },
      }),
    ).to.throw(InvalidOptionError);
    expect(() =>
      volatilityTargetScale({
        weights: w,
        targetVolatility: 0.2,
        maxLeverage: 1,
        forecast: { kind: "ex-post", returns: [[0.01, 0.02]], halfLife: 10 },
      }),
    ).to.throw(InsufficientHistoryError);
    expect(() =>
      volatilityTargetScale({
        weights: w,
        targetVolatility: 0.2,
        maxLeverage: 1,
        forecast: {
          kind: "ex-post",
          returns: [
            [0.01, 0.02],
            [0.0, 0.01],
          ],
          halfLife: 10,
          annualization: 300,
        },
      }),
    ).to.throw(InvalidOptionError);
  });
});
