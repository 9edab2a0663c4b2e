/**
 * Fault tests of the sender and its journal against a real JSON-RPC node (in-process EDR behind an
 * HTTP server) through the fault proxy, using the nonce-guarded KeeperNonceTarget.
 */
import { expect } from "chai";
import type { BaseContract } from "ethers";
import { encodeFunctionData, parseAbi, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { SimulatedCrash } from "../../../keeper/shell/sender.ts";
import { fundedKey, makeKeeper, startWorld, tempDb, type World } from "./world.ts";

const TARGET_ABI = parseAbi([
  "function execute(uint256 expectedNonce)",
  "function executeAmount(uint256 expectedNonce, uint256 amount)",
]);

describe("keeper sender under faults (KeeperNonceTarget)", function () {
  this.timeout(60_000);
  let world: World;
  let target: BaseContract;
  let targetAddr: Address;

  beforeEach(async () => {
    world = await startWorld();
    target = await world.ethers.deployContract("KeeperNonceTarget");
    targetAddr = (await target.getAddress()) as Address;
  });
  afterEach(async () => {
    await world.close();
  });

  const req = (nonce: bigint) => ({
    kind: "rebalance",
    vault: targetAddr,
    to: targetAddr,
    data: encodeFunctionData({ abi: TARGET_ABI, functionName: "execute", args: [nonce] }) as Hex,
    rebalanceNonce: nonce,
    planId: null,
  });
  const executions = async (): Promise<bigint> => (await target.getFunction("executions")()) as bigint;

  it("sends once, journals intent -> hash -> outcome, and never logs the key", async () => {
    const key = await fundedKey(world);
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb() });
    const out = await k.sender.send(req(0n));
    expect(out.status).to.equal("confirmed");
    expect(await executions()).to.equal(1n);
    const [intent] = k.store.intents();
    expect(intent?.status).to.equal("confirmed");
    expect(intent?.txHash).to.equal(out.status === "confirmed" ? out.txHash : "");
    expect(k.store.attempts(intent!.id)).to.have.length(1);
    expect(k.sink.text()).to.include("transaction confirmed");
    expect(k.sink.text().toLowerCase()).to.not.include(key.slice(2).toLowerCase());
  });

  it("rides out HTTP 500s and 429 rate limits on a single endpoint (retries)", async () => {
    const key = await fundedKey(world);
    world.proxy
      .add({ method: /.*/, kind: "http500", times: 2 })
      .add({ method: "eth_sendRawTransaction", kind: "http429", times: 2 });
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb() });
    const out = await k.sender.send(req(0n));
    expect(out.status).to.equal("confirmed");
    expect(await executions()).to.equal(1n);
    expect(world.proxy.fired.get("http500")).to.equal(2);
    expect(world.proxy.fired.get("http429")).to.equal(2);
    const errors = (await k.metrics.rpcErrors.get()).values;
    expect(errors.find((v) => v.labels.kind === "rate_limited")?.value).to.equal(2);
    expect(errors.find((v) => v.labels.kind === "http_500")?.value).to.equal(2);
    expect(k.store.attempts(1)).to.have.length(1);
  });

  it("an RPC outage during simulation is an error of the cycle, not a 'simulation failed' verdict", async () => {
    const key = await fundedKey(world);
    world.proxy.add({ method: "eth_call", kind: "http500", times: 20 });
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb() });
    let thrown: unknown;
    await k.sender.send(req(0n)).then(
      (o) => expect.fail(`expected a thrown error, got ${o.status}`),
      (e: unknown) => (thrown = e),
    );
    expect(String(thrown)).to.match(/HTTP request failed|500/);
    expect(k.store.intents()).to.have.length(0); // nothing journaled, nothing sent
    expect((await k.metrics.txFailed.get()).values).to.have.length(0);
  });

  it("a timing-out endpoint fails over to the next URL", async () => {
    const key = await fundedKey(world);
    world.proxy.add({ method: /.*/, kind: "timeout", times: 3, delayMs: 3_000 });
    const k = makeKeeper({ urls: [world.proxy.url, world.rpc.url], key, db: tempDb(), timeoutMs: 500 });
    const t0 = Date.now();
    const out = await k.sender.send(req(0n));
    expect(out.status).to.equal("confirmed");
    expect(await executions()).to.equal(1n);
    expect(world.proxy.fired.get("timeout")).to.be.greaterThan(0);
    expect(Date.now() - t0).to.be.lessThan(2_900); // did not wait for the stalled endpoint
    const errors = (await k.metrics.rpcErrors.get()).values;
    expect(errors.find((v) => v.labels.kind === "timeout")?.value ?? 0).to.be.greaterThan(0);
  });

  it("a lost sendRawTransaction response (node accepted it) is not sent twice", async () => {
    const key = await fundedKey(world);
    world.proxy.add({
      method: "eth_sendRawTransaction",
      kind: "forwardThenTimeout",
      times: 2,
      delayMs: 1_200,
    });
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb(), timeoutMs: 700 });
    const out = await k.sender.send(req(0n));
    expect(out.status).to.equal("confirmed");
    expect(await executions()).to.equal(1n);
    const from = privateKeyToAccount(key).address;
    expect(await world.rpcCall("eth_getTransactionCount", [from, "latest"])).to.equal("0x1");
  });

  it("recovers from a stale account nonce (nonce too low) without executing twice", async () => {
    const key = await fundedKey(world);
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb() });
    expect((await k.sender.send(req(0n))).status).to.equal("confirmed");
    // Someone else uses the same account: the keeper's cached nonce is now stale.
    const acct = privateKeyToAccount(key);
    const raw = await acct.signTransaction({
      type: "eip1559",
      chainId: 31337,
      to: acct.address,
      nonce: 1,
      gas: 21_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1n,
      value: 0n,
    });
    await world.rpcCall("eth_sendRawTransaction", [raw]);
    // and an injected "nonce too low" on top, from the proxy
    world.proxy.add({
      method: "eth_sendRawTransaction",
      kind: "rpcError",
      times: 1,
      code: -32000,
      message: "nonce too low",
    });
    const out = await k.sender.send(req(1n));
    expect(out.status).to.equal("confirmed");
    expect(await executions()).to.equal(2n);
    expect(await world.rpcCall("eth_getTransactionCount", [acct.address, "latest"])).to.equal("0x3");
    const rpcErrors = (await k.metrics.rpcErrors.get()).values;
    expect(rpcErrors.find((v) => v.labels.kind === "rpc_error")?.value ?? 0).to.be.greaterThan(0);
  });

  it("replaces a stuck transaction with bumped fees, survives 'replacement underpriced', executes once", async () => {
    const key = await fundedKey(world);
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb(), options: { stuckAfterMs: 300 } });
    await world.setAutomine(false);
    world.proxy.add({ method: "eth_sendRawTransaction", kind: "rpcError", times: 0, message: "x" });
    const sending = k.sender.send(req(0n));
    // after the first broadcast, the next replacement is refused once as underpriced
    await waitFor(() => world.proxy.count("eth_sendRawTransaction") >= 1);
    world.proxy.add({
      method: "eth_sendRawTransaction",
      kind: "rpcError",
      times: 1,
      code: -32000,
      message: "replacement transaction underpriced",
    });
    await waitFor(() => k.store.attempts(1).length >= 3, 10_000);
    await world.mine(1);
    await world.setAutomine(true);
    const out = await sending;
    expect(out.status).to.equal("confirmed");
    expect(await executions()).to.equal(1n);
    const attempts = k.store.attempts(1);
    expect(attempts.length).to.be.greaterThanOrEqual(3);
    expect(attempts.map((a) => a.accountNonce).every((n) => n === 0)).to.equal(true);
    const fees = attempts.map((a) => BigInt(a.maxFeePerGas));
    for (let i = 1; i < fees.length; i++) expect(fees[i]! > fees[i - 1]!).to.equal(true);
    expect(attempts.map((a) => a.txHash)).to.include(out.status === "confirmed" ? out.txHash : "none");
    expect(world.proxy.fired.get("rpcError")).to.equal(1);
  });

  it("fee cap: nothing is sent while the base fee exceeds it; replacements never exceed it", async () => {
    const key = await fundedKey(world);
    const block = (await world.rpcCall("eth_getBlockByNumber", ["latest", false])) as {
      baseFeePerGas: string;
    };
    const base = BigInt(block.baseFeePerGas);
    const low = makeKeeper({
      urls: [world.proxy.url],
      key,
      db: tempDb("low"),
      options: { maxFeePerGas: base / 2n },
    });
    const before = world.proxy.count("eth_sendRawTransaction");
    const out = await low.sender.send(req(0n));
    expect(out.status).to.equal("fee-cap");
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(before);
    expect(low.store.intents()).to.have.length(0);
    // a cap a little above the first attempt's fee: bumps stop at the cap
    const cap = base * 2n + 2_000_000_000n + base / 5n;
    const k = makeKeeper({
      urls: [world.proxy.url],
      key,
      db: tempDb("cap"),
      options: { maxFeePerGas: cap, stuckAfterMs: 150, maxReplacements: 6 },
    });
    await world.setAutomine(false);
    const sending = k.sender.send(req(0n));
    await sleep(1_500);
    await world.mine(1);
    await world.setAutomine(true);
    expect((await sending).status).to.equal("confirmed");
    const fees = k.store.attempts(1).map((a) => BigInt(a.maxFeePerGas));
    expect(fees.length).to.be.greaterThan(1);
    for (const f of fees) expect(f <= cap).to.equal(true);
    expect(await executions()).to.equal(1n);
  });

  it("failing receipt lookups never turn an executed transaction into a 'dropped' record", async () => {
    const key = await fundedKey(world);
    const k = makeKeeper({ urls: [world.proxy.url], key, db: tempDb(), options: { stuckAfterMs: 150 } });
    await world.setAutomine(false);
    const sending = k.sender.send(req(0n));
    await waitFor(() => k.store.attempts(1).length >= 1 && world.proxy.count("eth_sendRawTransaction") >= 1);
    world.proxy
      .add({ method: "eth_getTransactionReceipt", kind: "http500", times: 40 })
      .add({ method: "eth_getTransactionByHash", kind: "http500", times: 40 });
    await world.mine(1); // our transaction executes while the keeper cannot see receipts
    await world.setAutomine(true);
    const out = await sending;
    expect(out.status).to.equal("confirmed");
    expect(k.store.getIntent(1)?.status).to.equal("confirmed");
    expect(await executions()).to.equal(1n);
    expect(world.proxy.fired.get("http500")).to.be.greaterThan(10);
  });

  it("two keepers with the same plan: the on-chain nonce lets exactly one execute; the other's revert is decoded", async () => {
    const a = makeKeeper({ urls: [world.proxy.url], key: await fundedKey(world), db: tempDb("a") });
    const b = makeKeeper({ urls: [world.proxy.url], key: await fundedKey(world), db: tempDb("b") });
    await world.setAutomine(false);
    const pa = a.sender.send(req(0n));
    const pb = b.sender.send(req(0n));
    await waitFor(() => a.store.attempts(1).length >= 1 && b.store.attempts(1).length >= 1);
    await sleep(100);
    await world.mine(1);
    await world.setAutomine(true);
    const [oa, ob] = await Promise.all([pa, pb]);
    expect(await executions()).to.equal(1n);
    const statuses = [oa.status, ob.status].sort();
    expect(statuses).to.deep.equal(["confirmed", "reverted"]);
    const reverted = oa.status === "reverted" ? oa : ob;
    expect(reverted.status === "reverted" && reverted.error?.name).to.equal("NonceMismatch");
    // A third attempt with the stale nonce is stopped by simulation and never broadcast.
    const before = world.proxy.count("eth_sendRawTransaction");
    const oc = await a.sender.send(req(0n));
    expect(oc.status).to.equal("simulation-failed");
    expect(oc.status === "simulation-failed" && oc.error.name).to.equal("NonceMismatch");
    expect(world.proxy.count("eth_sendRawTransaction")).to.equal(before);
  });

  it("a reorg that drops the mined transaction: the same bytes are re-sent and confirmed once", async () => {
    const key = await fundedKey(world);
    const k = makeKeeper({
      urls: [world.proxy.url],
      key,
      db: tempDb(),
      options: { confirmations: 3, stuckAfterMs: 200 },
    });
    const snapshot = await world.rpcCall("evm_snapshot");
    const sending = k.sender.send(req(0n));
    await waitFor(() => k.store.intents()[0]?.status === "mined");
    const firstBlock = k.store.intents()[0]!.blockNumber;
    expect(await world.rpcCall("evm_revert", [snapshot])).to.equal(true);
    expect(await executions()).to.equal(0n);
    const miner = setInterval(() => void world.mine(1), 150);
    try {
      const out = await sending;
      expect(out.status).to.equal("confirmed");
    } finally {
      clearInterval(miner);
    }
    expect(await executions()).to.equal(1n);
    const intent = k.store.intents()[0]!;
    expect(intent.status).to.equal("confirmed");
    expect(k.store.attempts(intent.id)).to.have.length(1); // same signed bytes, no new transaction
    expect(firstBlock).to.not.equal(null);
  });

  for (const point of ["afterIntent", "afterAttemptRecorded", "afterBroadcast", "afterReceipt"] as const) {
    it(`a crash ${point} is recovered on restart without a second execution`, async () => {
      const key = await fundedKey(world);
      const db = tempDb();
      const first = makeKeeper({ urls: [world.proxy.url], key, db });
      first.sender.hooks[point] = () => {
        throw new SimulatedCrash(point);
      };
      let crashed = false;
      try {
        await first.sender.send(req(0n));
      } catch (e) {
        crashed = e instanceof SimulatedCrash;
      }
      expect(crashed).to.equal(true);
      first.store.close();
      // restart: a new process with the same journal
      const second = makeKeeper({ urls: [world.proxy.url], key, db });
      const outcomes = await second.sender.reconcile();
      expect(outcomes).to.have.length(1);
      const expected = point === "afterIntent" ? 0n : 1n;
      expect(await executions()).to.equal(expected);
      expect(second.store.getIntent(1)?.status).to.equal(point === "afterIntent" ? "failed" : "confirmed");
      // the next cycle: only sends if the nonce is still unused
      const nonce = (await target.getFunction("nonce")()) as bigint;
      const again = await second.sender.send(req(nonce));
      expect(again.status).to.equal("confirmed");
      expect(await executions()).to.equal(expected + 1n);
      const open = second.store.openIntents();
      expect(open).to.have.length(0);
      // and a replay of the old nonce is refused before broadcast
      expect((await second.sender.send(req(0n))).status).to.equal("simulation-failed");
      const txCount = BigInt(
        (await world.rpcCall("eth_getTransactionCount", [
          privateKeyToAccount(key).address,
          "latest",
        ])) as string,
      );
      expect(txCount).to.equal(expected + 1n);
    });
  }
});

