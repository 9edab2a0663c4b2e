/**
 * Deployment helper for the RiskParityVault: deploys the AccessManager and the vault's linked
 * libraries, then the vault, assigns every restricted function to its role, and grants the roles
 * (the curator behind an execution delay). Tests, the demo and the keeper reuse it.
 *
 * Roles (AccessManager ids):
 *   0 ADMIN     fees, fee recipient, unpause, skim                       (delay: adminDelay)
 *   1 CURATOR   risk-increasing changes: assets, feeds, caps, adapters   (delay: curatorDelay)
 *   2 GUARDIAN  risk-reducing changes: pause, lower caps, remove empty   (no delay; curator too)
 *   3 KEEPER    rebalance entry points                                   (no delay)
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, type Interface, type Signer } from "ethers";
import type { RiskParityVault, VaultAccessManager } from "../types/ethers-contracts/index.ts";

export const ROLES = {
  ADMIN: 0n,
  CURATOR: 1n,
  GUARDIAN: 2n,
  KEEPER: 3n,
} as const;

export type RoleName = keyof typeof ROLES;

/**
 * Function -> role map. A function listed here that the compiled vault does not have is skipped
 * (so the map can name keeper entry points before they exist), see `assignedFunctions`.
 */
export const FUNCTION_ROLES: Readonly<Record<RoleName, readonly string[]>> = {
  ADMIN: ["setFees", "setFeeRecipient", "unpauseDeposits", "unpauseRebalance", "skim"],
  CURATOR: [
    "addAsset",
    "setFeed",
    "setMaxWeight",
    "setSequencer",
    "addAdapter",
    "setDepositCap",
    "setLimits",
    "setSwapAdapter",
    "setDeleverageRoute",
  ],
  GUARDIAN: [
    "lowerDepositCap",
    "lowerMaxWeight",
    "removeAsset",
    "removeAdapter",
    "pauseDeposits",
    "pauseRebalance",
    "tightenLimits",
    "removeSwapAdapter",
  ],
  KEEPER: ["rebalance", "openOption", "closeOption"],
};

/** Linked libraries of the vault (contract names, unique in the project). */
export const VAULT_LIBRARIES = ["VaultAdminLib", "RebalanceLib", "DeleverageLib"] as const;

export interface DeployVaultOptions {
  /** The stablecoin the vault is denominated in. */
  asset: string;
  /** Signer that becomes the AccessManager admin and sends the deployment. */
  admin: Signer;
  name?: string;
  symbol?: string;
  curator?: string;
  guardian?: string;
  keeper?: string;
  /** Execution delay (seconds) of the curator's risk-increasing changes. Default 1 day. */
  curatorDelay?: number;
  /** Execution delay (seconds) on the admin role's vault functions. Default 0. */
  adminDelay?: number;
  /** Asset units the admin deposits for the dead address (seeded supply); 0 = none. */
  seedAssets?: bigint;
  /** Contract to deploy (a test harness deriving from RiskParityVault). Default "RiskParityVault". */
  contractName?: string;
  /** Extra libraries (name -> address) when the vault links more than VAULT_LIBRARIES. */
  extraLibraries?: Record<string, string>;
}

export interface VaultDeployment {
  manager: VaultAccessManager;
  vault: RiskParityVault;
  libraries: Record<string, string>;
  /** Function names actually assigned to a role (present in the compiled vault). */
  assignedFunctions: Record<RoleName, string[]>;
}

/** Receiver of the seeded (dead) shares. */
export const DEAD_ADDRESS = "0x000000000000000000000000000000000000dEaD";

/** Deploys AccessManager + libraries + vault, wires every function to its role and grants roles. */
export async function deployVault(ethers: HardhatEthers, opts: DeployVaultOptions): Promise<VaultDeployment> {
  const adminAddress = await opts.admin.getAddress();
  const manager = (await ethers.deployContract(
    "VaultAccessManager",
    [adminAddress],
    opts.admin,
  )) as unknown as VaultAccessManager;
  await manager.waitForDeployment();
  const managerAddress = await manager.getAddress();

  const libraries: Record<string, string> = { ...(opts.extraLibraries ?? {}) };
  const needed: string[] = [...VAULT_LIBRARIES];
  if (opts.contractName === "RiskParityVaultHarness") needed.push("HarnessLib");
  for (const fqn of needed) {
    if (libraries[fqn] !== undefined) continue;
    const lib = await ethers.deployContract(fqn, [], opts.admin);
    await lib.waitForDeployment();
    libraries[fqn] = await lib.getAddress();
  }

  const vault = (await ethers.deployContract(
    opts.contractName ?? "RiskParityVault",
    [opts.asset, opts.name ?? "Risk Parity Vault", opts.symbol ?? "rpUSDC", managerAddress],
    { signer: opts.admin, libraries },
  )) as unknown as RiskParityVault;
  await vault.waitForDeployment();
  const vaultAddress = await vault.getAddress();

  const m = manager.connect(opts.admin);
  const vaultInterface: Interface = vault.interface;
  const assignedFunctions: Record<RoleName, string[]> = { ADMIN: [], CURATOR: [], GUARDIAN: [], KEEPER: [] };
  for (const role of Object.keys(FUNCTION_ROLES) as RoleName[]) {
    const selectors: string[] = [];
    for (const name of FUNCTION_ROLES[role]) {
      const fn = vaultInterface.getFunction(name);
      if (fn === null) continue;
      selectors.push(fn.selector);
      assignedFunctions[role].push(name);
    }
    if (role !== "ADMIN") await (await m.labelRole(ROLES[role], role)).wait();
    if (selectors.length > 0)
      await (await m.setTargetFunctionRole(vaultAddress, selectors, ROLES[role])).wait();
  }

  const adminDelay = opts.adminDelay ?? 0;
  if (adminDelay > 0) await (await m.grantRole(ROLES.ADMIN, adminAddress, adminDelay)).wait();
  if (opts.curator !== undefined) {
    await (await m.grantRole(ROLES.CURATOR, opts.curator, opts.curatorDelay ?? 86_400)).wait();
    // The curator may also make risk-reducing changes immediately.
    await (await m.grantRole(ROLES.GUARDIAN, opts.curator, 0)).wait();
  }
  if (opts.guardian !== undefined) await (await m.grantRole(ROLES.GUARDIAN, opts.guardian, 0)).wait();
  if (opts.keeper !== undefined) await (await m.grantRole(ROLES.KEEPER, opts.keeper, 0)).wait();

  const seed = opts.seedAssets ?? 0n;
  if (seed > 0n) {
    const asset = new Contract(
      opts.asset,
      ["function approve(address spender, uint256 amount) returns (bool)"],
      opts.admin,
    );
    const approve = asset.getFunction("approve");
    await (await approve(vaultAddress, seed)).wait();
    await (await vault.connect(opts.admin).deposit(seed, DEAD_ADDRESS)).wait();
  }

  return { manager, vault, libraries, assignedFunctions };
}

/**
 * Schedules `data` on the vault through the AccessManager for `caller` (a role member with an
 * execution delay). Returns the operation id; after the delay the caller sends the same call to
 * the vault directly (AccessManaged consumes the scheduled operation) or via `manager.execute`.
 */
export async function scheduleVaultCall(
  deployment: VaultDeployment,
  caller: Signer,
  data: string,
): Promise<string> {
  const target = await deployment.vault.getAddress();
  const m = deployment.manager.connect(caller);
  const id = await m.hashOperation(await caller.getAddress(), target, data);
  await (await m.schedule(target, data, 0)).wait();
  return id;
}
