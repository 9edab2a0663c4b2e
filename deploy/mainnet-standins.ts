/**
 * Stand-ins for the mainnet contracts the vault depends on, placed AT THE REAL MAINNET ADDRESSES
 * of `deploy/addresses/mainnet.ts` on a local Hardhat chain (`hardhat_setCode`), so that the
 * `MainnetVault` module runs unchanged without any RPC: the offline test and
 * `scripts/deploy-mainnet.ts --dry-run` use it. Never used against a real network.
 *
 * `hardhat_setCode` copies runtime code only: constructors do not run, so storage is empty. Each
 * stand-in is therefore deployed normally first (constructor runs at a scratch address), then its
 * runtime code AND its first storage slots (names, symbols, decimals, owners, initial answers;
 * no mappings are set by these constructors except the factory's fee tiers, copied explicitly)
 * are copied to the real address.
 *   - USDC: `MockUSDC` (6 decimals, open mint); WETH: the canonical WETH9 bytecode; WBTC, LINK,
 *     UNI: `MockToken` with the real decimals (open mint).
 *   - Chainlink feeds: `MockAggregator` with the decimals of `MAINNET.feeds` (settable answers).
 *   - Uniswap V3 (with `uniswap: true`): the real UniswapV3Factory bytecode at the factory address
 *     (its `noDelegateCall` immutable, the address it was deployed at, is rewritten to the real
 *     address), the real SwapRouter bytecode (immutables: the real factory and WETH) at the router
 *     address; pools are created by that factory, so they sit at the addresses the router
 *     computes; liquidity is added through a NonfungiblePositionManager at a scratch address.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, ZeroAddress, type Signer } from "ethers";
import { keccak256, AbiCoder, getAddress } from "ethers";
import type { MainnetParameters, MainnetTokenSymbol } from "./parameters.ts";
import { usdToFeedAnswer, usdToWad, type TokenInfo } from "./pool-math.ts";
import {
  addLiquidity,
  amountsForUsd,
  ARTIFACTS,
  createPool,
  deployArtifact,
  type PoolInfo,
  type UniswapV3,
} from "./uniswap.ts";

export interface MainnetStandIns {
  /** MockAggregator handles at the real feed addresses, by token symbol. */
  feeds: Record<string, Contract>;
  /** Open-mint token handles at the real token addresses (WETH: WETH9), by symbol. */
  tokens: Record<string, Contract>;
  /** Present with `uniswap: true`. */
  uniswap?: UniswapV3 & { pools: Record<string, PoolInfo> };
}

export interface StandInOptions {
  /** USD price per whole token, for every symbol of `p.addresses.tokens` the vault uses. */
  prices: Partial<Record<MainnetTokenSymbol, number>>;
  /** Also place Uniswap V3 (factory + router) and seed one pool per risk token. */
  uniswap?: { liquidityUsdPerSide: number };
}

const SLOTS_TO_COPY = 16;

async function send(ethers: HardhatEthers, method: string, params: unknown[]): Promise<unknown> {
  return ethers.provider.send(method, params);
}

/** Copies runtime code (with `replace` applied) and the first storage slots of `from` to `to`. */
async function cloneTo(
  ethers: HardhatEthers,
  from: string,
  to: string,
  extraSlots: string[] = [],
  replaceSelf = false,
): Promise<void> {
  let code = (await ethers.provider.getCode(from)).toLowerCase();
  if (replaceSelf) {
    const self = from.toLowerCase().slice(2);
    if (!code.includes(self)) throw new Error(`cloneTo: ${from} does not embed its own address`);
    code = code.split(self).join(to.toLowerCase().slice(2));
  }
  await send(ethers, "hardhat_setCode", [to, code]);
  const slots = [...Array.from({ length: SLOTS_TO_COPY }, (_, i) => `0x${i.toString(16)}`), ...extraSlots];
  for (const slot of slots) {
    const value = await ethers.provider.getStorage(from, slot);
    if (BigInt(value) !== 0n) await send(ethers, "hardhat_setStorageAt", [to, slot, value]);
  }
}

/** Storage slot of `mapping(uint24 => int24)` entry `key` at mapping slot `slot`. */
function mappingSlot(key: bigint, slot: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [key, slot]));
}

/**
 * Places the stand-ins (see the file comment). `signer` pays for the scratch deployments and
 * receives the pools' liquidity positions.
 */
