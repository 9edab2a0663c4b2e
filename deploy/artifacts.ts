/**
 * Third-party contracts deployed from npm artifacts (no recompilation): WETH9 from
 * `canonical-weth`, Uniswap V3 factory, NonfungiblePositionManager and SwapRouter from
 * `@uniswap/v3-core` / `@uniswap/v3-periphery`. Each is returned in the artifact shape Ignition's
 * `m.contract(name, artifact, args)` and `m.contractAt(name, artifact, address)` accept.
 */
import { createRequire } from "node:module";
import type { Artifact } from "@nomicfoundation/ignition-core";

const require = createRequire(import.meta.url);

interface HardhatStyleArtifact {
  contractName: string;
  sourceName?: string;
  abi: Artifact["abi"];
  bytecode: string;
  deployedBytecode: string;
  linkReferences?: Artifact["linkReferences"];
  deployedLinkReferences?: Artifact["deployedLinkReferences"];
}

function load(modulePath: string, sourceName: string): Artifact {
  const raw = require(modulePath) as HardhatStyleArtifact;
  if (typeof raw.bytecode !== "string" || !raw.bytecode.startsWith("0x") || raw.bytecode.length < 4) {
    throw new Error(`npm artifact ${modulePath} has no bytecode`);
  }
  return {
    _format: "hh-sol-artifact-1",
    contractName: raw.contractName,
    sourceName: raw.sourceName ?? sourceName,
    abi: raw.abi,
    bytecode: raw.bytecode,
    deployedBytecode: raw.deployedBytecode,
    linkReferences: raw.linkReferences ?? {},
    deployedLinkReferences: raw.deployedLinkReferences ?? {},
  };
}

/** WETH9 (the canonical wrapped-ether contract, truffle build from `canonical-weth`). */
export const WETH9_ARTIFACT = load("canonical-weth/build/contracts/WETH9.json", "canonical-weth/WETH9.sol");
/** UniswapV3Factory 1.0.1. */
export const UNISWAP_V3_FACTORY_ARTIFACT = load(
  "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json",
  "contracts/UniswapV3Factory.sol",
);
/** UniswapV3Pool 1.0.1 (for `contractAt` on created pools). */
export const UNISWAP_V3_POOL_ARTIFACT = load(
  "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json",
  "contracts/UniswapV3Pool.sol",
);
/** NonfungiblePositionManager 1.4.4. */
export const UNISWAP_V3_POSITION_MANAGER_ARTIFACT = load(
  "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  "contracts/NonfungiblePositionManager.sol",
);
/** SwapRouter 1.4.4 (the original V3 router: `exactInputSingle` with a deadline). */
export const UNISWAP_V3_SWAP_ROUTER_ARTIFACT = load(
  "@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json",
  "contracts/SwapRouter.sol",
);
