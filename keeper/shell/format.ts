/** Human-readable output of the CLI (`keeper plan|once|status`), kept apart so tests can check it. */
import type { HedgeLine } from "../strategy/overlay.ts";
import type { CycleReport, OptionDecision, OptionsStatus, StatusReport } from "./service.ts";

/** One delta-hedge line: spot + option delta = net vs the risk-parity target, band, action. */
export function hedgeLine(h: HedgeLine): string {
  const action =
    h.reason === "REHEDGE"
      ? `REHEDGE: ${h.trade > 0 ? "buy" : "sell"} ${Math.abs(h.trade).toPrecision(6)} (through this rebalance)`
      : h.reason === "IN_BAND"
        ? "in band: no hedge trade"
        : "no market";
  return `  HEDGE ${short(h.underlying)}: spot ${h.spot.toPrecision(6)} + options ${h.optionDelta.toPrecision(6)} = net ${h.netDelta.toPrecision(6)} vs target ${h.target.toPrecision(6)} (band ±${h.band.toPrecision(4)}): ${action}`;
}

export const usd = (x: number): string =>
  `${x < 0 ? "-" : ""}$${Math.abs(x).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
export const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const short = (a: string): string =>
  a.startsWith("0x") && a.length === 42 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
const date = (unix: number): string => new Date(unix * 1000).toISOString().slice(0, 16).replace("T", " ");

export function formatCycleReport(r: CycleReport): string {
  const lines = [`block ${r.blockNumber}, rebalance nonce ${r.rebalanceNonce}: ${r.action} — ${r.reason}`];
  for (const d of r.decisions)
    lines.push(
      `  ${d.action === "trade" ? "TRADE" : "skip "} ${d.tokenIn}${d.tokenOut ? " -> " + d.tokenOut : ""} ${usd(d.value)}: ${d.reason}`,
    );
  for (const h of r.hedge ?? []) lines.push(hedgeLine(h));
  if (r.outcome)
    lines.push(
      `  outcome: ${r.outcome}${r.txHash ? " " + r.txHash : ""}${r.error ? " (" + r.error + ")" : ""}`,
    );
  const o = r.options;
  if (o) {
    lines.push(`options: ${o.action} — ${o.reason}${o.error ? " (" + o.error + ")" : ""}`);
    if (o.premium)
      lines.push(
        `  premium: budget ${usd(o.premium.budget)} (${o.premium.budgetBps} bps), used ${usd(o.premium.used)}, allowed now ${usd(o.premium.allowed)}, planned ${usd(o.premium.planned)}`,
      );
    for (const d of o.decisions) {
      if (d.action === "open")
        lines.push(
          `  OPEN  ${d.type ?? "put"} ${short(d.underlying)} strike ${d.strike} expiry ${date(d.expiry ?? 0)} amount ${(d.amount ?? 0).toPrecision(6)} max premium ${usd(d.limit ?? 0)}: ${d.reason} — ${d.detail}`,
        );
      else if (d.action === "close")
        lines.push(
          `  CLOSE ${short(d.underlying)} series ${short(d.seriesId ?? "")} amount ${(d.amount ?? 0).toPrecision(6)} min proceeds ${usd(d.limit ?? 0)}: ${d.reason} — ${d.detail}`,
        );
      else if (d.action === "settle" || d.action === "collect") lines.push(lifecycleLine(d));
      else lines.push(`  skip  ${short(d.underlying)}: ${d.reason} — ${d.detail}`);
    }
    if (o.settled || o.collected)
      lines.push(`  settled ${o.settled ?? 0} series, collected ${usd(o.collected ?? 0)}`);
    if (o.outcome) lines.push(`  option outcome: ${o.outcome} (${o.sent} sent)`);
  }
  return lines.join("\n");
}

/** A settle or collect line (plan, once, status). */
export function lifecycleLine(d: OptionDecision): string {
  if (d.action === "collect") return `  COLLECT ${usd(d.limit ?? 0)}: ${d.reason} — ${d.detail}`;
  return `  SETTLE ${d.type ?? "put"} ${short(d.underlying)} series ${short(d.seriesId ?? "")} strike ${d.strike} expiry ${date(d.expiry ?? 0)} amount ${(d.amount ?? 0).toPrecision(6)}${d.roundId !== undefined ? ` round ${d.roundId}` : ""}${d.limit !== undefined ? ` payout ${usd(d.limit)}` : ""}: ${d.reason} — ${d.detail}`;
}

export function formatOptionsStatus(o: OptionsStatus): string[] {
  const lines = [
    `options: adapter ${o.adapter}, book ${usd(o.bookValue)} at the venue's bid, premium used ${usd(o.premiumUsed)}, payouts held ${usd(o.pendingPayout)}`,
  ];
  for (const d of o.lifecycle) lines.push(lifecycleLine(d));
  if (o.book.length === 0) lines.push("  no open series");
  else
    lines.push("  series          underlying   type       amount       strike  expiry (days)          value");
  for (const b of o.book)
    lines.push(
      `  ${short(b.seriesId).padEnd(14)}  ${short(b.underlying).padEnd(11)}  ${b.type.padEnd(4)}  ${b.amount.toPrecision(6).padStart(11)}  ${String(b.strike).padStart(11)}  ${date(b.expiry)} (${b.daysToExpiry.toFixed(1)})  ${usd(b.value).padStart(12)}`,
    );
  lines.push("  greeks          delta (units)        gamma     vega $/pt   theta $/day   $delta");
  for (const [u, g] of Object.entries(o.greeks.byUnderlying))
    lines.push(
      `  ${short(u).padEnd(14)}  ${g.delta.toPrecision(6).padStart(13)}  ${g.gamma.toPrecision(4).padStart(11)}  ${g.vega.toFixed(2).padStart(11)}  ${g.theta.toFixed(2).padStart(12)}  ${usd(g.dollarDelta)}`,
    );
  const t = o.greeks.total;
  lines.push(
    `  total           $delta ${usd(t.dollarDelta)}, $gamma ${usd(t.dollarGamma)}/1%, vega ${usd(t.vega)}/pt, theta ${usd(t.theta)}/day, model value ${usd(t.value)}`,
  );
  return lines;
}

