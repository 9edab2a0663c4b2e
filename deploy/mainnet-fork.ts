/**
 * Helpers for a mainnet FORK (an in-process Hardhat chain forking a real RPC): the default
 * accounts hold ether but none of the real tokens, so they buy them through the real Uniswap V3
 * SwapRouter (wrap ether, then `exactInput` along the WETH/USDC and token/USDC pools). Used by the fork test and by
 * `scripts/deploy-mainnet.ts --dry-run --rpc <url>`. Never used against a real network (the
 * swaps take any price: `amountOutMinimum` 0).
 */
import { Contract, type Signer } from "ethers";
import type { MainnetParameters, MainnetTokenSymbol } from "./parameters.ts";
import { mainnetDeployerFunding } from "./modules/MainnetVault.ts";
import { encodePath } from "./uniswap.ts";

const WETH_ABI = [
  "function deposit() payable",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
];
const ROUTER_ABI = [
  "function exactInput((bytes path, address recipient, uint256 deadline, uint256 amountIn, uint256 amountOutMinimum)) payable returns (uint256)",
];
const ERC20_ABI = ["function balanceOf(address) view returns (uint256)"];

/** Uniswap V3 fee tier of `symbol`'s pool against the asset, from the parameters. */
function assetPoolFee(p: MainnetParameters, symbol: MainnetTokenSymbol): number {
  const t = p.riskTokens.find((r) => r.symbol === symbol);
  if (t === undefined) throw new Error(`${symbol} is not a risk token of the parameters`);
  return t.poolFee;
}

/**
 * Swaps `ethIn` wei of ether for `symbol` through the real router, along the pools the vault's
 * own routes use (and the preflight requires): WETH -> asset in the WETH/asset pool, then
 * asset -> token in the token/asset pool. Returns the amount received.
 */
export async function buyWithEther(
  signer: Signer,
  p: MainnetParameters,
  symbol: MainnetTokenSymbol,
  ethIn: bigint,
): Promise<bigint> {
  const a = p.addresses;
  const me = await signer.getAddress();
  const weth = new Contract(a.tokens.WETH.address, WETH_ABI, signer);
  await (await weth.getFunction("deposit")({ value: ethIn })).wait();
  if (symbol === "WETH") return ethIn;
  const asset = a.tokens[p.asset.symbol].address;
  const path =
    symbol === p.asset.symbol
      ? encodePath([a.tokens.WETH.address, asset], [assetPoolFee(p, "WETH")])
      : encodePath(
          [a.tokens.WETH.address, asset, a.tokens[symbol].address],
          [assetPoolFee(p, "WETH"), assetPoolFee(p, symbol)],
        );
  const router = new Contract(a.uniswapV3.swapRouter.address, ROUTER_ABI, signer);
  await (await weth.getFunction("approve")(a.uniswapV3.swapRouter.address, ethIn)).wait();
  const token = new Contract(a.tokens[symbol].address, ERC20_ABI, signer);
  const before = (await token.getFunction("balanceOf")(me)) as bigint;
  await (
    await router.getFunction("exactInput")({
      path,
      recipient: me,
      deadline: 2n ** 40n,
      amountIn: ethIn,
      amountOutMinimum: 0n,
    })
  ).wait();
  return ((await token.getFunction("balanceOf")(me)) as bigint) - before;
}

/**
 * Gives the deployer what `MainnetVault` spends (`mainnetDeployerFunding`) on a fork: the seed
 * deposit in the asset and the transfer probe of every risk token but WETH, each bought
 * with `ethPerToken` wei (plenty at any realistic price), plus `extraAssetEth` wei more of asset.
 */
export async function fundDeployerOnFork(
  signer: Signer,
  p: MainnetParameters,
  ethPerToken: bigint,
  extraAssetEth = 0n,
): Promise<void> {
  for (const need of mainnetDeployerFunding(p)) {
    const eth = need.symbol === p.asset.symbol ? ethPerToken + extraAssetEth : ethPerToken;
    const bought = await buyWithEther(signer, p, need.symbol, eth);
    if (bought < need.amount)
      throw new Error(`bought only ${bought} ${need.symbol} units, ${need.purpose} needs ${need.amount}`);
  }
}
