import { expect } from "chai";
import {
  InvalidOptionError,
  type OptionPricer,
  type StressPortfolio,
  stressTest,
} from "../../../keeper/risk/index.ts";

/** A test-only Black-Scholes pricer (r = 0): enough to exercise full revaluation. */
const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7)
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
};
const N = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));
const bs: OptionPricer = ({ spot, strike, timeToExpiry: T, volatility: v, type: kind }) => {
  if (T <= 0) {
    const intrinsic = kind === "call" ? Math.max(0, spot - strike) : Math.max(0, strike - spot);
    return { price: intrinsic, delta: kind === "call" ? (spot > strike ? 1 : 0) : spot < strike ? -1 : 0 };
  }
  const d1 = (Math.log(spot / strike) + 0.5 * v * v * T) / (v * Math.sqrt(T));
  const d2 = d1 - v * Math.sqrt(T);
  const call = spot * N(d1) - strike * N(d2);
  return kind === "call" ? { price: call, delta: N(d1) } : { price: call - spot + strike, delta: N(d1) - 1 };
};

describe("stressTest", () => {
  const base: StressPortfolio = {
    cash: 400_000,
    prices: { WETH: 3000, WBTC: 60000 },
    spot: [
      { asset: "WETH", quantity: 100 },
      { asset: "WBTC", quantity: 5 },
    ],
    ripcordLeverage: 1.5,
  };

  it("spot only: -40 % on every price loses 40 % of the risky value; leverage and ripcord distance follow", () => {
    const [r] = stressTest(base, [{ name: "crash", priceShocks: -0.4 }]);
    const risky = 100 * 3000 + 5 * 60000;
    expect(r!.valueBefore).to.equal(400_000 + risky);
    expect(r!.pnl).to.be.closeTo(-0.4 * risky, 1e-6);
    expect(r!.leverageBefore).to.be.closeTo(risky / (400_000 + risky), 1e-15);
    const after = 0.6 * risky;
    expect(r!.leverageAfter).to.be.closeTo(after / (400_000 + after), 1e-15);
    expect(r!.distanceToRipcord).to.be.closeTo(1.5 - r!.leverageAfter, 1e-15);
    expect(r!.breachesRipcord).to.equal(false);
  });

  it("revalues options in full with the injected pricer (protective puts cap the loss)", () => {
    const hedged: StressPortfolio = {
      ...base,
      options: [
        {
          asset: "WETH",
          type: "put",
          strike: 2800,
          timeToExpiry: 30 / 365,
          quantity: 100,
          impliedVolatility: 0.6,
          pricer: bs,
        },
      ],
    };
    const [plain] = stressTest(base, [{ name: "eth -40", priceShocks: { WETH: -0.4 } }]);
    const [r] = stressTest(hedged, [{ name: "eth -40", priceShocks: { WETH: -0.4 } }]);
    const put0 = bs({
      spot: 3000,
      strike: 2800,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      type: "put",
      rate: 0,
    });
    const put1 = bs({
      spot: 1800,
      strike: 2800,
      timeToExpiry: 30 / 365,
      volatility: 0.6,
      type: "put",
      rate: 0,
    });
    expect(r!.pnl).to.be.closeTo(plain!.pnl + 100 * (put1.price - put0.price), 1e-6);
    expect(r!.pnl).to.be.greaterThan(plain!.pnl);
    // delta exposure of the puts enters the net exposure on WETH
    expect(r!.exposuresAfter["WETH"]).to.be.closeTo(100 * 1800 + 100 * put1.delta * 1800, 1e-6);
    // a volatility shock raises the long puts' value
    const [vol] = stressTest(hedged, [{ name: "vol up", volatilityShock: { multiply: 1.5 } }]);
    expect(vol!.pnl).to.be.greaterThan(0);
    // time decay lowers it
    const [decay] = stressTest(hedged, [{ name: "2 weeks", timeElapsed: 14 / 365 }]);
    expect(decay!.pnl).to.be.lessThan(0);
  });

  it("written calls on a rally push leverage and can breach the ripcord", () => {
    const short: StressPortfolio = {
      ...base,
      cash: 50_000,
      options: [
        {
          asset: "WBTC",
          type: "call",
          strike: 62000,
          timeToExpiry: 7 / 365,
          quantity: -20,
          impliedVolatility: 0.5,
          pricer: bs,
        },
      ],
    };
    const [r] = stressTest(short, [{ name: "btc +30", priceShocks: { WBTC: 0.3 } }]);
    expect(r!.pnl).to.be.lessThan(0);
    // net BTC exposure ~ 390k - 20 x 78k = -1.17M on ~420k of value: far above the ripcord
    expect(r!.leverageAfter).to.be.greaterThan(3);
    expect(r!.breachesRipcord).to.equal(true);
    expect(r!.distanceToRipcord).to.be.closeTo(1.5 - r!.leverageAfter, 1e-12);
  });

  it("correlation shock: every correlation to 0.95 raises the post-shock volatility of a diversified book", () => {
    const p: StressPortfolio = {
      ...base,
      risk: {
        assets: ["WETH", "WBTC"],
        volatilities: [0.8, 0.6],
        correlation: [
          [1, 0.2],
          [0.2, 1],
        ],
      },
    };
    const [calm, corr] = stressTest(p, [
      { name: "none" },
      { name: "corr 0.95 and -40 %", correlation: 0.95, priceShocks: -0.4 },
    ]);
    const e = [300_000, 300_000];
    const v0 = Math.sqrt(e[0]! ** 2 * 0.64 + e[1]! ** 2 * 0.36 + 2 * e[0]! * e[1]! * 0.2 * 0.48) / 1_000_000;
    expect(calm!.volatilityAfter).to.be.closeTo(v0, 1e-12);
    const e1 = [180_000, 180_000];
    const V1 = 400_000 + 360_000;
    const v1 = Math.sqrt(e1[0]! ** 2 * 0.64 + e1[1]! ** 2 * 0.36 + 2 * e1[0]! * e1[1]! * 0.95 * 0.48) / V1;
    expect(corr!.volatilityAfter).to.be.closeTo(v1, 1e-12);
  });

  it("without a pricer uses the mark's delta-gamma expansion; with neither it refuses", () => {
    const p: StressPortfolio = {
      ...base,
      options: [
        {
          asset: "WETH",
          type: "call",
          strike: 3000,
          timeToExpiry: 0.1,
          quantity: 10,
          impliedVolatility: 0.6,
          mark: { price: 200, delta: 0.5, gamma: 0.001 },
        },
      ],
    };
    const [r] = stressTest(p, [{ name: "+10 %", priceShocks: { WETH: 0.1 } }]);
    const dS = 300;
    expect(r!.pnl).to.be.closeTo(100 * dS + 10 * (0.5 * dS + 0.5 * 0.001 * dS * dS), 1e-9);
    const bad: StressPortfolio = {
      ...base,
      options: [
        { asset: "WETH", type: "call", strike: 3000, timeToExpiry: 0.1, quantity: 1, impliedVolatility: 0.6 },
      ],
    };
    expect(() => stressTest(bad, [{ name: "x" }])).to.throw(InvalidOptionError, /pricer or a mark/);
    expect(() => stressTest(base, [{ name: "x", priceShocks: -1.2 }])).to.throw(InvalidOptionError);
  });
});
