/**
 * The end of an option's life, run by the keeper against the real RiskParityVault, OptionVenue and
 * OptionVenueAdapter: puts held to expiry (rollBeforeDays 0) are settled with the FIRST Chainlink
 * round at or after expiry (the keeper walks the venue's feed back from its latest round; the
 * venue rejects any other round), the payout is collected into the vault's idle with
 * `vault.closeOption(adapter, 0, 0, pendingPayout)`, and `keeper plan` / `status` show both
 * actions with their reasons. Expected payouts are recomputed here from the series and the pushed
 * rounds, not taken from the keeper.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, type Address, type PublicClient } from "viem";
import { buildApp } from "../../../keeper/shell/app.ts";
import { parseConfig } from "../../../keeper/shell/config.ts";
import { formatCycleReport, formatStatus } from "../../../keeper/shell/format.ts";
import { findSettlementRound } from "../../../keeper/shell/history.ts";
import { Store } from "../../../keeper/shell/store.ts";
import { feedConfig, refreshFeeds } from "../../contracts/vault/fixture.ts";
import { startRpcServer, type Eip1193 } from "./rpcServer.ts";
import {
  deployKeeperOptions,
  deployKeeperVault,
  deployPriceHistories,
  KEEPER_KEY,
  keeperTestConfig,
} from "./keeperVault.ts";
import { LogSink, tempDb } from "./world.ts";

const DAY = 86_400;
const WAD = 10n ** 18n;

describe("keeper: option lifecycle (settle at the first round after expiry, collect into the vault)", function () {
  this.timeout(300_000);

  it("settles expired puts with the first round at or after expiry and books the payout as idle", async () => {
    const conn = await network.create();
    const { ethers, networkHelpers } = conn;
    const rpc = await startRpcServer(conn.provider as unknown as Eip1193);
    const client = createPublicClient({ transport: custom(conn.provider) }) as PublicClient;
    try {
      const kv = await deployKeeperVault(ethers);
      const { w, vaultAddr, swapAddr } = kv;
      const usdcAddr = await w.usdc.getAddress();
      // Chainlink-style feeds with round history: the keeper's price history AND the venue's
      // settlement feeds (the vault keeps its own mock feeds).
      const feeds = await deployPriceHistories(ethers, w);
      const tokenAddrs = await Promise.all(w.tokens.map((t) => t.getAddress()));
      const aggs = await Promise.all(
        tokenAddrs.map((t) => ethers.getContractAt("TestAggregator", feeds[t]!)),
      );
      const { venue, volatilityOracle, venueAddr, adapter, adapterAddr } = await deployKeeperOptions(
        ethers,
        kv,
        async (v, t, i) => {
          await v.volatilityOracle.setConfig(t, 5n * 10n ** 16n, 5n * WAD, 30 * DAY);
          await v.volatilityOracle.setVolatility(t, 6n * 10n ** 17n);
          const [, answer] = await aggs[i]!.latestRoundData();
          await v.venue.listUnderlying(t, feedConfig(feeds[t]!, answer, 8, 30 * DAY));
        },
      );

      const app = buildApp(
        parseConfig({
          ...keeperTestConfig({
            rpcUrl: rpc.url,
            vault: vaultAddr,
            asset: usdcAddr,
            feeds,
            swapAdapter: swapAddr,
          }),
          database: tempDb("lifecycle"),
          options: {
            adapter: adapterAddr,
            venue: venueAddr,
            volatilityOracle: await volatilityOracle.getAddress(),
            // held to expiry: the keeper settles and collects instead of rolling
            overlay: { putDelta: 0.2, tenorDays: 10, rollBeforeDays: 0 },
          },
        }),
        { env: { KEEPER_PRIVATE_KEY: KEEPER_KEY }, logDestination: new LogSink() },
      );
      try {
        // ---------------------------------------------------------------- buy puts
        const first = await app.service.cycle();
        expect(first.options!.action, JSON.stringify(first.options)).to.equal("sent");
        const ids = (await adapter.openSeries()) as bigint[];
        expect(ids.length).to.be.greaterThan(0);
        const series = await Promise.all(ids.map((id) => venue.series(id)));
        const expiry = Number(series[0]!.expiry);
        expect(series.every((s) => Number(s.expiry) === expiry)).to.equal(true);
        const amounts = await Promise.all(
          ids.map(
            (id) => venue.getFunction("balanceOf(address,uint256)")(adapterAddr, id) as Promise<bigint>,
          ),
        );

        // ---------------------------------------------------------------- past expiry, no round yet
        await networkHelpers.time.increaseTo(expiry + DAY);
        await refreshFeeds(w); // the vault's own oracles stay fresh
        const early = await app.service.cycle({ dryRun: true });
        const waiting = early.options!.decisions.filter((d) => d.action === "settle");
        expect(waiting.map((d) => d.seriesId).sort()).to.deep.equal(ids.map(String).sort());
        for (const d of waiting)
          expect(d.detail).to.match(/cannot settle yet: .*no round at or after expiry/);

        // ---------------------------------------------------------------- rounds around expiry
        // per feed: one round before expiry, then three after it at different prices (puts in the
        // money); the first of those is the settlement round.
        const firstAfter = new Map<string, { roundId: bigint; answer: bigint }>();
        const before = new Map<string, bigint>();
        for (const [i, t] of tokenAddrs.entries()) {
          const [, last] = await aggs[i]!.latestRoundData();
          await aggs[i]!.pushRound((last * 95n) / 100n, expiry - 600);
          const [beforeId] = await aggs[i]!.latestRoundData();
          before.set(t.toLowerCase(), beforeId);
          await aggs[i]!.pushRound((last * 70n) / 100n, expiry + 60);
          const [afterId, afterAnswer] = await aggs[i]!.latestRoundData();
          firstAfter.set(t.toLowerCase(), { roundId: afterId, answer: afterAnswer });
          await aggs[i]!.pushRound((last * 60n) / 100n, expiry + 3_600);
          await aggs[i]!.pushRound((last * 65n) / 100n, expiry + 7_200);
        }

        // the venue accepts only the first round at or after expiry (anyone may call it)
        const s0 = series[0]!;
        const r0 = firstAfter.get(s0.underlying.toLowerCase())!;
        await expect(
          venue.connect(w.eve).settle.staticCall(ids[0]!, before.get(s0.underlying.toLowerCase())!),
        ).to.be.revertedWithCustomError(venue, "VenueSettlementRoundTooEarly");
        await expect(
          venue.connect(w.eve).settle.staticCall(ids[0]!, r0.roundId + 1n),
        ).to.be.revertedWithCustomError(venue, "VenueSettlementRoundNotFirst");
        expect(await venue.connect(w.eve).settle.staticCall(ids[0]!, r0.roundId)).to.equal(
          r0.answer * 10n ** 10n,
        );
        // adapter.settle is permissionless too (static call by an unrelated account)
        await adapter.connect(w.eve).settle.staticCall(ids[0]!, r0.roundId);

        // expected payouts: amount x (strike - settlement price), rounded down to USDC units
        const expected = ids.map((_, k) => {
          const s = series[k]!;
          const price = firstAfter.get(s.underlying.toLowerCase())!.answer * 10n ** 10n;
          const perOption = s.strike > price ? s.strike - price : 0n;
          return (amounts[k]! * perOption) / WAD / 10n ** 12n;
        });
        const expectedTotal = expected.reduce((a, b) => a + b, 0n);
        expect(expectedTotal > 0n).to.equal(true);

        // ---------------------------------------------------------------- keeper plan: settle + collect
        const dry = await app.service.cycle({ dryRun: true });
        const settles = dry.options!.decisions.filter((d) => d.action === "settle");
        expect(settles).to.have.length(ids.length);
        for (const d of settles) {
          const k = ids.findIndex((id) => id.toString() === d.seriesId);
          const s = series[k]!;
          expect(d.roundId).to.equal(firstAfter.get(s.underlying.toLowerCase())!.roundId.toString());
          expect(d.reason).to.equal("EXPIRED");
          expect(
            Math.abs(d.limit! - Number(expected[k]!) / 1e6) < 0.01,
            `${d.limit} vs ${expected[k]}`,
          ).to.equal(true);
        }
        const collect = dry.options!.decisions.find((d) => d.action === "collect")!;
        expect(Math.abs(collect.limit! - Number(expectedTotal) / 1e6) < 0.01).to.equal(true);
        const text = formatCycleReport(dry);
        expect(
          text.match(
            / {2}SETTLE put 0x.* round \d+ payout \$.*: EXPIRED — expired .* first round at or after expiry/g,
          ),
        ).to.have.length(ids.length);
        expect(text).to.match(/ {2}COLLECT \$[\d,.]+: PAYOUT — /);
        const st = await app.service.status();
        expect(st.options!.lifecycle.filter((d) => d.action === "settle")).to.have.length(ids.length);
        expect(formatStatus(st)).to.match(/SETTLE put .* EXPIRED/);
        expect(await adapter.pendingPayout()).to.equal(0n);

        // ---------------------------------------------------------------- keeper once: settle, collect
        const live = await app.service.cycle();
        expect(live.options!.settled, JSON.stringify(live.options)).to.equal(ids.length);
        // the new puts bought in the same cycle replace the settled ones
        const reopened = live.options!.decisions.filter((d) => d.action === "open");
        expect(reopened.length).to.be.greaterThan(0);
        expect(reopened.every((d) => d.reason === "ROLL_EXPIRY")).to.equal(true);
        for (const [k, id] of ids.entries()) {
          const s = await venue.series(id);
          expect(s.settled).to.equal(true);
          expect(s.settlementPrice).to.equal(firstAfter.get(s.underlying.toLowerCase())!.answer * 10n ** 10n);
          // the adapter holds nothing of this series any more
          expect(await venue.getFunction("balanceOf(address,uint256)")(adapterAddr, id)).to.equal(0n);
          expect(((await adapter.openSeries()) as bigint[]).includes(id)).to.equal(false);
          expect(series[k]).to.not.equal(undefined);
        }
        expect(await adapter.pendingPayout()).to.equal(0n);
        expect(await w.usdc.balanceOf(adapterAddr)).to.equal(0n);
        // the collect: one OptionClosed(adapter, 0, 0, proceeds) whose proceeds are the payouts,
        // and the vault's tracked idle rose by exactly that in its block
        const closed = await w.vault.queryFilter(w.vault.filters.OptionClosed());
        const collects = closed.filter((e) => e.args.seriesId === 0n && e.args.amount === 0n);
        expect(collects).to.have.length(1);
        const ev = collects[0]!;
        const diff =
          expectedTotal > ev.args.proceeds
            ? expectedTotal - ev.args.proceeds
            : ev.args.proceeds - expectedTotal;
        expect(diff <= BigInt(ids.length), `${ev.args.proceeds} vs ${expectedTotal}`).to.equal(true);
        expect(Math.abs(live.options!.collected! - Number(ev.args.proceeds) / 1e6) < 1e-6).to.equal(true);
        const idleAt = (tag: number) =>
          w.vault.trackedBalance(usdcAddr, { blockTag: tag }) as unknown as Promise<bigint>;
        expect((await idleAt(ev.blockNumber)) - (await idleAt(ev.blockNumber - 1))).to.equal(
          ev.args.proceeds,
        );
        // every USDC the vault holds is booked
        expect(await w.vault.trackedBalance(usdcAddr)).to.equal(await w.usdc.balanceOf(vaultAddr));
        expect(formatCycleReport(live)).to.match(/settled \d+ series, collected \$/);

        // ---------------------------------------------------------------- the round walk is bounded
        const store = new Store(tempDb("walk"));
        try {
          const feed = feeds[tokenAddrs[0]!]! as Address;
          const now = Number((await ethers.provider.getBlock("latest"))!.timestamp);
          const found = await findSettlementRound(client, store, feed, expiry, now);
          expect(found.roundId).to.equal(firstAfter.get(tokenAddrs[0]!.toLowerCase())!.roundId);
          try {
            await findSettlementRound(client, store, feed, expiry, now, { maxRounds: 2 });
            expect.fail("a walk of 2 rounds cannot reach expiry (3 rounds after it)");
          } catch (e) {
            expect((e as Error).message).to.match(
              /no round updated before expiry .* within the last 2 rounds/,
            );
          }
          // a new aggregator phase right after expiry: the venue cannot verify its first round
          const agg = await ethers.deployContract("TestAggregator", [8]);
          await agg.getFunction("pushRound")(100n, expiry - 60);
          await agg.getFunction("startPhase")();
          await agg.getFunction("pushRound")(90n, expiry + 60);
          try {
            await findSettlementRound(client, store, (await agg.getAddress()) as Address, expiry, now);
            expect.fail("a phase change cannot be verified");
          } catch (e) {
            expect((e as Error).message).to.match(/does not follow round .* same phase/);
          }
        } finally {
          store.close();
        }
      } finally {
        app.close();
      }
    } finally {
      await rpc.close();
      await conn.close();
    }
  });
});
