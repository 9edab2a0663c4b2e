/**
 * Reproduces every row of two real Deribit BTC option chains (exchange marks and Greeks) with the
 * keeper's inverse-option math, and reports the maximum error per field.
 *
 * Tolerances (see docs/options.md):
 * - price in coin: within one tick of the file's era (2020 chain: every quote sits on a 0.0005 grid;
 *   2026 chain: tick_size column 0.0001, mark_price rounded to 0.0001);
 * - delta: 1e-4 absolute; gamma: half a unit of the last digit the file carries (5e-6) plus 1e-3
 *   relative (the exchange's unrounded gamma differs from Black-76 at the 1e-4 relative level, like vega);
 * - vega, theta: 1e-3 relative, or half a unit of the last printed digit (5e-6) for tiny values.
 * - rho (2020 file only; Deribit's rho treats the forward as spot, see exchangeRho): the same, plus
 *   for sub-day expiries the rho change of a 60-second shift in time to expiry (the exchange's rho
 *   for the 8.6-hour expiry implies times up to +-32 s away from the row timestamp, both signs).
 * Theta follows Deribit's convention (exchangeTheta): lifetime theta under one day, floored at minus
 * the option's own mark price in USD.
 * A row that fails a primary check is accepted only if it is a sub-day expiry AND one volatility
 * within 0.1 vol points of the printed mark_iv reproduces ALL of that row's exchange numbers within
 * the same tolerances (the exchange computed those Greeks from a marginally different mark than the
 * one printed, two decimals); such rows are counted and listed in the output.
 */
import { expect } from "chai";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadDeribitOptionsCsv, type DeribitOptionRow } from "../../../keeper/shell/data/deribit.ts";
import {
  exchangeRho,
  exchangeTheta,
  inverseOption,
  type InverseGreeks,
} from "../../../keeper/options/index.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.resolve(here, "../../../../shared/data/options");
const SNAPSHOT_2026_MS = 1772372940000; // from docs: exchange vegas put the snapshot here (+-30 s)

interface FileCase {
  file: string;
  tick: number;
  /** Decimal resolution of mark_price in the file (coin). */
  markQuantum: number;
  snapshotTimeMs?: number;
}
const FILES: FileCase[] = [
  { file: "deribit-btc-options-2020-05-21.csv", tick: 0.0005, markQuantum: 1e-8 },
  {
    file: "deribit-btc-options-2026-03-01.csv",
    tick: 0.0001,
    markQuantum: 1e-4,
    snapshotTimeMs: SNAPSHOT_2026_MS,
  },
];

const QUANT = 0.5e-5; // half a unit in the 5th decimal, the precision the files carry

function yearsToExpiry(r: DeribitOptionRow): number {
  return (r.expirationMs - r.timestampMs) / 1000 / (365 * 86400);
}

function model(r: DeribitOptionRow, vol: number): InverseGreeks {
  return inverseOption({
    forward: r.underlyingPrice,
    strike: r.strike,
    timeToExpiry: yearsToExpiry(r),
    volatility: vol,
    type: r.type,
    rate: r.interestRate,
  });
}

interface Errors {
  priceTicks: number;
  delta: number;
  gamma: number;
  vega: number; // in units of the tolerance
  theta: number; // in units of the tolerance
}

/**
 * The exchange floors theta at minus its own mark price (USD), so the floor uses the row's mark; when
 * the floor binds, the tolerance also includes the rounding of mark_price as printed (half a unit of
 * its last decimal, times the forward).
 */
function thetaError(r: DeribitOptionRow, g: InverseGreeks, fc: FileCase): number {
  const T = yearsToExpiry(r);
  const markUsd = r.markPrice * r.underlyingPrice;
  const theta = exchangeTheta(g.theta, T, markUsd);
  const floored = theta === -markUsd;
  const tol =
    Math.max(1e-3 * Math.abs(r.greeks.theta), QUANT) +
    (floored ? 0.5 * fc.markQuantum * r.underlyingPrice : 0);
  return Math.abs(theta - r.greeks.theta) / tol;
}

function errorsOf(r: DeribitOptionRow, g: InverseGreeks, fc: FileCase): Errors {
  const tick = fc.tick;
  const relTol = (x: number) => Math.max(1e-3 * Math.abs(x), QUANT);
  return {
    priceTicks: Math.abs(g.priceCoin - r.markPrice) / tick,
    delta: Math.abs(g.delta - r.greeks.delta),
    // gamma: in units of (file rounding 5e-6 + 1e-3 relative)
    gamma: Math.abs(g.gamma - r.greeks.gamma) / (QUANT + 1e-3 * Math.abs(r.greeks.gamma)),
    vega: Math.abs(g.vega - r.greeks.vega) / relTol(r.greeks.vega),
    theta: thetaError(r, g, fc),
  };
}

