/**
 * One keeper cycle and the service loop. A cycle: reconcile the journal, read the vault's bounds,
 * deleverage when due, rebuild price history, plan (pure core), clamp to the reported limits,
 * simulate and send with the expected rebalance nonce, react to decoded errors (shrink a trade
 * above the cap and replan; stop on a stale nonce).
 */
import { encodeFunctionData, type Abi, type Address, type Hex, type PublicClient } from "viem";
import type { Logger } from "pino";
import { VAULT_ABI } from "./abi.ts";
import { readVaultState, type VaultState } from "./chain.ts";
import { plannedTradeToChain, type ChainTrade, type RawAssetState } from "./convert.ts";
import type { KeeperConfig } from "./config.ts";
import { loadHistory } from "./history.ts";
import { isYieldToken, readYieldRedeemableUsd, routeYieldTrade } from "./yield.ts";
import type { KeeperMetrics } from "./metrics.ts";
import type { PlannedTrade } from "../planner/types.ts";
import type { HedgeInput, PlanF, Planner } from "./ports.ts";
import type { DecodedError, SendOutcome, Sender } from "./sender.ts";
import type { Store } from "./store.ts";
import { portfolioGreeks, type Position } from "../options/index.ts";
import { bookPositions, planOverlay, type HedgeLine, type OverlayPlan } from "../strategy/index.ts";
import {
  collectCall,
  executeOverlay,
  OPTION_ADAPTER_ABI,
  planLifecycle,
  readOptionState,
  readPendingPayout,
  settleCall,
  type LifecyclePlan,
  type OptionChainConfig,
  type OptionCall,
  type OptionChainState,
  type OptionLifecycleCall,
} from "./options.ts";

export interface TradeDecision {
  tokenIn: string;
  tokenOut: string;
  value: number;
  reason: string;
  action: "trade" | "skip";
}

export interface CycleReport {
  blockNumber: string;
  rebalanceNonce: string;
  action: "rebalance" | "deleverage" | "skip" | "wait" | "dry-run";
  reason: string;
  decisions: TradeDecision[];
  planId?: number;
  outcome?: SendOutcome["status"];
  txHash?: string;
  error?: string;
  attempts: number;
  /** The option overlay's part of the cycle (only when `options` is configured). */
  options?: OptionsCycleReport;
  /** Delta hedge per underlying (options configured): net delta vs target, band, trade. */
  hedge?: HedgeLine[];
}

/** One line of the overlay plan: an order to send or a skip, with its reason. */
export interface OptionDecision {
  action: "open" | "close" | "settle" | "collect" | "skip";
  underlying: string;
  seriesId?: string;
  type?: "put" | "call";
  strike?: number;
  expiry?: number;
  amount?: number;
  /** Opens: the most the vault pays (USD); closes: the least it accepts (USD); settles and
   * collects: the payout expected (USD). */
  limit?: number;
  /** Settles: the Chainlink round id settled on. */
  roundId?: string;
  reason: string;
  detail: string;
}

export interface OptionsCycleReport {
  action: "sent" | "dry-run" | "skip" | "none";
  reason: string;
  decisions: OptionDecision[];
  premium?: OverlayPlan["premium"];
  sent: number;
  /** Expired series settled this cycle (confirmed adapter.settle transactions). */
  settled?: number;
  /** Payouts collected into the vault this cycle, USD (confirmed vault.closeOption(adapter, 0, 0, x)). */
  collected?: number;
  outcome?: string;
  error?: string;
}

export interface OptionGreeksLine {
  value: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  dollarDelta: number;
  dollarGamma: number;
}

export interface OptionsStatus {
  adapter: string;
  /** The adapter's realAssets(): the book at the venue's bid plus held payouts, USD. */
  bookValue: number;
  premiumUsed: number;
  /** Settled payouts the adapter holds for the vault (adapter.pendingPayout()), USD. */
  pendingPayout: number;
  /** What the next cycle does about expired series and held payouts (settle, collect). */
  lifecycle: OptionDecision[];
  book: {
    seriesId: string;
    underlying: string;
    type: "put" | "call";
    amount: number;
    strike: number;
    expiry: number;
    daysToExpiry: number;
    /** Black-76 value at the oracle's spot and volatility, USD. */
    value: number;
  }[];
  /** Greeks of the option book (keeper/options portfolioGreeks; spot holdings excluded). */
  greeks: {
    byUnderlying: Record<string, OptionGreeksLine>;
    total: Omit<OptionGreeksLine, "delta" | "gamma">;
  };
}

