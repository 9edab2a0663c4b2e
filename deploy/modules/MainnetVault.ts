/**
 * Ignition module `MainnetVault`: the vault on Ethereum mainnet against the real external
 * contracts named in `deploy/addresses/mainnet.ts` — USDC as the asset, the Chainlink USD feeds of
 * USDC and of each risk token, the Uniswap V3 SwapRouter behind `UniswapV3SwapAdapter` — with the
 * limits, weights, bounds and delays of `MAINNET_PARAMETERS` (`deploy/parameters.ts`). The vault
 * itself is deployed by the futures shared with the local world (`VaultFutures.ts`); this file
 * only maps mainnet addresses and parameters onto them, plus `DeleverageUpkeep`.
 *
 * Role holders are Ignition parameters (never keys), read from the deployment's parameters file:
 *
 *   { "MainnetVault": { "admin": "0x…", "curator": "0x…", "guardian": "0x…", "keeper": "0x…",
 *                       "upkeepBeneficiary": "0x…" } }
 *
 * The deployer (the account that sends the transactions) must hold `vault.seedDeposit` USDC and
 * `probeAmount(decimals)` of every risk token except WETH (wrapped from ether by the module); it
 * renounces every role at the end (see `VaultFutures.ts`), so `admin` and `curator` must be other
 * accounts (a multisig); `scripts/deploy-mainnet.ts` refuses otherwise.
 */
import { buildModule } from "@nomicfoundation/ignition-core";
import type { Abi } from "viem";
import type { SourcedFeed } from "../addresses/mainnet.ts";
import type { MainnetParameters, MainnetTokenSymbol } from "../parameters.ts";
import { usdToFeedAnswer } from "../pool-math.ts";
import { addVaultFutures, probeAmount, type FeedSpec, type VaultSpec } from "./VaultFutures.ts";

export const MAINNET_MODULE_ID = "MainnetVault";

/** The Ignition parameters of `MainnetVault` (all required, all addresses). */
export const MAINNET_ROLE_PARAMETERS = [
  "admin",
  "curator",
  "guardian",
  "keeper",
  "upkeepBeneficiary",
] as const;
export type MainnetRoleParameter = (typeof MAINNET_ROLE_PARAMETERS)[number];

/** The feed the vault stores for `symbol`: mainnet address and decimals, heartbeat plus margin. */
export function mainnetFeedSpec(
  p: MainnetParameters,
  symbol: MainnetTokenSymbol,
  bounds: { minPriceUsd: number; maxPriceUsd: number },
): FeedSpec {
  const f: SourcedFeed = p.addresses.feeds[symbol];
  return {
    feed: f.address,
    heartbeat: f.heartbeat + p.heartbeatMargin,
    decimals: f.decimals,
    minPrice: usdToFeedAnswer(bounds.minPriceUsd, 8),
    maxPrice: usdToFeedAnswer(bounds.maxPriceUsd, 8),
  };
}

/**
 * What the deployer spends from its own balance while `MainnetVault` runs, in order: the seed
 * deposit in the asset, then the transfer probe of every risk token except WETH (the module wraps
 * ether for that one, see `funding` in `mainnetVaultSpec`). The preflight checks these balances;
 * the dry runs provide them.
 */
export function mainnetDeployerFunding(
  p: MainnetParameters,
): { symbol: MainnetTokenSymbol; amount: bigint; purpose: "the seed deposit" | "the transfer probe" }[] {
  const weth = p.addresses.tokens.WETH.address;
  return [
    { symbol: p.asset.symbol, amount: p.vault.seedDeposit, purpose: "the seed deposit" as const },
    ...p.riskTokens
      .filter((t) => p.addresses.tokens[t.symbol].address !== weth)
      .map((t) => ({
        symbol: t.symbol,
        amount: probeAmount(p.addresses.tokens[t.symbol].decimals),
        purpose: "the transfer probe" as const,
      })),
  ];
}

/** The vault spec of `p` with the role holders given (addresses or Ignition parameters). */
export function mainnetVaultSpec(
  p: MainnetParameters,
  vaultAbi: Abi,
  roles: VaultSpec["roles"],
  upkeepBeneficiary?: VaultSpec["upkeepBeneficiary"],
): VaultSpec {
  const asset = p.addresses.tokens[p.asset.symbol];
  const seen = new Set<string>();
  const spec: VaultSpec = {
    vault: p.vault,
    asset: {
      address: asset.address,
      decimals: asset.decimals,
      feed: mainnetFeedSpec(p, p.asset.symbol, p.asset),
      funding: "hold",
    },
    riskTokens: p.riskTokens.map((t) => {
      if (t.symbol === p.asset.symbol || seen.has(t.symbol))
        throw new Error(`mainnet parameters: ${t.symbol} is the asset or listed twice`);
      seen.add(t.symbol);
      const token = p.addresses.tokens[t.symbol];
      return {
        symbol: t.symbol,
        address: token.address,
        decimals: token.decimals,
        feed: mainnetFeedSpec(p, t.symbol, t),
        maxWeightBps: t.maxWeightBps,
        poolFee: t.poolFee,
        funding: token.address === p.addresses.tokens.WETH.address ? "wrap" : "hold",
      };
    }),
    swapRouter: p.addresses.uniswapV3.swapRouter.address,
    vaultAbi,
    roles,
  };
  return upkeepBeneficiary === undefined ? spec : { ...spec, upkeepBeneficiary };
}

/** The `MainnetVault` Ignition module; role holders come from the deployment's parameters. */
export function mainnetVaultModule(p: MainnetParameters, vaultAbi: Abi) {
  return buildModule(MAINNET_MODULE_ID, (m) => {
    const param = (name: MainnetRoleParameter) => m.getParameter<string>(name);
    const spec = mainnetVaultSpec(
      p,
      vaultAbi,
      {
        keeper: param("keeper"),
        guardian: param("guardian"),
        handover: { admin: param("admin"), curator: param("curator") },
      },
      param("upkeepBeneficiary"),
    );
    const { vault, manager, swapAdapter, upkeep } = addVaultFutures(m, spec);
    if (upkeep === undefined) throw new Error("MainnetVault: DeleverageUpkeep missing");
    return { vault, manager, swapAdapter, upkeep };
  });
}
