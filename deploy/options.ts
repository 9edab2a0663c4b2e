/**
 * Deployment helper for the reference options venue and the vault's option adapter: deploys the
 * Black-Scholes pricer, the volatility oracle and the venue, then the adapter for one vault, and
 * assigns every restricted function to a role of an existing AccessManager (the vault's).
 *
 * Roles (AccessManager ids, shared with deploy/vault.ts):
 *   0 ADMIN       venue: listing, sequencer, spread, minimum premium, utilisation, rate, max expiry;
 *                 volatility oracle: bounds
 *   1 CURATOR     adapter: setGuardParams, setNotionalCap (either direction; granted with a delay)
 *   2 GUARDIAN    adapter: tightenGuardParams, lowerNotionalCap (risk-reducing only; immediate)
 *   4 VOL_SETTER  volatility oracle: setVolatility (the keeper that pushes implied volatilities)
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, type Interface, type Signer } from "ethers";
import type {
  BlackScholesPricer,
  OptionVenue,
  OptionVenueAdapter,
  VolatilityOracle,
} from "../types/ethers-contracts/index.ts";

export const OPTION_ROLES = { ADMIN: 0n, CURATOR: 1n, GUARDIAN: 2n, VOL_SETTER: 4n } as const;
export type OptionRoleName = keyof typeof OPTION_ROLES;

export const VENUE_FUNCTION_ROLES: Readonly<Partial<Record<OptionRoleName, readonly string[]>>> = {
  ADMIN: [
    "listUnderlying",
    "setSequencer",
    "setSpread",
    "setMinPremium",
    "setMaxUtilisation",
    "setRiskFreeRate",
    "setMaxTimeToExpiry",
  ],
};
export const VOLATILITY_ORACLE_FUNCTION_ROLES: Readonly<Partial<Record<OptionRoleName, readonly string[]>>> =
  {
    ADMIN: ["setConfig"],
    VOL_SETTER: ["setVolatility"],
  };
export const ADAPTER_FUNCTION_ROLES: Readonly<Partial<Record<OptionRoleName, readonly string[]>>> = {
  CURATOR: ["setGuardParams", "setNotionalCap"],
  GUARDIAN: ["tightenGuardParams", "lowerNotionalCap"],
};

/** Guard parameters of the adapter (see OptionVenueAdapter.GuardParams). */
export interface GuardParams {
  premiumBudgetBps: number;
  premiumWindow: number;
  minExpiryDays: number;
  maxExpiryDays: number;
  strikeBandBps: number;
  maxOpenSeries: number;
}

const MANAGER_ABI = [
  "function setTargetFunctionRole(address target, bytes4[] selectors, uint64 roleId)",
  "function grantRole(uint64 roleId, address account, uint32 executionDelay)",
];

/** Assigns the functions of `target` named in `roles` to their role ids. */
async function wire(
  manager: Contract,
  target: string,
  iface: Interface,
  roles: Readonly<Partial<Record<OptionRoleName, readonly string[]>>>,
): Promise<void> {
  for (const [role, names] of Object.entries(roles) as [OptionRoleName, readonly string[]][]) {
    const selectors = names.map((name) => {
      const fn = iface.getFunction(name);
      if (fn === null) throw new Error(`${name} not found on ${target}`);
      return fn.selector;
    });
    await (await manager.getFunction("setTargetFunctionRole")(target, selectors, OPTION_ROLES[role])).wait();
  }
}

export interface DeployVenueOptions {
  /** Signer holding the AccessManager admin role; sends the deployment. */
  admin: Signer;
  /** The AccessManager (the vault's). */
  manager: string;
  /** The venue's stablecoin. */
  asset: string;
  /** Call payoff cap as a multiple of strike, 18 decimals. Default 2e18. */
  callCapRatio?: bigint;
  /** Account allowed to push implied volatilities (VOL_SETTER). */
  volSetter?: string;
}

export interface VenueDeployment {
  pricer: BlackScholesPricer;
  volatilityOracle: VolatilityOracle;
  venue: OptionVenue;
}

/** Deploys pricer, volatility oracle and venue, and wires their restricted functions. */
export async function deployOptionsVenue(
  ethers: HardhatEthers,
  opts: DeployVenueOptions,
): Promise<VenueDeployment> {
  const manager = new Contract(opts.manager, MANAGER_ABI, opts.admin);
  const pricer = (await ethers.deployContract(
    "BlackScholesPricer",
    [],
    opts.admin,
  )) as unknown as BlackScholesPricer;
  const volatilityOracle = (await ethers.deployContract(
    "VolatilityOracle",
    [opts.manager],
    opts.admin,
  )) as unknown as VolatilityOracle;
  const venue = (await ethers.deployContract(
    "OptionVenue",
    [
      opts.asset,
      opts.manager,
      await pricer.getAddress(),
      await volatilityOracle.getAddress(),
      opts.callCapRatio ?? 2n * 10n ** 18n,
    ],
    opts.admin,
  )) as unknown as OptionVenue;
  await wire(manager, await venue.getAddress(), venue.interface, VENUE_FUNCTION_ROLES);
  await wire(
    manager,
    await volatilityOracle.getAddress(),
    volatilityOracle.interface,
    VOLATILITY_ORACLE_FUNCTION_ROLES,
  );
  if (opts.volSetter !== undefined) {
    await (await manager.getFunction("grantRole")(OPTION_ROLES.VOL_SETTER, opts.volSetter, 0)).wait();
  }
  return { pricer, volatilityOracle, venue };
}

export interface DeployAdapterOptions {
  admin: Signer;
  manager: string;
  /** The vault served (exposes asset() and totalAssets()). */
  vault: string;
  venue: string;
  params: GuardParams;
}

/** Deploys the option adapter for one vault and wires its curator and guardian functions. */
export async function deployOptionAdapter(
  ethers: HardhatEthers,
  opts: DeployAdapterOptions,
): Promise<OptionVenueAdapter> {
  const manager = new Contract(opts.manager, MANAGER_ABI, opts.admin);
  const adapter = (await ethers.deployContract(
    "OptionVenueAdapter",
    [opts.vault, opts.venue, opts.manager, opts.params],
    opts.admin,
  )) as unknown as OptionVenueAdapter;
  await wire(manager, await adapter.getAddress(), adapter.interface, ADAPTER_FUNCTION_ROLES);
  return adapter;
}