export interface StatusReport {
  vault: string;
  blockNumber: string;
  timestamp: number;
  rebalanceNonce: string;
  deleverageDue: boolean;
  deleverageReason: number;
  bounds: VaultState["bounds"];
  assets: {
    token: string;
    price: number;
    balance: number;
    value: number;
    netExposure: number;
    weight: number;
    targetWeight: number;
    riskContribution: number | null;
    /** Delta of the option positions on this underlying, USD (net exposure minus spot value). */
    optionDeltaUsd: number;
    maxWeightBps: number;
  }[];
  hasOptions: boolean;
  dispersion: number | null;
  portfolioVolatility: number | null;
  volScale: number | null;
  planError: string | null;
  lastRebalance: string | null;
  openTransactions: number;
  /** Option book and Greeks (null when `options` is not configured; `optionsError` when the read failed). */
  options: OptionsStatus | null;
  optionsError: string | null;
  /** Delta hedge per underlying (options configured and deltaHedge on), else null. */
  hedge: HedgeLine[] | null;
}

export interface ServiceDeps {
  config: KeeperConfig;
  client: PublicClient;
  store: Store;
  planner: Planner;
  metrics: KeeperMetrics;
  logger: Logger;
  sender?: Sender;
  errorAbi: Abi;
  /** Called with the block number and the time a new block was seen (benchmarks). */
  onBlockSeen?: (blockNumber: bigint, atMs: number) => void;
}

/** Max minus min of the risk-contribution shares (0 at perfect parity). */
export function dispersion(rc: Record<string, number>): number {
  const v = Object.values(rc).filter(Number.isFinite);
  return v.length === 0 ? 0 : Math.max(...v) - Math.min(...v);
}

/** Scales a planned trade (amount in and minimum out together) by `f` in (0, 1]. */
export function shrinkTrade(t: PlannedTrade, f: number, why: string): PlannedTrade {
  return {
    ...t,
    amountIn: t.amountIn * f,
    minAmountOut: t.minAmountOut * f,
    valueUsd: t.valueUsd * f,
    reason: `${t.reason}; ${why}`,
  };
}

/**
 * Last check of the planner's trades against the limits the vault just reported (defence in
 * depth; the planner already plans inside them): any trade above the per-trade cap is shrunk to it.
 */
export function guardTrades(
  trades: readonly PlannedTrade[],
  bounds: { maxTradeValue: number },
  margin: number,
): PlannedTrade[] {
  const cap = bounds.maxTradeValue * margin;
  return trades.map((t) =>
    t.valueUsd > cap && t.valueUsd > 0
      ? shrinkTrade(t, cap / t.valueUsd, `shrunk to ${margin} x the per-trade cap`)
      : t,
  );
}

function decisionsOf(plan: PlanF, trades: readonly PlannedTrade[]): TradeDecision[] {
  const out: TradeDecision[] = trades.map((t) => ({
    tokenIn: t.tokenIn,
    tokenOut: t.tokenOut,
    value: t.valueUsd,
    reason: t.reason,
    action: "trade",
  }));
  for (const s of plan.skipped)
    out.push({ tokenIn: s.asset, tokenOut: "", value: s.desiredValueUsd, reason: s.reason, action: "skip" });
  return out;
}

export class KeeperService {
  private readonly d: ServiceDeps;
  private readonly log: Logger;
  private running = false;
  private stopRequested = false;

  constructor(deps: ServiceDeps) {
    this.d = deps;
    this.log = deps.logger.child({ component: "service" });
    if (deps.sender) {
      // On restart, an unsent rebalance whose nonce the vault has moved past is superseded.
      deps.sender.staleCheck = async (intent) => {
        if (intent.kind !== "rebalance" || intent.rebalanceNonce === null) return undefined;
        const b = await deps.client.readContract({
          address: deps.config.vault,
          abi: VAULT_ABI,
          functionName: "rebalanceBounds",
        });
        return b.nonce > BigInt(intent.rebalanceNonce)
          ? `the vault's rebalance nonce is ${b.nonce}, past this intent's ${intent.rebalanceNonce}`
          : undefined;
      };
    }
  }

  /** Health: the last successful cycle is recent enough. */
  healthy(): { ok: boolean; detail: Record<string, unknown> } {
    const maxAge = Math.max(5 * this.d.config.pollIntervalMs, 60_000);
    const age = this.d.metrics.lastCycleOkAt === 0 ? Infinity : Date.now() - this.d.metrics.lastCycleOkAt;
    return {
      ok: age <= maxAge,
      detail: { lastCycleAgeMs: Number.isFinite(age) ? age : null, maxAgeMs: maxAge },
    };
  }

  async readState(blockNumber?: bigint): Promise<VaultState> {
    const s = await readVaultState(
      this.d.client,
      this.d.config.vault,
      this.d.config.asset.decimals,
      blockNumber,
    );
    this.d.metrics.vaultValue.set(s.bounds.totalValue);
    this.d.metrics.leverage.set(s.bounds.leverage);
    return s;
  }

