import { expect } from "chai";
import fc from "fast-check";
import { addDays } from "../../../keeper/sim/path.ts";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadPriceFolder } from "../../../keeper/shell/priceFolder.ts";
import {
  alignSeries,
  parsePriceCsv,
  PriceDataError,
  symbolFromFileName,
} from "../../../keeper/sim/prices.ts";

describe("sim: real price loader", () => {
  it("parses the three layouts", () => {
    const a = parsePriceCsv("date,value\n2020-01-01,10\n2020-01-02,11.5\n", "a.csv", "A");
    expect(a).to.deep.equal({ symbol: "A", dates: ["2020-01-01", "2020-01-02"], values: [10, 11.5] });
    const b = parsePriceCsv(
      "None,code,date,value\r\n92133,MKPRU,2010-08-16,0.0769\r\n92131,MKPRU,2010-08-18,0.0688\r\n",
      "b.csv",
      "BTC",
    );
    expect(b.dates).to.deep.equal(["2010-08-16", "2010-08-18"]);
    expect(b.values).to.deep.equal([0.0769, 0.0688]);
    const c = parsePriceCsv("Date,TRDPRC_1\n2016-01-01,432.8\n2016-01-02,433.69", "c.csv", "BTC");
    expect(c.values).to.deep.equal([432.8, 433.69]);
  });

  const bad: [string, string, RegExp][] = [
    ["empty file", "", /x\.csv: empty file/],
    ["unknown header", "day,price\n2020-01-01,1\n", /x\.csv:1: unrecognised header/],
    [
      "too many columns",
      "date,value\n2020-01-01,1,2\n2020-01-02,1\n",
      /x\.csv:2: expected 2 columns, found 3/,
    ],
    ["bad date", "date,value\n2020-01-01,1\n2020-13-01,2\n", /x\.csv:3: invalid date "2020-13-01"/],
    ["not a date", "date,value\n01/02/2020,1\n2020-01-03,2\n", /x\.csv:2: invalid date/],
    [
      "zero price",
      "date,value\n2020-01-01,1\n2020-01-02,0\n",
      /x\.csv:3: price must be a positive number, found "0"/,
    ],
    ["negative price", "date,value\n2020-01-01,-1\n2020-01-02,1\n", /x\.csv:2: price must be a positive/],
    [
      "empty price",
      "date,value\n2020-01-01,\n2020-01-02,1\n",
      /x\.csv:2: price must be a positive number, found ""/,
    ],
    ["text price", "date,value\n2020-01-01,abc\n2020-01-02,1\n", /x\.csv:2: .*"abc"/],
    ["duplicate date", "date,value\n2020-01-01,1\n2020-01-01,2\n", /x\.csv:3: date 2020-01-01 is not after/],
    [
      "decreasing date",
      "date,value\n2020-01-02,1\n2020-01-01,2\n",
      /x\.csv:3: date 2020-01-01 is not after the previous row's 2020-01-02/,
    ],
    ["blank line inside", "date,value\n2020-01-01,1\n\n2020-01-03,2\n", /x\.csv:3: blank line/],
    ["one row only", "date,value\n2020-01-01,1\n", /at least 2 price rows/],
  ];
  for (const [what, text, re] of bad) {
    it(`rejects a malformed CSV: ${what}`, () => {
      expect(() => parsePriceCsv(text, "x.csv", "X")).to.throw(PriceDataError, re);
    });
  }

  it("aligns on common dates and keeps a missing day missing", () => {
    const a = parsePriceCsv("date,value\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n2020-01-04,4\n", "a", "A");
    const b = parsePriceCsv("date,value\n2020-01-02,20\n2020-01-04,40\n2020-01-05,50\n", "b", "B");
    const p = alignSeries([a, b], "test");
    expect(p.symbols).to.deep.equal(["A", "B"]);
    expect(p.dates).to.deep.equal(["2020-01-02", "2020-01-04"]);
    expect(p.prices).to.deep.equal([
      [2, 20],
      [4, 40],
    ]);
    expect(() =>
      alignSeries([a, parsePriceCsv("date,value\n2021-01-01,1\n2021-01-02,1\n", "c", "C")], "test"),
    ).to.throw(/fewer than 2 dates common/);
    expect(() => alignSeries([a, a], "test")).to.throw(/appears twice/);
    expect(() => alignSeries([a, b], "t", { from: "2020-01-03" })).to.throw(/fewer than 2 dates/);
    expect(alignSeries([a, b], "t", { to: "2020-01-04" }).dates).to.deep.equal(p.dates);
  });

  it("alignment is the intersection of dates, with every value from its own series (property)", () => {
    const series = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0.01, max: 1e5, noNaN: true })),
      { minLength: 2, maxLength: 40 },
    );
    fc.assert(
      fc.property(fc.array(series, { minLength: 1, maxLength: 4 }), (raw) => {
        const all = raw.map((rows, k) => {
          const byDay = new Map(rows.map(([d, v]) => [d, v]));
          const days = [...byDay.keys()].sort((a, b) => a - b);
          const csv = ["date,value", ...days.map((d) => `${addDays("2020-01-01", d)},${byDay.get(d)}`)].join(
            "\n",
          );
          return { days, byDay, csv, symbol: `S${k}` };
        });
        fc.pre(all.every((a) => a.days.length >= 2));
        const parsed = all.map((a) => parsePriceCsv(a.csv, a.symbol, a.symbol));
        const common = all[0]!.days.filter((d) => all.every((a) => a.byDay.has(d)));
        if (common.length < 2) {
          expect(() => alignSeries(parsed, "p")).to.throw(PriceDataError);
          return;
        }
        const p = alignSeries(parsed, "p");
        expect(p.dates).to.deep.equal(common.map((d) => addDays("2020-01-01", d)));
        p.prices.forEach((row, t) =>
          row.forEach((x, i) => expect(x).to.equal(all[i]!.byDay.get(common[t]!))),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("derives symbols from the shared data's file names", () => {
    expect(symbolFromFileName("BTC-USD.csv")).to.equal("BTC");
    expect(symbolFromFileName("/x/UNI7083-USD.csv")).to.equal("UNI");
    expect(symbolFromFileName("ETH_price.csv")).to.equal("ETH");
  });

  it("loads a folder and reports which file is malformed", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "prices-"));
    try {
      await writeFile(
        path.join(dir, "AAA-USD.csv"),
        "date,value\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n",
      );
      await writeFile(path.join(dir, "BBB_price.csv"), "Date,TRDPRC_1\n2020-01-01,5\n2020-01-03,6\n");
      const p = await loadPriceFolder(dir);
      expect(p.symbols).to.deep.equal(["AAA", "BBB"]);
      expect(p.dates).to.deep.equal(["2020-01-01", "2020-01-03"]);
      expect((await loadPriceFolder(dir, { symbols: ["BBB"] })).prices).to.deep.equal([[5], [6]]);
      await expectReject(loadPriceFolder(dir, { symbols: ["CCC"] }), /no price file for CCC/);
      await writeFile(path.join(dir, "CCC-USD.csv"), "date,value\n2020-01-01,1\n2020-01-02,x\n");
      await expectReject(loadPriceFolder(dir), /CCC-USD\.csv:3: price must be a positive number/);
      await expectReject(loadPriceFolder(path.join(dir, "nope")), /cannot read price folder/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // The shared data sit beside the checkout (../shared); worktrees reach them at /work/shared.
  const shared =
    [path.resolve("../shared/data/prices"), "/work/shared/data/prices"].find((d) => existsSync(d)) ?? "";
  (shared !== "" ? it : it.skip)("loads the shared real data (crypto-daily, btc-eth-daily)", async () => {
    const cd = await loadPriceFolder(path.join(shared, "crypto-daily"), {
      symbols: ["BTC", "ETH", "LINK", "UNI"],
    });
    expect(cd.dates[0]).to.equal("2020-10-01"); // UNI starts last
    expect(cd.prices.every((r) => r.length === 4 && r.every((x) => x > 0))).to.equal(true);
    const be = await loadPriceFolder(path.join(shared, "btc-eth-daily"));
    expect(be.symbols).to.deep.equal(["BTC", "ETH"]);
    expect(be.dates).to.have.length(3177);
  });
});

async function expectReject(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail(`expected rejection matching ${re}`);
}
