/**
 * Deploys the local world (phase 1 `LocalWorldCore`, phase 2 `LocalWorldPools`) with Hardhat
 * Ignition into one deployment, and reads back every address the demo, tests and keeper need.
 *
 * Re-running with the same `deploymentDir` resumes from Ignition's journal
 * (`<deploymentDir>/journal.jsonl`): finished steps are skipped, so a second run sends no
 * transaction and returns the same addresses. Without `deploymentDir` the journal lives in memory
 * (fine for tests that throw the chain away).
 */
import {
  deploy,
  DeploymentResultType,
  type ArtifactResolver,
  type DeployConfig,
  type DeploymentResult,
  type EIP1193Provider,
  type IgnitionModule,
} from "@nomicfoundation/ignition-core";
import { createPublicClient, custom, getAddress, parseAbi, type Abi, type Address } from "viem";
import type { LocalWorldParameters } from "./parameters.ts";
import { feedFutureId, localWorldCoreModule, tokenFutureId } from "./modules/LocalWorldCore.ts";
import { localWorldPoolsModule } from "./modules/LocalWorldPools.ts";
import { localWorldVaultModule } from "./modules/LocalWorldVault.ts";

export interface WorldToken {
  symbol: string;
  address: Address;
  decimals: number;
  feed: Address;
}

export interface WorldRiskToken extends WorldToken {
  pool: Address;
  poolFee: number;
  maxWeightBps: number;
  heartbeat: number;
}

export interface LocalWorld {
  chainId: number;
  deployer: Address;
  asset: WorldToken & { heartbeat: number };
  riskTokens: WorldRiskToken[];
  weth: Address;
  factory: Address;
  positionManager: Address;
  swapRouter: Address;
  /** Present when deployed with `roles` (phase 3). */
  vault?: { vault: Address; manager: Address; swapAdapter: Address; keeper: Address; guardian: Address };
}

export interface DeployWorldOptions {
  provider: EIP1193Provider;
  artifactResolver: ArtifactResolver;
  parameters: LocalWorldParameters;
  /** Folder for Ignition's journal and deployed_addresses.json; omit for an in-memory journal. */
  deploymentDir?: string;
  config?: Partial<DeployConfig>;
  /** Deploy the vault too (phase 3), granting these accounts their roles. */
  roles?: { keeper: string; guardian: string };
}

/** Ignition settings for an automining local chain: one confirmation, fast polling. */
export const LOCAL_IGNITION_CONFIG: Partial<DeployConfig> = {
  requiredConfirmations: 1,
  blockPollingInterval: 20,
  timeBeforeBumpingFees: 60_000,
};

const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

/**
 * The address of each future of a finished Ignition deployment of `moduleId`, by future id
 * (throws with the whole result when the deployment failed, and for an unknown future).
 */
export function deployedAddresses(result: DeploymentResult, moduleId: string): (futureId: string) => Address {
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new Error(
      `Ignition deployment of ${moduleId} failed: ${JSON.stringify(result, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}`,
    );
  }
  const contracts = result.contracts;
  return (futureId) => {
    const entry = contracts[`${moduleId}#${futureId}`];
    if (entry === undefined) throw new Error(`${moduleId} has no future ${futureId}`);
    return getAddress(entry.address);
  };
}

async function runModule(
  opts: DeployWorldOptions,
  accounts: string[],
  ignitionModule: IgnitionModule,
): Promise<(futureId: string) => Address> {
  const result = await deploy({
    config: { ...LOCAL_IGNITION_CONFIG, ...opts.config },
    provider: opts.provider,
    artifactResolver: opts.artifactResolver,
    ...(opts.deploymentDir === undefined ? {} : { deploymentDir: opts.deploymentDir }),
    ignitionModule,
    deploymentParameters: {},
    accounts,
    defaultSender: accounts[0],
  });
  return deployedAddresses(result, ignitionModule.id);
}

