/**
 * Ignition module, phase 3 of the local world: the vault over the tokens, feeds and router of
 * phases 1-2, deployed by the futures shared with the mainnet module (`VaultFutures.ts`):
 * AccessManager, linked libraries, vault, function-to-role wiring, assets and feeds, swap adapter
 * with deleverage routes, risk limits, fees, the seeded first deposit, and roles:
 *   - the deployer is curator with no delay while the module registers assets, then its curator
 *     delay is raised to `riskIncreaseDelay` (raising a delay takes effect at once); it keeps the
 *     admin role and is a guardian too;
 *   - guardian and keeper get no delay (risk-reducing / rebalance entry points).
 * The deployer mints the probe and seed tokens (`LocalToken`) and wraps ether for WETH.
 */
import { buildModule } from "@nomicfoundation/ignition-core";
import type { Abi } from "viem";
import type { LocalWorldParameters } from "../parameters.ts";
import { usdToFeedAnswer } from "../pool-math.ts";
import { addVaultFutures, type FeedSpec } from "./VaultFutures.ts";

export { selectorsFor } from "./VaultFutures.ts";

export interface VaultModuleInputs {
  asset: { address: string; feed: string };
  riskTokens: { symbol: string; address: string; feed: string; wrappedNative: boolean }[];
  weth: string;
  swapRouter: string;
  /** Accounts that receive roles (addresses). */
  keeper: string;
  guardian: string;
  /** ABI of the compiled RiskParityVault (to resolve selectors). */
  vaultAbi: Abi;
}

export function localWorldVaultModule(p: LocalWorldParameters, inputs: VaultModuleInputs) {
  // Feed bounds are 8-decimal USD prices: [price / factor, price * factor].
  const feedFor = (feed: string, price: number, heartbeat: number): FeedSpec => {
    const usd8 = usdToFeedAnswer(price, 8);
    const f = BigInt(p.vault.feedBoundsFactor);
    return {
      feed,
      heartbeat,
      decimals: p.feedDecimals,
      minPrice: usd8 / f > 0n ? usd8 / f : 1n,
      maxPrice: usd8 * f,
    };
  };
  return buildModule("LocalWorldVault", (m) => {
    const { vault, manager, swapAdapter } = addVaultFutures(m, {
      vault: p.vault,
      asset: {
        address: inputs.asset.address,
        decimals: p.asset.decimals,
        feed: feedFor(inputs.asset.feed, 1, p.asset.heartbeat),
        funding: "mint",
      },
      riskTokens: p.riskTokens.map((t) => {
        const input = inputs.riskTokens.find((r) => r.symbol === t.symbol);
        if (input === undefined) throw new Error(`vault module: no address for ${t.symbol}`);
        return {
          symbol: t.symbol,
          address: input.address,
          decimals: t.decimals,
          feed: feedFor(input.feed, t.initialPrice, t.heartbeat),
          maxWeightBps: t.maxWeightBps,
          poolFee: t.poolFee,
          funding: input.wrappedNative ? "wrap" : "mint",
        };
      }),
      swapRouter: inputs.swapRouter,
      vaultAbi: inputs.vaultAbi,
      roles: { keeper: inputs.keeper, guardian: inputs.guardian },
    });
    return { vault, manager, swapAdapter };
  });
}
