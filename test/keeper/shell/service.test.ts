/**
 * Keeper service end to end against a real JSON-RPC node (in-process EDR over HTTP, through the
 * fault proxy): MockRiskParityVault + TestAggregator feeds with a synthetic history.
 */
import { expect } from "chai";
import { createPublicClient, http, parseEventLogs, type Hex, type PublicClient } from "viem";
import { parseConfig } from "../../../keeper/shell/config.ts";
import { buildApp, type App } from "../../../keeper/shell/app.ts";
import { startMetricsServer } from "../../../keeper/shell/metrics.ts";
import { SimulatedCrash } from "../../../keeper/shell/sender.ts";
import { loadHistory } from "../../../keeper/shell/history.ts";
import { chainFor } from "../../../keeper/shell/chain.ts";
import { Store } from "../../../keeper/shell/store.ts";
import {
  boundsTuple,
  deployKeeperWorld,
  USD6,
  worldConfig,
  type KeeperWorld,
} from "../../../scripts/lib/keeperWorld.ts";
import { CHAIN_ID, fundedKey, LogSink, startWorld, tempDb, type World } from "./world.ts";

describe("keeper service against a vault (MockRiskParityVault)", function () {
  this.timeout(120_000);
  let world: World;
  let kw: KeeperWorld;
  let pub: PublicClient;
  const apps: App[] = [];

  async function now(): Promise<number> {
    const b = (await world.rpcCall("eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
    return Number(BigInt(b.timestamp));
  }

  beforeEach(async () => {
    world = await startWorld();
    kw = await deployKeeperWorld({
      url: world.rpc.url,
      chainId: CHAIN_ID,
      deployerKey: await fundedKey(world),
      assets: 4,
      now: await now(),
    });
    pub = createPublicClient({
      chain: chainFor(CHAIN_ID, [world.rpc.url]),
      transport: http(world.rpc.url),
    }) as PublicClient;
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) a.close();
    await world.close();
  });

  async function keeper(
    opts: { key?: Hex; db?: string; urls?: string[]; extra?: Record<string, unknown>; sink?: LogSink } = {},
  ): Promise<{ app: App; key: Hex; sink: LogSink }> {
    const key = opts.key ?? (await fundedKey(world));
    const cfg = parseConfig(
      worldConfig(kw, {
        urls: opts.urls ?? [world.proxy.url],
        chainId: CHAIN_ID,
        database: opts.db ?? tempDb(),
        extra: { logLevel: "debug", ...(opts.extra ?? {}) },
      }),
    );
    const sink = opts.sink ?? new LogSink();
    const app = buildApp(cfg, { env: { KEEPER_PRIVATE_KEY: key }, logDestination: sink });
    apps.push(app);
    return { app, key, sink };
  }
  const read = async (fn: string, args: unknown[] = []): Promise<unknown> =>
    pub.readContract({ address: kw.vault, abi: kw.vaultAbi, functionName: fn, args });
  const rebalancedEvents = async () =>
    parseEventLogs({
      abi: kw.vaultAbi,
      logs: await pub.getLogs({ address: kw.vault, fromBlock: 0n }),
      eventName: "Rebalanced",
    }) as unknown as { args: { nonce: bigint } }[];

  it("plan (dry run) explains every trade and skip and sends nothing", async () => {
    const { app } = await keeper();
    const r = await app.service.cycle({ dryRun: true });
    expect(r.action).to.equal("dry-run");
    const trades = r.decisions.filter((d) => d.action === "trade");
    expect(trades.length).to.be.greaterThan(0);
    for (const d of r.decisions) expect(d.reason.length).to.be.greaterThan(5);
    // sells the over-weight asset 0, buys the others
    expect(trades.some((t) => t.tokenIn === kw.tokens[0])).to.equal(true);
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(0);
    expect(await read("rebalances")).to.equal(0n);
    expect(app.store.lastPlan()?.id).to.equal(r.planId);
  });

  it("once: one bounded rebalance with the expected nonce, every trade within the cap", async () => {
    const { app } = await keeper();
    const r = await app.service.cycle();
    expect(r.action).to.equal("rebalance");
    expect(r.outcome).to.equal("confirmed");
    expect(await read("rebalances")).to.equal(1n);
    const accepted = parseEventLogs({
      abi: kw.vaultAbi,
      logs: await pub.getLogs({ address: kw.vault, fromBlock: 0n }),
      eventName: "TradeAccepted",
    });
    expect(accepted.length).to.equal(r.decisions.filter((d) => d.action === "trade").length);
    expect((await read("rebalanceBounds")) as { nonce: bigint }).to.have.property("nonce", 1n);
    expect(
      (await app.metrics.registry.getSingleMetric("keeper_tx_confirmed_total")!.get()).values[0]?.value,
    ).to.equal(1);
    expect((await app.metrics.vaultValue.get()).values[0]?.value).to.equal(1_000_000);
  });

  it("a trade above the vault's real cap: decodes TradeAboveCap, shrinks it, replans, succeeds", async () => {
    const { app } = await keeper();
    await world.ethers.provider.send("eth_chainId", []);
    const { createWalletClient } = await import("viem");
    const { privateKeyToAccount } = await import("viem/accounts");
    const admin = createWalletClient({
      account: privateKeyToAccount(await fundedKey(world)),
      chain: chainFor(CHAIN_ID, [world.rpc.url]),
      transport: http(world.rpc.url),
    });
    await admin.writeContract({
      address: kw.vault,
      abi: kw.vaultAbi,
      functionName: "setHiddenCap",
      args: [30_000n * USD6],
    });
    const r = await app.service.cycle();
    expect(r.outcome).to.equal("confirmed");
    expect(r.attempts).to.be.greaterThan(1);
    const accepted = parseEventLogs({
      abi: kw.vaultAbi,
      logs: await pub.getLogs({ address: kw.vault, fromBlock: 0n }),
      eventName: "TradeAccepted",
    }) as unknown as { args: { amountIn: bigint; tokenIn: string } }[];
    expect(accepted.length).to.equal(r.decisions.filter((d) => d.action === "trade").length);
    expect(r.decisions.some((d) => /TradeAboveCap/.test(d.reason))).to.equal(true);
    // every executed trade is within the enforced cap (value at the oracle price, asset units)
    for (const d of r.decisions.filter((x) => x.action === "trade")) expect(d.value).to.be.at.most(30_000);
  });

  it("two keepers against one vault never execute the same rebalance twice", async () => {
    const slow = { fees: { stuckAfterMs: 60_000, maxFeePerGasGwei: 500 } }; // no replacements here
    const a = await keeper({ extra: slow });
    const b = await keeper({ extra: slow });
    await world.setAutomine(false);
    const pa = a.app.service.cycle();
    const pb = b.app.service.cycle();
    // wait until both have broadcast (journal says "sent"), then mine them into one block
    const sent = (k: { app: App }): boolean => k.app.store.intents()[0]?.status === "sent";
    for (let i = 0; i < 2400 && !(sent(a) && sent(b)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(sent(a) && sent(b), "both keepers broadcast").to.equal(true);
    await world.mine(1);
    await world.setAutomine(true);
    const [ra, rb] = await Promise.all([pa, pb]);
    expect([ra.outcome, rb.outcome].sort()).to.deep.equal(["confirmed", "reverted"]);
    expect([ra.error, rb.error].join(" ")).to.match(/RebalanceNonceMismatch/);
    expect(await read("rebalances")).to.equal(1n);
    const events = await rebalancedEvents();
    expect(events.filter((e) => e.args.nonce === 0n)).to.have.length(1);
    // next cycle for both: at most one new rebalance (nonce 1), never a second nonce 0
    await a.app.service.cycle();
    await b.app.service.cycle();
    const after = await rebalancedEvents();
    expect(after.filter((e) => e.args.nonce === 0n)).to.have.length(1);
    expect(new Set(after.map((e) => e.args.nonce)).size).to.equal(after.length);
  });

  it("deleverage is sent when due (leverage above the ripcord)", async () => {
    const { app } = await keeper();
    const { createWalletClient } = await import("viem");
    const { privateKeyToAccount } = await import("viem/accounts");
    const admin = createWalletClient({
      account: privateKeyToAccount(await fundedKey(world)),
      chain: chainFor(CHAIN_ID, [world.rpc.url]),
      transport: http(world.rpc.url),
    });
    await admin.writeContract({
      address: kw.vault,
      abi: kw.vaultAbi,
      functionName: "setBounds",
      args: [
        boundsTuple({ total: 10n ** 12n, idle: 0n, leverage: 25n * 10n ** 17n, maxTradeValue: 10n ** 11n }),
      ],
    });
    const r = await app.service.cycle();
    expect(r.action).to.equal("deleverage");
    expect(r.outcome).to.equal("confirmed");
    const logs = parseEventLogs({
      abi: kw.vaultAbi,
      logs: await pub.getLogs({ address: kw.vault, fromBlock: 0n }),
      eventName: "Deleveraged",
    });
    expect(logs).to.have.length(1);
    const again = await app.service.cycle();
    expect(again.action).to.not.equal("deleverage");
  });

  it("RPC outage then recovery: cycles fail during the outage and the keeper rebalances within 2 cycles after", async () => {
    const { app } = await keeper();
    world.proxy.add({ method: /.*/, kind: "http500", times: 1_000 });
    let failures = 0;
    for (let i = 0; i < 2; i++) await app.service.cycle().catch(() => failures++);
    expect(failures).to.equal(2);
    expect(app.service.healthy().ok).to.equal(false);
    world.proxy.clear();
    let cycles = 0;
    while ((await read("rebalances")) === 0n && cycles < 2) {
      await app.service.cycle();
      cycles++;
    }
    expect(await read("rebalances")).to.equal(1n);
    expect(cycles).to.be.lessThanOrEqual(2);
    expect(app.service.healthy().ok).to.equal(true);
  });

  it("killed between sending and recording: the restarted keeper reconciles, sends nothing twice, resumes in 2 cycles", async () => {
    const db = tempDb();
    const key = await fundedKey(world);
    const first = await keeper({ key, db });
    first.app.sender!.hooks.afterBroadcast = () => {
      throw new SimulatedCrash("after broadcast");
    };
    await first.app.service.cycle().then(
      () => expect.fail("should crash"),
      (e: unknown) => expect(e).to.be.instanceOf(SimulatedCrash),
    );
    first.app.close();
    const sentBefore = world.proxy.count("eth_sendRawTransaction");
    const second = await keeper({ key, db });
    const r1 = await second.app.service.cycle(); // reconciles, then plans on the new nonce
    const r2 = await second.app.service.cycle();
    const events = await rebalancedEvents();
    expect(events.filter((e) => e.args.nonce === 0n)).to.have.length(1);
    expect(new Set(events.map((e) => e.args.nonce)).size).to.equal(events.length);
    const journal = new Store(db);
    const first0 = journal.intents()[0]!;
    expect(first0.status).to.equal("confirmed");
    expect(journal.intents().filter((i) => i.rebalanceNonce === "0")).to.have.length(1);
    journal.close();
    // the restarted keeper never re-broadcast nonce 0's transaction
    expect([r1.rebalanceNonce, r2.rebalanceNonce]).to.not.include("0");
    expect(world.proxy.count("eth_sendRawTransaction") - sentBefore).to.be.lessThanOrEqual(2);
  });

  it("killed after signing but before broadcasting, while another keeper took the nonce: restart marks it superseded, sends nothing", async () => {
    const db = tempDb();
    const key = await fundedKey(world);
    const first = await keeper({ key, db });
    first.app.sender!.hooks.afterAttemptRecorded = () => {
      throw new SimulatedCrash("after attempt recorded");
    };
    await first.app.service.cycle().catch((e: unknown) => expect(e).to.be.instanceOf(SimulatedCrash));
    first.app.close();
    const other = await keeper();
    expect((await other.app.service.cycle()).outcome).to.equal("confirmed"); // takes nonce 0
    const sent = world.proxy.count("eth_sendRawTransaction");
    const second = await keeper({ key, db });
    const r = await second.app.service.cycle({ dryRun: false });
    const journal = new Store(db);
    const stale = journal.intents()[0]!;
    journal.close();
    expect(stale.status).to.equal("superseded");
    expect(stale.error).to.match(/rebalance nonce is 1/);
    expect(r.rebalanceNonce).to.equal("1");
    // the stale signed bytes were never broadcast (only the restarted keeper's new nonce-1 plan may be)
    expect(world.proxy.count("eth_sendRawTransaction") - sent).to.equal(r.outcome ? 1 : 0);
    const events = await rebalancedEvents();
    expect(events.filter((e) => e.args.nonce === 0n)).to.have.length(1);
  });

  it("price history is rebuilt from Chainlink rounds, cached, and crosses aggregator phases", async () => {
    const { app } = await keeper();
    const t = await now();
    const h1 = await loadHistory(app.service["d"].client, app.store, app.config.feeds, 90, t);
    const series = h1.prices.get(kw.tokens[2]!)!;
    expect(series.length).to.equal(90);
    for (let d = 0; d < 90; d++)
      expect(Math.abs(series[d]! - Math.round(kw.prices[2]![d]! * 1e8) / 1e8)).to.be.lessThan(1e-9);
    const calls1 = world.proxy.count("eth_call");
    // second load: rounds older than an hour come from SQLite
    await loadHistory(app.service["d"].client, app.store, app.config.feeds, 90, t);
    const calls2 = world.proxy.count("eth_call") - calls1;
    expect(calls2).to.be.lessThan(calls1 / 4);
    // a new phase (new underlying aggregator) with one new round
    const { createWalletClient } = await import("viem");
    const { privateKeyToAccount } = await import("viem/accounts");
    const admin = createWalletClient({
      account: privateKeyToAccount(await fundedKey(world)),
      chain: chainFor(CHAIN_ID, [world.rpc.url]),
      transport: http(world.rpc.url),
    });
    await admin.writeContract({
      address: kw.feeds[2]!,
      abi: kw.aggregatorAbi,
      functionName: "startPhase",
      args: [],
    });
    await admin.writeContract({
      address: kw.feeds[2]!,
      abi: kw.aggregatorAbi,
      functionName: "pushRound",
      args: [123_45000000n, BigInt(t - 30)],
    });
    const h3 = await loadHistory(app.service["d"].client, app.store, app.config.feeds, 90, t);
    const s3 = h3.prices.get(kw.tokens[2]!)!;
    expect(s3[89]).to.equal(123.45);
    expect(Math.abs(s3[88]! - kw.prices[2]![88]!)).to.be.lessThan(1e-6);
  });

  it("history through deployless Multicall3 equals history through single calls, with far fewer requests", async () => {
    const { app } = await keeper();
    const t = await now();
    const client = app.service["d"].client;
    const c0 = world.proxy.count("eth_call");
    const viaMulticall = await loadHistory(client, new Store(tempDb("m1")), app.config.feeds, 90, t, {
      multicall: true,
    });
    const c1 = world.proxy.count("eth_call");
    const viaSingle = await loadHistory(client, new Store(tempDb("m2")), app.config.feeds, 90, t, {
      multicall: false,
    });
    const c2 = world.proxy.count("eth_call");
    for (const token of kw.tokens) {
      expect(Array.from(viaMulticall.prices.get(token)!)).to.deep.equal(
        Array.from(viaSingle.prices.get(token)!),
      );
    }
    expect(c1 - c0).to.be.lessThan((c2 - c1) / 10);
  });

  it("while its transaction is still pending, the keeper plans nothing new (wait), then confirms it", async () => {
    const { app } = await keeper({ extra: { fees: { stuckAfterMs: 60_000, maxFeePerGasGwei: 500 } } });
    // short follow window so the first cycle returns while the transaction is still in the pool
    (app.sender as unknown as { opts: { maxWaitMs: number } }).opts.maxWaitMs = 300;
    await world.setAutomine(false);
    const first = await app.service.cycle();
    expect(first.outcome).to.equal("pending");
    const sent = world.proxy.count("eth_sendRawTransaction");
    const second = await app.service.cycle();
    expect(second.action).to.equal("wait");
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(sent);
    await world.mine(1);
    await world.setAutomine(true);
    (app.sender as unknown as { opts: { maxWaitMs: number } }).opts.maxWaitMs = 20_000;
    const third = await app.service.cycle(); // reconciles (confirmed), then plans on nonce 1
    expect(third.rebalanceNonce).to.equal("1");
    const events = await rebalancedEvents();
    expect(events.map((e) => e.args.nonce)).to.deep.equal(third.outcome === "confirmed" ? [0n, 1n] : [0n]);
    expect(app.store.intents()[0]?.status).to.equal("confirmed");
  });

  it("skips with a reason when rebalancing is paused or the oracles are unhealthy", async () => {
    const { app } = await keeper();
    const { createWalletClient } = await import("viem");
    const { privateKeyToAccount } = await import("viem/accounts");
    const admin = createWalletClient({
      account: privateKeyToAccount(await fundedKey(world)),
      chain: chainFor(CHAIN_ID, [world.rpc.url]),
      transport: http(world.rpc.url),
    });
    await admin.writeContract({
      address: kw.vault,
      abi: kw.vaultAbi,
      functionName: "setBounds",
      args: [
        boundsTuple({
          total: 10n ** 12n,
          idle: 4n * 10n ** 11n,
          leverage: 6n * 10n ** 17n,
          maxTradeValue: 10n ** 11n,
          paused: true,
        }),
      ],
    });
    const r = await app.service.cycle();
    expect(r.action).to.equal("skip");
    expect(r.reason).to.match(/paused/);
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(0);
  });

  it("metrics and health endpoint on loopback", async () => {
    const { app } = await keeper();
    const srv = await startMetricsServer(app.metrics, app.service, "127.0.0.1", 0);
    try {
      const h0 = await fetch(`http://127.0.0.1:${srv.port}/healthz`);
      expect(h0.status).to.equal(503);
      await app.service.cycle();
      const h1 = await fetch(`http://127.0.0.1:${srv.port}/healthz`);
      expect(h1.status).to.equal(200);
      const text = await (await fetch(`http://127.0.0.1:${srv.port}/metrics`)).text();
      for (const name of [
        "keeper_vault_value",
        "keeper_vault_leverage",
        "keeper_risk_contribution_dispersion",
        "keeper_seconds_since_last_rebalance",
        "keeper_tx_sent_total",
        "keeper_tx_failed_total",
        "keeper_rpc_request_duration_seconds",
        "keeper_rpc_errors_total",
        "keeper_cycle_duration_seconds",
      ]) {
        expect(text, name).to.include(name);
      }
      expect(text).to.match(/keeper_vault_value 1000000/);
      const since = Number(/^keeper_seconds_since_last_rebalance (\S+)$/m.exec(text)?.[1]);
      expect(since).to.be.within(0, 60);
      expect((srv.server.address() as { address: string }).address).to.equal("127.0.0.1");
    } finally {
      await srv.close();
    }
  });
});