  /** Loads the price history and runs the planner on `state` (no metrics, no trade guard). */
  private async runPlanner(state: VaultState): Promise<PlanF> {
    const cfg = this.d.config;
    const history = await loadHistory(
      this.d.client,
      this.d.store,
      cfg.feeds,
      cfg.historyDays,
      state.timestamp,
      { multicall: cfg.rpc.multicall },
    );
    const yieldRedeemableUsd = await readYieldRedeemableUsd(this.d.client, cfg, state);
    const hedge = await this.hedgeInput(state);
    return this.d.planner({
      bounds: state.bounds,
      history,
      vaultAsset: cfg.asset.address,
      now: state.timestamp,
      ...(yieldRedeemableUsd === undefined ? {} : { yieldRedeemableUsd }),
      ...(hedge ? { hedge } : {}),
    });
  }

  /**
   * The delta hedge's view of the option book (options configured and deltaHedge on): live
   * positions and the venue's spot and volatility, keyed by token address like the bounds. A read
   * failure is logged and the rebalance plans without the hedge check (its own band still applies).
   */
  private async hedgeInput(state: VaultState): Promise<HedgeInput | undefined> {
    const o = this.d.config.options;
    if (!o || !o.deltaHedge) return undefined;
    try {
      const chain = this.optionChainConfig(state);
      const { input } = await readOptionState(this.d.client, chain, state.blockNumber);
      return {
        underlyings: chain.underlyings.map((u) => u.name),
        options: bookPositions(input.book, input.now),
        market: input.market,
        rate: chain.rate ?? 0,
        ...(o.overlay.hedgeBandFraction !== undefined
          ? { config: { hedgeBandFraction: o.overlay.hedgeBandFraction } }
          : {}),
      };
    } catch (e) {
      this.log.warn(
        { error: (e as Error).message },
        "delta hedge: option book not read; planning without it",
      );
      return undefined;
    }
  }

  /** Runs the planner on the current state; pure apart from the reads. */
  async plan(state: VaultState): Promise<{ plan: PlanF; kept: PlannedTrade[]; decisions: TradeDecision[] }> {
    const cfg = this.d.config;
    const plan = await this.runPlanner(state);
    this.d.metrics.riskDispersion.set(dispersion(plan.riskContributions));
    const kept = guardTrades(plan.trades, state.bounds, cfg.strategy.margin);
    return { plan, kept, decisions: decisionsOf(plan, kept) };
  }

  encodeRebalance(
    state: VaultState,
    trades: readonly PlannedTrade[],
  ): { data: Hex; chainTrades: ChainTrade[] } {
    const cfg = this.d.config;
    const assets = new Map<string, RawAssetState>(state.raw.assets.map((a) => [a.token.toLowerCase(), a]));
    const slippageBps = Math.min(cfg.slippageBps, state.raw.maxSlippageBps);
    const chainTrades = trades.map((t) =>
      routeYieldTrade(
        cfg,
        plannedTradeToChain(t, {
          asset: cfg.asset,
          assets,
          adapter: cfg.swap.adapter,
          feeTier: cfg.swap.feeTier,
          slippageBps,
        }),
      ),
    );
    const deadline = BigInt(state.timestamp + cfg.deadlineSeconds);
    const data = encodeFunctionData({
      abi: VAULT_ABI,
      functionName: "rebalance",
      args: [chainTrades, state.raw.nonce, deadline],
    });
    return { data, chainTrades };
  }

  /** One cycle. With `dryRun`, plans and explains but sends nothing. */
  async cycle(opts: { dryRun?: boolean; blockNumber?: bigint } = {}): Promise<CycleReport> {
    const end = this.d.metrics.cycleDuration.startTimer();
    try {
      const report = await this.cycleInner(opts);
      if (this.d.config.options) report.options = await this.overlayCycle(opts, report);
      this.d.metrics.cycles.inc({ outcome: report.action });
      this.d.metrics.lastCycleOkAt = Date.now();
      return report;
    } catch (e) {
      this.d.metrics.cycles.inc({ outcome: "error" });
      throw e;
    } finally {
      end();
    }
  }

