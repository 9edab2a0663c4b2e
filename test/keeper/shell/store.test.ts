import { expect } from "chai";
import { Store } from "../../../keeper/shell/store.ts";
import { dailyCloses, DAY } from "../../../keeper/shell/history.ts";
import { tempDb } from "./world.ts";

const V = "0x00000000000000000000000000000000000000A1";

describe("keeper store", () => {
  it("journal: one open rebalance per vault nonce; a closed one frees the nonce", () => {
    const s = new Store(tempDb());
    const intent = {
      kind: "rebalance",
      vault: V,
      rebalanceNonce: 3n,
      planId: null,
      target: V,
      data: "0x01",
      sender: V,
    };
    const id = s.recordIntent(intent);
    expect(() => s.recordIntent(intent)).to.throw(/UNIQUE/);
    s.recordAttempt({
      intentId: id,
      txHash: "0xaa",
      rawTx: "0xbeef",
      accountNonce: 5,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
    });
    expect(s.getIntent(id)?.status).to.equal("pending");
    expect(s.getIntent(id)?.accountNonce).to.equal(5);
    // the same signed bytes recorded twice (a re-signed identical transaction) are one attempt
    s.recordAttempt({
      intentId: id,
      txHash: "0xaa",
      rawTx: "0xbeef",
      accountNonce: 5,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
    });
    expect(s.attempts(id)).to.have.length(1);
    s.markBroadcast(id, "0xaa");
    expect(s.getIntent(id)?.status).to.equal("sent");
    expect(s.maxSignedNonce(V)).to.equal(5);
    s.setStatus(id, "reverted", { error: "x" });
    expect(s.openIntents()).to.have.length(0);
    expect(s.recordIntent(intent)).to.be.greaterThan(id);
    // deleverage intents are not limited by the rebalance nonce
    s.recordIntent({ ...intent, kind: "deleverage", rebalanceNonce: null });
    s.recordIntent({ ...intent, kind: "deleverage", rebalanceNonce: null });
    expect(s.openIntents()).to.have.length(3);
  });

  it("journal survives reopening the file (a restart)", () => {
    const path = tempDb();
    const a = new Store(path);
    const id = a.recordIntent({
      kind: "rebalance",
      vault: V,
      rebalanceNonce: 0n,
      planId: null,
      target: V,
      data: "0x",
      sender: V,
    });
    a.recordAttempt({
      intentId: id,
      txHash: "0xbb",
      rawTx: "0x02",
      accountNonce: 0,
      maxFeePerGas: 1n,
      maxPriorityFeePerGas: 1n,
    });
    a.close();
    const b = new Store(path);
    expect(b.openIntents().map((i) => i.id)).to.deep.equal([id]);
    expect(b.attempts(id)[0]?.rawTx).to.equal("0x02");
  });

  it("rounds cache keeps exact integers", () => {
    const s = new Store(tempDb());
    const big = (1n << 64n) | 12345n;
    s.saveRounds("0xFEED", [{ roundId: big, answer: -123456789012345678901234n, updatedAt: 99 }]);
    expect(s.getRound("0xfeed", big)).to.deep.equal({
      roundId: big,
      answer: -123456789012345678901234n,
      updatedAt: 99,
    });
  });
});

describe("daily closes from rounds", () => {
  it("takes the last answer before each day ends, carries it over days without rounds, NaN before the first", () => {
    const d0 = 20_000;
    const rounds = [
      { roundId: 1n, answer: 100_00000000n, updatedAt: (d0 + 1) * DAY + 10 },
      { roundId: 2n, answer: 101_00000000n, updatedAt: (d0 + 1) * DAY + 500 },
      { roundId: 3n, answer: 105_00000000n, updatedAt: (d0 + 3) * DAY + 1 },
    ];
    const closes = dailyCloses(rounds, 8, d0, d0 + 4);
    expect(Number.isNaN(closes[0]!)).to.equal(true);
    expect(Array.from(closes.slice(1))).to.deep.equal([101, 101, 105, 105]);
  });
});
