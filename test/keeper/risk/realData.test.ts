import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  estimateCovariance,
  fitGarch11,
  solveRiskParity,
  volatilityTargetScale,
} from "../../../keeper/risk/index.ts";
import { riskContribs } from "./helpers.ts";

// /work/shared sits beside every checkout: from <repo>/test/keeper/risk/ this is <repo>/../shared.
const dir = new URL("../../../../shared/data/prices/btc-eth-daily/", import.meta.url);

function loadPrices(file: string): Map<string, number> {
  const text = readFileSync(fileURLToPath(new URL(file, dir)), "utf8");
  const out = new Map<string, number>();
  for (const line of text.trim().split(/\r?\n/).slice(1)) {
    const [date, price] = line.split(",");
    const p = Number(price);
    if (date && Number.isFinite(p) && p > 0) out.set(date, p);
  }
  return out;
}

describe("real data: BTC/ETH daily (Johansson & Boyd 2024 data set)", () => {
  const btc = loadPrices("BTC_price.csv");
  const eth = loadPrices("ETH_price.csv");
  const dates = [...btc.keys()].filter((d) => eth.has(d)).sort();
  const returns: number[][] = [];
  for (let k = 1; k < dates.length; k++) {
    const a = dates[k - 1]!;
    const b = dates[k]!;
    returns.push([Math.log(btc.get(b)! / btc.get(a)!), Math.log(eth.get(b)! / eth.get(a)!)]);
  }
  const last = returns.slice(-730); // the last two years

  it("has the documented shape (3,177 aligned days)", () => {
    expect(dates.length).to.equal(3177);
    expect(dates[0]).to.equal("2016-01-01");
  });

  for (const method of ["sample", "ewma", "iterated-ewma", "ledoit-wolf"] as const) {
    it(`${method}: plausible annualised vols and correlation; ERC has equal risk contributions`, () => {
      const res = estimateCovariance(last, {
        method,
        halfLife: 60,
        volatilityHalfLife: 21,
        correlationHalfLife: 63,
      });
      const [vb, ve] = res.volatilities;
      expect(vb).to.be.within(0.2, 1.2);
      expect(ve).to.be.within(0.25, 1.5);
      expect(ve!).to.be.greaterThan(vb! * 0.9); // ETH has been at least about as volatile as BTC
      const rho = res.correlation.data[1]!;
      expect(rho).to.be.within(0.5, 0.98);
      for (const m of ["ccd", "newton"] as const) {
        const rp = solveRiskParity(res.covariance, { method: m });
        expect(rp.converged).to.equal(true);
        const rc = riskContribs(res.covariance, rp.weights);
        expect(rc[0]).to.be.closeTo(0.5, 1e-10);
        expect(rc[1]).to.be.closeTo(0.5, 1e-10);
        // two assets: ERC = inverse-volatility weights
        expect(rp.weights[0]).to.be.closeTo(ve! / (vb! + ve!), 1e-9);
        expect(rp.volatility).to.be.within(0.2, 1.2);
      }
      // vol targeting the ERC portfolio to 40 % needs less than 1x here
      const w = solveRiskParity(res.covariance).weights;
      const vt = volatilityTargetScale({
        weights: w,
        targetVolatility: 0.4,
        maxLeverage: 2,
        forecast: { kind: "ex-post", returns: last, halfLife: 30 },
      });
      expect(vt.scale).to.be.within(0.2, 2);
    });
  }

  it("GARCH(1,1) on BTC: persistent, stationary, plausible long-run vol", function () {
    this.timeout(20000);
    const fit = fitGarch11(returns.map((r) => r[0]!));
    expect(fit.alpha + fit.beta).to.be.within(0.8, 1);
    expect(fit.beta).to.be.greaterThan(0.5);
    expect(Math.sqrt(fit.longRunVariance * 365)).to.be.within(0.3, 1.5);
  });
});