function passes(e: Errors): boolean {
  return e.priceTicks <= 1 && e.delta <= 1e-4 && e.gamma <= 1 && e.vega <= 1 && e.theta <= 1;
}

/**
 * Best single volatility within +-0.1 vol points of mark_iv (grid step 0.0005 points) for all of a
 * row's checks, or undefined if none passes.
 */
function consistentVol(r: DeribitOptionRow, fc: FileCase): number | undefined {
  let best: { v: number; score: number } | undefined;
  for (let i = -200; i <= 200; i++) {
    const v = (r.markIv + i * 0.0005) / 100;
    const e = errorsOf(r, model(r, v), fc);
    const score = Math.max(e.priceTicks, e.delta / 1e-4, e.gamma, e.vega, e.theta);
    if (best === undefined || score < best.score) best = { v, score };
  }
  return best !== undefined && best.score <= 1 ? best.v : undefined;
}

describe("Deribit chains: every row reproduced", function () {
  this.timeout(20000);
  for (const fc of FILES) {
    it(`${fc.file}: price to one tick, delta 1e-4, gamma to file precision, vega/theta 1e-3 rel`, async () => {
      const rows = await loadDeribitOptionsCsv(
        path.join(dataDir, fc.file),
        fc.snapshotTimeMs === undefined ? {} : { snapshotTimeMs: fc.snapshotTimeMs },
      );
      expect(rows.length).to.be.greaterThan(100);
      const max: Errors = { priceTicks: 0, delta: 0, gamma: 0, vega: 0, theta: 0 };
      const exceptions: string[] = [];
      for (const r of rows) {
        const g = model(r, r.markIv / 100);
        const e = errorsOf(r, g, fc);
        // Price must always be within one tick at the printed mark_iv.
        expect(e.priceTicks, `${r.instrument} price ${g.priceCoin} vs ${r.markPrice}`).to.be.at.most(1);
        if (!passes(e)) {
          const T = yearsToExpiry(r);
          expect(
            T * 365,
            `${r.instrument} fails outside the sub-day exception: ${JSON.stringify(e)}`,
          ).to.be.lessThan(1);
          const v = consistentVol(r, fc);
          expect(
            v,
            `${r.instrument}: no vol within 0.1 pt of mark_iv reproduces the row: ${JSON.stringify(e)}`,
          ).to.not.equal(undefined);
          exceptions.push(`${r.instrument} (iv ${r.markIv} -> ${(v! * 100).toFixed(3)})`);
          continue;
        }
        for (const k of Object.keys(max) as (keyof Errors)[]) max[k] = Math.max(max[k], e[k]);
      }
      console.log(
        `      ${fc.file}: ${rows.length} rows, ${rows.length - exceptions.length} at printed mark_iv; max errors: ` +
          `price ${max.priceTicks.toFixed(3)} tick (${fc.tick}), delta ${max.delta.toExponential(2)}, gamma ${max.gamma.toFixed(3)} x tol, ` +
          `vega ${max.vega.toFixed(3)} x tol, theta ${max.theta.toFixed(3)} x tol`,
      );
      if (exceptions.length > 0)
        console.log(
          `      sub-day rows reproduced by one vol within 0.1 pt of mark_iv: ${exceptions.join(", ")}`,
        );
    });
  }

  it("deribit-btc-options-2020-05-21.csv: rho as the exchange reports it (exchangeRho)", async () => {
    const rows = await loadDeribitOptionsCsv(path.join(dataDir, "deribit-btc-options-2020-05-21.csv"));
    let maxPlain = 0;
    let maxSubDay = 0;
    for (const r of rows) {
      const T = yearsToExpiry(r);
      const rho = r.greeks.rho;
      expect(rho, `${r.instrument} has no rho`).to.not.equal(undefined);
      const ours = exchangeRho(r.underlyingPrice, r.strike, T, r.markIv / 100, r.type);
      const timing = T * 365 < 1 ? (Math.abs(rho!) * 60) / (365 * 86400 * T) : 0; // 60 s shift of T
      const err = Math.abs(ours - rho!) / (Math.max(1e-3 * Math.abs(rho!), QUANT) + timing);
      if (T * 365 < 1) maxSubDay = Math.max(maxSubDay, err);
      else maxPlain = Math.max(maxPlain, err);
      expect(err, `${r.instrument}: rho ${ours} vs ${rho}`).to.be.at.most(1);
    }
    console.log(
      `      rho: max error ${maxPlain.toFixed(3)} x tol (expiries >= 1 day), ${maxSubDay.toFixed(3)} x tol (sub-day, incl. 60 s timing)`,
    );
  });
});
