#!/usr/bin/env node
/**
 * Keeper command line: `node keeper/cli.ts <command>` (Node >= 22.13; `npx node keeper/cli.ts`
 * picks the project's Node 24). Commands: run, once, plan, status, deleverage, keystore.
 */
import { Command, Option } from "commander";
import { ConfigError, loadConfig } from "./shell/config.ts";
import { buildApp, type App } from "./shell/app.ts";
import { encryptKeystore, writeKeystore } from "./shell/keystore.ts";
import { startMetricsServer } from "./shell/metrics.ts";
import { formatCycleReport, formatStatus } from "./shell/format.ts";

const program = new Command();
program
  .name("keeper")
  .description("Off-chain keeper of the risk-parity vault: plans bounded rebalances and sends them.")
  .addOption(
    new Option("-c, --config <path>", "JSON config file").env("KEEPER_CONFIG").default("keeper.config.json"),
  )
  .option("--json", "machine-readable output (one JSON document on stdout)", false);

function out(json: boolean, value: unknown, human: () => string): void {
  if (json)
    process.stdout.write(
      JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n",
    );
  else process.stdout.write(human() + "\n");
}

function globals(): { config: string; json: boolean } {
  return program.opts<{ config: string; json: boolean }>();
}

async function withApp<T>(requireSigner: boolean, fn: (app: App) => Promise<T>): Promise<T> {
  const cfg = loadConfig(globals().config);
  // logs go to stderr so that stdout carries only the command's output
  const app = buildApp(cfg, { requireSigner, logDestination: process.stderr });
  try {
    return await fn(app);
  } finally {
    app.close();
  }
}

program
  .command("once")
  .description("run one cycle: reconcile, plan, simulate, send the rebalance, then the option overlay orders")
  .action(async () => {
    const r = await withApp(true, (app) => app.service.cycle());
    out(globals().json, r, () => formatCycleReport(r));
    if (r.outcome === "reverted" || r.outcome === "dropped") process.exitCode = 3;
  });

program
  .command("plan")
  .description(
    "dry run: print the plan (trades and option orders) and the reason for each order or skip; sends nothing",
  )
  .action(async () => {
    const r = await withApp(false, (app) => app.service.cycle({ dryRun: true }));
    out(globals().json, r, () => formatCycleReport(r));
  });

program
  .command("status")
  .description(
    "vault value, weights, risk contributions, leverage, option deltas, limits and budgets left; the option book and its Greeks when options are configured",
  )
  .action(async () => {
    const s = await withApp(false, (app) => app.service.status());
    out(globals().json, s, () => formatStatus(s));
  });

program
  .command("deleverage")
  .description("call the permissionless deleverage when it is due")
  .action(async () => {
    const r: {
      due: boolean;
      sent: boolean;
      reason: string | number;
      outcome?: string;
      txHash?: string;
      error?: string;
    } = await withApp(true, async (app) => {
      const st = await app.service.readState();
      if (!st.deleverageDue) return { due: false, sent: false, reason: "not due" };
      const o = await app.service.deleverage();
      return {
        due: true,
        reason: st.deleverageReason,
        sent: o.status !== "simulation-failed",
        outcome: o.status,
        ...("txHash" in o ? { txHash: o.txHash } : {}),
        ...(o.status === "simulation-failed" ? { error: o.error.message } : {}),
      };
    });
    out(globals().json, r, () =>
      r.due
        ? `deleverage: ${r.outcome ?? ""}${r.txHash ? " " + r.txHash : ""}${r.error ? " (" + r.error + ")" : ""}`
        : "deleverage is not due; nothing sent",
    );
  });

program
  .command("run")
  .description("service loop: one cycle per new block, metrics and health on the loopback port")
  .action(async () => {
    const cfg = loadConfig(globals().config);
    const app = buildApp(cfg, { requireSigner: true, defaultMetrics: true, logDestination: process.stderr });
    let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
    if (cfg.metrics.enabled) {
      server = await startMetricsServer(app.metrics, app.service, cfg.metrics.host, cfg.metrics.port);
      app.logger.info(
        { host: cfg.metrics.host, port: server.port },
        "metrics on /metrics, health on /healthz",
      );
    }
    const stop = (): void => {
      app.logger.info("stopping after the current cycle");
      app.service.stop();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await app.service.run();
    await server?.close();
    app.close();
  });

program
  .command("keystore")
  .description("encrypt KEEPER_PRIVATE_KEY into a keystore file with KEEPER_KEYSTORE_PASSWORD")
  .argument("<path>", "where to write the keystore JSON (mode 600)")
  .action((path: string) => {
    const key = process.env.KEEPER_PRIVATE_KEY;
    const pw = process.env.KEEPER_KEYSTORE_PASSWORD;
    if (!key || !pw)
      throw new Error("set KEEPER_PRIVATE_KEY and KEEPER_KEYSTORE_PASSWORD in the environment");
    const ks = encryptKeystore(key, pw);
    writeKeystore(path, ks);
    out(globals().json, { path, address: ks.address }, () => `wrote ${path} for ${ks.address}`);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(e.message + "\n");
    process.exitCode = 2;
    return;
  }
  const msg = e instanceof Error ? e.message : String(e);
  const key = process.env.KEEPER_PRIVATE_KEY?.replace(/^0x/, "");
  process.stderr.write(`keeper: ${key ? msg.split(key).join("[redacted]") : msg}\n`);
  process.exitCode = 1;
});