  private async cycleInner(opts: { dryRun?: boolean; blockNumber?: bigint }): Promise<CycleReport> {
    const cfg = this.d.config;
    const sender = this.d.sender;
    if (sender && !opts.dryRun) {
      const open = await sender.reconcile();
      const waiting = open.find((o) => o.status === "pending");
      for (const o of open) if (o.status === "confirmed") this.noteConfirmed();
      if (waiting) {
        return {
          blockNumber: "?",
          rebalanceNonce: "?",
          action: "wait",
          reason: `a previous transaction is still open (${"reason" in waiting ? waiting.reason : ""})`,
          decisions: [],
          attempts: 0,
        };
      }
    }
    let state = await this.readState(opts.blockNumber);
    const base = { blockNumber: state.blockNumber.toString(), rebalanceNonce: state.raw.nonce.toString() };

    if (state.deleverageDue) {
      if (!cfg.autoDeleverage || !sender || opts.dryRun) {
        return {
          ...base,
          action: opts.dryRun ? "dry-run" : "skip",
          reason: `deleverage is due (reason ${state.deleverageReason}) but not sent (${opts.dryRun ? "dry run" : !sender ? "no signer" : "autoDeleverage is off"})`,
          decisions: [],
          attempts: 0,
        };
      }
      const out = await this.deleverage();
      return {
        ...base,
        action: "deleverage",
        reason: `deleverage due (reason ${state.deleverageReason})`,
        decisions: [],
        outcome: out.status,
        ...outcomeFields(out),
        attempts: 1,
      };
    }
    if (state.bounds.rebalancePaused)
      return {
        ...base,
        action: "skip",
        reason: "rebalancing is paused on chain",
        decisions: [],
        attempts: 0,
      };
    if (!state.bounds.oraclesHealthy)
      return {
        ...base,
        action: "skip",
        reason: "the vault reports unhealthy oracles; no risk-taking",
        decisions: [],
        attempts: 0,
      };

    const planned = await this.plan(state);
    const plan = planned.plan;
    const hx = plan.hedge ? { hedge: plan.hedge } : {};
    let { kept, decisions } = planned;
    const planId = this.d.store.savePlan(cfg.vault, state.raw.nonce, state.blockNumber, { plan, decisions });
    if (kept.length === 0) {
      return {
        ...base,
        ...hx,
        action: opts.dryRun ? "dry-run" : "skip",
        reason: `nothing to trade: ${plan.notes.join("; ")}`,
        decisions,
        planId,
        attempts: 0,
      };
    }
    if (opts.dryRun) {
      return {
        ...base,
        ...hx,
        action: "dry-run",
        reason: `${kept.length} trade(s) planned; nothing sent`,
        decisions,
        planId,
        attempts: 0,
      };
    }
    if (!sender)
      return {
        ...base,
        ...hx,
        action: "skip",
        reason: "no signer configured (KEEPER_PRIVATE_KEY or keystore)",
        decisions,
        planId,
        attempts: 0,
      };

    for (let attempt = 1; attempt <= 3; attempt++) {
      const { data } = this.encodeRebalance(state, kept);
      const out = await sender.send({
        kind: "rebalance",
        vault: cfg.vault,
        to: cfg.vault,
        data,
        rebalanceNonce: state.raw.nonce,
        planId,
      });
      if (out.status === "confirmed") this.noteConfirmed();
      const err =
        out.status === "simulation-failed" ? out.error : out.status === "reverted" ? out.error : undefined;
      const reaction = err ? this.react(err, kept, state) : undefined;
      if (out.status === "simulation-failed" && reaction?.retry) {
        this.log.warn({ error: err?.message, attempt }, reaction.note);
        kept = reaction.trades;
        decisions = decisionsOf(plan, kept);
        state = await this.readState();
        continue;
      }
      return {
        ...base,
        ...hx,
        action: "rebalance",
        reason: reaction?.note ?? `${kept.length} trade(s)`,
        decisions,
        planId,
        outcome: out.status,
        ...outcomeFields(out),
        attempts: attempt,
      };
    }
    return {
      ...base,
      action: "skip",
      reason: "gave up after shrinking trades three times",
      decisions,
      planId,
      attempts: 3,
    };
  }

  /** Everything `keeper status` shows: state, weights, risk contributions, option deltas, limits. */
  async status(): Promise<StatusReport> {
    const cfg = this.d.config;
    const state = await this.readState();
    let plan: PlanF | undefined;
    let planError: string | undefined;
    try {
      plan = await this.runPlanner(state);
    } catch (e) {
      planError = (e as Error).message;
    }
    const last = Number(this.d.store.getMeta("last_rebalance_ms") ?? "0");
    const b = state.bounds;
    let options: OptionsStatus | null = null;
    let optionsError: string | null = null;
    if (cfg.options) {
      try {
        options = await this.optionsStatus(state);
      } catch (e) {
        optionsError = (e as Error).message;
      }
    }
    return {
      vault: cfg.vault,
      blockNumber: state.blockNumber.toString(),
      timestamp: state.timestamp,
      rebalanceNonce: state.raw.nonce.toString(),
      deleverageDue: state.deleverageDue,
      deleverageReason: state.deleverageReason,
      bounds: b,
      assets: b.assets.map((a) => ({
        token: a.token,
        price: a.price,
        balance: a.balance,
        value: a.value,
        netExposure: a.netExposure,
        weight: b.totalValue > 0 ? a.netExposure / b.totalValue : 0,
        targetWeight: plan?.targetWeights[a.token] ?? 0,
        riskContribution: plan?.riskContributions[a.token] ?? null,
        optionDeltaUsd: a.netExposure - a.value,
        maxWeightBps: a.maxWeightBps,
      })),
      hasOptions: b.assets.some((a) => Math.abs(a.netExposure - a.value) > 1e-9),
      dispersion:
        plan && Object.keys(plan.riskContributions).length > 0 ? dispersion(plan.riskContributions) : null,
      portfolioVolatility: plan && Number.isFinite(plan.currentVolatility) ? plan.currentVolatility : null,
      volScale: plan?.scale ?? null,
      planError: planError ?? null,
      lastRebalance: last > 0 ? new Date(last).toISOString() : null,
      openTransactions: this.d.store.openIntents().length,
      options,
      optionsError,
      hedge: plan?.hedge ?? null,
    };
  }

