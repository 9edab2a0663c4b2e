/**
 * findSettlementRound (keeper/shell/history.ts) against an in-memory Chainlink proxy: for any
 * round history (one or two aggregator phases, increasing timestamps, round ids phase << 64 | n)
 * and any expiry, it returns the FIRST round updated at or after expiry, exactly when the venue
 * can verify it (its predecessor in the same phase is before expiry), and otherwise throws the
 * matching error. The expected answer is computed here by a linear scan of the whole history.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { Address, PublicClient } from "viem";
import { findSettlementRound } from "../../../keeper/shell/history.ts";
import { Store } from "../../../keeper/shell/store.ts";

interface Round {
  roundId: bigint;
  answer: bigint;
  updatedAt: number;
}

const FEED = "0x00000000000000000000000000000000000000f1" as Address;

/** A viem-like client serving latestRoundData / getRoundData from `rounds`; counts reads. */
function fakeClient(rounds: readonly Round[]): { client: PublicClient; reads: () => number } {
  const byId = new Map(rounds.map((r) => [r.roundId, r]));
  const latest = rounds[rounds.length - 1]!;
  let reads = 0;
  const client = {
    readContract: async (args: { functionName: string; args?: readonly unknown[] }) => {
      reads++;
      if (args.functionName === "latestRoundData")
        return [
          latest.roundId,
          latest.answer,
          BigInt(latest.updatedAt),
          BigInt(latest.updatedAt),
          latest.roundId,
        ];
      if (args.functionName === "getRoundData") {
        const id = args.args![0] as bigint;
        const r = byId.get(id);
        if (!r) throw new Error(`execution reverted: NoDataPresent(${id})`);
        return [r.roundId, r.answer, BigInt(r.updatedAt), BigInt(r.updatedAt), r.roundId];
      }
      throw new Error(`unexpected call ${args.functionName}`);
    },
  } as unknown as PublicClient;
  return { client, reads: () => reads };
}

const historyArb = fc
  .record({
    phase1: fc.integer({ min: 1, max: 40 }),
    phase2: fc.integer({ min: 0, max: 40 }),
    gaps: fc.array(fc.integer({ min: 1, max: 7_200 }), { minLength: 80, maxLength: 80 }),
    expiryAt: fc.integer({ min: -100, max: 1_100 }).map((x) => x / 1_000),
  })
  .map(({ phase1, phase2, gaps, expiryAt }) => {
    const rounds: Round[] = [];
    let t = 1_800_000_000;
    const push = (phase: bigint, n: number) => {
      for (let k = 1; k <= n; k++) {
        t += gaps[rounds.length]!;
        rounds.push({
          roundId: (phase << 64n) | BigInt(k),
          answer: BigInt(1_000 + rounds.length),
          updatedAt: t,
        });
      }
    };
    push(1n, phase1);
    push(2n, phase2);
    const t0 = rounds[0]!.updatedAt;
    const t1 = rounds[rounds.length - 1]!.updatedAt;
    // expiries before, inside and after the history, often exactly on a round's timestamp
    const raw = Math.round(t0 + expiryAt * (t1 - t0));
    const onRound = rounds[Math.min(rounds.length - 1, Math.max(0, Math.round(expiryAt * rounds.length)))]!;
    const expiry = expiryAt > 0.45 && expiryAt < 0.55 ? onRound.updatedAt : raw;
    return { rounds, expiry, now: t1 + 86_400 };
  });

describe("findSettlementRound (first Chainlink round at or after expiry)", () => {
  it("property: returns the first round at or after expiry when verifiable, else the matching error", async () => {
    const seen = { found: 0, none: 0, notYet: 0, phase: 0 };
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ rounds, expiry, now }) => {
        const store = new Store(":memory:");
        try {
          const { client } = fakeClient(rounds);
          const lastBefore = [...rounds].reverse().find((r) => r.updatedAt < expiry);
          const first = rounds.find((r) => r.updatedAt >= expiry);
          let got: Round | undefined;
          let error: string | undefined;
          try {
            got = await findSettlementRound(client, store, FEED, expiry, now, { multicall: false });
          } catch (e) {
            error = (e as Error).message;
          }
          if (lastBefore === undefined) {
            seen.none++;
            expect(error).to.match(/no round updated before expiry/);
          } else if (first === undefined) {
            seen.notYet++;
            expect(error).to.match(/no round at or after expiry .* yet/);
          } else if (first.roundId !== lastBefore.roundId + 1n) {
            seen.phase++;
            expect(error).to.match(/does not follow round .* same phase/);
          } else {
            seen.found++;
            expect(error).to.equal(undefined);
            expect(got!.roundId).to.equal(first.roundId);
            expect(got!.updatedAt >= expiry).to.equal(true);
            expect(got!.answer).to.equal(first.answer);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 200 },
    );
    console.log(`      branches: ${JSON.stringify(seen)}`);
    // the generator reaches every branch
    expect(seen.found).to.be.greaterThan(50);
    expect(seen.none).to.be.greaterThan(3);
    expect(seen.notYet).to.be.greaterThan(3);
    expect(seen.phase).to.be.greaterThan(0);
  });

  it("the walk is bounded: never reads more than the bound's pages, and says so", async () => {
    const rounds: Round[] = [];
    for (let k = 1; k <= 500; k++)
      rounds.push({ roundId: (1n << 64n) | BigInt(k), answer: 100n, updatedAt: 1_800_000_000 + k * 3_600 });
    const expiry = rounds[10]!.updatedAt; // 490 rounds after expiry
    const { client, reads } = fakeClient(rounds);
    const store = new Store(":memory:");
    try {
      try {
        await findSettlementRound(client, store, FEED, expiry, 1_800_000_000 + 600 * 3_600, {
          maxRounds: 120,
          multicall: false,
        });
        expect.fail("the bound is below the rounds after expiry");
      } catch (e) {
        expect((e as Error).message).to.match(/within the last 120 rounds \(bound 120\)/);
      }
      // pages of 100 single reads: at most two pages plus the latest-round read
      expect(reads()).to.be.at.most(201);
      const found = await findSettlementRound(client, store, FEED, expiry, 1_800_000_000 + 600 * 3_600, {
        multicall: false,
      });
      expect(found.roundId).to.equal(rounds[10]!.roundId);
    } finally {
      store.close();
    }
  });
});
