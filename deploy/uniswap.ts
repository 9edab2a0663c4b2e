/**
 * A real Uniswap V3 world for tests, benchmarks and the demo: the factory, SwapRouter and
 * NonfungiblePositionManager are deployed from their npm artifacts (no recompilation), pools are
 * created at a USD price ratio, liquidity is added through the position manager, and
 * `arbitrageToPrice` swaps a pool back to a target price (the demo re-aligns pools with the
 * oracle this way).
 *
 * Prices at this edge are USD per whole token as 18-decimal bigints (like the contracts use).
 * "Raw" pool price = token1 base units per token0 base unit; sqrtPriceX96 = sqrt(raw) * 2^96.
 */
import { createRequire } from "node:module";
import { Contract, ContractFactory, ZeroAddress, type InterfaceAbi, type Signer } from "ethers";

import {
  fullRangeTicks,
  Q192,
  Q96,
  sqrtPriceX96FromPrices,
  tickSpacing,
  type TokenInfo,
} from "./pool-math.ts";

// The pure pool price math lives in ./pool-math.ts; re-exported here for the world helpers' callers.
export {
  fullRangeTicks,
  MAX_TICK,
  MIN_TICK,
  Q192,
  Q96,
  sqrtBigInt as isqrt,
  sqrtPriceX96FromPrices,
  tickSpacing,
  WAD,
  type TokenInfo,
} from "./pool-math.ts";

const require = createRequire(import.meta.url);

interface NpmArtifact {
  abi: InterfaceAbi;
  bytecode: string;
}

function loadArtifact(modulePath: string): NpmArtifact {
  const raw = require(modulePath) as Partial<NpmArtifact>;
  if (raw.abi === undefined || typeof raw.bytecode !== "string" || raw.bytecode.length < 4) {
    throw new Error(`npm artifact ${modulePath} has no abi/bytecode`);
  }
  return { abi: raw.abi, bytecode: raw.bytecode };
}

