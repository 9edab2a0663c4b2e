/**
 * A small local market for guard tests and the gas benchmark: test tokens (the vault's MockUSDC,
 * 6 decimals with permit, an 18-decimal WETH-like and an 8-decimal WBTC-like token, more on request),
 * the real Uniswap V3 contracts, one pool per risk token against USDC plus WETH/WBTC, each with
 * full-range liquidity at the given USD prices.
 */
import type { Contract, Signer } from "ethers";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import {
  addLiquidity,
  amountsForUsd,
  createPool,
  deployUniswapV3,
  WAD,
  type PoolInfo,
  type TokenInfo,
  type UniswapV3,
} from "./uniswap.ts";

export interface TestToken extends TokenInfo {
  symbol: string;
  contract: Contract;
  /** USD price per whole token (wad) the pools were created at. */
  price: bigint;
}

export interface TestWorld {
  uni: UniswapV3;
  usdc: TestToken;
  risk: TestToken[];
  /** Pool of each risk token against USDC, same order as `risk`. */
  usdcPools: PoolInfo[];
  /** WETH/WBTC pool (the first two risk tokens), for two-hop routes. */
  crossPool: PoolInfo;
  /** Fee tier of every pool. */
  fee: number;
}

/**
 * Deploys a test token (anyone may mint): the vault's `MockUSDC` (6 decimals, EIP-2612 permit) when
 * `usdcLike`, otherwise its `MockToken` with `decimals` (both in contracts/test/MockTokens.sol).
 */
export async function deployTestToken(
  ethers: HardhatEthers,
  name: string,
  symbol: string,
  decimals: number,
  price: bigint,
  usdcLike = false,
): Promise<TestToken> {
  if (usdcLike && decimals !== 6) throw new RangeError("the USDC-like token has 6 decimals");
  const deployed = usdcLike
    ? await ethers.deployContract("MockUSDC")
    : await ethers.deployContract("MockToken", [name, symbol, decimals]);
  const contract = deployed as unknown as Contract;
  await contract.waitForDeployment();
  return { symbol, decimals, price, contract, address: await contract.getAddress() };
}

/** Mints `amount` of a test token to `to`. */
export async function mint(token: TestToken, to: string, amount: bigint): Promise<void> {
  await (await token.contract.getFunction("mint")(to, amount)).wait();
}

export interface TestWorldOptions {
  /** Risk tokens beyond WETH (18 dec, 3000 USD) and WBTC (8 dec, 60000 USD). */
  extraRisk?: { symbol: string; decimals: number; priceUsd: bigint }[];
  /** USD of liquidity per side per pool (default 10 million). */
  liquidityUsdPerSide?: bigint;
  fee?: number;
}

/** Deploys the tokens, Uniswap V3 and the pools with full-range liquidity provided by `lp`. */
export async function deployTestWorld(
  ethers: HardhatEthers,
  lp: Signer,
  opts: TestWorldOptions = {},
): Promise<TestWorld> {
  const fee = opts.fee ?? 3000;
  const usdPerSide = (opts.liquidityUsdPerSide ?? 10_000_000n) * WAD;
  const usdc = await deployTestToken(ethers, "USD Coin (test)", "USDC", 6, WAD, true);
  const risk = [
    await deployTestToken(ethers, "Wrapped Ether (test)", "WETH", 18, 3_000n * WAD),
    await deployTestToken(ethers, "Wrapped Bitcoin (test)", "WBTC", 8, 60_000n * WAD),
  ];
  for (const x of opts.extraRisk ?? []) {
    risk.push(await deployTestToken(ethers, `${x.symbol} (test)`, x.symbol, x.decimals, x.priceUsd * WAD));
  }
  const uni = await deployUniswapV3(lp);
  const lpAddress = await lp.getAddress();
  const usdcPools: PoolInfo[] = [];
  const addPool = async (a: TestToken, b: TestToken): Promise<PoolInfo> => {
    const info = await createPool(uni, a, a.price, b, b.price, fee);
    const price0 = info.token0.address === a.address ? a.price : b.price;
    const price1 = info.token0.address === a.address ? b.price : a.price;
    const [amount0, amount1] = amountsForUsd(info, price0, price1, usdPerSide);
    const t0 = info.token0.address === a.address ? a : b;
    const t1 = t0 === a ? b : a;
    await mint(t0, lpAddress, amount0);
    await mint(t1, lpAddress, amount1);
    await addLiquidity(uni, info, lp, { amount0, amount1 });
    return info;
  };
  for (const r of risk) usdcPools.push(await addPool(r, usdc));
  const crossPool = await addPool(risk[0] as TestToken, risk[1] as TestToken);
  return { uni, usdc, risk, usdcPools, crossPool, fee };
}
