/**
 * Runs the `MainnetVault` Ignition module (see `deploy/modules/MainnetVault.ts`): parses the
 * deployment's parameters file (role holders), checks the chain before sending anything
 * (`preflightMainnet`), deploys or resumes from Ignition's journal, and reads back the addresses.
 * `scripts/deploy-mainnet.ts` is the command line; the tests call these functions directly.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  deploy,
  type ArtifactResolver,
  type DeployConfig,
  type EIP1193Provider,
  type IgnitionModule,
} from "@nomicfoundation/ignition-core";
import {
  createPublicClient,
  custom,
  getAddress,
  isAddress,
  parseAbi,
  zeroAddress,
  type Abi,
  type Address,
  type PublicClient,
} from "viem";
import { z } from "zod";
import type { MainnetParameters } from "./parameters.ts";
import {
  MAINNET_MODULE_ID,
  mainnetDeployerFunding,
  mainnetFeedSpec,
  mainnetVaultModule,
  type MainnetRoleParameter,
} from "./modules/MainnetVault.ts";
import { VAULT_LIBRARIES } from "./vault.ts";
import { deployedAddresses } from "./world.ts";

export type MainnetRoles = Record<MainnetRoleParameter, Address>;

const addressSchema = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), "not an address")
  .transform((s) => getAddress(s))
  .refine((s) => s !== zeroAddress, "the zero address");

/** The parameters file: Ignition's format, `{ "MainnetVault": { "<role>": "0x…", … } }`. */
export const mainnetParametersFileSchema = z.object({
  [MAINNET_MODULE_ID]: z
    .object({
      admin: addressSchema,
      curator: addressSchema,
      guardian: addressSchema,
      keeper: addressSchema,
      upkeepBeneficiary: addressSchema,
    })
    .strict(),
});

/** Role holders from a parsed parameters file (throws with every problem listed). */
export function parseMainnetRoles(json: unknown): MainnetRoles {
  const parsed = mainnetParametersFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid parameters file: ${problems}`);
  }
  return parsed.data[MAINNET_MODULE_ID];
}

/**
 * True for the placeholder addresses of `deploy/mainnet.parameters.example.json`
 * (0x1000…000n): nobody holds their keys, so a real deployment with them would give the vault's
 * roles away for good. `scripts/deploy-mainnet.ts` refuses them outside a dry run.
 */
export function isPlaceholderAddress(address: string): boolean {
  return /^0x10{37}[0-9a-f]{2}$/i.test(address);
}

/** The roles of `roles` whose holder is a placeholder address. */
export function placeholderRoles(roles: MainnetRoles): MainnetRoleParameter[] {
  return (Object.keys(roles) as MainnetRoleParameter[]).filter((r) => isPlaceholderAddress(roles[r]));
}

/** Reads and validates a parameters file from disk. */
export function readMainnetRoles(file: string): MainnetRoles {
  return parseMainnetRoles(JSON.parse(readFileSync(file, "utf8")) as unknown);
}

export interface MainnetDeployment {
  chainId: number;
  deployer: Address;
  vault: Address;
  manager: Address;
  swapAdapter: Address;
  upkeep: Address;
  libraries: Record<string, Address>;
}

const ERC20_ABI = parseAbi([
  "function decimals() view returns (uint8)",
  "function balanceOf(address) view returns (uint256)",
]);
const FEED_ABI = parseAbi([
  "function decimals() view returns (uint8)",
  "function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
]);
const FACTORY_ABI = parseAbi(["function getPool(address, address, uint24) view returns (address)"]);
const POOL_ABI = parseAbi(["function liquidity() view returns (uint128)"]);
const ROUTER_ABI = parseAbi(["function factory() view returns (address)"]);

export interface PreflightOptions {
  provider: EIP1193Provider;
  parameters: MainnetParameters;
  deployer: string;
  roles: MainnetRoles;
  /** Check the deployer's USDC (seed) and risk-token (probe) balances; skip when resuming. */
  checkFunding: boolean;
}

/**
 * Everything that would make the deployment fail or end in a wrong state, checked read-only:
 * role holders (admin and curator must not be the deployer, who renounces its roles), code at
 * every external address, token and feed decimals as configured, each feed's latest answer fresh
 * and within its bounds (the vault validates feeds on registration), a Uniswap V3 pool with
 * liquidity for every deleverage route, the router's factory, and the deployer's balances.
 * Returns the list of problems; empty means go.
 */
export async function preflightMainnet(opts: PreflightOptions): Promise<string[]> {
  const p = opts.parameters;
  const a = p.addresses;
  const client = createPublicClient({ transport: custom(opts.provider) }) as PublicClient;
  const problems: string[] = [];
  const deployer = getAddress(opts.deployer);
  for (const role of ["admin", "curator"] as const) {
    if (opts.roles[role] === deployer)
      problems.push(`${role} is the deployer, which renounces its roles at the end: use another account`);
  }
  const now = BigInt((await client.getBlock()).timestamp);
  const hasCode = async (label: string, address: Address): Promise<boolean> => {
    const code = await client.getCode({ address });
    if (code === undefined || code === "0x") {
      problems.push(`${label} ${address} has no code on this chain`);
      return false;
    }
    return true;
  };
  const symbols = [p.asset, ...p.riskTokens];
  for (const t of symbols) {
    const token = a.tokens[t.symbol];
    if (await hasCode(t.symbol, token.address)) {
      const dec = await client.readContract({
        address: token.address,
        abi: ERC20_ABI,
        functionName: "decimals",
      });
      if (dec !== token.decimals)
        problems.push(`${t.symbol} has ${dec} decimals, expected ${token.decimals}`);
    }
    const spec = mainnetFeedSpec(p, t.symbol, t);
    const feed = getAddress(spec.feed);
    if (!(await hasCode(`${t.symbol} feed`, feed))) continue;
    const dec = await client.readContract({ address: feed, abi: FEED_ABI, functionName: "decimals" });
    if (dec !== spec.decimals)
      problems.push(`${t.symbol} feed has ${dec} decimals, expected ${spec.decimals}`);
    const [, answer, , updatedAt] = await client.readContract({
      address: feed,
      abi: FEED_ABI,
      functionName: "latestRoundData",
    });
    const usd8 = dec >= 8 ? answer / 10n ** BigInt(dec - 8) : answer * 10n ** BigInt(8 - dec);
    if (usd8 < spec.minPrice || usd8 > spec.maxPrice)
      problems.push(
        `${t.symbol} feed answers ${usd8} (8 decimals), outside [${spec.minPrice}, ${spec.maxPrice}]`,
      );
    if (updatedAt > now || now - updatedAt > BigInt(spec.heartbeat))
      problems.push(`${t.symbol} feed last updated ${now - updatedAt} s ago, limit ${spec.heartbeat} s`);
  }
  const router = getAddress(a.uniswapV3.swapRouter.address);
  const factory = getAddress(a.uniswapV3.factory.address);
  if ((await hasCode("SwapRouter", router)) && (await hasCode("UniswapV3Factory", factory))) {
    const routerFactory = await client.readContract({
      address: router,
      abi: ROUTER_ABI,
      functionName: "factory",
    });
    if (getAddress(routerFactory) !== factory)
      problems.push(`SwapRouter's factory is ${routerFactory}, expected ${factory}`);
    for (const t of p.riskTokens) {
      const pool = await client.readContract({
        address: factory,
        abi: FACTORY_ABI,
        functionName: "getPool",
        args: [a.tokens[t.symbol].address, a.tokens[p.asset.symbol].address, t.poolFee],
      });
      if (pool === zeroAddress) {
        problems.push(
          `no Uniswap V3 ${t.symbol}/${p.asset.symbol} pool at fee ${t.poolFee} (deleverage route)`,
        );
        continue;
      }
      const pinned = (a.uniswapV3Pools as Record<string, { fee: number; address: string } | undefined>)[
        t.symbol
      ];
      if (pinned !== undefined && pinned.fee === t.poolFee && getAddress(pinned.address) !== getAddress(pool))
        problems.push(
          `the factory's ${t.symbol} pool is ${pool}, deploy/addresses/mainnet.ts says ${pinned.address}`,
        );
      const liquidity = await client.readContract({
        address: pool,
        abi: POOL_ABI,
        functionName: "liquidity",
      });
      if (liquidity === 0n) problems.push(`the ${t.symbol}/${p.asset.symbol} pool ${pool} has no liquidity`);
    }
  }
  if (opts.checkFunding) {
    const balance = async (symbol: keyof typeof a.tokens): Promise<bigint> =>
      client.readContract({
        address: a.tokens[symbol].address,
        abi: ERC20_ABI,
        functionName: "balanceOf",
        args: [deployer],
      });
    for (const need of mainnetDeployerFunding(p)) {
      const have = await balance(need.symbol);
      if (have < need.amount)
        problems.push(`deployer holds ${have} ${need.symbol} units, ${need.purpose} needs ${need.amount}`);
    }
    const eth = await client.getBalance({ address: deployer });
    if (eth === 0n) problems.push("deployer holds no ether for gas");
  }
  return problems;
}

