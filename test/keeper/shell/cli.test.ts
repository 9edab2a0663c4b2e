/** The command line, run as a child process against the test node. */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Hex } from "viem";
import { createPublicClient, http, parseEventLogs, type PublicClient } from "viem";
import { chainFor } from "../../../keeper/shell/chain.ts";
import { Store } from "../../../keeper/shell/store.ts";
import { deployKeeperWorld, worldConfig, type KeeperWorld } from "../../../scripts/lib/keeperWorld.ts";
import { CHAIN_ID, fundedKey, startWorld, tempDb, type World } from "./world.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  env: Record<string, string> = {},
  opts: { until?: (out: string) => boolean; signal?: NodeJS.Signals } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["keeper/cli.ts", ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (opts.until?.(stderr)) child.kill(opts.signal ?? "SIGTERM");
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("keeper CLI", function () {
  this.timeout(180_000);
  let world: World;
  let kw: KeeperWorld;
  let key: Hex;
  let cfgPath: string;
  let cfg: Record<string, unknown>;

  before(async () => {
    world = await startWorld();
    const b = (await world.rpcCall("eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
    kw = await deployKeeperWorld({
      url: world.rpc.url,
      chainId: CHAIN_ID,
      deployerKey: await fundedKey(world),
      assets: 4,
      now: Number(BigInt(b.timestamp)),
    });
    key = await fundedKey(world);
    cfgPath = tempDb("cfg").replace(/sqlite$/, "json");
    cfg = worldConfig(kw, {
      urls: [world.proxy.url, world.rpc.url],
      chainId: CHAIN_ID,
      database: tempDb("cli"),
      extra: { logLevel: "info" },
    });
    writeFileSync(cfgPath, JSON.stringify(cfg));
  });
  after(async () => {
    await world.close();
  });

  it("rejects a bad config with the field and the fix (exit 2)", async () => {
    const bad = cfgPath.replace(/\.json$/, "-bad.json");
    writeFileSync(bad, JSON.stringify({ ...cfg, confirmations: -1, rpcUrls: "http://x" }));
    const r = await cli(["--config", bad, "status"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/confirmations: .*Fix: set "confirmations"/);
    expect(r.stderr).to.match(/rpcUrls: .*Fix:/);
  });

  it("refuses a config file that holds a private key and never echoes it", async () => {
    const bad = cfgPath.replace(/\.json$/, "-key.json");
    writeFileSync(bad, JSON.stringify({ ...cfg, privateKey: key }));
    const r = await cli(["--config", bad, "plan"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/privateKey: looks like a secret/);
    expect(r.stdout + r.stderr).to.not.include(key.slice(2));
  });

  it("status --json: value, weights, risk contributions, leverage, limits", async () => {
    const r = await cli(["--config", cfgPath, "--json", "status"]);
    expect(r.code, r.stderr).to.equal(0);
    const s = JSON.parse(r.stdout) as {
      bounds: { totalValue: number; leverage: number; maxTradeValue: number };
      assets: { weight: number; riskContribution: number | null }[];
      rebalanceNonce: string;
    };
    expect(s.bounds.totalValue).to.equal(1_000_000);
    expect(s.bounds.leverage).to.equal(0.6);
    expect(s.assets).to.have.length(4);
    expect(s.assets[0]!.weight).to.equal(0.6);
    expect(s.assets[0]!.riskContribution).to.equal(1); // all risk in the only held asset
    expect(s.bounds.maxTradeValue).to.equal(100_000);
    const human = await cli(["--config", cfgPath, "status"]);
    expect(human.stdout).to.match(/leverage 0\.600x/);
  });

  it("plan prints trades with reasons and sends nothing; once sends; the key never appears", async () => {
    const sent0 = world.proxy.count("eth_sendRawTransaction");
    const p = await cli(["--config", cfgPath, "plan"], { KEEPER_PRIVATE_KEY: key });
    expect(p.code, p.stderr).to.equal(0);
    expect(p.stdout).to.match(/dry-run/);
    expect(p.stdout).to.match(/TRADE .* sell \$/);
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(sent0);
    const o = await cli(["--config", cfgPath, "--json", "once"], { KEEPER_PRIVATE_KEY: key });
    expect(o.code, o.stderr).to.equal(0);
    const rep = JSON.parse(o.stdout) as { outcome: string; rebalanceNonce: string };
    expect(rep.outcome).to.equal("confirmed");
    expect(rep.rebalanceNonce).to.equal("0");
    for (const text of [p.stdout, p.stderr, o.stdout, o.stderr])
      expect(text.toLowerCase()).to.not.include(key.slice(2).toLowerCase());
    // logs are JSON lines on stderr
    const lines = o.stderr.trim().split("\n");
    expect(lines.length).to.be.greaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l)).to.not.throw();
    // once without a signer: a clear error
    const noKey = await cli(["--config", cfgPath, "once"]);
    expect(noKey.code).to.equal(1);
    expect(noKey.stderr).to.match(/KEEPER_PRIVATE_KEY/);
  });

  it("keystore: encrypt, then sign from it; deleverage reports not due", async () => {
    const ks = cfgPath.replace(/\.json$/, "-ks.json");
    const w = await cli(["keystore", ks], {
      KEEPER_PRIVATE_KEY: key,
      KEEPER_KEYSTORE_PASSWORD: "a long passphrase",
    });
    expect(w.code, w.stderr).to.equal(0);
    const ksCfg = cfgPath.replace(/\.json$/, "-withks.json");
    writeFileSync(ksCfg, JSON.stringify({ ...cfg, keystore: ks }));
    const d = await cli(["--config", ksCfg, "--json", "deleverage"], {
      KEEPER_KEYSTORE_PASSWORD: "a long passphrase",
    });
    expect(d.code, d.stderr).to.equal(0);
    expect(JSON.parse(d.stdout)).to.include({ due: false, sent: false });
    const wrong = await cli(["--config", ksCfg, "deleverage"], {
      KEEPER_KEYSTORE_PASSWORD: "wrong passphrase",
    });
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.match(/wrong password/);
  });

  it("kill -9 after the broadcast, restart: the old transaction is confirmed, never re-sent; the next runs on a new nonce", async () => {
    const pub = createPublicClient({
      chain: chainFor(CHAIN_ID, [world.rpc.url]),
      transport: http(world.rpc.url),
    }) as PublicClient;
    const nonceNow = (
      (await pub.readContract({ address: kw.vault, abi: kw.vaultAbi, functionName: "rebalanceBounds" })) as {
        nonce: bigint;
      }
    ).nonce;
    const db = tempDb("kill");
    const killCfg = cfgPath.replace(/\.json$/, "-kill.json");
    writeFileSync(killCfg, JSON.stringify({ ...cfg, database: db, rpcUrls: [world.proxy.url] }));
    await world.setAutomine(false);
    const sent0 = world.proxy.count("eth_sendRawTransaction");
    const child = spawn(process.execPath, ["keeper/cli.ts", "--config", killCfg, "once"], {
      env: { PATH: process.env.PATH ?? "", KEEPER_PRIVATE_KEY: key },
      stdio: ["ignore", "ignore", "ignore"],
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("close", (_c, sig) => r(sig)));
    for (let i = 0; i < 600 && world.proxy.count("eth_sendRawTransaction") === sent0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(sent0 + 1);
    child.kill("SIGKILL");
    expect(await exited).to.equal("SIGKILL");
    await world.mine(1);
    await world.setAutomine(true);
    const sent1 = world.proxy.count("eth_sendRawTransaction");
    const again = await cli(["--config", killCfg, "--json", "once"], { KEEPER_PRIVATE_KEY: key });
    expect(again.code, again.stderr).to.equal(0);
    const rep = JSON.parse(again.stdout) as { rebalanceNonce: string; outcome?: string };
    expect(rep.rebalanceNonce).to.equal(String(nonceNow + 1n));
    expect(world.proxy.count("eth_sendRawTransaction") - sent1).to.equal(rep.outcome ? 1 : 0); // only the new nonce
    const store = new Store(db);
    const intents = store.intents();
    store.close();
    expect(intents[0]?.rebalanceNonce).to.equal(String(nonceNow));
    expect(intents[0]?.status).to.equal("confirmed");
    const events = parseEventLogs({
      abi: kw.vaultAbi,
      logs: await pub.getLogs({ address: kw.vault, fromBlock: 0n }),
      eventName: "Rebalanced",
    }) as unknown as { args: { nonce: bigint } }[];
    expect(events.filter((e) => e.args.nonce === nonceNow)).to.have.length(1);
  });

  it("run: serves /metrics and /healthz on loopback and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const runCfg = cfgPath.replace(/\.json$/, "-run.json");
    writeFileSync(
      runCfg,
      JSON.stringify({
        ...cfg,
        database: tempDb("run"),
        metrics: { enabled: true, host: "127.0.0.1", port },
      }),
    );
    const child = spawn(process.execPath, ["keeper/cli.ts", "--config", runCfg, "run"], {
      env: { PATH: process.env.PATH ?? "", KEEPER_PRIVATE_KEY: key },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    let status = 0;
    for (let i = 0; i < 300 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (x) => x.status,
        () => 0,
      );
    }
    expect(status, stderr).to.equal(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/^keeper_vault_value \d+/m);
    expect(metrics).to.match(/keeper_cycles_total\{outcome="/);
    expect(metrics).to.include("keeper_process_cpu_user_seconds_total"); // default process metrics in `run`
    child.kill("SIGTERM");
    expect(await exited).to.equal(0);
    expect(stderr).to.match(/stopping after the current cycle/);
    expect(stderr.toLowerCase()).to.not.include(key.slice(2).toLowerCase());
  });
});
