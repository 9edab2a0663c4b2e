/**
 * Daily price history rebuilt from Chainlink rounds: walk `getRoundData` back from the latest
 * round in pages of `pageSize` (one deployless Multicall3 eth_call per page, or a JSON-RPC batch
 * of single calls with `multicall: false`), cache rounds in SQLite, and take as each day's close the
 * answer of the last round updated before the day ended (the price the chain showed then).
 * Phase changes of an aggregator proxy (roundId = phase << 64 | aggregatorRound) are crossed by
 * searching the previous phase's last round.
 */
import { getAddress, type Address, type PublicClient } from "viem";
import { AGGREGATOR_ABI } from "./abi.ts";
import { toFloat } from "./convert.ts";
import type { PriceHistory } from "./ports.ts";
import type { RoundRow, Store } from "./store.ts";

export const DAY = 86_400;
const PHASE_SHIFT = 64n;
const AGG_MASK = (1n << 64n) - 1n;

/** Rounds younger than this are not cached (they could still be reorganised away). */
export const CACHE_MIN_AGE_S = 3_600;

async function fetchRound(
  client: PublicClient,
  feed: Address,
  roundId: bigint,
): Promise<RoundRow | undefined> {
  try {
    const [, answer, , updatedAt] = await client.readContract({
      address: feed,
      abi: AGGREGATOR_ABI,
      functionName: "getRoundData",
      args: [roundId],
    });
    if (updatedAt === 0n) return undefined;
    return { roundId, answer, updatedAt: Number(updatedAt) };
  } catch (e) {
    // A proxy reverts for rounds that do not exist; anything else is a real error.
    if (/revert|No data present/i.test((e as Error).message)) return undefined;
    throw e;
  }
}

/** Last existing round id of `phase` (exponential then binary search), or undefined. */
async function lastRoundOfPhase(
  client: PublicClient,
  feed: Address,
  phase: bigint,
): Promise<bigint | undefined> {
  const id = (agg: bigint): bigint => (phase << PHASE_SHIFT) | agg;
  if (!(await fetchRound(client, feed, id(1n)))) return undefined;
  let lo = 1n;
  let hi = 2n;
  while (await fetchRound(client, feed, id(hi))) {
    lo = hi;
    hi *= 2n;
  }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (await fetchRound(client, feed, id(mid))) lo = mid;
    else hi = mid;
  }
  return id(lo);
}

/** All rounds of `feed` from the latest back to the first one updated before `sinceTs` (inclusive). */
export async function collectRounds(
  client: PublicClient,
  store: Store,
  feed: Address,
  sinceTs: number,
  nowTs: number,
  pageSize = 100,
  multicall = true,
  /** Stop after collecting this many rounds (a bounded walk); default unbounded. */
  maxRounds = Number.POSITIVE_INFINITY,
): Promise<RoundRow[]> {
  const [latestId] = await client.readContract({
    address: feed,
    abi: AGGREGATOR_ABI,
    functionName: "latestRoundData",
  });
  const out: RoundRow[] = [];
  const toCache: RoundRow[] = [];
  let next: bigint | undefined = latestId;
  while (next !== undefined) {
    const phase: bigint = next >> PHASE_SHIFT;
    const agg: bigint = next & AGG_MASK;
    const ids: bigint[] = [];
    for (let k = 0n; k < BigInt(pageSize) && agg - k >= 1n; k++) ids.push((phase << PHASE_SHIFT) | (agg - k));
    const missing = ids.filter((id) => !store.getRound(feed, id));
    const fetched = new Map<bigint, RoundRow | undefined>();
    if (multicall && missing.length > 1) {
      // one eth_call for the whole page (viem's deployless Multicall3: no contract needed on chain)
      const results = await client.multicall({
        contracts: missing.map((id) => ({
          address: feed,
          abi: AGGREGATOR_ABI,
          functionName: "getRoundData" as const,
          args: [id] as const,
        })),
        allowFailure: true,
        deployless: true,
      });
      results.forEach((r, k) => {
        const id = missing[k]!;
        if (r.status === "success" && r.result[3] !== 0n)
          fetched.set(id, { roundId: id, answer: r.result[1], updatedAt: Number(r.result[3]) });
        else fetched.set(id, undefined); // a revert: the round does not exist
      });
    } else {
      await Promise.all(missing.map(async (id) => fetched.set(id, await fetchRound(client, feed, id))));
    }
    const page = ids.map((id) => {
      const cached = store.getRound(feed, id);
      if (cached) return cached;
      const r = fetched.get(id);
      if (r && nowTs - r.updatedAt >= CACHE_MIN_AGE_S) toCache.push(r);
      return r;
    });
    let reachedStart = false;
    let gap = false;
    for (const r of page) {
      if (!r) {
        gap = true;
        break;
      }
      out.push(r);
      if (r.updatedAt < sinceTs || out.length >= maxRounds) {
        reachedStart = true;
        break;
      }
    }
    if (reachedStart) break;
    const lastAgg = agg - BigInt(ids.length);
    if (!gap && lastAgg >= 1n) {
      next = (phase << PHASE_SHIFT) | lastAgg;
    } else if (phase > 1n) {
      next = await lastRoundOfPhase(client, feed, phase - 1n);
    } else {
      next = undefined;
    }
  }
  if (toCache.length > 0) store.saveRounds(feed, toCache);
  return out;
}

