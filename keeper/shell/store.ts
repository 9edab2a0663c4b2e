/**
 * Embedded SQLite store (node:sqlite): Chainlink rounds and daily prices, plans, and the journal of
 * transactions. The journal is written in this order: intent (before signing), attempt with the
 * signed raw transaction and its hash (before broadcasting), sent mark, outcome. A restarted
 * keeper replays only what the journal says is still open.
 */
import { DatabaseSync } from "node:sqlite";

export type IntentStatus =
  "pending" | "sent" | "mined" | "confirmed" | "reverted" | "dropped" | "superseded" | "failed";
export const OPEN_STATUSES: readonly IntentStatus[] = ["pending", "sent", "mined"];

export interface IntentRow {
  id: number;
  kind: string;
  vault: string;
  rebalanceNonce: string | null;
  planId: number | null;
  target: string;
  data: string;
  sender: string;
  accountNonce: number | null;
  status: IntentStatus;
  txHash: string | null;
  blockNumber: number | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AttemptRow {
  id: number;
  intentId: number;
  txHash: string;
  rawTx: string;
  accountNonce: number;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  broadcast: number;
  createdAt: number;
}

export interface RoundRow {
  roundId: bigint;
  answer: bigint;
  updatedAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rounds (
  feed TEXT NOT NULL, round_id TEXT NOT NULL, answer TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (feed, round_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rounds_by_time ON rounds (feed, updated_at);
CREATE TABLE IF NOT EXISTS feed_meta (feed TEXT PRIMARY KEY, decimals INTEGER NOT NULL, oldest_round TEXT, complete_before INTEGER);
CREATE TABLE IF NOT EXISTS plans (
  id INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, vault TEXT NOT NULL,
  rebalance_nonce TEXT NOT NULL, block_number INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS intents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, vault TEXT NOT NULL, rebalance_nonce TEXT,
  plan_id INTEGER, target TEXT NOT NULL, data TEXT NOT NULL, sender TEXT NOT NULL, account_nonce INTEGER,
  status TEXT NOT NULL, tx_hash TEXT, block_number INTEGER, error TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS one_open_rebalance ON intents (vault, rebalance_nonce)
  WHERE kind = 'rebalance' AND status IN ('pending', 'sent', 'mined');
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, intent_id INTEGER NOT NULL REFERENCES intents(id),
  tx_hash TEXT NOT NULL UNIQUE, raw_tx TEXT NOT NULL, account_nonce INTEGER NOT NULL,
  max_fee_per_gas TEXT NOT NULL, max_priority_fee_per_gas TEXT NOT NULL, broadcast INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function intentFrom(r: Row): IntentRow {
  return {
    id: num(r.id),
    kind: String(r.kind),
    vault: String(r.vault),
    rebalanceNonce: strOrNull(r.rebalance_nonce),
    planId: numOrNull(r.plan_id),
    target: String(r.target),
    data: String(r.data),
    sender: String(r.sender),
    accountNonce: numOrNull(r.account_nonce),
    status: String(r.status) as IntentStatus,
    txHash: strOrNull(r.tx_hash),
    blockNumber: numOrNull(r.block_number),
    error: strOrNull(r.error),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function attemptFrom(r: Row): AttemptRow {
  return {
    id: num(r.id),
    intentId: num(r.intent_id),
    txHash: String(r.tx_hash),
    rawTx: String(r.raw_tx),
    accountNonce: num(r.account_nonce),
    maxFeePerGas: String(r.max_fee_per_gas),
    maxPriorityFeePerGas: String(r.max_priority_fee_per_gas),
    broadcast: num(r.broadcast),
    createdAt: num(r.created_at),
  };
}

export class Store {
  readonly db: DatabaseSync;
  private readonly now: () => number;

  constructor(path: string, now: () => number = Date.now) {
    this.db = new DatabaseSync(path);
    this.now = now;
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
    );
    this.db.exec(SCHEMA);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  // ---- prices ----
  saveRounds(feed: string, rounds: readonly RoundRow[]): void {
    const st = this.db.prepare(
      "INSERT OR REPLACE INTO rounds (feed, round_id, answer, updated_at) VALUES (?, ?, ?, ?)",
    );
    this.db.exec("BEGIN");
    try {
      for (const r of rounds)
        st.run(feed.toLowerCase(), r.roundId.toString(), r.answer.toString(), r.updatedAt);
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  getRound(feed: string, roundId: bigint): RoundRow | undefined {
    const r = this.db
      .prepare("SELECT round_id, answer, updated_at FROM rounds WHERE feed = ? AND round_id = ?")
      .get(feed.toLowerCase(), roundId.toString()) as Row | undefined;
    return r
      ? {
          roundId: BigInt(String(r.round_id)),
          answer: BigInt(String(r.answer)),
          updatedAt: num(r.updated_at),
        }
      : undefined;
  }

  roundsSince(feed: string, sinceTs: number): RoundRow[] {
    const rows = this.db
      .prepare(
        "SELECT round_id, answer, updated_at FROM rounds WHERE feed = ? AND updated_at >= ? ORDER BY updated_at",
      )
      .all(feed.toLowerCase(), sinceTs) as Row[];
    return rows.map((r) => ({
      roundId: BigInt(String(r.round_id)),
      answer: BigInt(String(r.answer)),
      updatedAt: num(r.updated_at),
    }));
  }

  setFeedMeta(feed: string, decimals: number, completeBefore: number | null): void {
    this.db
      .prepare(
        "INSERT INTO feed_meta (feed, decimals, complete_before) VALUES (?, ?, ?) ON CONFLICT(feed) DO UPDATE SET decimals = excluded.decimals, complete_before = excluded.complete_before",
      )
      .run(feed.toLowerCase(), decimals, completeBefore);
  }

  getFeedMeta(feed: string): { decimals: number; completeBefore: number | null } | undefined {
    const r = this.db
      .prepare("SELECT decimals, complete_before FROM feed_meta WHERE feed = ?")
      .get(feed.toLowerCase()) as Row | undefined;
    return r ? { decimals: num(r.decimals), completeBefore: numOrNull(r.complete_before) } : undefined;
  }

  // ---- plans ----
  savePlan(vault: string, rebalanceNonce: bigint, blockNumber: bigint, body: unknown): number {
    const r = this.db
      .prepare(
        "INSERT INTO plans (created_at, vault, rebalance_nonce, block_number, body) VALUES (?, ?, ?, ?, ?)",
      )
      .run(
        this.now(),
        vault.toLowerCase(),
        rebalanceNonce.toString(),
        Number(blockNumber),
        JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      );
    return Number(r.lastInsertRowid);
  }

  lastPlan(): { id: number; body: unknown; createdAt: number } | undefined {
    const r = this.db.prepare("SELECT id, body, created_at FROM plans ORDER BY id DESC LIMIT 1").get() as
      Row | undefined;
    return r
      ? { id: num(r.id), body: JSON.parse(String(r.body)) as unknown, createdAt: num(r.created_at) }
      : undefined;
  }

  // ---- journal ----
  /** Records the intent before anything is signed. Throws if an open rebalance for this nonce exists. */
  recordIntent(i: {
    kind: string;
    vault: string;
    rebalanceNonce: bigint | null;
    planId: number | null;
    target: string;
    data: string;
    sender: string;
  }): number {
    const t = this.now();
    const r = this.db
      .prepare(
        "INSERT INTO intents (kind, vault, rebalance_nonce, plan_id, target, data, sender, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
      )
      .run(
        i.kind,
        i.vault.toLowerCase(),
        i.rebalanceNonce === null ? null : i.rebalanceNonce.toString(),
        i.planId,
        i.target.toLowerCase(),
        i.data,
        i.sender.toLowerCase(),
        t,
        t,
      );
    return Number(r.lastInsertRowid);
  }

  /** Records a signed attempt (hash + raw) before it is broadcast; the same bytes twice are one attempt. */
  recordAttempt(a: {
    intentId: number;
    txHash: string;
    rawTx: string;
    accountNonce: number;
    maxFeePerGas: bigint;
    maxPriorityFeePerGas: bigint;
  }): void {
    const t = this.now();
    this.db.exec("BEGIN");
    try {
      this.db
        .prepare(
          "INSERT INTO attempts (intent_id, tx_hash, raw_tx, account_nonce, max_fee_per_gas, max_priority_fee_per_gas, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(tx_hash) DO NOTHING",
        )
        .run(
          a.intentId,
          a.txHash,
          a.rawTx,
          a.accountNonce,
          a.maxFeePerGas.toString(),
          a.maxPriorityFeePerGas.toString(),
          t,
        );
      this.db
        .prepare("UPDATE intents SET account_nonce = ?, updated_at = ? WHERE id = ?")
        .run(a.accountNonce, t, a.intentId);
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }

  markBroadcast(intentId: number, txHash: string): void {
    const t = this.now();
    this.db.prepare("UPDATE attempts SET broadcast = 1 WHERE tx_hash = ?").run(txHash);
    this.db
      .prepare(
        "UPDATE intents SET status = CASE WHEN status = 'pending' THEN 'sent' ELSE status END, tx_hash = ?, updated_at = ? WHERE id = ?",
      )
      .run(txHash, t, intentId);
  }

  setStatus(
    intentId: number,
    status: IntentStatus,
    extra: { txHash?: string; blockNumber?: bigint | number | null; error?: string | null } = {},
  ): void {
    this.db
      .prepare(
        "UPDATE intents SET status = ?, tx_hash = COALESCE(?, tx_hash), block_number = ?, error = COALESCE(?, error), updated_at = ? WHERE id = ?",
      )
      .run(
        status,
        extra.txHash ?? null,
        extra.blockNumber === undefined || extra.blockNumber === null ? null : Number(extra.blockNumber),
        extra.error ?? null,
        this.now(),
        intentId,
      );
  }

  getIntent(id: number): IntentRow | undefined {
    const r = this.db.prepare("SELECT * FROM intents WHERE id = ?").get(id) as Row | undefined;
    return r ? intentFrom(r) : undefined;
  }

  openIntents(sender?: string): IntentRow[] {
    const rows = sender
      ? (this.db
          .prepare(
            "SELECT * FROM intents WHERE status IN ('pending','sent','mined') AND sender = ? ORDER BY id",
          )
          .all(sender.toLowerCase()) as Row[])
      : (this.db
          .prepare("SELECT * FROM intents WHERE status IN ('pending','sent','mined') ORDER BY id")
          .all() as Row[]);
    return rows.map(intentFrom);
  }

  intents(): IntentRow[] {
    return (this.db.prepare("SELECT * FROM intents ORDER BY id").all() as Row[]).map(intentFrom);
  }

  attempts(intentId: number): AttemptRow[] {
    return (
      this.db.prepare("SELECT * FROM attempts WHERE intent_id = ? ORDER BY id").all(intentId) as Row[]
    ).map(attemptFrom);
  }

  /** Highest account nonce this store ever signed for `sender`, or -1. */
  maxSignedNonce(sender: string): number {
    const r = this.db
      .prepare(
        "SELECT MAX(a.account_nonce) AS n FROM attempts a JOIN intents i ON i.id = a.intent_id WHERE i.sender = ?",
      )
      .get(sender.toLowerCase()) as Row | undefined;
    return r && r.n !== null && r.n !== undefined ? num(r.n) : -1;
  }

  // ---- meta ----
  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
  }

  getMeta(key: string): string | undefined {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as Row | undefined;
    return r ? String(r.value) : undefined;
  }
}
