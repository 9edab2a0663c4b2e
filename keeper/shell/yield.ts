/**
 * Shell side of the yield leg (docs/options.md, "Yield leg"): reads from the config whether the
 * leg is on, how much of the pool share the pool lets the vault redeem now, and the adapter and
 * (empty) route the share's trades go through. The planning itself is pure (keeper/strategy/yieldLeg.ts).
 */
import { getAddress, type Address, type PublicClient } from "viem";
import type { KeeperConfig } from "./config.ts";
import type { VaultState } from "./chain.ts";
import type { ChainTrade } from "./convert.ts";
import type { YieldLegParams } from "../strategy/yieldLeg.ts";

const ERC4626_ABI = [
  {
    type: "function",
    name: "maxRedeem",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;

/**
 * The leg's planner parameters: undefined when the section is absent (the planner as before the
 * leg existed); with `enabled: false`, weight 0 (the share, if the vault holds it, is kept out of
 * the risk-parity solve, which has no price history for it, and unwound as the pool allows).
 */
export function yieldLegParams(cfg: Pick<KeeperConfig, "yieldLeg">): YieldLegParams | undefined {
  const y = cfg.yieldLeg;
  if (!y) return undefined;
  if (!y.enabled) return { token: y.token, targetWeightBps: 0, maxWeightBps: 0 };
  return { token: y.token, targetWeightBps: y.targetWeightBps, maxWeightBps: y.maxWeightBps };
}

/** True when `token` is the configured leg's share token (enabled or not). */
export function isYieldToken(cfg: Pick<KeeperConfig, "yieldLeg">, token: string): boolean {
  const y = cfg.yieldLeg;
  return !!y && y.token.toLowerCase() === token.toLowerCase();
}

/**
 * USD value of the shares the pool lets the vault redeem now (`maxRedeem(vault)` at the vault's
 * oracle price of the share); undefined when the leg is off or the share is not a vault asset.
 */
export async function readYieldRedeemableUsd(
  client: PublicClient,
  cfg: Pick<KeeperConfig, "yieldLeg" | "vault">,
  state: VaultState,
): Promise<number | undefined> {
  const y = cfg.yieldLeg;
  if (!y) return undefined;
  const asset = state.bounds.assets.find((a) => a.token.toLowerCase() === y.token.toLowerCase());
  if (!asset) return undefined;
  const shares = await client.readContract({
    address: y.token,
    abi: ERC4626_ABI,
    functionName: "maxRedeem",
    args: [cfg.vault],
    blockNumber: state.blockNumber,
  });
  return (Number(shares) / 10 ** asset.decimals) * asset.price;
}

/** Routes a trade of the share through the ERC-4626 adapter with the empty route it requires. */
export function routeYieldTrade(cfg: Pick<KeeperConfig, "yieldLeg">, t: ChainTrade): ChainTrade {
  const y = cfg.yieldLeg;
  if (!y) return t;
  if (!isYieldToken(cfg, t.tokenIn) && !isYieldToken(cfg, t.tokenOut)) return t;
  return { ...t, adapter: getAddress(y.adapter) as Address, route: { fees: [], intermediates: [] } };
}