export const ARTIFACTS = {
  factory: loadArtifact("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"),
  pool: loadArtifact("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json"),
  router: loadArtifact("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json"),
  positionManager: loadArtifact(
    "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  ),
  weth9: loadArtifact("canonical-weth/build/contracts/WETH9.json"),
} as const;

/** Minimal ERC-20 ABI used by the helpers (approve, balances, decimals, mint on test tokens). */
export const ERC20_ABI = [
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function mint(address to, uint256 amount)",
] as const;

const MAX_UINT256 = 2n ** 256n - 1n;
/** TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1: the widest price limits a swap accepts. */
export const MIN_SQRT_PRICE_LIMIT = 4295128739n + 1n;
export const MAX_SQRT_PRICE_LIMIT = 1461446703485210103287273052203988822378723970342n - 1n;

export interface UniswapV3 {
  weth9: Contract;
  factory: Contract;
  router: Contract;
  positionManager: Contract;
}

/** A pool with its tokens in pool order (token0 < token1 by address). */
export interface PoolInfo {
  pool: Contract;
  address: string;
  fee: number;
  token0: TokenInfo;
  token1: TokenInfo;
}

/** Deploys an npm artifact (e.g. one of `ARTIFACTS`) from `signer`; a handle with its ABI. */
export async function deployArtifact(
  artifact: NpmArtifact,
  signer: Signer,
  args: unknown[],
): Promise<Contract> {
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return new Contract(await contract.getAddress(), artifact.abi, signer);
}

/** Deploys WETH9, the V3 factory, SwapRouter and NonfungiblePositionManager (no token descriptor). */
export async function deployUniswapV3(signer: Signer): Promise<UniswapV3> {
  const weth9 = await deployArtifact(ARTIFACTS.weth9, signer, []);
  const factory = await deployArtifact(ARTIFACTS.factory, signer, []);
  const factoryAddress = await factory.getAddress();
  const wethAddress = await weth9.getAddress();
  const router = await deployArtifact(ARTIFACTS.router, signer, [factoryAddress, wethAddress]);
  const positionManager = await deployArtifact(ARTIFACTS.positionManager, signer, [
    factoryAddress,
    wethAddress,
    ZeroAddress,
  ]);
  return { weth9, factory, router, positionManager };
}

/** Orders two tokens as Uniswap does (by address). */
export function sortTokens(a: TokenInfo, b: TokenInfo): [TokenInfo, TokenInfo] {
  return BigInt(a.address) < BigInt(b.address) ? [a, b] : [b, a];
}

/**
 * USD price (18-decimal wad) of token0 implied by `sqrtPriceX96` when token1 is worth `price1`:
 * price0 = raw * price1 * 10^dec0 / 10^dec1, raw = sqrtP^2 / 2^192 (rounded down).
 */
export function usdPrice0FromSqrtPriceX96(
  token0: TokenInfo,
  token1: TokenInfo,
  sqrtPriceX96: bigint,
  price1: bigint,
): bigint {
  return (
    (sqrtPriceX96 * sqrtPriceX96 * price1 * 10n ** BigInt(token0.decimals)) /
    (Q192 * 10n ** BigInt(token1.decimals))
  );
}

/** USD price (wad) of token1 implied by `sqrtPriceX96` when token0 is worth `price0`. */
export function usdPrice1FromSqrtPriceX96(
  token0: TokenInfo,
  token1: TokenInfo,
  sqrtPriceX96: bigint,
  price0: bigint,
): bigint {
  return (
    (price0 * Q192 * 10n ** BigInt(token1.decimals)) /
    (sqrtPriceX96 * sqrtPriceX96 * 10n ** BigInt(token0.decimals))
  );
}

/** Tick whose price is at or below `sqrtPriceX96` (float log, good to a tick for band edges). */
export function tickAtSqrtPrice(sqrtPriceX96: bigint): number {
  const ratio = Number(sqrtPriceX96) / Number(Q96);
  return Math.floor((2 * Math.log(ratio)) / Math.log(1.0001));
}

/** Reads a pool's current sqrtPriceX96 and tick. */
export async function slot0(pool: Contract): Promise<{ sqrtPriceX96: bigint; tick: number }> {
  const s = (await pool.getFunction("slot0")()) as unknown as [bigint, bigint];
  return { sqrtPriceX96: s[0], tick: Number(s[1]) };
}

/**
 * Creates (if needed) and initialises the `a`/`b` pool at the USD prices `priceA`, `priceB`
 * (wads per whole token). Returns the pool with its tokens in pool order.
 */
export async function createPool(
  uni: UniswapV3,
  a: TokenInfo,
  priceA: bigint,
  b: TokenInfo,
  priceB: bigint,
  fee: number,
): Promise<PoolInfo> {
  const [token0, token1] = sortTokens(a, b);
  const price0 = token0 === a ? priceA : priceB;
  const price1 = token0 === a ? priceB : priceA;
  const sqrtPriceX96 = sqrtPriceX96FromPrices(token0, price0, token1, price1);
  const tx = await uni.positionManager.getFunction("createAndInitializePoolIfNecessary")(
    token0.address,
    token1.address,
    fee,
    sqrtPriceX96,
  );
  await tx.wait();
  const address = (await uni.factory.getFunction("getPool")(token0.address, token1.address, fee)) as string;
  const runner = uni.factory.runner;
  return { pool: new Contract(address, ARTIFACTS.pool.abi, runner), address, fee, token0, token1 };
}

export interface AddLiquidityOptions {
  /** Token0 units offered (the position manager uses what fits the range at the current price). */
  amount0: bigint;
  /** Token1 units offered. */
  amount1: bigint;
  /**
   * Price band as fractions of the current price (e.g. 0.8 and 1.25); omitted = full range.
   * Applied to the raw token1-per-token0 price.
   */
  band?: { lower: number; upper: number };
  recipient?: string;
}

/**
 * Adds liquidity to `pool` from `signer` (which must hold the tokens; approvals are given here).
 * Returns the position NFT id, its liquidity and the amounts actually used.
 */
export async function addLiquidity(
  uni: UniswapV3,
  info: PoolInfo,
  signer: Signer,
  opts: AddLiquidityOptions,
): Promise<{ tokenId: bigint; liquidity: bigint; amount0: bigint; amount1: bigint }> {
  const spacing = tickSpacing(info.fee);
  let [tickLower, tickUpper] = fullRangeTicks(info.fee);
  if (opts.band !== undefined) {
    if (!(opts.band.lower > 0 && opts.band.lower < 1 && opts.band.upper > 1)) {
      throw new RangeError(`band must satisfy 0 < lower < 1 < upper, got ${JSON.stringify(opts.band)}`);
    }
    const { tick } = await slot0(info.pool);
    const dl = Math.log(opts.band.lower) / Math.log(1.0001);
    const du = Math.log(opts.band.upper) / Math.log(1.0001);
    tickLower = Math.max(tickLower, Math.floor((tick + dl) / spacing) * spacing);
    tickUpper = Math.min(tickUpper, Math.ceil((tick + du) / spacing) * spacing);
  }
  const pm = uni.positionManager.connect(signer) as Contract;
  const pmAddress = await pm.getAddress();
  for (const [token, amount] of [
    [info.token0.address, opts.amount0],
    [info.token1.address, opts.amount1],
  ] as const) {
    const erc20 = new Contract(token, ERC20_ABI, signer);
    await (await erc20.getFunction("approve")(pmAddress, amount)).wait();
  }
  const recipient = opts.recipient ?? (await signer.getAddress());
  const params = {
    token0: info.token0.address,
    token1: info.token1.address,
    fee: info.fee,
    tickLower,
    tickUpper,
    amount0Desired: opts.amount0,
    amount1Desired: opts.amount1,
    amount0Min: 0n,
    amount1Min: 0n,
    recipient,
    deadline: MAX_UINT256,
  };
  const result = (await pm.getFunction("mint").staticCall(params)) as unknown as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  await (await pm.getFunction("mint")(params)).wait();
  // Leave no allowance behind.
  for (const token of [info.token0.address, info.token1.address]) {
    await (await new Contract(token, ERC20_ABI, signer).getFunction("approve")(pmAddress, 0n)).wait();
  }
  return { tokenId: result[0], liquidity: result[1], amount0: result[2], amount1: result[3] };
}

/** Token amounts worth `usd` (wad) each side, at the given USD prices, for {@link addLiquidity}. */
export function amountsForUsd(
  info: PoolInfo,
  price0: bigint,
  price1: bigint,
  usdPerSide: bigint,
): [bigint, bigint] {
  return [
    (usdPerSide * 10n ** BigInt(info.token0.decimals)) / price0,
    (usdPerSide * 10n ** BigInt(info.token1.decimals)) / price1,
  ];
}

/** USD price (wad) of `token` in `info`'s pool, given the USD price of the other token. */
export async function poolUsdPrice(info: PoolInfo, token: string, otherPrice: bigint): Promise<bigint> {
  const { sqrtPriceX96 } = await slot0(info.pool);
  if (token.toLowerCase() === info.token0.address.toLowerCase()) {
    return usdPrice0FromSqrtPriceX96(info.token0, info.token1, sqrtPriceX96, otherPrice);
  }
  return usdPrice1FromSqrtPriceX96(info.token0, info.token1, sqrtPriceX96, otherPrice);
}

/** `signer` approves `spender` for exactly `amount` of `token`. */
export async function approveExact(
  signer: Signer,
  token: string,
  spender: string,
  amount: bigint,
): Promise<void> {
  await (await new Contract(token, ERC20_ABI, signer).getFunction("approve")(spender, amount)).wait();
}

/** Sends one exact-input swap straight to the SwapRouter (the gas baseline for the adapter). */
export async function routerExactInputSingle(
  uni: UniswapV3,
  signer: Signer,
  p: {
    tokenIn: string;
    tokenOut: string;
    fee: number;
    amountIn: bigint;
    amountOutMinimum?: bigint;
    recipient?: string;
    /** Approve the router for amountIn first (in its own transaction, not counted in gasUsed). */
    approve?: boolean;
  },
): Promise<{ amountOut: bigint; gasUsed: bigint }> {
  const router = uni.router.connect(signer) as Contract;
  if (p.approve === true) await approveExact(signer, p.tokenIn, await router.getAddress(), p.amountIn);
  const params = {
    tokenIn: p.tokenIn,
    tokenOut: p.tokenOut,
    fee: p.fee,
    recipient: p.recipient ?? (await signer.getAddress()),
    deadline: MAX_UINT256,
    amountIn: p.amountIn,
    amountOutMinimum: p.amountOutMinimum ?? 0n,
    sqrtPriceLimitX96: 0n,
  };
  const amountOut = (await router.getFunction("exactInputSingle").staticCall(params)) as bigint;
  const receipt = await (await router.getFunction("exactInputSingle")(params)).wait();
  if (receipt === null) throw new Error("no receipt");
  return { amountOut, gasUsed: receipt.gasUsed };
}

/** Uniswap packed path: tokenIn, fee, hop, fee, ..., tokenOut. */
export function encodePath(tokens: string[], fees: number[]): string {
  if (tokens.length !== fees.length + 1 || fees.length === 0)
    throw new RangeError("path needs tokens = fees + 1");
  let out = "0x";
  for (let i = 0; i < fees.length; i++) {
    out += (tokens[i] as string).slice(2).toLowerCase();
    out += (fees[i] as number).toString(16).padStart(6, "0");
  }
  out += (tokens[tokens.length - 1] as string).slice(2).toLowerCase();
  return out;
}

/** Sends one multi-hop exact-input swap straight to the SwapRouter. */
export async function routerExactInput(
  uni: UniswapV3,
  signer: Signer,
  p: {
    tokens: string[];
    fees: number[];
    amountIn: bigint;
    amountOutMinimum?: bigint;
    recipient?: string;
    /** Approve the router for amountIn first (in its own transaction, not counted in gasUsed). */
    approve?: boolean;
  },
): Promise<{ amountOut: bigint; gasUsed: bigint }> {
  const router = uni.router.connect(signer) as Contract;
  if (p.approve === true)
    await approveExact(signer, p.tokens[0] as string, await router.getAddress(), p.amountIn);
  const params = {
    path: encodePath(p.tokens, p.fees),
    recipient: p.recipient ?? (await signer.getAddress()),
    deadline: MAX_UINT256,
    amountIn: p.amountIn,
    amountOutMinimum: p.amountOutMinimum ?? 0n,
  };
  const amountOut = (await router.getFunction("exactInput").staticCall(params)) as bigint;
  const receipt = await (await router.getFunction("exactInput")(params)).wait();
  if (receipt === null) throw new Error("no receipt");
  return { amountOut, gasUsed: receipt.gasUsed };
}

/**
 * Swaps `info`'s pool back to the price where token0 is worth `price0` and token1 `price1` USD
 * (wads). The swap goes through the router with a sqrtPriceLimitX96 at the target, so it stops
 * exactly there (or earlier if `signer`'s balance runs out). `signer` must hold the input token;
 * the helper approves at most `maxAmountIn` (default: its whole balance) and revokes afterwards.
 * Returns the direction, the amounts and the final sqrtPriceX96 (no-op when already there).
 */
export async function arbitrageToPrice(
  uni: UniswapV3,
  info: PoolInfo,
  signer: Signer,
  price0: bigint,
  price1: bigint,
  maxAmountIn?: bigint,
): Promise<{ zeroForOne: boolean | null; amountIn: bigint; amountOut: bigint; sqrtPriceX96: bigint }> {
  const target = sqrtPriceX96FromPrices(info.token0, price0, info.token1, price1);
  const before = await slot0(info.pool);
  if (before.sqrtPriceX96 === target) {
    return { zeroForOne: null, amountIn: 0n, amountOut: 0n, sqrtPriceX96: target };
  }
  // Price (token1 per token0) too high -> sell token0 (zeroForOne) until it falls to the target.
  const zeroForOne = before.sqrtPriceX96 > target;
  const tokenIn = zeroForOne ? info.token0.address : info.token1.address;
  const tokenOut = zeroForOne ? info.token1.address : info.token0.address;
  const me = await signer.getAddress();
  const inToken = new Contract(tokenIn, ERC20_ABI, signer);
  const outToken = new Contract(tokenOut, ERC20_ABI, signer);
  const balance = (await inToken.getFunction("balanceOf")(me)) as bigint;
  const amountIn = maxAmountIn === undefined || maxAmountIn > balance ? balance : maxAmountIn;
  if (amountIn === 0n) throw new Error(`arbitrageToPrice: signer holds no ${tokenIn}`);
  const routerAddress = await uni.router.getAddress();
  await (await inToken.getFunction("approve")(routerAddress, amountIn)).wait();
  const outBefore = (await outToken.getFunction("balanceOf")(me)) as bigint;
  const params = {
    tokenIn,
    tokenOut,
    fee: info.fee,
    recipient: me,
    deadline: MAX_UINT256,
    amountIn,
    amountOutMinimum: 0n,
    sqrtPriceLimitX96: target,
  };
  await (await (uni.router.connect(signer) as Contract).getFunction("exactInputSingle")(params)).wait();
  await (await inToken.getFunction("approve")(routerAddress, 0n)).wait();
  const spent = balance - ((await inToken.getFunction("balanceOf")(me)) as bigint);
  const amountOut = ((await outToken.getFunction("balanceOf")(me)) as bigint) - outBefore;
  const after = await slot0(info.pool);
  return { zeroForOne, amountIn: spent, amountOut, sqrtPriceX96: after.sqrtPriceX96 };
}
