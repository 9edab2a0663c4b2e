/**
 * Gas and slippage figures for the guarded trade path, on real Uniswap V3 pools deployed from npm.
 *
 *   npx hardhat run scripts/gas-rebalance.ts
 *
 * 1. Gas of a guarded batch of 1, 4 and 8 trades (TradeGuardHarness: oracle min-out per trade,
 *    balance-only execution through UniswapV3SwapAdapter, loss budget) and, when the vault
 *    exposes `rebalance`, of RiskParityVault.rebalance with the same trades; beside the gas of
 *    the same swaps sent straight to the SwapRouter from an EOA (one transaction per swap) in the
 *    same run, from the same pool state (snapshots). Prints overhead ratios.
 * 2. Slippage paid vs the oracle price on the test pools (10M USD per side, full range, 0.3 %),
 *    in bps, for several trade sizes, one hop and two hops.
 */
import { network } from "hardhat";
import type { Contract } from "ethers";
import { deployTestWorld, mint, type TestToken, type TestWorld } from "../deploy/test-world.ts";
import { routerExactInputSingle, WAD } from "../deploy/uniswap.ts";

const { ethers, networkHelpers } = await network.create();
const [lp, trader] = await ethers.getSigners();
if (lp === undefined || trader === undefined) throw new Error("need two signers");

const world: TestWorld = await deployTestWorld(ethers, lp, {
  extraRisk: [
    { symbol: "LINK", decimals: 18, priceUsd: 15n },
    { symbol: "SOLx", decimals: 6, priceUsd: 150n },
  ],
});
const usdc = world.usdc;
const adapter = (await ethers.deployContract("UniswapV3SwapAdapter", [
  await world.uni.router.getAddress(),
])) as unknown as Contract;
const adapterAddress = await adapter.getAddress();
const harness = (await ethers.deployContract("TradeGuardHarness")) as unknown as Contract;
const harnessAddress = await harness.getAddress();
for (const t of [usdc, ...world.risk])
  await (await harness.getFunction("setPrice")(t.address, t.price)).wait();
await (await harness.getFunction("configure")(300n, 10n ** 30n, 10n ** 30n, 86_400n)).wait();

const TRADE_USD = 10_000n;

interface Swap {
  tokenIn: TestToken;
  tokenOut: TestToken;
  amountIn: bigint;
}

/** Trade i: buy risk[i % 4] with USDC for i < 4, then sell risk[i % 4] back for USDC. */
function swaps(n: number): Swap[] {
  const out: Swap[] = [];
  for (let i = 0; i < n; i++) {
    const risk = world.risk[i % world.risk.length] as TestToken;
    const buy = i < world.risk.length;
    const tokenIn = buy ? usdc : risk;
    out.push({
      tokenIn,
      tokenOut: buy ? risk : usdc,
      amountIn: (TRADE_USD * WAD * 10n ** BigInt(tokenIn.decimals)) / tokenIn.price,
    });
  }
  return out;
}

async function fund(who: string, list: Swap[]): Promise<void> {
  for (const s of list) await mint(s.tokenIn, who, s.amountIn);
}

async function routerGas(list: Swap[]): Promise<bigint> {
  const snap = await networkHelpers.takeSnapshot();
  await fund(trader!.address, list);
  const router = await world.uni.router.getAddress();
  for (const s of list) {
    // unlimited approval in its own transaction (not counted): several swaps may sell one token
    await (
      await (s.tokenIn.contract.connect(trader) as Contract).getFunction("approve")(router, 2n ** 256n - 1n)
    ).wait();
  }
  let gas = 0n;
  for (const s of list) {
    const r = await routerExactInputSingle(world.uni, trader!, {
      tokenIn: s.tokenIn.address,
      tokenOut: s.tokenOut.address,
      fee: world.fee,
      amountIn: s.amountIn,
    });
    gas += r.gasUsed;
  }
  await snap.restore();
  return gas;
}

async function harnessGas(list: Swap[]): Promise<bigint> {
  const snap = await networkHelpers.takeSnapshot();
  await fund(harnessAddress, list);
  const trades = [];
  for (const s of list) {
    const minOut = (await harness.getFunction("oracleMinOut")(
      s.tokenIn.address,
      s.tokenOut.address,
      s.amountIn,
    )) as bigint;
    trades.push({
      tokenIn: s.tokenIn.address,
      tokenOut: s.tokenOut.address,
      amountIn: s.amountIn,
      minAmountOut: minOut,
      adapter: adapterAddress,
      route: { fees: [world.fee], intermediates: [] },
    });
  }
  const receipt = await (await harness.getFunction("execute")(trades)).wait();
  await snap.restore();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

console.log("\n== Gas: guarded batch vs the same swaps sent straight to the SwapRouter ==");
console.log(`trades of ${TRADE_USD} USD each on 0.3 % pools (10M USD per side, full range)\n`);
const rows: Record<string, string | number>[] = [];
for (const n of [1, 4, 8]) {
  const list = swaps(n);
  const direct = await routerGas(list);
  const guarded = await harnessGas(list);
  rows.push({
    trades: n,
    "router direct (sum of txs)": Number(direct),
    "guarded batch (1 tx)": Number(guarded),
    "overhead ratio": Number((Number(guarded) / Number(direct)).toFixed(3)),
    "extra gas per trade": Math.round((Number(guarded) - Number(direct)) / n),
  });
}
console.table(rows);

console.log("\n== Slippage paid vs the oracle price (adapter fills, bps of the oracle amount) ==");
const slipRows: Record<string, string | number>[] = [];
const weth = world.risk[0] as TestToken;
const wbtc = world.risk[1] as TestToken;
for (const usd of [1_000n, 10_000n, 100_000n, 1_000_000n]) {
  for (const [label, tokenIn, tokenOut, route] of [
    ["USDC->WETH", usdc, weth, { fees: [world.fee], intermediates: [] as string[] }],
    ["WETH->USDC", weth, usdc, { fees: [world.fee], intermediates: [] as string[] }],
    ["WBTC->WETH->USDC", wbtc, usdc, { fees: [world.fee, world.fee], intermediates: [weth.address] }],
  ] as const) {
    const snap = await networkHelpers.takeSnapshot();
    const amountIn = (usd * WAD * 10n ** BigInt(tokenIn.decimals)) / tokenIn.price;
    await mint(tokenIn, trader.address, amountIn);
    await (
      await (tokenIn.contract.connect(trader) as Contract).getFunction("approve")(adapterAddress, amountIn)
    ).wait();
    const before = (await tokenOut.contract.getFunction("balanceOf")(trader.address)) as bigint;
    await (
      await (adapter.connect(trader) as Contract).getFunction("swap")(
        tokenIn.address,
        tokenOut.address,
        amountIn,
        0n,
        route,
      )
    ).wait();
    const got = ((await tokenOut.contract.getFunction("balanceOf")(trader.address)) as bigint) - before;
    const oracleOut =
      (amountIn * tokenIn.price * 10n ** BigInt(tokenOut.decimals)) /
      (tokenOut.price * 10n ** BigInt(tokenIn.decimals));
    const bps = (Number(oracleOut - got) / Number(oracleOut)) * 10_000;
    slipRows.push({
      "trade (USD)": Number(usd),
      route: label,
      "slippage vs oracle (bps)": Number(bps.toFixed(1)),
    });
    await snap.restore();
  }
}
console.table(slipRows);
