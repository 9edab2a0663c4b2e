/**
 * Differential test: on-chain Black-Scholes (BlackScholesLib through a harness, and the venue's
 * call-spread pricing) against the keeper's pricer (keeper/options, blackScholes with carry = rate).
 * Tolerance: 1e-6 relative for prices >= 1e-6 x spot (the absolute floor); below the floor the
 * absolute difference must stay under 1e-12 x spot. Deltas agree to 1e-9 absolute.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { blackScholes, type OptionType } from "../../../keeper/options/index.ts";
import { CALL_CAP_RATIO, DAY, SPOT, WAD, WETH, deployVenueWorld } from "./helpers/fixture.ts";

const { ethers, networkHelpers } = await network.create();

const YEAR_SECONDS = 365 * DAY;
const REL_TOL = 1e-6;
const FLOOR = 1e-6; // x spot
const MONEYNESS_BPS = [
  5_000n,
  7_000n,
  8_000n,
  9_000n,
  9_500n,
  10_000n,
  10_500n,
  11_000n,
  12_500n,
  15_000n,
  20_000n,
];
const DAYS = [1, 7, 30, 90, 180, 365];
const VOLS_PCT = [10n, 30n, 60n, 100n, 150n];

const wadToNumber = (x: bigint): number => Number(x) / 1e18;

function keeperPrice(spot: number, strike: number, tau: number, vol: number, rate: number, type: OptionType) {
  return blackScholes({
    spot,
    strike,
    timeToExpiry: tau / YEAR_SECONDS,
    volatility: vol,
    rate,
    carry: rate,
    type,
  });
}

describe("Black-Scholes on chain vs the keeper's pricer (differential)", function () {
  this.timeout(120_000);

  for (const [spotWad, label] of [
    [2_000n * WAD, "spot 2,000"],
    [75n * 10n ** 16n, "spot 0.75"],
  ] as const) {
    for (const rate of [0n, 5n * 10n ** 16n]) {
      it(`${label}, rate ${wadToNumber(rate)}: prices and deltas over strikes x expiries x vols, calls and puts`, async () => {
        const harness = await ethers.deployContract("BlackScholesPricer");
        const spot = wadToNumber(spotWad);
        let compared = 0;
        let worst = 0;
        for (const m of MONEYNESS_BPS) {
          const strikeWad = (spotWad * m) / 10_000n;
          for (const days of DAYS) {
            const tau = days * DAY;
            for (const volPct of VOLS_PCT) {
              const volWad = (volPct * WAD) / 100n;
              for (const type of ["call", "put"] as const) {
                const isCall = type === "call";
                const chain = wadToNumber(
                  await harness.price(spotWad, strikeWad, BigInt(tau), volWad, rate, isCall),
                );
                const ref = keeperPrice(
                  spot,
                  wadToNumber(strikeWad),
                  tau,
                  wadToNumber(volWad),
                  wadToNumber(rate),
                  type,
                );
                const where = `K/S=${Number(m) / 1e4} ${days}d vol=${volPct}% ${type}: chain ${chain} keeper ${ref.price}`;
                if (ref.price >= FLOOR * spot) {
                  const rel = Math.abs(chain - ref.price) / ref.price;
                  worst = Math.max(worst, rel);
                  expect(rel, where).to.be.lessThan(REL_TOL);
                  compared++;
                } else {
                  expect(Math.abs(chain - ref.price), where).to.be.lessThan(1e-12 * spot + 2e-18);
                }
                const chainDelta = wadToNumber(
                  await harness.delta(spotWad, strikeWad, BigInt(tau), volWad, rate, isCall),
                );
                expect(Math.abs(chainDelta - ref.delta), `delta ${where}`).to.be.lessThan(1e-9);
              }
            }
          }
        }
        // The grid really exercises the relative tolerance (most points are above the floor).
        expect(compared).to.be.greaterThan(500);
        expect(worst).to.be.lessThan(REL_TOL);
      });
    }
  }

  it("the venue's fair price: puts = keeper put, calls = keeper call spread [K, 2K]", async () => {
    const w = await deployVenueWorld(ethers);
    const now = await networkHelpers.time.latest();
    const vol = 0.8;
    const spot = Number(SPOT);
    const capRatio = wadToNumber(CALL_CAP_RATIO);
    for (const m of [8_000n, 9_000n, 10_000n, 11_000n, 12_500n]) {
      for (const days of [7, 30, 90]) {
        const expiry = BigInt(now + days * DAY);
        const strikeWad = (SPOT * WAD * m) / 10_000n;
        const strike = wadToNumber(strikeWad);
        const tau = Number(expiry) - now;
        const put = wadToNumber(await w.venue.fairPrice(WETH, false, strikeWad, expiry));
        const call = wadToNumber(await w.venue.fairPrice(WETH, true, strikeWad, expiry));
        const refPut = keeperPrice(spot, strike, tau, vol, 0, "put").price;
        const refCall =
          keeperPrice(spot, strike, tau, vol, 0, "call").price -
          keeperPrice(spot, strike * capRatio, tau, vol, 0, "call").price;
        expect(Math.abs(put - refPut) / refPut).to.be.lessThan(REL_TOL);
        expect(Math.abs(call - refCall) / refCall).to.be.lessThan(REL_TOL);
      }
    }
  });
});
