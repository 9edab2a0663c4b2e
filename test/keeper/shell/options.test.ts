/**
 * The keeper with the option overlay configured, against the real RiskParityVault, OptionVenue and
 * OptionVenueAdapter (deploy/options.ts): `plan` lists every option order and skip with its reason
 * and sends nothing, `once` sends the overlay orders after the rebalance, `status` shows the option
 * book and its Greeks. Expected figures are recomputed here from the chain (venue series, adapter
 * balances) and keeper/options' Black-76, not taken from the service's output.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { buildApp } from "../../../keeper/shell/app.ts";
import { parseConfig, type KeeperConfig } from "../../../keeper/shell/config.ts";
import { formatCycleReport, formatStatus } from "../../../keeper/shell/format.ts";
import { black76 } from "../../../keeper/options/index.ts";
import { feedConfig, DEFAULT_TOKENS } from "../../contracts/vault/fixture.ts";
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
const VOLS = [0.65, 0.5, 0.8, 0.9];

describe("keeper with the option overlay configured", function () {
  this.timeout(240_000);

  it("plan lists option orders and skips, once sends them after the rebalance, status shows book and Greeks", async () => {
    const conn = await network.create();
    const { ethers } = conn;
    const rpc = await startRpcServer(conn.provider as unknown as Eip1193);
    try {
      const kv = await deployKeeperVault(ethers);
      const { w, vaultAddr, swapAddr } = kv;
      const usdcAddr = await w.usdc.getAddress();

      // ------------------------------------------------------------ venue + adapter (deploy/options.ts)
      const { venue, volatilityOracle, venueAddr, adapter, adapterAddr } = await deployKeeperOptions(
        ethers,
        kv,
        async (v, t, i) => {
          await v.volatilityOracle.setConfig(t, 5n * 10n ** 16n, 5n * WAD, 30 * DAY);
          await v.volatilityOracle.setVolatility(t, BigInt(Math.round(VOLS[i]! * 1e18)));
          await v.venue.listUnderlying(
            t,
            feedConfig(await w.feeds[i]!.getAddress(), DEFAULT_TOKENS[i]!.answer, 8, 30 * DAY),
          );
        },
      );

      // ------------------------------------------------------------ keeper price history
      const feeds = await deployPriceHistories(ethers, w);
      const base = keeperTestConfig({
        rpcUrl: rpc.url,
        vault: vaultAddr,
        asset: usdcAddr,
        feeds,
        swapAdapter: swapAddr,
      });
      const options = {
        adapter: adapterAddr,
        venue: venueAddr,
        volatilityOracle: await volatilityOracle.getAddress(),
        overlay: { putDelta: 0.2, tenorDays: 30 },
      };
      const env = { KEEPER_PRIVATE_KEY: KEEPER_KEY };
      const sink = new LogSink();
      const open = (cfg: KeeperConfig) => buildApp(cfg, { env, logDestination: sink });

      // Without the section: no option reads, no option report.
      const plain = open(parseConfig({ ...base, database: tempDb("plain") }));
      const app = open(parseConfig({ ...base, database: tempDb("options"), options }));
      try {
        const dry0 = await app.service.cycle({ dryRun: true });
        expect(dry0.options, JSON.stringify(dry0.options)).to.not.equal(undefined);
        // nothing held yet: every underlying is skipped as NO_HOLDING, with its reason printed
        const skips0 = dry0.options!.decisions.filter((d) => d.action === "skip");
        expect(skips0.map((d) => d.reason)).to.deep.equal(w.tokens.map(() => "NO_HOLDING"));
        expect(formatCycleReport(dry0)).to.match(/options: dry-run/);
        expect(formatCycleReport(dry0).match(/ {2}skip {2}0x.*: NO_HOLDING — /g)).to.have.length(4);

        // the plain keeper rebalances into the basket and reports no options
        const r0 = await plain.service.cycle();
        expect(r0.outcome, `${r0.reason} ${r0.error ?? ""}`).to.equal("confirmed");
        expect(r0.options).to.equal(undefined);
        expect((await plain.service.status()).options).to.equal(null);

        const tokenAddrs = await Promise.all(w.tokens.map((t) => t.getAddress()));
        const held: string[] = [];
        for (const t of w.tokens)
          if ((await w.vault.trackedBalance(await t.getAddress())) > 0n) held.push(await t.getAddress());
        expect(held.length).to.be.greaterThan(0);

        const tokenAddrsEarly = await Promise.all(w.tokens.map((t) => t.getAddress()));
        // Greek limits from the config bound option buys: a vega limit of $1 per vol point
        // scales every put down (with the reason)
        const limited = open(
          parseConfig({
            ...base,
            database: tempDb("limited"),
            options: { ...options, overlay: { ...options.overlay, maxVega: 1 } },
          }),
        );
        try {
          // vega limit $1 per vol point: every open scaled down with the reason, and the book
          // they make has at most $1 of vega (Black-76 recomputed here)
          const capped = await limited.service.cycle({ dryRun: true });
          const d = capped.options!.decisions;
          expect(d.filter((x) => x.reason === "VEGA_LIMIT").length).to.be.greaterThan(0);
          const now = Number((await ethers.provider.getBlock("latest"))!.timestamp);
          let vega = 0;
          for (const x of d.filter((y) => y.action === "open")) {
            expect(x.detail).to.match(/by the vega limit/);
            const i = w.tokens.findIndex(
              (_, k) => tokenAddrsEarly[k]!.toLowerCase() === x.underlying.toLowerCase(),
            );
            const spot = Number(await venue.spotPrice(x.underlying)) / 1e18;
            vega +=
              x.amount! *
              black76({
                forward: spot,
                strike: x.strike!,
                timeToExpiry: (x.expiry! - now) / (365 * DAY),
                volatility: VOLS[i]!,
                rate: 0,
                type: "put",
              }).vega;
          }
          expect(vega <= 1 + 1e-6, `book vega ${vega}`).to.equal(true);
        } finally {
          limited.close();
        }

        // plan: one put per held underlying (reason NEW), nothing sent
        const sent0 = await ethers.provider.getTransactionCount(w.keeper.address);
        const dry = await app.service.cycle({ dryRun: true });
        const opens = dry.options!.decisions.filter((d) => d.action === "open");
        expect(opens.map((d) => d.underlying).sort()).to.deep.equal([...held].sort());
        for (const d of opens) {
          expect(d.reason).to.equal("NEW");
          expect(d.type).to.equal("put");
          expect(d.limit! > 0).to.equal(true);
        }
        const text = formatCycleReport(dry);
        expect(text.match(/ {2}OPEN {2}put 0x.* strike .* max premium \$.*: NEW — /g)).to.have.length(
          opens.length,
        );
        expect(text).to.match(/premium: budget \$/);
        expect(await ethers.provider.getTransactionCount(w.keeper.address)).to.equal(sent0);
        expect(await adapter.openSeries()).to.deep.equal([]);

        // once: the overlay orders go out after the rebalance
        const usdcBefore = await w.usdc.balanceOf(vaultAddr);
        const once = await app.service.cycle();
        expect(once.options!.action, JSON.stringify(once.options)).to.equal("sent");
        expect(once.options!.sent).to.equal(
          once.options!.decisions.filter((d) => d.action === "open").length,
        );
        expect(once.options!.outcome).to.equal("confirmed");
        const ids = (await adapter.openSeries()) as bigint[];
        expect(ids.length).to.equal(once.options!.sent);
        expect((await w.usdc.balanceOf(vaultAddr)) < usdcBefore).to.equal(true);

        // status: the book as the chain has it, and Greeks recomputed here with Black-76
        const st = await app.service.status();
        expect(st.optionsError).to.equal(null);
        const o = st.options!;
        expect(o.book.map((b) => b.seriesId).sort()).to.deep.equal(ids.map(String).sort());
        const latest = Number((await ethers.provider.getBlock("latest"))!.timestamp);
        let sumValue = 0;
        const near = (a: number, x: number, what: string) =>
          expect(Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x)), `${what}: ${a} vs ${x}`).to.equal(true);
        for (const b of o.book) {
          const s = await venue.series(BigInt(b.seriesId));
          const bal = await venue.getFunction("balanceOf(address,uint256)")(adapterAddr, BigInt(b.seriesId));
          expect(b.underlying.toLowerCase()).to.equal(s.underlying.toLowerCase());
          expect(b.type).to.equal("put");
          near(b.amount, Number(bal) / 1e18, "amount");
          near(b.strike, Number(s.strike) / 1e18, "strike");
          expect(b.expiry).to.equal(Number(s.expiry));
          const i = tokenAddrs.findIndex((a) => a.toLowerCase() === b.underlying.toLowerCase());
          expect(i).to.be.greaterThan(-1);
          const spot = Number(await venue.spotPrice(s.underlying)) / 1e18;
          const g = black76({
            forward: spot,
            strike: b.strike,
            timeToExpiry: (b.expiry - latest) / (365 * DAY),
            volatility: VOLS[i]!,
            rate: 0,
            type: "put",
          });
          near(b.value, b.amount * g.price, "series value");
          const gu = o.greeks.byUnderlying[b.underlying]!;
          near(gu.delta, b.amount * g.delta, "delta");
          near(gu.gamma, b.amount * g.gamma, "gamma");
          near(gu.vega, b.amount * g.vega, "vega");
          near(gu.theta, b.amount * g.theta, "theta");
          expect(gu.delta < 0).to.equal(true);
          sumValue += b.value;
        }
        // the adapter values the book at the venue's bid: below the model value, by about the spread
        const spread = Number(await venue.spreadBps()) / 1e4;
        expect(o.bookValue <= sumValue).to.equal(true);
        expect(o.bookValue >= sumValue * (1 - spread) * 0.98, `${o.bookValue} vs ${sumValue}`).to.equal(true);
        const human = formatStatus(st);
        expect(human).to.match(/options: adapter 0x/);
        expect(human.match(/ put /g)).to.have.length(o.book.length);
        expect(human).to.match(/total {11}\$delta -\$/);

        // covered now: the next plan has no orders, only COVERED skips for the held underlyings
        const again = await app.service.cycle({ dryRun: true });
        // the delta hedge sees the puts: per held underlying, net delta = spot + option delta
        // (the Black-76 deltas recomputed above), with its band and action
        for (const u of held) {
          const line = again.hedge!.find((l) => l.underlying.toLowerCase() === u.toLowerCase())!;
          near(line.optionDelta, o.greeks.byUnderlying[line.underlying]!.delta, "hedge option delta");
          near(line.netDelta, line.spot + line.optionDelta, "net delta");
          expect(["IN_BAND", "REHEDGE"]).to.include(line.reason);
        }
        expect(formatCycleReport(again)).to.match(
          / {2}HEDGE 0x.*: spot .* \+ options -.* = net .* vs target .* \(band ±.*\): /,
        );
        expect(formatStatus(await app.service.status())).to.match(/delta hedge \(net delta per underlying/);
        expect(again.options!.decisions.filter((d) => d.action !== "skip")).to.deep.equal([]);
        expect(
          again
            .options!.decisions.filter((d) => d.reason === "COVERED")
            .map((d) => d.underlying)
            .sort(),
        ).to.deep.equal([...held].sort());
      } finally {
        app.close();
        plain.close();
      }
    } finally {
      await rpc.close();
      await conn.close();
    }
  });
});