  /** The overlay's chain view for the vault's current assets (keyed by token address). */
  optionChainConfig(state: VaultState): OptionChainConfig {
    const o = this.d.config.options;
    if (!o) throw new Error("options are not configured");
    return {
      vault: this.d.config.vault,
      adapter: o.adapter,
      venue: o.venue,
      volatilityOracle: o.volatilityOracle,
      assetDecimals: this.d.config.asset.decimals,
      underlyings: state.raw.assets
        .filter((a) => !o.underlyings || o.underlyings.some((u) => u.toLowerCase() === a.token.toLowerCase()))
        .filter((a) => !isYieldToken(this.d.config, a.token)) // the pool share is no underlying
        .map((a) => ({ name: a.token, address: a.token, decimals: a.decimals })),
      rate: o.rate,
      overlay: o.overlay,
    };
  }

  /** Reads the option state and plans the overlay (pure apart from the reads). */
  async planOptions(
    state: VaultState,
    settledThisCycle: readonly string[] = [],
  ): Promise<{
    chain: OptionChainConfig;
    read: OptionChainState;
    plan: OverlayPlan;
    decisions: OptionDecision[];
  }> {
    const chain = this.optionChainConfig(state);
    const read = await readOptionState(this.d.client, chain);
    const plan = planOverlay(settledThisCycle.length > 0 ? { ...read.input, settledThisCycle } : read.input);
    return { chain, read, plan, decisions: optionDecisions(plan) };
  }

  /**
   * The overlay after the rebalance: settle expired series and collect held payouts (unless dry
   * run), then plan and send closes then opens.
   */
  private async overlayCycle(
    opts: { dryRun?: boolean },
    rebalance: CycleReport,
  ): Promise<OptionsCycleReport> {
    const none = (action: OptionsCycleReport["action"], reason: string): OptionsCycleReport => ({
      action,
      reason,
      decisions: [],
      sent: 0,
    });
    if (rebalance.action === "wait") return none("none", "a previous transaction is still open");
    if (rebalance.action === "deleverage") return none("none", "deleverage cycle: no option trades");
    // Settling and collecting never add risk: they run even when the rebalance failed; new option
    // orders wait for a cycle whose rebalance went through.
    const blocked =
      rebalance.outcome !== undefined && rebalance.outcome !== "confirmed"
        ? `the rebalance did not confirm (${rebalance.outcome})`
        : undefined;
    let state: VaultState;
    let life: Awaited<ReturnType<KeeperService["runLifecycle"]>>;
    try {
      state = await this.readState();
      life = await this.runLifecycle(state, opts);
    } catch (e) {
      return { ...none("skip", "could not read the option book"), error: (e as Error).message };
    }
    const lifeBase = {
      sent: life.sent,
      ...(life.settled > 0 ? { settled: life.settled } : {}),
      ...(life.collected > 0 ? { collected: life.collected } : {}),
    };
    const lifeNote = life.note ? `; ${life.note}` : "";
    if (blocked)
      return {
        ...none(life.sent > 0 ? "sent" : "none", `${blocked}${lifeNote}`),
        ...lifeBase,
        decisions: life.decisions,
        ...(life.outcome ? { outcome: life.outcome } : {}),
      };
    let planned: Awaited<ReturnType<KeeperService["planOptions"]>>;
    try {
      if (life.sent > 0) state = await this.readState();
      if (state.bounds.rebalancePaused)
        return {
          ...none("skip", `rebalancing is paused on chain${lifeNote}`),
          ...lifeBase,
          decisions: life.decisions,
        };
      if (!state.bounds.oraclesHealthy)
        return {
          ...none("skip", `the vault reports unhealthy oracles${lifeNote}`),
          ...lifeBase,
          decisions: life.decisions,
        };
      planned = await this.planOptions(state, life.settledUnderlyings);
    } catch (e) {
      return {
        ...none(life.sent > 0 ? "sent" : "skip", `could not read or plan the overlay${lifeNote}`),
        ...lifeBase,
        decisions: life.decisions,
        error: (e as Error).message,
      };
    }
    const { plan } = planned;
    // the lifecycle lines replace the plan's own settle lines (same series, with round and payout)
    const decisions = [...life.decisions, ...planned.decisions.filter((d) => d.action !== "settle")];
    const orders = plan.closes.length + plan.opens.length;
    const base = { decisions, premium: plan.premium, ...lifeBase };
    if (orders === 0)
      return {
        ...base,
        action: opts.dryRun ? "dry-run" : life.sent > 0 ? "sent" : "skip",
        reason: `no option orders${lifeNote}`,
        ...(life.outcome ? { outcome: life.outcome } : {}),
      };
    if (opts.dryRun)
      return {
        ...base,
        action: "dry-run",
        reason: `${orders} option order(s) planned; nothing sent${lifeNote}`,
      };
    const sender = this.d.sender;
    if (!sender) return { ...base, action: "skip", reason: `no signer configured${lifeNote}` };
    let last: SendOutcome | undefined;
    const r = await executeOverlay(plan, planned.read.balances, planned.chain, async (call) => {
      last = await this.sendOptionCall(sender, call, "option order");
      return last.status === "confirmed";
    });
    const failed = r.failed;
    return {
      ...base,
      action: "sent",
      sent: life.sent + r.sent,
      reason: failed
        ? `${r.sent} of ${orders} option order(s) confirmed; stopped at: ${failed.detail}${lifeNote}`
        : `${r.sent} option order(s) confirmed${lifeNote}`,
      ...(last ? { outcome: (last as SendOutcome).status, ...outcomeFields(last) } : {}),
    };
  }