export function formatStatus(s: StatusReport): string {
  const b = s.bounds;
  const lines = [
    `vault ${s.vault} at block ${s.blockNumber}: value ${usd(b.totalValue)}, idle ${usd(b.idle)}, leverage ${b.leverage.toFixed(3)}x (target ${b.targetLeverage}, max ${b.maxLeverage}, ripcord ${b.ripcordLeverage})`,
    `rebalance nonce ${s.rebalanceNonce}; paused ${b.rebalancePaused}; oracles healthy ${b.oraclesHealthy}; deleverage due ${s.deleverageDue}`,
    "asset                                        weight   target   risk contr.  option delta",
  ];
  for (const a of s.assets)
    lines.push(
      `  ${a.token} ${pct(a.weight).padStart(8)} ${pct(a.targetWeight).padStart(8)} ${a.riskContribution === null ? "     n/a" : pct(a.riskContribution).padStart(11)}  ${a.optionDeltaUsd === 0 ? "-" : usd(a.optionDeltaUsd)}`,
    );
  lines.push(
    `limits: per trade ${usd(b.maxTradeValue)}, slippage ${b.maxSlippageBps} bps, cooldown left ${b.cooldownRemaining}s, loss budget left ${usd(b.lossBudgetRemaining)} of ${usd(b.maxLossPerRebalance)}/rebalance, turnover left ${usd(b.turnoverRemaining)}`,
  );
  lines.push(
    `risk-contribution dispersion ${s.dispersion === null ? "n/a" : pct(s.dispersion)}; last rebalance by this keeper: ${s.lastRebalance ?? "never"}`,
  );
  if (s.options) lines.push(...formatOptionsStatus(s.options));
  if (s.hedge && s.hedge.length > 0) {
    lines.push("delta hedge (net delta per underlying, whole tokens):");
    for (const h of s.hedge) lines.push(hedgeLine(h));
  }
  if (s.optionsError) lines.push(`options: could not read the option book (${s.optionsError})`);
  return lines.join("\n");
}