describe("keeper sender: crash while the transaction is still pending", function () {
  this.timeout(60_000);
  for (const point of ["afterAttemptRecorded", "afterBroadcast"] as const) {
    it(`crash ${point}, restart while nothing is mined: waits for (or re-sends) the same bytes, sends nothing new`, async () => {
      const world = await startWorld();
      try {
        const target = await world.ethers.deployContract("KeeperNonceTarget");
        const to = (await target.getAddress()) as Address;
        const data = encodeFunctionData({ abi: TARGET_ABI, functionName: "execute", args: [0n] });
        const key = await fundedKey(world);
        const db = tempDb();
        await world.setAutomine(false);
        const first = makeKeeper({ urls: [world.proxy.url], key, db });
        first.sender.hooks[point] = () => {
          throw new SimulatedCrash(point);
        };
        await first.sender
          .send({ kind: "rebalance", vault: to, to, data, rebalanceNonce: 0n, planId: null })
          .catch(() => undefined);
        first.store.close();
        const second = makeKeeper({ urls: [world.proxy.url], key, db });
        const miner = setInterval(() => void world.mine(1), 200);
        try {
          const outcomes = await second.sender.reconcile();
          expect(outcomes.map((o) => o.status)).to.deep.equal(["confirmed"]);
        } finally {
          clearInterval(miner);
        }
        expect(await target.getFunction("executions")()).to.equal(1n);
        const from = privateKeyToAccount(key).address;
        expect(await world.rpcCall("eth_getTransactionCount", [from, "latest"])).to.equal("0x1");
        expect(second.store.attempts(1)).to.have.length(1);
      } finally {
        await world.close();
      }
    });
  }
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("waitFor timed out");
    await sleep(20);
  }
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
