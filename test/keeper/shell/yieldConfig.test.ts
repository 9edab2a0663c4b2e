import { expect } from "chai";
import type { ConfigError } from "../../../keeper/shell/config.ts";
import { parseConfig } from "../../../keeper/shell/config.ts";
import { isYieldToken, routeYieldTrade, yieldLegParams } from "../../../keeper/shell/yield.ts";
import { KeeperService } from "../../../keeper/shell/service.ts";
import type { VaultState } from "../../../keeper/shell/chain.ts";

const A = (n: number): string => `0x${n.toString(16).padStart(40, "0")}`;
const base = {
  chainId: 31337,
  rpcUrls: ["http://127.0.0.1:8545"],
  vault: A(1),
  asset: { address: A(2), decimals: 6 },
  feeds: { [A(3)]: A(4) },
  swap: { adapter: A(5) },
};

describe("keeper config: yieldLeg", () => {
  it("is absent by default: no yield leg parameters", () => {
    const cfg = parseConfig(base);
    expect(cfg.yieldLeg).to.equal(undefined);
    expect(yieldLegParams(cfg)).to.equal(undefined);
  });

  it("enabled defaults to false (weight 0) and maxWeightBps to 2500", () => {
    const cfg = parseConfig({ ...base, yieldLeg: { token: A(6), adapter: A(7), targetWeightBps: 1000 } });
    expect(cfg.yieldLeg?.enabled).to.equal(false);
    expect(cfg.yieldLeg?.maxWeightBps).to.equal(2500);
    expect(yieldLegParams(cfg)).to.deep.equal({
      token: cfg.yieldLeg!.token,
      targetWeightBps: 0,
      maxWeightBps: 0,
    });
  });

  it("enabled: the configured weights", () => {
    const cfg = parseConfig({
      ...base,
      yieldLeg: { enabled: true, token: A(6), adapter: A(7), targetWeightBps: 1000, maxWeightBps: 1500 },
    });
    expect(yieldLegParams(cfg)).to.deep.equal({
      token: cfg.yieldLeg!.token,
      targetWeightBps: 1000,
      maxWeightBps: 1500,
    });
    expect(isYieldToken(cfg, A(6))).to.equal(true);
    expect(isYieldToken(cfg, A(3))).to.equal(false);
  });

  it("routes share trades through the ERC-4626 adapter with an empty route, others unchanged", () => {
    const cfg = parseConfig({
      ...base,
      yieldLeg: { enabled: true, token: A(6), adapter: A(7), targetWeightBps: 1000 },
    });
    const t = {
      tokenIn: A(2) as `0x${string}`,
      tokenOut: cfg.yieldLeg!.token,
      amountIn: 1n,
      minAmountOut: 1n,
      adapter: cfg.swap.adapter,
      route: { fees: [3000], intermediates: [] },
    };
    const routed = routeYieldTrade(cfg, t);
    expect(routed.adapter).to.equal(cfg.yieldLeg!.adapter);
    expect(routed.route).to.deep.equal({ fees: [], intermediates: [] });
    const other = { ...t, tokenOut: cfg.asset.address, tokenIn: Object.keys(cfg.feeds)[0] as `0x${string}` };
    expect(routeYieldTrade(cfg, other)).to.equal(other);
  });

  it("rejects bad weights and unknown fields with a fix naming the section", () => {
    const bad = (yieldLeg: unknown): string[] => {
      try {
        parseConfig({ ...base, yieldLeg });
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(bad({ token: A(6), adapter: A(7), targetWeightBps: 10_000 }).join()).to.contain(
      "yieldLeg.targetWeightBps",
    );
    expect(bad({ token: A(6), adapter: A(7), targetWeightBps: 100, extra: 1 }).join()).to.contain(
      "unknown field",
    );
    expect(bad({ token: "0x12", adapter: A(7), targetWeightBps: 100 }).join()).to.contain('"yieldLeg"');
  });

  it("the overlay never treats the pool share as an option underlying", () => {
    const cfg = parseConfig({
      ...base,
      feeds: { [A(3)]: A(4), [A(6)]: A(4) },
      options: { adapter: A(8), venue: A(9), volatilityOracle: A(10) },
      yieldLeg: { enabled: true, token: A(6), adapter: A(7), targetWeightBps: 1000 },
    });
    const logger = { child: () => logger } as never;
    const service = new KeeperService({ config: cfg, logger } as never);
    const state = {
      raw: {
        assets: [
          { token: cfg.yieldLeg!.token, decimals: 12 },
          { token: Object.keys(cfg.feeds)[0], decimals: 18 },
        ],
      },
    } as unknown as VaultState;
    const underlyings = service.optionChainConfig(state).underlyings.map((u) => u.address.toLowerCase());
    expect(underlyings).to.deep.equal([A(3).toLowerCase()]);
  });
});