  /** Sends one option call (order, settle or collect) outside any rebalance; logs the outcome as `label`. */
  private async sendOptionCall(
    sender: Sender,
    call: OptionCall | OptionLifecycleCall,
    label: string,
  ): Promise<SendOutcome> {
    const out = await sender.send({
      kind: call.kind,
      vault: this.d.config.vault,
      to: call.to,
      data: call.data,
      rebalanceNonce: null,
      planId: null,
    });
    this.log.info({ kind: call.kind, detail: call.detail, outcome: out.status }, label);
    return out;
  }

  /**
   * The end of an option's life: settle every expired series the adapter holds (adapter.settle
   * with the first round at or after expiry, found from the venue's feed), then collect the
   * payouts the adapter holds into the vault (vault.closeOption(adapter, 0, 0, pendingPayout)).
   * Dry run (or no signer): the actions, nothing sent. Settling needs no spot price; collecting
   * is refused by the vault while rebalancing is paused, so it waits.
   */
  private async runLifecycle(
    state: VaultState,
    opts: { dryRun?: boolean },
  ): Promise<{
    decisions: OptionDecision[];
    sent: number;
    settled: number;
    collected: number;
    note: string;
    /** Underlyings whose put was settled in this cycle (their replacement is a roll). */
    settledUnderlyings: string[];
    outcome?: SendOutcome["status"];
  }> {
    const chain = this.optionChainConfig(state);
    const life = await planLifecycle(this.d.client, this.d.store, chain, {
      multicall: this.d.config.rpc.multicall,
    });
    const decisions = lifecycleDecisions(life, chain.assetDecimals, state.bounds.rebalancePaused);
    const out = {
      decisions,
      sent: 0,
      settled: 0,
      collected: 0,
      note: "",
      settledUnderlyings: [] as string[],
    };
    const due = life.settles.length > 0 || life.pendingPayout > 0n;
    if (!due) return out;
    const sender = this.d.sender;
    if (opts.dryRun || !sender) {
      out.note = `${life.settles.length} expired series to settle, ${life.expectedCollect.toFixed(2)} USD to collect${opts.dryRun ? "" : " (no signer)"}`;
      return out;
    }
    let outcome: SendOutcome["status"] | undefined;
    const send = async (call: OptionLifecycleCall): Promise<SendOutcome> => {
      const o = await this.sendOptionCall(sender, call, "option lifecycle");
      outcome = o.status;
      return o;
    };
    const problems: string[] = [];
    for (const a of life.settles) {
      const call = settleCall(a, chain);
      if (!call) {
        problems.push(`series ${a.seriesId} not settled: ${a.error ?? "no round"}`);
        continue;
      }
      const o = await send(call);
      if (o.status === "confirmed") {
        out.sent++;
        out.settled++;
        if (a.type === "put") out.settledUnderlyings.push(a.underlying);
      } else
        problems.push(
          `settle of ${a.seriesId} ${o.status}${outcomeFields(o).error ? `: ${outcomeFields(o).error}` : ""}`,
        );
    }
    const pending = await readPendingPayout(this.d.client, chain.adapter);
    if (pending > 0n) {
      const now = await this.readState();
      if (now.bounds.rebalancePaused)
        problems.push("payouts held by the adapter: collecting waits while paused");
      else {
        const o = await send(collectCall(pending, chain));
        if (o.status === "confirmed") {
          out.sent++;
          out.collected = Number(pending) / 10 ** chain.assetDecimals;
        } else problems.push(`collect ${o.status}`);
      }
    }
    out.note = [
      out.settled > 0 ? `${out.settled} expired series settled` : "",
      out.collected > 0 ? `${out.collected.toFixed(2)} USD of payouts collected` : "",
      ...problems,
    ]
      .filter((x) => x.length > 0)
      .join("; ");
    return { ...out, ...(outcome ? { outcome } : {}) };
  }

