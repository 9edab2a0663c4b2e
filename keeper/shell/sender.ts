/**
 * The transaction sender. For every transaction: simulate (eth_call) and estimate gas, check the
 * fee cap, record the intent, sign locally with its own account-nonce counter, record the signed
 * attempt (hash + raw) BEFORE broadcasting, broadcast, wait for the receipt, replace with a fee
 * bump when stuck, wait for `confirmations` blocks (re-checking the receipt, so a reorg that drops
 * it sends the same signed transaction again), record the outcome. Custom errors are decoded with
 * the vault ABI. `reconcile` resumes whatever a killed keeper left open without sending twice.
 */
import {
  BaseError,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  decodeErrorResult,
  keccak256,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import type { Logger } from "pino";
import type { KeeperMetrics } from "./metrics.ts";
import type { AttemptRow, IntentRow, Store } from "./store.ts";

export interface SenderOptions {
  chainId: number;
  confirmations: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  bumpPercent: number;
  stuckAfterMs: number;
  maxReplacements: number;
  gasLimitMultiplier: number;
  pollMs: number;
  /** Give up waiting (leave the intent open for the next cycle) after this long. */
  maxWaitMs: number;
  errorAbi: Abi;
}

export interface TxRequest {
  kind: string;
  vault: Address;
  to: Address;
  data: Hex;
  /** The vault rebalance nonce the calldata carries (null for non-rebalance calls). */
  rebalanceNonce: bigint | null;
  planId: number | null;
}

export interface DecodedError {
  name: string;
  args: readonly unknown[];
  message: string;
}

export type SendOutcome =
  | { status: "confirmed"; intentId: number; txHash: Hex; blockNumber: bigint; receipt: TransactionReceipt }
  | {
      status: "reverted";
      intentId: number;
      txHash: Hex;
      blockNumber: bigint;
      error: DecodedError | undefined;
    }
  | { status: "simulation-failed"; error: DecodedError }
  | { status: "fee-cap"; baseFeePerGas: bigint; maxFeePerGas: bigint }
  | { status: "already-open"; intentId: number }
  | { status: "dropped"; intentId: number; reason: string }
  | { status: "pending"; intentId: number; reason: string };

/** Test hooks to inject crashes at precise points (never set in production). */
export interface SenderHooks {
  afterIntent?: (intentId: number) => void;
  afterAttemptRecorded?: (intentId: number, hash: Hex) => void;
  afterBroadcast?: (intentId: number, hash: Hex) => void;
  afterReceipt?: (intentId: number, hash: Hex) => void;
}

export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = "SimulatedCrash";
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function messages(e: unknown): string {
  const parts: string[] = [];
  if (e instanceof BaseError) {
    e.walk((x) => {
      const err = x as BaseError & { details?: string };
      parts.push(err.shortMessage ?? "", err.details ?? "", err.message ?? "");
      return false;
    });
  } else if (e instanceof Error) parts.push(e.message);
  else parts.push(String(e));
  return parts.join(" | ");
}

export const isNonceTooLow = (e: unknown): boolean =>
  /nonce too low|nonce has already been used|NonceTooLow|nonce.*(is )?lower than/i.test(messages(e));
export const isUnderpriced = (e: unknown): boolean =>
  /replacement transaction underpriced|underpriced|ReplacementUnderpriced/i.test(messages(e));
export const isAlreadyKnown = (e: unknown): boolean =>
  /already known|known transaction|already imported|AlreadyKnown/i.test(messages(e));

/** True when the error is the chain saying "this call reverts" (not a transport failure). */
export function isRevert(e: unknown): boolean {
  if (!(e instanceof BaseError)) return false;
  let revert = false;
  e.walk((x) => {
    const err = x as BaseError & { code?: number; data?: unknown };
    if (err.name === "HttpRequestError" || err.name === "TimeoutError") return false;
    if (
      err.name === "RawContractError" ||
      err.name === "ContractFunctionRevertedError" ||
      err.name === "ExecutionRevertedError"
    )
      revert = true;
    if (
      err.code === 3 ||
      (typeof err.data === "string" && err.data.startsWith("0x") && err.data.length >= 10)
    )
      revert = true;
    if (/execution reverted|reverted with|revert/i.test(err.shortMessage ?? "")) revert = true;
    return revert;
  });
  return revert;
}

/** Finds revert data in a viem error chain and decodes it with `abi`. */
export function decodeRevert(e: unknown, abi: Abi): DecodedError {
  let data: Hex | undefined;
  if (e instanceof BaseError) {
    e.walk((x) => {
      const d = (x as { data?: unknown }).data;
      if (typeof d === "string" && d.startsWith("0x") && d.length >= 10) {
        data = d as Hex;
        return true;
      }
      if (d && typeof d === "object" && typeof (d as { data?: unknown }).data === "string") {
        data = (d as { data: Hex }).data;
        return true;
      }
      return false;
    });
  }
  if (data) {
    try {
      const r = decodeErrorResult({ abi, data });
      return {
        name: r.errorName,
        args: (r.args ?? []) as readonly unknown[],
        message: `${r.errorName}(${(r.args ?? []).map(String).join(", ")})`,
      };
    } catch {
      return {
        name: "UnknownCustomError",
        args: [data],
        message: `unknown revert data ${data.slice(0, 10)}`,
      };
    }
  }
  const msg = e instanceof BaseError ? e.shortMessage : e instanceof Error ? e.message : String(e);
  return { name: "Error", args: [], message: msg };
}

function bump(x: bigint, percent: number): bigint {
  return (x * BigInt(100 + percent) + 99n) / 100n;
}

export class Sender {
  private nextNonce: number | undefined;
  private readonly client: PublicClient;
  private readonly account: PrivateKeyAccount;
  private readonly store: Store;
  private readonly opts: SenderOptions;
  private readonly log: Logger;
  private readonly metrics: KeeperMetrics | undefined;
  hooks: SenderHooks = {};
  /**
   * Set by the service: for an intent whose transaction is neither mined nor known to the node,
   * says why it must not be re-sent (e.g. the vault's rebalance nonce moved past it), or undefined.
   */
  staleCheck: ((intent: IntentRow) => Promise<string | undefined>) | undefined;

  constructor(args: {
    client: PublicClient;
    account: PrivateKeyAccount;
    store: Store;
    options: SenderOptions;
    logger: Logger;
    metrics?: KeeperMetrics;
  }) {
    this.client = args.client;
    this.account = args.account;
    this.store = args.store;
    this.opts = args.options;
    this.log = args.logger.child({ component: "sender", from: args.account.address });
    this.metrics = args.metrics;
  }

  get address(): Address {
    return this.account.address;
  }

  /** eth_call of the request from the keeper's account; returns the decoded error or undefined. */
  async simulate(to: Address, data: Hex): Promise<DecodedError | undefined> {
    try {
      await this.client.call({ account: this.account.address, to, data });
      return undefined;
    } catch (e) {
      // Only a revert is a simulation result; a transport failure is an error of the cycle.
      if (!isRevert(e)) throw e;
      return decodeRevert(e, this.opts.errorAbi);
    }
  }

  private async syncNonce(): Promise<number> {
    const n = await this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" });
    this.nextNonce = n;
    return n;
  }

  /** Fees for a first attempt, capped; undefined when the base fee alone exceeds the cap. */
  private async initialFees(): Promise<
    | { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; baseFee: bigint }
    | { capped: true; baseFee: bigint }
  > {
    const block = await this.client.getBlock({ blockTag: "latest" });
    const baseFee = block.baseFeePerGas ?? 0n;
    let prio: bigint;
    try {
      prio = await this.client.estimateMaxPriorityFeePerGas();
    } catch {
      prio = 1_000_000_000n;
    }
    prio = prio > this.opts.maxPriorityFeePerGas ? this.opts.maxPriorityFeePerGas : prio;
    if (baseFee + prio > this.opts.maxFeePerGas) return { capped: true, baseFee };
    let maxFee = baseFee * 2n + prio;
    if (maxFee > this.opts.maxFeePerGas) maxFee = this.opts.maxFeePerGas;
    return { maxFeePerGas: maxFee, maxPriorityFeePerGas: prio, baseFee };
  }

  private async sign(
    to: Address,
    data: Hex,
    nonce: number,
    gas: bigint,
    maxFeePerGas: bigint,
    maxPriorityFeePerGas: bigint,
  ): Promise<{ raw: Hex; hash: Hex }> {
    const raw = await this.account.signTransaction({
      type: "eip1559",
      chainId: this.opts.chainId,
      to,
      data,
      nonce,
      gas,
      maxFeePerGas,
      maxPriorityFeePerGas,
      value: 0n,
    });
    return { raw, hash: keccak256(raw) };
  }

  /** Broadcasts a signed transaction; "already known" counts as success. Throws classified errors. */
  private async broadcast(raw: Hex): Promise<void> {
    try {
      await this.client.request({ method: "eth_sendRawTransaction", params: [raw] });
    } catch (e) {
      if (isAlreadyKnown(e)) return;
      throw e;
    }
  }

  /** Simulates, records and sends `req`, then follows it to an outcome. */
  async send(req: TxRequest): Promise<SendOutcome> {
    // simulation and gas estimate in one round trip; the estimate matters only if the call succeeds
    const [sim, est] = await Promise.allSettled([
      this.simulate(req.to, req.data),
      this.client.estimateGas({ account: this.account.address, to: req.to, data: req.data }),
    ]);
    if (sim.status === "rejected") throw sim.reason;
    const simError = sim.value;
    if (simError) {
      this.metrics?.txFailed.inc({ kind: req.kind, reason: "simulation" });
      this.log.warn({ kind: req.kind, error: simError.message }, "simulation failed; not sending");
      return { status: "simulation-failed", error: simError };
    }
    const fees = await this.initialFees();
    if ("capped" in fees) {
      this.log.warn(
        { baseFee: fees.baseFee.toString(), cap: this.opts.maxFeePerGas.toString() },
        "base fee above the fee cap; not sending",
      );
      return { status: "fee-cap", baseFeePerGas: fees.baseFee, maxFeePerGas: this.opts.maxFeePerGas };
    }
    if (est.status === "rejected") throw est.reason; // never guess a gas limit
    const gas = BigInt(Math.ceil(Number(est.value) * this.opts.gasLimitMultiplier));

    let intentId: number;
    try {
      intentId = this.store.recordIntent({
        kind: req.kind,
        vault: req.vault,
        rebalanceNonce: req.rebalanceNonce,
        planId: req.planId,
        target: req.to,
        data: req.data,
        sender: this.account.address,
      });
    } catch (e) {
      if (/UNIQUE/i.test((e as Error).message)) {
        const open = this.store
          .openIntents(this.account.address)
          .find((i) => i.kind === req.kind && i.rebalanceNonce === String(req.rebalanceNonce));
        return { status: "already-open", intentId: open?.id ?? -1 };
      }
      throw e;
    }
    this.hooks.afterIntent?.(intentId);

    let nonce = this.nextNonce ?? (await this.syncNonce());
    let maxFee = fees.maxFeePerGas;
    let prio = fees.maxPriorityFeePerGas;
    for (let tries = 0; ; tries++) {
      const { raw, hash } = await this.sign(req.to, req.data, nonce, gas, maxFee, prio);
      this.store.recordAttempt({
        intentId,
        txHash: hash,
        rawTx: raw,
        accountNonce: nonce,
        maxFeePerGas: maxFee,
        maxPriorityFeePerGas: prio,
      });
      this.hooks.afterAttemptRecorded?.(intentId, hash);
      try {
        await this.broadcastRobust(raw, hash);
      } catch (e) {
        if (isNonceTooLow(e) && tries < 3) {
          // Our counter was stale (another process used this account). Resync, re-simulate, re-sign.
          const mined = await this.findMinedAttempt(intentId);
          if (mined) break;
          this.log.warn(
            { nonce, error: messages(e).slice(0, 200) },
            "nonce too low; resyncing the account nonce",
          );
          nonce = await this.syncNonce();
          const again = await this.simulate(req.to, req.data);
          if (again) {
            if (await this.findMinedAttempt(intentId)) break; // ours got mined meanwhile
            this.store.setStatus(intentId, "dropped", {
              error: `nonce too low, then simulation failed: ${again.message}`,
            });
            return { status: "simulation-failed", error: again };
          }
          continue;
        }
        if (isUnderpriced(e) && tries < 3) {
          // A transaction with this nonce is already pending (e.g. from a previous run): outbid it.
          maxFee = bump(maxFee, this.opts.bumpPercent);
          prio = bump(prio, this.opts.bumpPercent);
          if (maxFee > this.opts.maxFeePerGas) {
            this.store.setStatus(intentId, "failed", {
              error: "replacement underpriced and the fee cap leaves no room",
            });
            return { status: "fee-cap", baseFeePerGas: fees.baseFee, maxFeePerGas: this.opts.maxFeePerGas };
          }
          continue;
        }
        this.metrics?.txFailed.inc({ kind: req.kind, reason: "broadcast" });
        this.log.error(
          { intentId, hash, error: messages(e).slice(0, 300) },
          "broadcast failed; the intent stays open for reconciliation",
        );
        return { status: "pending", intentId, reason: `broadcast failed: ${messages(e).slice(0, 200)}` };
      }
      this.store.markBroadcast(intentId, hash);
      this.metrics?.txSent.inc({ kind: req.kind });
      this.hooks.afterBroadcast?.(intentId, hash);
      this.log.info(
        { intentId, kind: req.kind, hash, nonce, rebalanceNonce: req.rebalanceNonce?.toString() },
        "transaction sent",
      );
      break;
    }
    this.nextNonce = nonce + 1;
    return this.follow(intentId, req.kind);
  }

  /**
   * Broadcasts; when the outcome of a failed broadcast is unknown (timeout, 5xx, dropped
   * connection), asks the node for the hash before trying the same bytes again.
   */
  private async broadcastRobust(raw: Hex, hash: Hex): Promise<void> {
    let lastError: unknown;
    for (let i = 0; i < 3; i++) {
      try {
        await this.broadcast(raw);
        return;
      } catch (e) {
        if (isNonceTooLow(e) || isUnderpriced(e)) {
          // The node may have accepted our own bytes on an earlier try that we did not hear back from.
          if (await this.knownToNode(hash, true)) return;
          throw e;
        }
        lastError = e;
        if (await this.knownToNode(hash, true)) return;
        await sleep(this.opts.pollMs);
      }
    }
    throw lastError;
  }

  /**
   * Whether the node knows the transaction (pending or mined). Only a "not found" answer means
   * false; an RPC failure throws (decisions are never made on missing information), unless
   * `lenient` (used where a wrong "false" only causes a harmless re-send of the same bytes).
   */
  private async knownToNode(hash: Hex, lenient = false): Promise<boolean> {
    try {
      const tx = await this.client.getTransaction({ hash });
      return tx !== null && tx !== undefined;
    } catch (e) {
      if (e instanceof TransactionNotFoundError || lenient) return false;
      throw e;
    }
  }

  /** The receipt, or undefined when the node answers "not found"; RPC failures throw. */
  private async receiptOf(hash: Hex): Promise<TransactionReceipt | undefined> {
    try {
      return await this.client.getTransactionReceipt({ hash: hash });
    } catch (e) {
      if (e instanceof TransactionReceiptNotFoundError) return undefined;
      throw e;
    }
  }

  private async findMinedAttempt(
    intentId: number,
  ): Promise<{ attempt: AttemptRow; receipt: TransactionReceipt } | undefined> {
    for (const a of this.store.attempts(intentId)) {
      const r = await this.receiptOf(a.txHash as Hex);
      if (r) return { attempt: a, receipt: r };
    }
    return undefined;
  }

  /** Waits for the intent's attempts: replaces when stuck, confirms, survives reorgs. */
  async follow(intentId: number, kind: string): Promise<SendOutcome> {
    const started = Date.now();
    let lastBroadcastAt = Date.now();
    let replacements = Math.max(0, this.store.attempts(intentId).length - 1);
    for (;;) {
      try {
        const mined = await this.findMinedAttempt(intentId);
        if (mined) {
          const out = await this.confirm(intentId, kind, mined.attempt, mined.receipt);
          if (out) return out;
          // receipt vanished (reorg): fall through and make sure the bytes are back in a mempool
          lastBroadcastAt = 0;
        }
        if (Date.now() - started > this.opts.maxWaitMs) {
          return { status: "pending", intentId, reason: "still waiting for a receipt" };
        }
        const attempts = this.store.attempts(intentId);
        const latest = attempts[attempts.length - 1];
        if (!latest) return { status: "dropped", intentId, reason: "no signed attempt" };
        if (Date.now() - lastBroadcastAt >= this.opts.stuckAfterMs) {
          const inPool = await this.knownToNode(latest.txHash as Hex);
          const accountNonce = await this.client.getTransactionCount({
            address: this.account.address,
            blockTag: "latest",
          });
          if (accountNonce > latest.accountNonce) {
            // The nonce is used but none of our hashes is mined: wait one more round for a lagging
            // receipt, then call it dropped (someone else used this account nonce).
            await sleep(this.opts.pollMs);
            const again = await this.findMinedAttempt(intentId);
            if (again) continue;
            this.store.setStatus(intentId, "dropped", {
              error: "account nonce consumed by another transaction",
            });
            this.metrics?.txFailed.inc({ kind, reason: "dropped" });
            return { status: "dropped", intentId, reason: "account nonce consumed by another transaction" };
          }
          if (!inPool) {
            // Dropped from the mempool or reorganised out: the same signed bytes are safe to resend.
            this.log.warn(
              { intentId, hash: latest.txHash },
              "transaction not known to the node; rebroadcasting the same bytes",
            );
            try {
              await this.broadcastRobust(latest.rawTx as Hex, latest.txHash as Hex);
            } catch (e) {
              this.log.warn({ intentId, error: messages(e).slice(0, 200) }, "rebroadcast failed");
            }
            lastBroadcastAt = Date.now();
          } else if (replacements < this.opts.maxReplacements) {
            await this.replace(intentId, kind, latest);
            replacements++;
            lastBroadcastAt = Date.now();
          } else {
            lastBroadcastAt = Date.now();
          }
        }
      } catch (e) {
        if (e instanceof SimulatedCrash) throw e;
        // A failing RPC call: decide nothing on missing information, poll again.
        this.log.warn({ intentId, error: messages(e).slice(0, 200) }, "RPC error while following; retrying");
        if (Date.now() - started > this.opts.maxWaitMs) {
          return { status: "pending", intentId, reason: "RPC errors while waiting for a receipt" };
        }
      }
      await sleep(this.opts.pollMs);
    }
  }

  /** Replacement with the same nonce and fees raised by bumpPercent (capped). */
  private async replace(intentId: number, kind: string, latest: AttemptRow): Promise<void> {
    const intent = this.store.getIntent(intentId);
    if (!intent) return;
    let maxFee = bump(BigInt(latest.maxFeePerGas), this.opts.bumpPercent);
    let prio = bump(BigInt(latest.maxPriorityFeePerGas), this.opts.bumpPercent);
    if (maxFee > this.opts.maxFeePerGas) maxFee = this.opts.maxFeePerGas;
    if (prio > maxFee) prio = maxFee;
    if (maxFee * 100n < BigInt(latest.maxFeePerGas) * 110n) {
      this.log.warn({ intentId }, "stuck, but the fee cap leaves no room for a replacement; waiting");
      return;
    }
    const tx = await this.client.getTransaction({ hash: latest.txHash as Hex }).catch(() => undefined);
    const gas = tx?.gas ?? 1_000_000n;
    for (let tries = 0; tries < 3; tries++) {
      const { raw, hash } = await this.sign(
        intent.target as Address,
        intent.data as Hex,
        latest.accountNonce,
        gas,
        maxFee,
        prio,
      );
      this.store.recordAttempt({
        intentId,
        txHash: hash,
        rawTx: raw,
        accountNonce: latest.accountNonce,
        maxFeePerGas: maxFee,
        maxPriorityFeePerGas: prio,
      });
      try {
        await this.broadcastRobust(raw, hash);
        this.store.markBroadcast(intentId, hash);
        this.metrics?.txSent.inc({ kind });
        this.log.info(
          { intentId, hash, maxFeePerGas: maxFee.toString() },
          "replacement sent with bumped fees",
        );
        return;
      } catch (e) {
        if (isUnderpriced(e)) {
          this.log.warn({ intentId }, "replacement underpriced; bumping again");
          maxFee = bump(maxFee, this.opts.bumpPercent);
          prio = bump(prio, this.opts.bumpPercent);
          if (maxFee > this.opts.maxFeePerGas) return;
          continue;
        }
        if (isNonceTooLow(e)) return; // one of our attempts got mined meanwhile; follow() will see it
        this.log.warn({ intentId, error: messages(e).slice(0, 200) }, "replacement broadcast failed");
        return;
      }
    }
  }

  /** Waits for confirmations; re-reads the receipt. Returns undefined if the receipt disappeared. */
  private async confirm(
    intentId: number,
    kind: string,
    attempt: AttemptRow,
    receipt: TransactionReceipt,
  ): Promise<SendOutcome | undefined> {
    this.store.setStatus(intentId, "mined", { txHash: attempt.txHash, blockNumber: receipt.blockNumber });
    this.hooks.afterReceipt?.(intentId, attempt.txHash as Hex);
    const need = BigInt(Math.max(1, this.opts.confirmations));
    const started = Date.now();
    let current = receipt;
    for (;;) {
      if (Date.now() - started > this.opts.maxWaitMs) {
        return { status: "pending", intentId, reason: `waiting for ${need} confirmations` };
      }
      const head = await this.client.getBlockNumber({ cacheTime: 0 });
      const again = await this.receiptOf(attempt.txHash as Hex);
      if (!again) {
        this.log.warn(
          { intentId, hash: attempt.txHash },
          "receipt disappeared (reorg); following the transaction again",
        );
        this.store.setStatus(intentId, "sent", { txHash: attempt.txHash, blockNumber: null });
        return undefined;
      }
      current = again;
      if (head - current.blockNumber + 1n >= need) break;
      await sleep(this.opts.pollMs);
    }
    if (current.status === "success") {
      this.store.setStatus(intentId, "confirmed", {
        txHash: attempt.txHash,
        blockNumber: current.blockNumber,
      });
      this.metrics?.txConfirmed.inc({ kind });
      this.log.info(
        { intentId, kind, hash: attempt.txHash, block: current.blockNumber.toString() },
        "transaction confirmed",
      );
      return {
        status: "confirmed",
        intentId,
        txHash: attempt.txHash as Hex,
        blockNumber: current.blockNumber,
        receipt: current,
      };
    }
    const intent = this.store.getIntent(intentId);
    let error: DecodedError | undefined;
    if (intent) {
      try {
        await this.client.call({
          account: this.account.address,
          to: intent.target as Address,
          data: intent.data as Hex,
          blockNumber: current.blockNumber,
        });
      } catch (e) {
        error = decodeRevert(e, this.opts.errorAbi);
      }
    }
    this.store.setStatus(intentId, "reverted", {
      txHash: attempt.txHash,
      blockNumber: current.blockNumber,
      error: error?.message ?? "reverted",
    });
    this.metrics?.txFailed.inc({ kind, reason: error?.name ?? "reverted" });
    this.log.warn({ intentId, kind, hash: attempt.txHash, error: error?.message }, "transaction reverted");
    return {
      status: "reverted",
      intentId,
      txHash: attempt.txHash as Hex,
      blockNumber: current.blockNumber,
      error,
    };
  }

  /**
   * Resumes every open intent of this account after a restart (or at the start of a cycle):
   * never-signed intents are closed (nothing left the process); signed ones are followed by hash;
   * ones that are neither mined nor known to the node are re-simulated and their same signed
   * bytes re-sent only while the call would still succeed.
   */
  async reconcile(): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    for (const intent of this.store.openIntents(this.account.address)) {
      outcomes.push(await this.reconcileOne(intent));
    }
    await this.syncNonce();
    return outcomes;
  }

  private async reconcileOne(intent: IntentRow): Promise<SendOutcome> {
    const attempts = this.store.attempts(intent.id);
    if (attempts.length === 0) {
      this.store.setStatus(intent.id, "failed", { error: "stopped before signing; nothing was sent" });
      return { status: "dropped", intentId: intent.id, reason: "never signed" };
    }
    const mined = await this.findMinedAttempt(intent.id);
    if (!mined) {
      const latest = attempts[attempts.length - 1]!;
      const known = await this.knownToNode(latest.txHash as Hex);
      if (!known) {
        const accountNonce = await this.client.getTransactionCount({
          address: this.account.address,
          blockTag: "latest",
        });
        if (accountNonce > latest.accountNonce) {
          this.store.setStatus(intent.id, "dropped", {
            error: "account nonce consumed by another transaction",
          });
          return { status: "dropped", intentId: intent.id, reason: "account nonce consumed elsewhere" };
        }
        const stale = await this.staleCheck?.(intent);
        if (stale) {
          this.store.setStatus(intent.id, "superseded", { error: `not sent: ${stale}` });
          this.log.info({ intentId: intent.id, reason: stale }, "open intent superseded; not re-sending");
          return { status: "dropped", intentId: intent.id, reason: stale };
        }
        const simError = await this.simulate(intent.target as Address, intent.data as Hex);
        if (simError) {
          this.store.setStatus(intent.id, "dropped", {
            error: `not sent and no longer valid: ${simError.message}`,
          });
          return { status: "dropped", intentId: intent.id, reason: simError.message };
        }
        this.log.warn(
          { intentId: intent.id, hash: latest.txHash },
          "resending the recorded signed transaction after a restart",
        );
        try {
          await this.broadcastRobust(latest.rawTx as Hex, latest.txHash as Hex);
          this.store.markBroadcast(intent.id, latest.txHash);
          this.metrics?.txSent.inc({ kind: intent.kind });
        } catch (e) {
          return {
            status: "pending",
            intentId: intent.id,
            reason: `rebroadcast failed: ${messages(e).slice(0, 200)}`,
          };
        }
      } else if (intent.status === "pending") {
        this.store.markBroadcast(intent.id, latest.txHash);
      }
    }
    return this.follow(intent.id, intent.kind);
  }
}
