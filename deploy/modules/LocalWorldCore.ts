/**
 * Ignition module, phase 1 of the local world: WETH9, the USDC-like asset (6 decimals, permit),
 * the other risk tokens, one Chainlink-style feed per token, and Uniswap V3 (factory,
 * NonfungiblePositionManager, SwapRouter) from npm artifacts.
 *
 * Phase 2 (`LocalWorldPools.ts`) needs the token addresses to order each pool's tokens, so
 * `deploy/world.ts` builds it after this one and deploys both into the same Ignition deployment.
 */
import { buildModule } from "@nomicfoundation/ignition-core";
import { zeroAddress } from "viem";
import {
  UNISWAP_V3_FACTORY_ARTIFACT,
  UNISWAP_V3_POSITION_MANAGER_ARTIFACT,
  UNISWAP_V3_SWAP_ROUTER_ARTIFACT,
  WETH9_ARTIFACT,
} from "../artifacts.ts";
import type { LocalWorldParameters } from "../parameters.ts";
import { usdToFeedAnswer } from "../pool-math.ts";

/** Ignition future id of a token / feed; shared with phase 2 and `deploy/world.ts`. */
export const tokenFutureId = (symbol: string): string => `Token_${symbol}`;
export const feedFutureId = (symbol: string): string => `Feed_${symbol}_USD`;

export function localWorldCoreModule(p: LocalWorldParameters) {
  return buildModule("LocalWorldCore", (m) => {
    const deployer = m.getAccount(0);
    const weth = m.contract("WETH9", WETH9_ARTIFACT, [], { id: "WETH9" });
    const asset = m.contract("LocalToken", [p.asset.name, p.asset.symbol, p.asset.decimals, deployer], {
      id: tokenFutureId(p.asset.symbol),
    });
    m.contract("LocalPriceFeed", [p.feedDecimals, usdToFeedAnswer(1, p.feedDecimals)], {
      id: feedFutureId(p.asset.symbol),
    });
    for (const t of p.riskTokens) {
      if (t.wrappedNative !== true) {
        m.contract("LocalToken", [t.name, t.symbol, t.decimals, deployer], { id: tokenFutureId(t.symbol) });
      }
      m.contract("LocalPriceFeed", [p.feedDecimals, usdToFeedAnswer(t.initialPrice, p.feedDecimals)], {
        id: feedFutureId(t.symbol),
      });
    }
    const factory = m.contract("UniswapV3Factory", UNISWAP_V3_FACTORY_ARTIFACT, [], {
      id: "UniswapV3Factory",
    });
    const positionManager = m.contract(
      "NonfungiblePositionManager",
      UNISWAP_V3_POSITION_MANAGER_ARTIFACT,
      [factory, weth, zeroAddress],
      { id: "NonfungiblePositionManager" },
    );
    const swapRouter = m.contract("SwapRouter", UNISWAP_V3_SWAP_ROUTER_ARTIFACT, [factory, weth], {
      id: "SwapRouter",
    });
    return { weth, asset, factory, positionManager, swapRouter };
  });
}