/** Default bound of the settlement-round walk (rounds read back from the latest). */
export const SETTLEMENT_MAX_ROUNDS = 2_000;

/**
 * The first round of `feed` updated at or after `expiry` (the round an option venue settles on):
 * walks back from the latest round (cached, paged; collectRounds) to the last round updated before
 * expiry, at most `maxRounds` rounds. Throws a clear error when no round is at or after expiry yet,
 * when the walk does not reach expiry within the bound, or when the first round after expiry opens
 * a new aggregator phase (its predecessor is not round id - 1, which a venue that verifies
 * "first" by reading round id - 1 cannot check).
 */
export async function findSettlementRound(
  client: PublicClient,
  store: Store,
  feed: Address,
  expiry: number,
  nowTs: number,
  opts: { maxRounds?: number; multicall?: boolean } = {},
): Promise<RoundRow & { previous: RoundRow }> {
  const maxRounds = opts.maxRounds ?? SETTLEMENT_MAX_ROUNDS;
  const rounds = await collectRounds(
    client,
    store,
    feed,
    expiry,
    nowTs,
    100,
    opts.multicall ?? true,
    maxRounds,
  );
  const last = rounds[rounds.length - 1];
  if (last === undefined || last.updatedAt >= expiry)
    throw new Error(
      `feed ${feed}: no round updated before expiry ${expiry} within the last ${rounds.length} rounds (bound ${maxRounds}); ` +
        "settle with an explicit round id, or raise the bound",
    );
  const first = rounds[rounds.length - 2];
  if (first === undefined)
    throw new Error(
      `feed ${feed}: no round at or after expiry ${expiry} yet (latest round ${last.roundId} updated at ${last.updatedAt}); settle after the next update`,
    );
  if (first.roundId !== last.roundId + 1n)
    throw new Error(
      `feed ${feed}: the first round after expiry (${first.roundId}) does not follow round ${last.roundId} in the same phase; the venue cannot verify it`,
    );
  return { ...first, previous: last };
}

/** Daily closes for `days` days ending with the day of `nowTs`, NaN before the feed's first round. */
export function dailyCloses(
  rounds: readonly RoundRow[],
  decimals: number,
  firstDay: number,
  lastDay: number,
): Float64Array {
  const sorted = [...rounds].sort((a, b) => a.updatedAt - b.updatedAt || (a.roundId < b.roundId ? -1 : 1));
  const out = new Float64Array(lastDay - firstDay + 1).fill(Number.NaN);
  let j = -1;
  for (let d = firstDay; d <= lastDay; d++) {
    const dayEnd = (d + 1) * DAY;
    while (j + 1 < sorted.length && sorted[j + 1]!.updatedAt < dayEnd) j++;
    if (j >= 0) {
      const answer = sorted[j]!.answer;
      out[d - firstDay] = answer > 0n ? toFloat(answer, decimals) : Number.NaN;
    }
  }
  return out;
}

export async function feedDecimals(client: PublicClient, store: Store, feed: Address): Promise<number> {
  const meta = store.getFeedMeta(feed);
  if (meta) return meta.decimals;
  const d = await client.readContract({ address: feed, abi: AGGREGATOR_ABI, functionName: "decimals" });
  store.setFeedMeta(feed, d, null);
  return d;
}

/** Price history for every configured token -> feed, on one calendar. */
export async function loadHistory(
  client: PublicClient,
  store: Store,
  feeds: Record<string, Address>,
  days: number,
  nowTs: number,
  opts: { multicall?: boolean } = {},
): Promise<PriceHistory> {
  const lastDay = Math.floor(nowTs / DAY);
  const firstDay = lastDay - days + 1;
  const calendar = Array.from({ length: days }, (_, i) => firstDay + i);
  const prices = new Map<string, Float64Array>();
  await Promise.all(
    Object.entries(feeds).map(async ([token, feed]) => {
      const decimals = await feedDecimals(client, store, feed);
      const rounds = await collectRounds(
        client,
        store,
        feed,
        firstDay * DAY,
        nowTs,
        100,
        opts.multicall ?? true,
      );
      prices.set(getAddress(token), dailyCloses(rounds, decimals, firstDay, lastDay));
    }),
  );
  return { days: calendar, prices };
}
