import { expect } from "chai";
import {
  parseDeribitOptionsCsv,
  parsePythonNumberDict,
  DeribitCsvError,
} from "../../../keeper/shell/data/deribit.ts";

const HEADER =
  "instrument_name,type,strike,expiration_timestamp,underlying_price,mark_price,mark_iv,delta,gamma,theta,vega,tick_size";
const ROW =
  "BTC-13MAR26-61000-C,call,61000.0,1773388800000,66342.3,0.0951,63.29,0.78695,4e-05,-93.14463,34.6075,0.0001";
const NESTED =
  ",expiration_timestamp,option_type,instrument_name,strike,underlying_price,timestamp,mark_price,mark_iv,interest_rate,greeks\n0,1590134400000,put,BTC-22MAY20-9250-P,9250.0,9096.11,1590103193775,0.02124908,85.05,0.0,\"{'vega': 0.94545, 'theta': -40.20419, 'rho': -0.06764, 'gamma': 0.00136, 'delta': -0.73032}\"\n";

describe("Deribit CSV loader", () => {
  it("parses both layouts", () => {
    const flat = parseDeribitOptionsCsv(`${HEADER}\n${ROW}\n`, { snapshotTimeMs: 1772372940000 });
    expect(flat[0]!.greeks.vega).to.equal(34.6075);
    expect(flat[0]!.tickSize).to.equal(0.0001);
    const nested = parseDeribitOptionsCsv(NESTED);
    expect(nested[0]!.greeks).to.deep.equal({
      delta: -0.73032,
      gamma: 0.00136,
      vega: 0.94545,
      theta: -40.20419,
      rho: -0.06764,
    });
    expect(nested[0]!.timestampMs).to.equal(1590103193775);
  });
  it("rejects malformed rows with line and column", () => {
    const bad: [string, string | undefined][] = [
      [ROW.replace("call", "straddle"), "type"],
      [ROW.replace("61000.0", "-5"), "strike"],
      [ROW.replace("66342.3", "abc"), "underlying_price"],
      [ROW.replace(",0.0001", ""), undefined],
      [ROW.replace("0.78695", "1.5"), "delta"],
    ];
    for (const [row, column] of bad) {
      const f = () => parseDeribitOptionsCsv(`${HEADER}\n${row}\n`, { snapshotTimeMs: 1772372940000 });
      expect(f).to.throw(DeribitCsvError);
      try {
        f();
      } catch (e) {
        expect((e as DeribitCsvError).line).to.equal(2);
        expect((e as DeribitCsvError).column).to.equal(column);
      }
    }
    expect(() => parseDeribitOptionsCsv(`${HEADER}\n${ROW}\n`)).to.throw(DeribitCsvError, /snapshotTimeMs/);
    expect(() => parseDeribitOptionsCsv(NESTED.replace("'delta': -0.73032", "'delta': oops"))).to.throw(
      DeribitCsvError,
      /greeks.delta/,
    );
    expect(() => parsePythonNumberDict(2, "greeks", "{'vega' 1}")).to.throw(DeribitCsvError);
    expect(() => parseDeribitOptionsCsv(NESTED.replace(/"\n$/, "\n"))).to.throw(DeribitCsvError);
  });
});