  /** Option book with model values and the book's portfolio Greeks. */
  async optionsStatus(state: VaultState): Promise<OptionsStatus> {
    const chain = this.optionChainConfig(state);
    const { input } = await readOptionState(this.d.client, chain);
    const YEAR = 365 * 86_400;
    const rate = chain.rate ?? 0;
    const market = Object.fromEntries(
      Object.entries(input.market).map(([u, m]) => [u, { forward: m.spot, volatility: m.volatility, rate }]),
    );
    const live = input.book.filter((o) => o.expiry > input.now && market[o.underlying] !== undefined);
    const pos = (o: (typeof live)[number]): Position => ({
      kind: "option",
      underlying: o.underlying,
      type: o.type,
      strike: o.strike,
      timeToExpiry: (o.expiry - input.now) / YEAR,
      quantity: o.amount,
    });
    const g = portfolioGreeks(live.map(pos), market);
    const [bookValue, life] = await Promise.all([
      this.d.client.readContract({
        address: chain.adapter,
        abi: OPTION_ADAPTER_ABI,
        functionName: "realAssets",
      }),
      planLifecycle(this.d.client, this.d.store, chain, { multicall: this.d.config.rpc.multicall }),
    ]);
    return {
      adapter: chain.adapter,
      bookValue: Number(bookValue) / 10 ** chain.assetDecimals,
      premiumUsed: input.guards.premiumUsed,
      pendingPayout: Number(life.pendingPayout) / 10 ** chain.assetDecimals,
      lifecycle: lifecycleDecisions(life, chain.assetDecimals, state.bounds.rebalancePaused),
      book: input.book.map((o) => ({
        seriesId: o.seriesId,
        underlying: o.underlying,
        type: o.type,
        amount: o.amount,
        strike: o.strike,
        expiry: o.expiry,
        daysToExpiry: (o.expiry - input.now) / 86_400,
        value:
          o.expiry > input.now && market[o.underlying] !== undefined
            ? portfolioGreeks([pos(o)], market).total.value
            : 0,
      })),
      greeks: { byUnderlying: g.byUnderlying, total: g.total },
    };
  }

  /** Decides what to do about a decoded revert. */
  react(
    err: DecodedError,
    trades: readonly PlannedTrade[],
    state: VaultState,
  ): { retry: boolean; trades: PlannedTrade[]; note: string } {
    const margin = this.d.config.strategy.margin;
    if (err.name === "TradeAboveCap" || err.name === "TradeTooLarge" || err.name === "AmountTooLarge") {
      // The cap binds every trade, not only the one the revert names: shrink all above it. The
      // cap is the error's last argument in every variant: TradeTooLarge(value, cap) (vault),
      // TradeAboveCap(index, value, cap) (mock), AmountTooLarge(amount, cap).
      const cap = err.args[err.args.length - 1];
      if (typeof cap !== "bigint")
        return { retry: false, trades: [...trades], note: `not sent: ${err.message}` };
      const capF = Number(cap) / 10 ** this.d.config.asset.decimals;
      const limit = capF * margin;
      const next = trades.map((t) =>
        t.valueUsd > limit && t.valueUsd > 0
          ? shrinkTrade(
              t,
              limit / t.valueUsd,
              `shrunk to ${margin} x the cap the vault reported in ${err.name}`,
            )
          : t,
      );
      return {
        retry: true,
        trades: next,
        note: `a trade exceeded the cap (${err.message}); shrinking and replanning`,
      };
    }
    if (err.name === "RebalanceNonceMismatch" || err.name === "NonceMismatch") {
      return {
        retry: false,
        trades: [...trades],
        note: `rebalance nonce ${state.raw.nonce} already used (another keeper acted): ${err.message}`,
      };
    }
    if (err.name === "DeadlinePassed")
      return { retry: false, trades: [...trades], note: `deadline passed: ${err.message}` };
    return { retry: false, trades: [...trades], note: `not sent: ${err.message}` };
  }

  async deleverage(): Promise<SendOutcome> {
    const sender = this.d.sender;
    if (!sender) throw new Error("deleverage needs a signer (KEEPER_PRIVATE_KEY or keystore)");
    const data = encodeFunctionData({ abi: VAULT_ABI, functionName: "deleverage" });
    return sender.send({
      kind: "deleverage",
      vault: this.d.config.vault,
      to: this.d.config.vault,
      data,
      rebalanceNonce: null,
      planId: null,
    });
  }

