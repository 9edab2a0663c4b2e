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
import hre, { network } from "hardhat";
import type { Contract } from "ethers";
import { deployTestWorld, mint, type TestToken, type TestWorld } from "../deploy/test-world.ts";
import { routerExactInputSingle, WAD } from "../deploy/uniswap.ts";
import {
  deployGuardedVault,
  priceOf,
  rebalance,
  trade,
  USDC,
  type GuardedVault,
} from "../deploy/guarded-world.ts";

const { ethers, networkHelpers } = await network.create();
const [lp, maybeTrader] = await ethers.getSigners();
if (lp === undefined || maybeTrader === undefined) throw new Error("need two signers");
const trader = maybeTrader;

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
  await fund(trader.address, list);
  const router = await world.uni.router.getAddress();
  for (const s of list) {
    // unlimited approval in its own transaction (not counted): several swaps may sell one token
    await (
      await (s.tokenIn.contract.connect(trader) as Contract).getFunction("approve")(router, 2n ** 256n - 1n)
    ).wait();
  }
  let gas = 0n;
  for (const s of list) {
    const r = await routerExactInputSingle(world.uni, trader, {
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

// ---------------------------------------------------------------- the vault itself
const vaultAbi = (await hre.artifacts.readArtifact("RiskParityVault")).abi as {
  type: string;
  name?: string;
}[];
const vaultHasRebalance = vaultAbi.some((f) => f.type === "function" && f.name === "rebalance");
if (!vaultHasRebalance) {
  console.log("\nRiskParityVault has no rebalance in this build: vault figures skipped.");
} else {
  await vaultFigures();
}

async function vaultFigures(): Promise<void> {
  const g: GuardedVault = await deployGuardedVault(ethers, {
    limits: {
      maxTradeValue: USDC(1_000_000),
      turnoverBps: 60_000,
      lossBudgetBps: 1_000,
      maxLossPerRebalanceBps: 1_000,
    },
  });
  const usdcAddr = g.usdcInfo.address;
  const risk = await Promise.all(g.w.tokens.map((t) => t.getAddress()));
  // holdings to sell from: 100k USD of each risk asset
  for (const t of risk) await (await rebalance(g, [await trade(g, usdcAddr, t, USDC(100_000))])).wait();
  const keeper = g.w.keeper;
  const routerAddress = await g.uni.router.getAddress();

  async function vaultTrades(n: number) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t = risk[i % risk.length] as string;
      if (i < risk.length) {
        out.push(await trade(g, usdcAddr, t, USDC(TRADE_USD)));
      } else {
        const price = await priceOf(g, t);
        const dec = Number(await (g.w.tokens[i % risk.length] as Contract).getFunction("decimals")());
        out.push(await trade(g, t, usdcAddr, (TRADE_USD * WAD * 10n ** BigInt(dec)) / price));
      }
    }
    return out;
  }

  const vaultRows: Record<string, string | number>[] = [];
  for (const n of [1, 4, 8]) {
    const trades = await vaultTrades(n);
    // direct: the same swaps from an EOA through the router
    const snap = await networkHelpers.takeSnapshot();
    let direct = 0n;
    for (const t of trades) {
      const token = g.w.tokens.find((x) => x.target === t.tokenIn) ?? g.w.usdc;
      await (await token.getFunction("mint")(keeper.address, t.amountIn)).wait();
      await (
        await (token.connect(keeper) as Contract).getFunction("approve")(routerAddress, 2n ** 256n - 1n)
      ).wait();
    }
    for (const t of trades) {
      const r = await routerExactInputSingle(g.uni, keeper, {
        tokenIn: t.tokenIn,
        tokenOut: t.tokenOut,
        fee: 3000,
        amountIn: t.amountIn,
      });
      direct += r.gasUsed;
    }
    await snap.restore();
    const snap2 = await networkHelpers.takeSnapshot();
    const receipt = await (await rebalance(g, trades)).wait();
    await snap2.restore();
    const used = receipt!.gasUsed;
    vaultRows.push({
      trades: n,
      "router direct (sum of txs)": Number(direct),
      "vault.rebalance (1 tx)": Number(used),
      "overhead ratio": Number((Number(used) / Number(direct)).toFixed(3)),
      "extra gas per trade": Math.round((Number(used) - Number(direct)) / n),
    });
  }
  console.log("\n== Gas: RiskParityVault.rebalance vs the same swaps sent straight to the SwapRouter ==");
  console.log(`vault with ${risk.length} risk assets, each trade ${TRADE_USD} USD\n`);
  console.table(vaultRows);

  // one deleverage chunk: a 50 % crash on every asset (40 % of the book) trips the drawdown trigger
  await (
    await (g.vault.connect(g.w.curator) as Contract).getFunction("setLimits")({
      ...g.limits,
      targetLeverage: 0n,
    })
  ).wait();
  for (const f of g.w.feeds) {
    await (
      await f.getFunction("setAnswer")((((await f.getFunction("answer")()) as bigint) * 5n) / 10n)
    ).wait();
  }
  const due = (await g.vault.getFunction("shouldDeleverage")()) as [boolean, bigint];
  const before = await networkHelpers.takeSnapshot();
  const tx = await (g.vault.connect(g.w.eve) as Contract).getFunction("deleverage")();
  const r = await tx.wait();
  const tradeTopic = g.vault.interface.getEvent("TradeExecuted")!.topicHash;
  const legs: { tokenIn: string; spent: bigint }[] = [];
  for (const l of r.logs as { topics: string[]; data: string }[]) {
    if (l.topics[0] !== tradeTopic) continue;
    const ev = g.vault.interface.parseLog(l)!;
    legs.push({ tokenIn: ev.args.tokenIn as string, spent: ev.args.spent as bigint });
  }
  await before.restore();
  // the same sells straight to the router from an EOA, from the same state
  let direct = 0n;
  for (const leg of legs) {
    const token = g.w.tokens.find((x) => x.target === leg.tokenIn) as Contract;
    await (await token.getFunction("mint")(keeper.address, leg.spent)).wait();
    await (await (token.connect(keeper) as Contract).getFunction("approve")(routerAddress, leg.spent)).wait();
  }
  for (const leg of legs) {
    const res = await routerExactInputSingle(g.uni, keeper, {
      tokenIn: leg.tokenIn,
      tokenOut: usdcAddr,
      fee: 3000,
      amountIn: leg.spent,
    });
    direct += res.gasUsed;
  }
  console.log(
    `\n== Gas: one deleverage chunk (reason ${due[1]}, ${legs.length} sell legs through the Uniswap adapter) ==`,
  );
  console.table([
    {
      "router direct (sum of txs)": Number(direct),
      "vault.deleverage (1 tx)": Number(r.gasUsed),
      "overhead ratio": Number((Number(r.gasUsed) / Number(direct)).toFixed(3)),
    },
  ]);
}

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
