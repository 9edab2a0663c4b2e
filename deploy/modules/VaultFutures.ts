/**
 * The vault's Ignition futures, shared by every world: `LocalWorldVault` (tokens and feeds we
 * deployed) and `MainnetVault` (the real USDC, Chainlink feeds and Uniswap V3 router). A module
 * calls `addVaultFutures(m, spec)` inside its `buildModule` callback; everything network-specific
 * (addresses, feed bounds, how the deployer obtains the probe and seed tokens, who ends up holding
 * which role) is in `spec`, so the two worlds deploy the vault with the same code.
 *
 * What it deploys, in order:
 *   1. `VaultAccessManager` (the deployer is its first admin), the vault's linked libraries,
 *      `RiskParityVault` over `spec.asset`;
 *   2. every restricted function wired to its role (`FUNCTION_ROLES` of `deploy/vault.ts`; a
 *      function the compiled vault does not have is skipped), role labels;
 *   3. the deployer as curator WITHOUT delay for setup: the asset's feed, each risk asset with its
 *      feed, heartbeat, decimals, bounds and max weight (the vault's transfer probe pulls a small
 *      amount from the deployer and returns it), `UniswapV3SwapAdapter` on `spec.swapRouter`
 *      allowed as swap adapter, one deleverage route per risk asset, the risk limits, the deposit
 *      cap (when set), the fees, and a seeded first deposit to the dead address;
 *   4. roles for operation: keeper and guardian without delay; then either
 *      - no `handover` (local world): the deployer keeps admin, stays curator behind
 *        `riskIncreaseDelay` and is a guardian too;
 *      - `handover` (real networks): `admin` gets the admin role behind `adminDelay`, `curator`
 *        the curator role behind `riskIncreaseDelay` (and guardian, to reduce risk at once), and
 *        the deployer renounces curator and admin last, keeping nothing;
 *   5. optionally `DeleverageUpkeep` (Chainlink Automation entry point for the permissionless
 *      deleverage), paying bounties to `upkeepBeneficiary`.
 */
import type {
  AccountRuntimeValue,
  Artifact,
  CallableContractFuture,
  ContractFuture,
  Future,
  IgnitionModuleBuilder,
  ModuleParameterRuntimeValue,
} from "@nomicfoundation/ignition-core";
import type { Abi, AbiFunction } from "viem";
import { toFunctionSelector } from "viem";
import { WETH9_ARTIFACT } from "../artifacts.ts";
import type { VaultParameters } from "../parameters.ts";
import { DEAD_ADDRESS, FUNCTION_ROLES, ROLES, VAULT_LIBRARIES, type RoleName } from "../vault.ts";

/** An address known when the module is built, an Ignition account, or an Ignition parameter. */
export type AddressArg = string | AccountRuntimeValue | ModuleParameterRuntimeValue<string>;

/** A Chainlink feed as the vault stores it (OracleLib.Feed); bounds are 8-decimal USD. */
export interface FeedSpec {
  feed: string;
  heartbeat: number;
  decimals: number;
  minPrice: bigint;
  maxPrice: bigint;
}

/**
 * How the deployer holds the tokens the module spends (transfer probes, the seed deposit):
 * `mint` (a `LocalToken` it owns), `wrap` (WETH9 `deposit()` from ether), `hold` (it already holds
 * them: real tokens on a real network; the deployment script checks the balances first).
 */
export type Funding = "mint" | "wrap" | "hold";

export interface VaultSpecToken {
  symbol: string;
  address: string;
  decimals: number;
  feed: FeedSpec;
  maxWeightBps: number;
  /** Uniswap V3 fee tier of the token's pool against the asset (its deleverage route). */
  poolFee: number;
  funding: Funding;
}

export interface VaultSpec {
  vault: VaultParameters;
  asset: { address: string; decimals: number; feed: FeedSpec; funding: Exclude<Funding, "wrap"> };
  riskTokens: VaultSpecToken[];
  /** Uniswap V3 SwapRouter the swap adapter sends trades to. */
  swapRouter: string;
  /** ABI of the compiled RiskParityVault (selectors, and which optional setters exist). */
  vaultAbi: Abi;
  roles: {
    keeper: AddressArg;
    guardian: AddressArg;
    /** Hand admin and curator over to these accounts and renounce the deployer's roles. */
    handover?: { admin: AddressArg; curator: AddressArg };
  };
  /** Deploy `DeleverageUpkeep`, paying its bounties to this account. */
  upkeepBeneficiary?: AddressArg;
}

export interface VaultFutures {
  vault: ContractFuture<string>;
  manager: ContractFuture<string>;
  swapAdapter: ContractFuture<string>;
  upkeep?: ContractFuture<string>;
}

/** Smallest amount the vault's transfer probe moves: 10^(decimals - 4) base units. */
export function probeAmount(decimals: number): bigint {
  return 10n ** BigInt(Math.max(0, decimals - 4));
}