export async function placeMainnetStandIns(
  ethers: HardhatEthers,
  signer: Signer,
  p: MainnetParameters,
  opts: StandInOptions,
): Promise<MainnetStandIns> {
  const a = p.addresses;
  const used: MainnetTokenSymbol[] = [p.asset.symbol, ...p.riskTokens.map((t) => t.symbol)];
  const price = (s: MainnetTokenSymbol): number => {
    const x = opts.prices[s];
    if (x === undefined) throw new Error(`placeMainnetStandIns: no price for ${s}`);
    return x;
  };

  const tokens: Record<string, Contract> = {};
  for (const symbol of used) {
    const t = a.tokens[symbol];
    if (t.address === a.tokens.WETH.address) {
      const weth = await deployArtifact(ARTIFACTS.weth9, signer, []);
      await cloneTo(ethers, await weth.getAddress(), t.address);
      tokens[symbol] = new Contract(t.address, ARTIFACTS.weth9.abi, signer);
      continue;
    }
    const scratch =
      t.decimals === 6 && symbol === "USDC"
        ? await ethers.deployContract("MockUSDC", [], signer)
        : await ethers.deployContract("MockToken", [`${symbol} (stand-in)`, symbol, t.decimals], signer);
    await cloneTo(ethers, await scratch.getAddress(), t.address);
    tokens[symbol] = new Contract(t.address, scratch.interface, signer);
  }

  const feeds: Record<string, Contract> = {};
  for (const symbol of used) {
    const f = a.feeds[symbol];
    const scratch = await ethers.deployContract(
      "MockAggregator",
      [f.decimals, usdToFeedAnswer(price(symbol), f.decimals)],
      signer,
    );
    await cloneTo(ethers, await scratch.getAddress(), f.address);
    const feed = new Contract(f.address, scratch.interface, signer);
    // Fresh round at the real address (the copied one carries the scratch deployment's time).
    await (await feed.getFunction("setAnswer")(usdToFeedAnswer(price(symbol), f.decimals))).wait();
    feeds[symbol] = feed;
  }

  if (opts.uniswap === undefined) return { feeds, tokens };

  // Factory: real bytecode at the real address; its fee-tier mapping copied from the scratch one.
  const factoryScratch = await (await deployArtifact(ARTIFACTS.factory, signer, [])).getAddress();
  const fees = [500n, 3000n, 10000n];
  const feeSlots: string[] = [];
  for (let slot = 0; slot < 8; slot++) {
    for (const fee of fees) {
      const s = mappingSlot(fee, slot);
      if (BigInt(await ethers.provider.getStorage(factoryScratch, s)) !== 0n) feeSlots.push(s);
    }
  }
  if (feeSlots.length !== fees.length) throw new Error("placeMainnetStandIns: factory fee tiers not found");
  const factoryAddress = a.uniswapV3.factory.address;
  await cloneTo(ethers, factoryScratch, factoryAddress, feeSlots, true);
  const routerScratch = await deployArtifact(ARTIFACTS.router, signer, [
    factoryAddress,
    a.tokens.WETH.address,
  ]);
  await cloneTo(ethers, await routerScratch.getAddress(), a.uniswapV3.swapRouter.address);
  const positionManager = await deployArtifact(ARTIFACTS.positionManager, signer, [
    factoryAddress,
    a.tokens.WETH.address,
    ZeroAddress,
  ]);
  const uni: UniswapV3 = {
    weth9: new Contract(a.tokens.WETH.address, ARTIFACTS.weth9.abi, signer),
    factory: new Contract(factoryAddress, ARTIFACTS.factory.abi, signer),
    router: new Contract(a.uniswapV3.swapRouter.address, ARTIFACTS.router.abi, signer),
    positionManager,
  };

  const assetInfo: TokenInfo = {
    address: getAddress(a.tokens[p.asset.symbol].address),
    decimals: a.tokens[p.asset.symbol].decimals,
  };
  const assetPrice = usdToWad(price(p.asset.symbol));
  const usdPerSide = usdToWad(opts.uniswap.liquidityUsdPerSide);
  const pools: Record<string, PoolInfo> = {};
  const owner = await signer.getAddress();
  for (const t of p.riskTokens) {
    const info: TokenInfo = {
      address: getAddress(a.tokens[t.symbol].address),
      decimals: a.tokens[t.symbol].decimals,
    };
    const riskPrice = usdToWad(price(t.symbol));
    const pool = await createPool(uni, info, riskPrice, assetInfo, assetPrice, t.poolFee);
    const [p0, p1] = pool.token0.address === info.address ? [riskPrice, assetPrice] : [assetPrice, riskPrice];
    const [amount0, amount1] = amountsForUsd(pool, p0, p1, usdPerSide);
    await fund(ethers, tokens, a.tokens.WETH.address, pool.token0.address, owner, amount0);
    await fund(ethers, tokens, a.tokens.WETH.address, pool.token1.address, owner, amount1);
    await addLiquidity(uni, pool, signer, { amount0, amount1 });
    pools[t.symbol] = pool;
  }
  return { feeds, tokens, uniswap: { ...uni, pools } };
}

/** Gives `to` `amount` of the stand-in token at `address` (mint, or wrap ether for WETH). */
async function fund(
  ethers: HardhatEthers,
  tokens: Record<string, Contract>,
  weth: string,
  address: string,
  to: string,
  amount: bigint,
): Promise<void> {
  const token = Object.values(tokens).find(
    (c) => c.target.toString().toLowerCase() === address.toLowerCase(),
  );
  if (token === undefined) throw new Error(`no stand-in token at ${address}`);
  if (address.toLowerCase() === weth.toLowerCase()) {
    // Wrap from the handle's signer (given the ether first), then pass the WETH on.
    const runner = token.runner as Signer;
    const from = await runner.getAddress();
    const balance = await ethers.provider.getBalance(from);
    await send(ethers, "hardhat_setBalance", [from, `0x${(balance + amount).toString(16)}`]);
    await (await token.getFunction("deposit")({ value: amount })).wait();
    if (from.toLowerCase() !== to.toLowerCase())
      await (await token.getFunction("transfer")(to, amount)).wait();
  } else {
    await (await token.getFunction("mint")(to, amount)).wait();
  }
}

/** Funds `to` with `amount` of the stand-in `symbol` (tests, dry runs). */
export async function fundStandIn(
  ethers: HardhatEthers,
  standIns: MainnetStandIns,
  p: MainnetParameters,
  symbol: MainnetTokenSymbol,
  to: string,
  amount: bigint,
): Promise<void> {
  await fund(
    ethers,
    standIns.tokens,
    p.addresses.tokens.WETH.address,
    p.addresses.tokens[symbol].address,
    to,
    amount,
  );
}

/** Round USD prices for a dry run on stand-ins (any values within MAINNET_PARAMETERS' bounds). */
export const DRY_RUN_PRICES: Partial<Record<MainnetTokenSymbol, number>> = {
  USDC: 1,
  WETH: 3_000,
  WBTC: 60_000,
  LINK: 15,
  UNI: 8,
};
