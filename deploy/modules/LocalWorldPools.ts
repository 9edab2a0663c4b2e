/**
 * Ignition module, phase 2 of the local world: one Uniswap V3 pool per risk token against the
 * asset, created and initialised at the token's initial price, with a full-range position worth
 * `poolLiquidityUsd` on each side minted to the deployer. Built from phase 1's addresses (the
 * pool's token order, hence its sqrtPriceX96, depends on them).
 */
import { buildModule } from "@nomicfoundation/ignition-core";
import { UNISWAP_V3_POSITION_MANAGER_ARTIFACT, WETH9_ARTIFACT } from "../artifacts.ts";
import type { LocalWorldParameters } from "../parameters.ts";
import { fullRangeTicks, riskIsToken0, sqrtPriceX96FromUsd, usdToWad } from "../pool-math.ts";

export interface CoreAddresses {
  weth: string;
  positionManager: string;
  tokens: Record<string, string>;
}

/** Far-future deadline for the liquidity mint (the local chain's clock only moves forward). */
const DEADLINE = 2n ** 48n;

/** Token units worth `usd` at `price`, rounded down. */
function unitsFor(usd: number, price: number, decimals: number): bigint {
  return (BigInt(Math.round(usd * 1e6)) * 10n ** BigInt(decimals) * 10n ** 12n) / usdToWad(price);
}

export function localWorldPoolsModule(p: LocalWorldParameters, core: CoreAddresses) {
  return buildModule("LocalWorldPools", (m) => {
    const deployer = m.getAccount(0);
    const positionManager = m.contractAt(
      "NonfungiblePositionManager",
      UNISWAP_V3_POSITION_MANAGER_ARTIFACT,
      core.positionManager,
      {
        id: "PositionManagerAt",
      },
    );
    const assetAddress = core.tokens[p.asset.symbol];
    if (assetAddress === undefined) throw new Error(`core deployment has no ${p.asset.symbol}`);
    const asset = m.contractAt("LocalToken", assetAddress, { id: `${p.asset.symbol}_At` });
    const assetPerPool = BigInt(Math.round(p.poolLiquidityUsd)) * 10n ** BigInt(p.asset.decimals);
    const mintAsset = m.call(asset, "mint", [deployer, assetPerPool * BigInt(p.riskTokens.length)], {
      id: "MintAsset",
    });
    const approveAsset = m.call(asset, "approve", [positionManager, 2n ** 256n - 1n], {
      id: "ApproveAsset",
      after: [mintAsset],
    });

    for (const t of p.riskTokens) {
      const address = core.tokens[t.symbol];
      if (address === undefined) throw new Error(`core deployment has no ${t.symbol}`);
      const amount = unitsFor(p.poolLiquidityUsd, t.initialPrice, t.decimals);
      let funded;
      let token;
      if (t.wrappedNative === true) {
        token = m.contractAt("WETH9", WETH9_ARTIFACT, address, { id: `${t.symbol}_At` });
        funded = m.call(token, "deposit", [], { id: `Wrap_${t.symbol}`, value: amount });
      } else {
        token = m.contractAt("LocalToken", address, { id: `${t.symbol}_At` });
        funded = m.call(token, "mint", [deployer, amount], { id: `Mint_${t.symbol}` });
      }
      const approved = m.call(token, "approve", [positionManager, 2n ** 256n - 1n], {
        id: `Approve_${t.symbol}`,
        after: [funded],
      });
      const side = {
        risk: address,
        riskDecimals: t.decimals,
        quote: assetAddress,
        quoteDecimals: p.asset.decimals,
      };
      const riskFirst = riskIsToken0(side);
      const [token0, token1] = riskFirst ? [address, assetAddress] : [assetAddress, address];
      const [amount0, amount1] = riskFirst ? [amount, assetPerPool] : [assetPerPool, amount];
      const created = m.call(
        positionManager,
        "createAndInitializePoolIfNecessary",
        [token0, token1, t.poolFee, sqrtPriceX96FromUsd(side, usdToWad(t.initialPrice))],
        { id: `CreatePool_${t.symbol}` },
      );
      const [tickLower, tickUpper] = fullRangeTicks(t.poolFee);
      m.call(
        positionManager,
        "mint",
        [
          {
            token0,
            token1,
            fee: t.poolFee,
            tickLower,
            tickUpper,
            amount0Desired: amount0,
            amount1Desired: amount1,
            amount0Min: 0n,
            amount1Min: 0n,
            recipient: deployer,
            deadline: DEADLINE,
          },
        ],
        { id: `Liquidity_${t.symbol}`, after: [created, approved, approveAsset] },
      );
    }
    return { positionManager };
  });
}
