/**
 * Random fault schedules (fast-check) against the sender and its journal on a real node: RPC
 * errors, rate limits, timeouts, lost responses, injected "nonce too low" / "replacement
 * underpriced", and crashes at any journal step with a restart. Invariants: no nonce executes
 * twice, every execution is in the journal as confirmed (no lost record), nothing stays open
 * after a final reconcile, every mined keeper transaction is journaled.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { BaseContract } from "ethers";
import { encodeFunctionData, parseAbi, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { SimulatedCrash, type SenderHooks } from "../../../keeper/shell/sender.ts";
import type { FaultRule } from "./faultProxy.ts";
import { fundedKey, makeKeeper, startWorld, tempDb, type World } from "./world.ts";

const TARGET_ABI = parseAbi(["function execute(uint256 expectedNonce)"]);
type CrashPoint = keyof SenderHooks | null;

const faultArb: fc.Arbitrary<FaultRule> = fc.oneof(
  fc.record({
    method: fc.constantFrom<string | RegExp>(
      /.*/,
      "eth_sendRawTransaction",
      "eth_call",
      "eth_getTransactionReceipt",
      "eth_getTransactionByHash",
    ),
    kind: fc.constantFrom("http500" as const, "http429" as const),
    times: fc.integer({ min: 1, max: 6 }), // above the client's 3 retries: errors reach the sender
  }),
  fc.record({
    method: fc.constantFrom<string | RegExp>(
      "eth_sendRawTransaction",
      "eth_getTransactionReceipt",
      "eth_estimateGas",
    ),
    kind: fc.constant("timeout" as const),
    times: fc.constant(1),
    delayMs: fc.constant(700),
  }),
  fc.record({
    method: fc.constant("eth_sendRawTransaction"),
    kind: fc.constant("forwardThenTimeout" as const),
    times: fc.constant(1),
    delayMs: fc.constant(700),
  }),
  fc.record({
    method: fc.constant("eth_sendRawTransaction"),
    kind: fc.constant("rpcError" as const),
    times: fc.constant(1),
    code: fc.constant(-32000),
    message: fc.constantFrom("nonce too low", "replacement transaction underpriced", "already known"),
  }),
);

describe("keeper sender: random fault schedules (property)", function () {
  this.timeout(300_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world.close();
  });

  it("no double execution, no lost record, nothing left open", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(faultArb, { maxLength: 3 }), { minLength: 3, maxLength: 3 }),
        fc.array(
          fc.constantFrom<CrashPoint>(
            null,
            null,
            "afterIntent",
            "afterAttemptRecorded",
            "afterBroadcast",
            "afterReceipt",
          ),
          { minLength: 3, maxLength: 3 },
        ),
        async (faultsPerStep, crashes) => {
          world.proxy.clear();
          const target = (await world.ethers.deployContract("KeeperNonceTarget")) as unknown as BaseContract;
          const to = (await target.getAddress()) as Address;
          const key = await fundedKey(world);
          const db = tempDb("fuzz");
          for (let step = 0; step < 3; step++) {
            const nonce = (await target.getFunction("nonce")()) as bigint;
            const k = makeKeeper({
              urls: [world.proxy.url],
              key,
              db,
              timeoutMs: 400,
              options: { stuckAfterMs: 300, maxWaitMs: 8_000 },
            });
            const crash = crashes[step];
            if (crash) {
              k.sender.hooks[crash] = () => {
                throw new SimulatedCrash(crash);
              };
            }
            for (const f of faultsPerStep[step]!) world.proxy.add({ ...f });
            try {
              await k.sender.reconcile();
              await k.sender.send({
                kind: "rebalance",
                vault: to,
                to,
                data: encodeFunctionData({ abi: TARGET_ABI, functionName: "execute", args: [nonce] }) as Hex,
                rebalanceNonce: nonce,
                planId: null,
              });
            } catch (e) {
              if (
                !(e instanceof SimulatedCrash) &&
                !/HTTP|timed out|took too long|fetch failed/i.test((e as Error).message)
              )
                throw e;
            } finally {
              k.store.close();
            }
            world.proxy.clear();
          }
          // final restart without faults
          const k = makeKeeper({ urls: [world.proxy.url], key, db });
          await k.sender.reconcile();
          const executions = (await target.getFunction("executions")()) as bigint;
          const intents = k.store.intents();
          const confirmed = intents.filter((i) => i.status === "confirmed");
          const reverted = intents.filter((i) => i.status === "reverted");
          expect(k.store.openIntents(), JSON.stringify(intents)).to.have.length(0);
          // no lost record: every execution is a confirmed intent, and vice versa
          expect(BigInt(confirmed.length)).to.equal(executions);
          // no double execution of a nonce
          expect(new Set(confirmed.map((i) => i.rebalanceNonce)).size).to.equal(confirmed.length);
          // every transaction the account mined is journaled (executed or reverted)
          const txCount = BigInt(
            (await world.rpcCall("eth_getTransactionCount", [
              privateKeyToAccount(key).address,
              "latest",
            ])) as string,
          );
          expect(txCount).to.equal(BigInt(confirmed.length + reverted.length));
          k.store.close();
        },
      ),
      { numRuns: Number(process.env.KEEPER_FUZZ_RUNS ?? 12), endOnFailure: true },
    );
  });
});
