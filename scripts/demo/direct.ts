/**
 * Fallback driver, used only while the vault has no `rebalance` entry point: the keeper's pure
 * core (keeper/shell/strategy.ts `createPlanner` = keeper/risk + keeper/planner) plans for a
 * portfolio held by one account, and the demo executes the planned trades through the real
 * UniswapV3SwapAdapter and pools with viem. The bounds the planner respects are built from the
 * vault parameters of `deploy/parameters.ts`; nothing on chain enforces them in this mode.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  parseAbi,
  type Address,
  type EIP1193Provider as ViemProvider,
} from "viem";
import type { LocalWorldParameters } from "../../deploy/parameters.ts";
import type { LocalWorld } from "../../deploy/world.ts";
import type { RebalanceBoundsF } from "../../keeper/planner/types.ts";
import type { PriceHistory } from "../../keeper/shell/ports.ts";
import { createPlanner } from "../../keeper/shell/strategy.ts";
import type { PricePath } from "../../keeper/sim/path.ts";
import type { Eip1193 } from "./chain.ts";
import type { KeeperDriver, StepResult } from "./keeper.ts";

const ERC20 = parseAbi([
  "function balanceOf(address) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function mint(address to, uint256 amount)",
]);
const ADAPTER = parseAbi([
  "struct Route { uint24[] fees; address[] intermediates; }",
  "function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, Route route) returns (uint256)",
]);

export interface DirectDriverOptions {
  world: LocalWorld;
  provider: Eip1193;
  /** The account that holds the portfolio (unlocked on the local chain). */
  owner: Address;
  depositUsd: number;
  path: PricePath;
  params: LocalWorldParameters;
  volTarget: number;
}

const DAY = 86_400;

/** Whole units -> token units, rounded down. */
function units(x: number, decimals: number): bigint {
  if (!(x > 0)) return 0n;
  const s = x.toFixed(Math.min(decimals, 18));
  const [i, f = ""] = s.split(".");
  return (
    BigInt(i as string) * 10n ** BigInt(decimals) +
    BigInt((f + "0".repeat(decimals)).slice(0, decimals) || "0")
  );
}