/** Selectors of the functions in `names` that `abi` has. */
export function selectorsFor(abi: Abi, names: readonly string[]): { name: string; selector: string }[] {
  const out: { name: string; selector: string }[] = [];
  for (const name of names) {
    const fns = abi.filter((x): x is AbiFunction => x.type === "function" && x.name === name);
    for (const fn of fns) out.push({ name, selector: toFunctionSelector(fn) });
  }
  return out;
}

/** Just enough of ERC-20 to approve from the deployer (tokens it already holds). */
const ERC20_APPROVE_ARTIFACT: Artifact = {
  _format: "hh-sol-artifact-1",
  contractName: "ERC20",
  sourceName: "deploy/modules/VaultFutures.ts",
  abi: [
    {
      type: "function",
      name: "approve",
      stateMutability: "nonpayable",
      inputs: [
        { name: "spender", type: "address" },
        { name: "amount", type: "uint256" },
      ],
      outputs: [{ name: "", type: "bool" }],
    },
  ],
  bytecode: "0x",
  deployedBytecode: "0x",
  linkReferences: {},
  deployedLinkReferences: {},
};

const feedArg = (f: FeedSpec) => ({
  feed: f.feed,
  heartbeat: f.heartbeat,
  decimals: f.decimals,
  minPrice: f.minPrice,
  maxPrice: f.maxPrice,
});

/**
 * A handle on `address` from which the deployer can approve, after making sure it holds `amount`
 * (`mint`: mints it; `wrap`: wraps ether; `hold`: nothing). Returns the token and the funding
 * future to wait for (none for `hold`).
 */
function fundedToken(
  m: IgnitionModuleBuilder,
  address: string,
  funding: Funding,
  amount: bigint,
  ids: { at: string; fund: string },
): { token: CallableContractFuture<string>; funded: Future[] } {
  const deployer = m.getAccount(0);
  if (funding === "wrap") {
    const token = m.contractAt("WETH9", WETH9_ARTIFACT, address, { id: ids.at });
    return { token, funded: [m.call(token, "deposit", [], { id: ids.fund, value: amount })] };
  }
  if (funding === "mint") {
    const token = m.contractAt("LocalToken", address, { id: ids.at });
    return { token, funded: [m.call(token, "mint", [deployer, amount], { id: ids.fund })] };
  }
  return { token: m.contractAt("ERC20", ERC20_APPROVE_ARTIFACT, address, { id: ids.at }), funded: [] };
}