/** Deploys (or resumes) the local world and returns its addresses. */
export async function deployLocalWorld(opts: DeployWorldOptions): Promise<LocalWorld> {
  const p = opts.parameters;
  const client = createPublicClient({ transport: custom(opts.provider) });
  const chainId = await client.getChainId();
  const accounts = (await opts.provider.request({ method: "eth_accounts" })) as string[];
  const deployerRaw = accounts[0];
  if (deployerRaw === undefined) throw new Error("the provider exposes no account to deploy from");
  const deployer = getAddress(deployerRaw);

  // Phase 1: tokens, feeds, Uniswap.
  const addr = await runModule(opts, accounts, localWorldCoreModule(p) as unknown as IgnitionModule);
  const weth = addr("WETH9");
  const tokens: Record<string, string> = { [p.asset.symbol]: addr(tokenFutureId(p.asset.symbol)) };
  for (const t of p.riskTokens)
    tokens[t.symbol] = t.wrappedNative === true ? weth : addr(tokenFutureId(t.symbol));

  // Wrapping ether for the WETH pool needs more than a default dev account holds: top it up on a
  // local chain, refuse anywhere else.
  const wethToken = p.riskTokens.find((t) => t.wrappedNative === true);
  if (wethToken !== undefined) {
    const needed =
      (BigInt(Math.round((p.poolLiquidityUsd / wethToken.initialPrice) * 1e6)) + 1_000_000_000n) * 10n ** 12n;
    const balance = await client.getBalance({ address: deployer });
    if (balance < needed) {
      if (!LOCAL_CHAIN_IDS.has(chainId))
        throw new Error(`deployer holds ${balance} wei, needs ${needed} to seed the WETH pool`);
      await opts.provider.request({
        method: "hardhat_setBalance",
        params: [deployer, `0x${(needed * 2n).toString(16)}`],
      });
    }
  }

  // Phase 2: pools and liquidity.
  const positionManager = addr("NonfungiblePositionManager");
  await runModule(
    opts,
    accounts,
    localWorldPoolsModule(p, { weth, positionManager, tokens }) as unknown as IgnitionModule,
  );

  const factory = addr("UniswapV3Factory");
  const factoryAbi = parseAbi(["function getPool(address,address,uint24) view returns (address)"]);
  const assetAddress = getAddress(tokens[p.asset.symbol] as string);
  const riskTokens: WorldRiskToken[] = [];
  for (const t of p.riskTokens) {
    const address = getAddress(tokens[t.symbol] as string);
    const pool = await client.readContract({
      address: factory,
      abi: factoryAbi,
      functionName: "getPool",
      args: [address, assetAddress, t.poolFee],
    });
    riskTokens.push({
      symbol: t.symbol,
      address,
      decimals: t.decimals,
      feed: addr(feedFutureId(t.symbol)),
      pool: getAddress(pool),
      poolFee: t.poolFee,
      maxWeightBps: t.maxWeightBps,
      heartbeat: t.heartbeat,
    });
  }
  let vault: LocalWorld["vault"];
  if (opts.roles !== undefined) {
    const vaultAbi = (await opts.artifactResolver.loadArtifact("RiskParityVault")).abi as Abi;
    const vaultModule = localWorldVaultModule(p, {
      asset: { address: assetAddress, feed: addr(feedFutureId(p.asset.symbol)) },
      riskTokens: riskTokens.map((t) => ({
        symbol: t.symbol,
        address: t.address,
        feed: t.feed,
        wrappedNative: t.address === weth,
      })),
      weth,
      swapRouter: addr("SwapRouter"),
      keeper: opts.roles.keeper,
      guardian: opts.roles.guardian,
      vaultAbi,
    });
    const get = await runModule(opts, accounts, vaultModule as unknown as IgnitionModule);
    vault = {
      vault: get("RiskParityVault"),
      manager: get("VaultAccessManager"),
      swapAdapter: get("UniswapV3SwapAdapter"),
      keeper: getAddress(opts.roles.keeper),
      guardian: getAddress(opts.roles.guardian),
    };
  }
  return {
    ...(vault === undefined ? {} : { vault }),
    chainId,
    deployer,
    asset: {
      symbol: p.asset.symbol,
      address: assetAddress,
      decimals: p.asset.decimals,
      feed: addr(feedFutureId(p.asset.symbol)),
      heartbeat: p.asset.heartbeat,
    },
    riskTokens,
    weth,
    factory,
    positionManager,
    swapRouter: addr("SwapRouter"),
  };
}