export async function createDirectDriver(o: DirectDriverOptions): Promise<KeeperDriver> {
  const transport = custom(o.provider as unknown as ViemProvider);
  const client = createPublicClient({ transport });
  const wallet = createWalletClient({ transport, account: o.owner });
  const deployer = createWalletClient({ transport, account: o.world.deployer });
  const adapter = o.world.vault?.swapAdapter as Address;
  const asset = o.world.asset;
  await deployer.writeContract({
    chain: null,
    address: asset.address,
    abi: ERC20,
    functionName: "mint",
    args: [o.owner, BigInt(o.depositUsd) * 10n ** BigInt(asset.decimals)],
  });
  for (const t of [asset, ...o.world.riskTokens]) {
    await wallet.writeContract({
      chain: null,
      address: t.address,
      abi: ERC20,
      functionName: "approve",
      args: [adapter, 2n ** 256n - 1n],
    });
  }
  const v = o.params.vault;
  const planner = createPlanner({
    volTarget: o.volTarget,
    lookbackDays: 60,
    halfLifeDays: 30,
    margin: 0.9,
    minTradeValue: 100,
    slippageBps: 50,
  });
  const balanceOf = async (token: Address): Promise<bigint> =>
    client.readContract({ address: token, abi: ERC20, functionName: "balanceOf", args: [o.owner] });
  let nonce = 0;

  const holdings = async (prices: readonly number[]) => {
    const idle = Number(await balanceOf(asset.address)) / 10 ** asset.decimals;
    const balances: number[] = [];
    for (const t of o.world.riskTokens) balances.push(Number(await balanceOf(t.address)) / 10 ** t.decimals);
    const value = idle + balances.reduce((s, b, i) => s + b * (prices[i] as number), 0);
    return { value, idle, balances };
  };

  return {
    label:
      "DIRECT fallback: the vault has no rebalance entry point yet; keeper/shell createPlanner (risk engine + planner) plans for an account, trades go through UniswapV3SwapAdapter via viem; no on-chain guard",
    holdings: async (prices) => {
      const h = await holdings(prices);
      return { value: h.value, balances: h.balances };
    },
    async cycle(t: number): Promise<StepResult> {
      const prices = o.path.prices[t] as number[];
      const h = await holdings(prices);
      const exposure = h.balances.reduce((s, b, i) => s + b * (prices[i] as number), 0);
      const bounds: RebalanceBoundsF = {
        nonce: nonce,
        rebalancePaused: false,
        oraclesHealthy: true,
        totalValue: h.value,
        idle: h.idle,
        leverage: h.value > 0 ? exposure / h.value : 0,
        targetLeverage: Number(v.targetLeverage) / 1e18,
        maxLeverage: Number(v.maxLeverage) / 1e18,
        ripcordLeverage: Number(v.ripcordLeverage) / 1e18,
        maxTradeValue: (h.value * v.maxTradeBps) / 1e4,
        maxSlippageBps: v.maxSlippageBps,
        minRebalanceInterval: v.minRebalanceInterval,
        cooldownRemaining: 0,
        maxLossPerRebalance: (h.value * v.maxLossBps) / 1e4,
        lossBudgetRemaining: (h.value * v.maxLossBps) / 1e4,
        turnoverRemaining: h.value * 2,
        assets: o.world.riskTokens.map((tok, i) => ({
          token: tok.address,
          decimals: tok.decimals,
          price: prices[i] as number,
          balance: h.balances[i] as number,
          value: (h.balances[i] as number) * (prices[i] as number),
          netExposure: (h.balances[i] as number) * (prices[i] as number),
          maxWeightBps: tok.maxWeightBps,
        })),
      };
      const start = Math.max(0, t - 90);
      const day0 = Math.floor(Date.parse(`${o.path.dates[0]}T00:00:00Z`) / 1000 / DAY);
      const history: PriceHistory = {
        days: o.path.dates
          .slice(start, t + 1)
          .map((d) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 1000 / DAY) - day0),
        prices: new Map(
          o.world.riskTokens.map((tok, i) => [
            tok.address,
            Float64Array.from(o.path.prices.slice(start, t + 1).map((r) => r[i] as number)),
          ]),
        ),
      };
      let plan;
      try {
        plan = planner({ bounds, history, vaultAsset: asset.address, now: 0 });
      } catch (e) {
        return { kind: "error", detail: `planner: ${(e as Error).message}`, rejections: 0 };
      }
      if (plan.trades.length === 0)
        return { kind: "skip", detail: `nothing to trade: ${plan.notes.join("; ")}`, rejections: 0 };
      let gas = 0;
      let traded = 0;
      let rejected = 0;
      const decimalsOf = (token: string): number =>
        token === asset.address
          ? asset.decimals
          : (o.world.riskTokens.find((x) => x.address === token)?.decimals ?? 18);
      for (const tr of plan.trades) {
        const amountIn = units(tr.amountIn, decimalsOf(tr.tokenIn));
        const have = await balanceOf(tr.tokenIn as Address);
        const spend = amountIn > have ? have : amountIn;
        if (spend === 0n) continue;
        const minOut =
          (units(tr.minAmountOut, decimalsOf(tr.tokenOut)) * spend) / (amountIn === 0n ? 1n : amountIn);
        try {
          const hash = await wallet.writeContract({
            chain: null,
            address: adapter,
            abi: ADAPTER,
            functionName: "swap",
            args: [
              tr.tokenIn as Address,
              tr.tokenOut as Address,
              spend,
              minOut,
              { fees: [o.world.riskTokens[0]?.poolFee ?? 3000], intermediates: [] },
            ],
            gas: 1_000_000n,
          });
          const receipt = await client.getTransactionReceipt({ hash });
          gas += Number(receipt.gasUsed);
          traded += tr.valueUsd;
        } catch {
          rejected++;
        }
      }
      nonce++;
      return {
        kind: "rebalance",
        detail:
          `${plan.trades.length} trade(s), scale ${plan.scale.toFixed(2)}; ${plan.notes.join("; ")}`.slice(
            0,
            300,
          ),
        rejections: rejected,
        gasUsed: gas,
        tradedValueUsd: traded,
      };
    },
    async close() {},
  };
}
