import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, findSecrets, loadConfig, parseConfig } from "../../../keeper/shell/config.ts";

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const base = () => ({
  chainId: 31337,
  rpcUrls: ["http://127.0.0.1:8545"],
  vault: A,
  asset: { address: A, decimals: 6 },
  feeds: { [A]: A },
  swap: { adapter: A },
});

function problems(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(raw, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("keeper config", () => {
  it("accepts a minimal config and fills defaults", () => {
    const c = parseConfig(base());
    expect(c.confirmations).to.equal(1);
    expect(c.metrics.host).to.equal("127.0.0.1");
    expect(c.fees.bumpPercent).to.be.greaterThanOrEqual(10);
  });

  it("options: off when absent; validated and with overlay defaults left to the planner when present", () => {
    expect(parseConfig(base()).options).to.equal(undefined);
    const c = parseConfig({
      ...base(),
      options: { adapter: A, venue: A, volatilityOracle: A, overlay: { putDelta: 0.25, tenorDays: 45 } },
    });
    expect(c.options?.adapter).to.equal(A);
    expect(c.options?.rate).to.equal(0);
    expect(c.options?.overlay).to.deep.equal({ putDelta: 0.25, tenorDays: 45 });
    const p = problems({
      ...base(),
      options: { adapter: "0x12", venue: A, volatilityOracle: A, overlay: { putDelta: 1.5, bogus: 1 } },
    });
    expect(
      p.some((x) => /^options\.adapter: .*Fix: see the "options" section/.test(x)),
      p.join("\n"),
    ).to.equal(true);
    expect(
      p.some((x) => /^options\.overlay\.putDelta: /.test(x)),
      p.join("\n"),
    ).to.equal(true);
    expect(
      p.some((x) => /^options\.overlay\.bogus: unknown field/.test(x)),
      p.join("\n"),
    ).to.equal(true);
    expect(problems({ ...base(), options: { venue: A, volatilityOracle: A } })[0]).to.match(
      /^options\.adapter: /,
    );
  });

  it("the example config in the repository is valid", () => {
    const c = loadConfig("keeper.config.example.json", {});
    expect(c.rpcUrls.length).to.be.greaterThan(1);
  });

  const cases: [string, (r: Record<string, unknown>) => void, string, RegExp][] = [
    ["chainId", (r) => (r.chainId = "one"), "chainId", /numeric id/],
    ["rpcUrls empty", (r) => (r.rpcUrls = []), "rpcUrls", /KEEPER_RPC_URLS/],
    ["rpcUrls ws", (r) => (r.rpcUrls = ["ws://x"]), "rpcUrls.0", /http\(s\)/],
    ["vault", (r) => (r.vault = "0x1234"), "vault", /vault's checksummed address/],
    ["fee cap", (r) => (r.fees = { maxFeePerGasGwei: 0 }), "fees.maxFeePerGasGwei", /gwei/],
    ["bump", (r) => (r.fees = { bumpPercent: 5 }), "fees.bumpPercent", /10%/],
    ["metrics host", (r) => (r.metrics = { host: "0.0.0.0" }), "metrics.host", /loopback/],
    ["unknown field", (r) => (r.confirmation = 2), "confirmation", /spelling/],
  ];
  for (const [name, mutate, field, fix] of cases) {
    it(`names the field and the fix: ${name}`, () => {
      const raw = base() as Record<string, unknown>;
      mutate(raw);
      const p = problems(raw);
      expect(p, JSON.stringify(p)).to.have.length(1);
      expect(p[0]!.startsWith(field + ":")).to.equal(true, p[0]);
      expect(p[0]).to.match(fix);
      expect(p[0]).to.include("Fix:");
    });
  }

  it("lists every problem at once", () => {
    const p = problems({ ...base(), chainId: -1, confirmations: 100, slippageBps: 5000 });
    expect(p.map((x) => x.split(":")[0])).to.have.members(["chainId", "confirmations", "slippageBps"]);
  });

  it("rejects a config that contains a private key, under any name or nesting", () => {
    const key = "0x" + "ab".repeat(32);
    for (const raw of [
      { ...base(), privateKey: key },
      { ...base(), signer: { key } },
      { ...base(), mnemonic: "test test" },
      { ...base(), fees: { note: key.slice(2) } },
    ]) {
      const p = problems(raw);
      expect(p.length).to.equal(1);
      expect(p[0]).to.match(/secret/);
      expect(p[0]).to.include("KEEPER_PRIVATE_KEY");
      expect(p.join()).to.not.include(key.slice(2)); // the message never echoes the secret
    }
    expect(findSecrets(base())).to.deep.equal([]);
  });

  it("environment variables override the file", () => {
    const c = parseConfig(base(), {
      KEEPER_RPC_URLS: "http://a:1, http://b:2",
      KEEPER_DB: "/tmp/x.sqlite",
      KEEPER_METRICS_PORT: "9999",
    });
    expect(c.rpcUrls).to.deep.equal(["http://a:1", "http://b:2"]);
    expect(c.database).to.equal("/tmp/x.sqlite");
    expect(c.metrics.port).to.equal(9999);
    expect(problems(base(), { KEEPER_METRICS_PORT: "abc" })[0]).to.match(/^metrics\.port:/);
  });

  it("reports unreadable and malformed files with a fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ nope");
    expect(() => loadConfig(bad, {})).to.throw(ConfigError, /not valid JSON.*Fix/);
    expect(() => loadConfig(join(dir, "missing.json"), {})).to.throw(ConfigError, /cannot read.*--config/);
  });
});