export interface DeployMainnetOptions {
  provider: EIP1193Provider;
  artifactResolver: ArtifactResolver;
  parameters: MainnetParameters;
  roles: MainnetRoles;
  /** Folder for Ignition's journal; omit for an in-memory journal (tests that drop the chain). */
  deploymentDir?: string;
  config?: Partial<DeployConfig>;
}

/** Whether `deploymentDir` already holds an Ignition journal (the next run resumes it). */
export function hasJournal(deploymentDir: string | undefined): boolean {
  return deploymentDir !== undefined && existsSync(path.join(deploymentDir, "journal.jsonl"));
}

/** Deploys (or resumes) `MainnetVault` and returns its addresses. */
export async function deployMainnetVault(opts: DeployMainnetOptions): Promise<MainnetDeployment> {
  const client = createPublicClient({ transport: custom(opts.provider) });
  const chainId = await client.getChainId();
  const accounts = (await opts.provider.request({ method: "eth_accounts" })) as string[];
  const from = accounts[0];
  if (from === undefined) throw new Error("the provider exposes no account to deploy from");
  const vaultAbi = (await opts.artifactResolver.loadArtifact("RiskParityVault")).abi as Abi;
  const ignitionModule = mainnetVaultModule(opts.parameters, vaultAbi) as unknown as IgnitionModule;
  const result = await deploy({
    config: opts.config ?? {},
    provider: opts.provider,
    artifactResolver: opts.artifactResolver,
    ...(opts.deploymentDir === undefined ? {} : { deploymentDir: opts.deploymentDir }),
    ignitionModule,
    deploymentParameters: { [MAINNET_MODULE_ID]: { ...opts.roles } },
    accounts,
    defaultSender: from,
  });
  const get = deployedAddresses(result, MAINNET_MODULE_ID);
  return {
    chainId,
    deployer: getAddress(from),
    vault: get("RiskParityVault"),
    manager: get("VaultAccessManager"),
    swapAdapter: get("UniswapV3SwapAdapter"),
    upkeep: get("DeleverageUpkeep"),
    libraries: Object.fromEntries(VAULT_LIBRARIES.map((lib) => [lib, get(lib)])),
  };
}