  private noteConfirmed(): void {
    const now = Date.now();
    this.d.metrics.markRebalance(now);
    this.d.store.setMeta("last_rebalance_ms", String(now));
  }

  /** Restores "last rebalance" from the store (after a restart). */
  restore(): void {
    const last = Number(this.d.store.getMeta("last_rebalance_ms") ?? "0");
    if (last > 0) this.d.metrics.markRebalance(last);
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Service loop: one cycle per new block (polled), never two at once; errors are logged, not fatal. */
  async run(): Promise<void> {
    this.restore();
    let lastBlock = -1n;
    while (!this.stopRequested) {
      try {
        const bn = await this.d.client.getBlockNumber({ cacheTime: 0 });
        if (bn !== lastBlock && !this.running) {
          this.d.onBlockSeen?.(bn, Date.now());
          lastBlock = bn;
          this.running = true;
          try {
            const r = await this.cycle({ blockNumber: bn });
            this.log.info(
              {
                block: r.blockNumber,
                action: r.action,
                reason: r.reason,
                outcome: r.outcome,
                txHash: r.txHash,
              },
              "cycle done",
            );
          } finally {
            this.running = false;
          }
        }
      } catch (e) {
        this.log.error({ err: e }, "cycle failed");
      }
      await new Promise((r) => setTimeout(r, this.d.config.pollIntervalMs));
    }
  }
}

/** The overlay plan as lines: settles, closes, opens, then skips, each with its reason. */
export function optionDecisions(plan: OverlayPlan): OptionDecision[] {
  const out: OptionDecision[] = [];
  for (const x of plan.settles)
    out.push({
      action: "settle",
      underlying: x.underlying,
      seriesId: x.seriesId,
      reason: x.reason,
      detail: "expired",
    });
  for (const c of plan.closes)
    out.push({
      action: "close",
      underlying: c.underlying,
      seriesId: c.seriesId,
      amount: c.amount,
      limit: c.minProceeds,
      reason: c.reason,
      detail: c.detail,
    });
  for (const o of plan.opens)
    out.push({
      action: "open",
      underlying: o.underlying,
      type: o.isCall ? "call" : "put",
      strike: o.strike,
      expiry: o.expiry,
      amount: o.amount,
      limit: o.maxPremium,
      reason: o.reason,
      detail: o.detail,
    });
  for (const k of plan.skips)
    out.push({ action: "skip", underlying: k.underlying, reason: k.code, detail: k.detail });
  return out;
}

/** Settle and collect lines of the lifecycle plan, each with its reason. */
export function lifecycleDecisions(
  life: LifecyclePlan,
  assetDecimals: number,
  paused: boolean,
): OptionDecision[] {
  const out: OptionDecision[] = [];
  for (const a of life.settles) {
    const base = {
      action: "settle" as const,
      underlying: a.underlying,
      seriesId: a.seriesId,
      type: a.type,
      strike: a.strike,
      expiry: a.expiry,
      amount: a.amount,
      reason: "EXPIRED",
    };
    if (a.error !== undefined) out.push({ ...base, detail: `cannot settle yet: ${a.error}` });
    else
      out.push({
        ...base,
        limit: a.expectedPayout ?? 0,
        ...(a.roundId !== undefined ? { roundId: a.roundId.toString() } : {}),
        detail: a.alreadySettled
          ? `already settled on the venue at ${a.settlementPrice}: the adapter redeems ${(a.expectedPayout ?? 0).toFixed(2)} USD`
          : `expired ${((life.now - a.expiry) / 86_400).toFixed(2)} days ago; first round at or after expiry ${a.roundId} (updated ${a.roundUpdatedAt}) at ${a.settlementPrice}: payout ${(a.expectedPayout ?? 0).toFixed(2)} USD`,
      });
  }
  const pending = Number(life.pendingPayout) / 10 ** assetDecimals;
  if (life.expectedCollect > 0 || life.pendingPayout > 0n)
    out.push({
      action: "collect",
      underlying: "",
      limit: life.expectedCollect,
      reason: "PAYOUT",
      detail: `${pending.toFixed(2)} USD held by the adapter${life.expectedCollect > pending ? ` + ${(life.expectedCollect - pending).toFixed(2)} USD from the settles above` : ""} -> vault idle via closeOption(adapter, 0, 0, pendingPayout)${paused ? " (waits: rebalancing is paused)" : ""}`,
    });
  return out;
}

function outcomeFields(out: SendOutcome): { txHash?: string; error?: string } {
  switch (out.status) {
    case "confirmed":
      return { txHash: out.txHash };
    case "reverted":
      return { txHash: out.txHash, ...(out.error ? { error: out.error.message } : {}) };
    case "simulation-failed":
      return { error: out.error.message };
    case "dropped":
    case "pending":
      return { error: out.reason };
    default:
      return {};
  }
}

export type { Address };