/** Adds the vault's futures to `m` (see the file comment). */
export function addVaultFutures(m: IgnitionModuleBuilder, s: VaultSpec): VaultFutures {
  const deployer = m.getAccount(0);
  const v = s.vault;
  const manager = m.contract("VaultAccessManager", [deployer], { id: "VaultAccessManager" });
  const libraries: Record<string, ContractFuture<string>> = {};
  for (const lib of VAULT_LIBRARIES) libraries[lib] = m.library(lib, { id: lib });
  const vault = m.contract("RiskParityVault", [s.asset.address, v.name, v.symbol, manager], {
    id: "RiskParityVault",
    libraries,
  });
  const has = (name: string): boolean => selectorsFor(s.vaultAbi, [name]).length > 0;

  // Function -> role wiring.
  const wiring: Future[] = [];
  for (const role of Object.keys(FUNCTION_ROLES) as RoleName[]) {
    const roleId = ROLES[role];
    if (role !== "ADMIN") wiring.push(m.call(manager, "labelRole", [roleId, role], { id: `Label_${role}` }));
    const selectors = selectorsFor(s.vaultAbi, FUNCTION_ROLES[role]).map((x) => x.selector);
    if (selectors.length > 0) {
      wiring.push(
        m.call(manager, "setTargetFunctionRole", [vault, selectors, roleId], { id: `Wire_${role}` }),
      );
    }
  }

  // Setup as curator (no delay yet) and admin.
  const curatorNow = m.call(manager, "grantRole", [ROLES.CURATOR, deployer, 0], {
    id: "GrantCuratorSetup",
    after: wiring,
  });
  const assetFeed = m.call(vault, "setFeed", [s.asset.address, feedArg(s.asset.feed)], {
    id: "SetAssetFeed",
    after: [curatorNow],
  });
  const added: Future[] = [assetFeed];
  for (const t of s.riskTokens) {
    const probe = probeAmount(t.decimals);
    const { token, funded } = fundedToken(m, t.address, t.funding, probe, {
      at: `${t.symbol}_Probe`,
      fund: `Probe_Fund_${t.symbol}`,
    });
    const approved = m.call(token, "approve", [vault, probe], {
      id: `Probe_Approve_${t.symbol}`,
      after: funded,
    });
    added.push(
      m.call(vault, "addAsset", [t.address, feedArg(t.feed), t.maxWeightBps, deployer, probe], {
        id: `AddAsset_${t.symbol}`,
        after: [approved, curatorNow, ...added],
      }),
    );
  }

  // Swap adapter, deleverage routes, risk limits, deposit cap (when the compiled vault has them).
  const swapAdapter = m.contract("UniswapV3SwapAdapter", [s.swapRouter], { id: "UniswapV3SwapAdapter" });
  if (has("setSwapAdapter")) {
    added.push(m.call(vault, "setSwapAdapter", [swapAdapter], { id: "SetSwapAdapter", after: [curatorNow] }));
    if (has("setDeleverageRoute")) {
      for (const t of s.riskTokens) {
        added.push(
          m.call(
            vault,
            "setDeleverageRoute",
            [t.address, swapAdapter, { fees: [t.poolFee], intermediates: [] }],
            {
              id: `SetDeleverageRoute_${t.symbol}`,
              after: [...added],
            },
          ),
        );
      }
    }
  }
  const assetUnits = (usd: number): bigint => BigInt(Math.round(usd)) * 10n ** BigInt(s.asset.decimals);
  if (has("setLimits")) {
    const l = v.limits;
    added.push(
      m.call(
        vault,
        "setLimits",
        [
          {
            targetLeverage: v.targetLeverage,
            maxLeverage: v.maxLeverage,
            ripcordLeverage: v.ripcordLeverage,
            maxSlippageBps: v.maxSlippageBps,
            deleverageSlippageBps: l.deleverageSlippageBps,
            maxLossPerRebalanceBps: v.maxLossBps,
            lossBudgetBps: l.lossBudgetBps,
            maxTradeValue: assetUnits(l.maxTradeValueUsd),
            window: l.window,
            minRebalanceInterval: v.minRebalanceInterval,
            deleverageCooldown: l.deleverageCooldown,
            turnoverBps: l.turnoverBps,
            deleverageChunkBps: l.deleverageChunkBps,
            deleverageBudgetBps: l.deleverageBudgetBps,
            drawdownBps: l.drawdownBps,
            bountyBps: l.bountyBps,
            maxBounty: assetUnits(l.maxBountyUsd),
          },
        ],
        { id: "SetLimits", after: [curatorNow] },
      ),
    );
  }
  if (v.depositCapUsd !== undefined) {
    added.push(
      m.call(vault, "setDepositCap", [assetUnits(v.depositCapUsd)], {
        id: "SetDepositCap",
        after: [curatorNow],
      }),
    );
  }

  const fees = m.call(
    vault,
    "setFees",
    [v.managementFeeBps, v.performanceFeeBps, v.entryExitFeeBps, v.entryExitFeeBps],
    { id: "SetFees", after: wiring },
  );

  // Seeded first deposit for the dead address (inflation-attack defence).
  const seed = fundedToken(m, s.asset.address, s.asset.funding, v.seedDeposit, {
    at: "Asset_Seed",
    fund: "Seed_Mint",
  });
  const seedApprove = m.call(seed.token, "approve", [vault, v.seedDeposit], {
    id: "Seed_Approve",
    after: seed.funded,
  });
  const seedDeposit = m.call(vault, "deposit", [v.seedDeposit, DEAD_ADDRESS], {
    id: "Seed_Deposit",
    after: [seedApprove, fees, ...added],
  });

  // Roles and delays for operation.
  const grants: Future[] = [
    m.call(manager, "grantRole", [ROLES.GUARDIAN, s.roles.guardian, 0], {
      id: "GrantGuardian",
      after: wiring,
    }),
    m.call(manager, "grantRole", [ROLES.KEEPER, s.roles.keeper, 0], { id: "GrantKeeper", after: wiring }),
  ];
  let upkeep: ContractFuture<string> | undefined;
  if (s.upkeepBeneficiary !== undefined) {
    upkeep = m.contract("DeleverageUpkeep", [vault, s.upkeepBeneficiary], { id: "DeleverageUpkeep" });
  }
  const handover = s.roles.handover;
  if (handover === undefined) {
    m.call(manager, "grantRole", [ROLES.CURATOR, deployer, v.riskIncreaseDelay], {
      id: "GrantCuratorDelayed",
      after: added,
    });
    m.call(manager, "grantRole", [ROLES.GUARDIAN, deployer, 0], {
      id: "GrantGuardianDeployer",
      after: wiring,
    });
  } else {
    grants.push(
      m.call(manager, "grantRole", [ROLES.CURATOR, handover.curator, v.riskIncreaseDelay], {
        id: "GrantCurator",
        after: wiring,
      }),
      m.call(manager, "grantRole", [ROLES.GUARDIAN, handover.curator, 0], {
        id: "GrantGuardianCurator",
        after: wiring,
      }),
      m.call(manager, "grantRole", [ROLES.ADMIN, handover.admin, v.adminDelay], {
        id: "GrantAdmin",
        after: wiring,
      }),
    );
    const renounceCurator = m.call(manager, "renounceRole", [ROLES.CURATOR, deployer], {
      id: "RenounceCuratorDeployer",
      after: [seedDeposit, ...added],
    });
    m.call(manager, "renounceRole", [ROLES.ADMIN, deployer], {
      id: "RenounceAdminDeployer",
      after: [renounceCurator, seedDeposit, fees, curatorNow, ...grants, ...added, ...wiring],
    });
  }
  return upkeep === undefined ? { vault, manager, swapAdapter } : { vault, manager, swapAdapter, upkeep };
}
