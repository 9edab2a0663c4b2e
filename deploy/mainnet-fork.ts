/**
 * Helpers for a mainnet FORK (an in-process Hardhat chain forking a real RPC): the default
 * accounts hold ether but none of the real tokens, so they buy them through the real Uniswap V3
 * SwapRouter (wrap ether, `exactInputSingle` WETH -> token). Used by the fork test and by
 * `scripts/deploy-mainnet.ts --dry-run --rpc <url>`. Never used against a real network (the
 * swaps take any price: `amountOutMinimum` 0).
 */
import { Contract, type Signer } from "ethers";
import type { MainnetParameters, MainnetTokenSymbol } from "./parameters.ts";
import { probeAmount } from "./modules/VaultFutures.ts";

const WETH_ABI = [
  "function deposit() payable",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
];
const ROUTER_ABI = [
  "function exactInputSingle((address tokenIn, address tokenOut, uint24 fee, address recipient, uint256 deadline, uint256 amountIn, uint256 amountOutMinimum, uint160 sqrtPriceLimitX96)) payable returns (uint256)",
];
const ERC20_ABI = ["function balanceOf(address) view returns (uint256)"];

/** Swaps `ethIn` wei of ether for `symbol` through the real router (WETH pool at `fee`). */
export async function buyWithEther(
  signer: Signer,
  p: MainnetParameters,
  symbol: MainnetTokenSymbol,
  ethIn: bigint,
  fee = 3_000,
): Promise<bigint> {
  const a = p.addresses;
  const me = await signer.getAddress();
  const weth = new Contract(a.tokens.WETH.address, WETH_ABI, signer);
  await (await weth.getFunction("deposit")({ value: ethIn })).wait();
  if (symbol === "WETH") return ethIn;
  const router = new Contract(a.uniswapV3.swapRouter.address, ROUTER_ABI, signer);
  await (await weth.getFunction("approve")(a.uniswapV3.swapRouter.address, ethIn)).wait();
  const token = new Contract(a.tokens[symbol].address, ERC20_ABI, signer);
  const before = (await token.getFunction("balanceOf")(me)) as bigint;
  await (
    await router.getFunction("exactInputSingle")({
      tokenIn: a.tokens.WETH.address,
      tokenOut: a.tokens[symbol].address,
      fee,
      recipient: me,
      deadline: 2n ** 40n,
      amountIn: ethIn,
      amountOutMinimum: 0n,
      sqrtPriceLimitX96: 0n,
    })
  ).wait();
  return ((await token.getFunction("balanceOf")(me)) as bigint) - before;
}

/**
 * Gives the deployer what `MainnetVault` spends on a fork: the seed deposit in the asset and the
 * transfer probe of every risk token but WETH (the module wraps ether for that one), each bought
 * with `ethPerToken` wei (plenty at any realistic price), plus `extraAssetEth` wei more of asset.
 */
export async function fundDeployerOnFork(
  signer: Signer,
  p: MainnetParameters,
  ethPerToken: bigint,
  extraAssetEth = 0n,
): Promise<void> {
  const got = await buyWithEther(signer, p, p.asset.symbol, ethPerToken + extraAssetEth);
  if (got < p.vault.seedDeposit) throw new Error(`bought ${got} ${p.asset.symbol} units, seed needs more`);
  for (const t of p.riskTokens) {
    if (p.addresses.tokens[t.symbol].address === p.addresses.tokens.WETH.address) continue;
    const bought = await buyWithEther(signer, p, t.symbol, ethPerToken);
    if (bought < probeAmount(p.addresses.tokens[t.symbol].decimals))
      throw new Error(`bought only ${bought} ${t.symbol} units`);
  }
}
