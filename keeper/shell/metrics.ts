/** Prometheus metrics (prom-client) and a health endpoint (node:http) on a loopback port. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry, Gauge, Counter, Histogram, collectDefaultMetrics } from "prom-client";

export class KeeperMetrics {
  lastCycleOkAt = 0;
  lastRebalanceAt = 0;
  private readonly now: () => number;
  readonly registry = new Registry();
  readonly vaultValue = new Gauge({
    name: "keeper_vault_value",
    help: "Vault total value in whole asset units",
    registers: [this.registry],
  });
  readonly leverage = new Gauge({
    name: "keeper_vault_leverage",
    help: "Vault leverage (1 = 1x)",
    registers: [this.registry],
  });
  readonly riskDispersion = new Gauge({
    name: "keeper_risk_contribution_dispersion",
    help: "Max minus min risk contribution share across assets under the current weights (0 = perfect parity)",
    registers: [this.registry],
  });
  readonly lastRebalanceTs = new Gauge({
    name: "keeper_last_rebalance_timestamp_seconds",
    help: "Unix time of the last confirmed rebalance",
    registers: [this.registry],
  });
  readonly secondsSinceRebalance = new Gauge({
    name: "keeper_seconds_since_last_rebalance",
    help: "Seconds since the last confirmed rebalance by this keeper (-1 if none)",
    registers: [this.registry],
    collect: () => {
      this.secondsSinceRebalance.set(
        this.lastRebalanceAt > 0 ? (this.now() - this.lastRebalanceAt) / 1000 : -1,
      );
    },
  });
  readonly txSent = new Counter({
    name: "keeper_tx_sent_total",
    help: "Transactions broadcast (replacements included)",
    labelNames: ["kind"],
    registers: [this.registry],
  });
  readonly txFailed = new Counter({
    name: "keeper_tx_failed_total",
    help: "Transactions that failed (simulation, revert, drop)",
    labelNames: ["kind", "reason"],
    registers: [this.registry],
  });
  readonly txConfirmed = new Counter({
    name: "keeper_tx_confirmed_total",
    help: "Transactions confirmed successfully",
    labelNames: ["kind"],
    registers: [this.registry],
  });
  readonly rpcLatency = new Histogram({
    name: "keeper_rpc_request_duration_seconds",
    help: "JSON-RPC HTTP request latency per endpoint",
    labelNames: ["endpoint"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly rpcErrors = new Counter({
    name: "keeper_rpc_errors_total",
    help: "JSON-RPC errors per endpoint and kind",
    labelNames: ["endpoint", "kind"],
    registers: [this.registry],
  });
  readonly cycles = new Counter({
    name: "keeper_cycles_total",
    help: "Keeper cycles by outcome",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly cycleDuration = new Histogram({
    name: "keeper_cycle_duration_seconds",
    help: "Duration of one keeper cycle",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean; now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "keeper_" });
  }

  markRebalance(atMs: number): void {
    this.lastRebalanceAt = atMs;
    this.lastRebalanceTs.set(Math.floor(atMs / 1000));
  }
}

/** Wraps fetch so that every RPC request updates latency and error metrics. */
export function instrumentedFetch(
  metrics: KeeperMetrics,
  endpoint: string,
  base: typeof fetch = fetch,
): typeof fetch {
  const label = safeEndpointLabel(endpoint);
  return async (input, init) => {
    const end = metrics.rpcLatency.startTimer({ endpoint: label });
    try {
      const res = await base(input, init);
      end();
      if (!res.ok) {
        metrics.rpcErrors.inc({
          endpoint: label,
          kind: res.status === 429 ? "rate_limited" : `http_${res.status}`,
        });
      } else {
        // JSON-RPC errors arrive with HTTP 200: count them too (eth_call reverts included)
        const text = await res.clone().text();
        const n = text.split('"error":').length - 1;
        if (n > 0) metrics.rpcErrors.inc({ endpoint: label, kind: "rpc_error" }, n);
      }
      return res;
    } catch (e) {
      end();
      metrics.rpcErrors.inc({
        endpoint: label,
        kind:
          (e as Error).name === "AbortError" || (e as Error).name === "TimeoutError" ? "timeout" : "network",
      });
      throw e;
    }
  };
}

/** host:port only, so API keys in URL paths or queries never reach a label. */
export function safeEndpointLabel(url: string): string {
  try {
    const u = new URL(url);
    return u.host;
  } catch {
    return "invalid";
  }
}

export interface HealthState {
  /** true when the last cycle succeeded within `maxAgeMs`. */
  healthy(): { ok: boolean; detail: Record<string, unknown> };
}

export async function startMetricsServer(
  metrics: KeeperMetrics,
  health: HealthState,
  host: string,
  port: number,
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET") {
        res.writeHead(405).end();
        return;
      }
      if (req.url === "/metrics") {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
      } else if (req.url === "/healthz" || req.url === "/health") {
        const h = health.healthy();
        res
          .writeHead(h.ok ? 200 : 503, { "content-type": "application/json" })
          .end(JSON.stringify({ ok: h.ok, ...h.detail }));
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return { server, port: actual, close: () => new Promise<void>((r) => server.close(() => r())) };
}
