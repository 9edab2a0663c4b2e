/**
 * Ignition module, phase 3 of the local world: the vault with its AccessManager and linked
 * library, every restricted function wired to its role (the map in `deploy/vault.ts`, shared with
 * the vault's own deployment helper), the risk assets and feeds registered, fees, the seeded first
 * deposit, and roles granted with their delays:
 *   - the deployer is curator with no delay while the module registers assets, then its curator
 *     delay is raised to `riskIncreaseDelay` (raising a delay takes effect at once);
 *   - guardian and keeper get no delay (risk-reducing / rebalance entry points).
 * Selectors come from the compiled vault's ABI, so a function named in the role map that the
 * vault does not (yet) have is skipped, as in `deploy/vault.ts`.
 */
import { buildModule, type ContractFuture, type Future } from "@nomicfoundation/ignition-core";
import type { Abi, AbiFunction } from "viem";
import { toFunctionSelector } from "viem";
import { WETH9_ARTIFACT } from "../artifacts.ts";
import { DEAD_ADDRESS, FUNCTION_ROLES, ROLES, VAULT_LIBRARIES, type RoleName } from "../vault.ts";
import type { LocalWorldParameters } from "../parameters.ts";
import { usdToFeedAnswer } from "../pool-math.ts";

export interface VaultModuleInputs {
  asset: { address: string; feed: string };
  riskTokens: { symbol: string; address: string; feed: string; wrappedNative: boolean }[];
  weth: string;
  swapRouter: string;
  /** Accounts that receive roles (addresses). */
  keeper: string;
  guardian: string;
  /** ABI of the compiled RiskParityVault (to resolve selectors). */
  vaultAbi: Abi;
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

export function localWorldVaultModule(p: LocalWorldParameters, inputs: VaultModuleInputs) {
  return buildModule("LocalWorldVault", (m) => {
    const deployer = m.getAccount(0);
    const v = p.vault;
    const manager = m.contract("VaultAccessManager", [deployer], { id: "VaultAccessManager" });
    const libraries: Record<string, ContractFuture<string>> = {};
    for (const lib of VAULT_LIBRARIES) libraries[lib] = m.library(lib, { id: lib });
    const vault = m.contract("RiskParityVault", [inputs.asset.address, v.name, v.symbol, manager], {
      id: "RiskParityVault",
      libraries,
    });

    // Function -> role wiring.
    const wiring: Future[] = [];
    for (const role of Object.keys(FUNCTION_ROLES) as RoleName[]) {
      const roleId = ROLES[role];
      if (role !== "ADMIN")
        wiring.push(m.call(manager, "labelRole", [roleId, role], { id: `Label_${role}` }));
      const selectors = selectorsFor(inputs.vaultAbi, FUNCTION_ROLES[role]).map((s) => s.selector);
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
    // Feed bounds are 8-decimal USD prices: [price / factor, price * factor].
    const feedFor = (feed: string, price: number) => {
      const usd8 = usdToFeedAnswer(price, 8);
      const f = BigInt(v.feedBoundsFactor);
      return {
        feed,
        heartbeat: 0,
        decimals: p.feedDecimals,
        minPrice: usd8 / f > 0n ? usd8 / f : 1n,
        maxPrice: usd8 * f,
      };
    };
    const assetFeed = m.call(
      vault,
      "setFeed",
      [inputs.asset.address, { ...feedFor(inputs.asset.feed, 1), heartbeat: p.asset.heartbeat }],
      {
        id: "SetAssetFeed",
        after: [curatorNow],
      },
    );
    const added: Future[] = [assetFeed];
    for (const t of p.riskTokens) {
      const input = inputs.riskTokens.find((r) => r.symbol === t.symbol);
      if (input === undefined) throw new Error(`vault module: no address for ${t.symbol}`);
      const probe = 10n ** BigInt(Math.max(0, t.decimals - 4));
      let token;
      let funded;
      if (input.wrappedNative) {
        token = m.contractAt("WETH9", WETH9_ARTIFACT, input.address, { id: `${t.symbol}_Probe` });
        funded = m.call(token, "deposit", [], { id: `Probe_Fund_${t.symbol}`, value: probe });
      } else {
        token = m.contractAt("LocalToken", input.address, { id: `${t.symbol}_Probe` });
        funded = m.call(token, "mint", [deployer, probe], { id: `Probe_Fund_${t.symbol}` });
      }
      const approved = m.call(token, "approve", [vault, probe], {
        id: `Probe_Approve_${t.symbol}`,
        after: [funded],
      });
      added.push(
        m.call(
          vault,
          "addAsset",
          [
            input.address,
            { ...feedFor(input.feed, t.initialPrice), heartbeat: t.heartbeat },
            t.maxWeightBps,
            deployer,
            probe,
          ],
          {
            id: `AddAsset_${t.symbol}`,
            after: [approved, curatorNow, ...added],
          },
        ),
      );
    }
    // Swap adapter, risk limits and deleverage routes, when the compiled vault has them.
    const swapAdapter = m.contract("UniswapV3SwapAdapter", [inputs.swapRouter], {
      id: "UniswapV3SwapAdapter",
    });
    const has = (name: string): boolean => selectorsFor(inputs.vaultAbi, [name]).length > 0;
    if (has("setSwapAdapter")) {
      const allowed = m.call(vault, "setSwapAdapter", [swapAdapter], {
        id: "SetSwapAdapter",
        after: [curatorNow],
      });
      added.push(allowed);
      if (has("setDeleverageRoute")) {
        for (const t of inputs.riskTokens) {
          const fee = p.riskTokens.find((r) => r.symbol === t.symbol)?.poolFee ?? 3_000;
          added.push(
            m.call(
              vault,
              "setDeleverageRoute",
              [t.address, swapAdapter, { fees: [fee], intermediates: [] }],
              {
                id: `SetDeleverageRoute_${t.symbol}`,
                after: [...added],
              },
            ),
          );
        }
      }
    }
    if (has("setLimits")) {
      const l = v.limits;
      const assetUnits = (usd: number): bigint => BigInt(Math.round(usd)) * 10n ** BigInt(p.asset.decimals);
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

    const fees = m.call(
      vault,
      "setFees",
      [v.managementFeeBps, v.performanceFeeBps, v.entryExitFeeBps, v.entryExitFeeBps],
      {
        id: "SetFees",
        after: wiring,
      },
    );

    // Seeded first deposit for the dead address (inflation-attack defence).
    const asset = m.contractAt("LocalToken", inputs.asset.address, { id: "Asset_Seed" });
    const seedMint = m.call(asset, "mint", [deployer, v.seedDeposit], { id: "Seed_Mint" });
    const seedApprove = m.call(asset, "approve", [vault, v.seedDeposit], {
      id: "Seed_Approve",
      after: [seedMint],
    });
    m.call(vault, "deposit", [v.seedDeposit, DEAD_ADDRESS], {
      id: "Seed_Deposit",
      after: [seedApprove, fees, ...added],
    });

    // Roles and delays for operation.
    m.call(manager, "grantRole", [ROLES.CURATOR, deployer, v.riskIncreaseDelay], {
      id: "GrantCuratorDelayed",
      after: added,
    });
    m.call(manager, "grantRole", [ROLES.GUARDIAN, deployer, 0], {
      id: "GrantGuardianDeployer",
      after: wiring,
    });
    m.call(manager, "grantRole", [ROLES.GUARDIAN, inputs.guardian, 0], {
      id: "GrantGuardian",
      after: wiring,
    });
    m.call(manager, "grantRole", [ROLES.KEEPER, inputs.keeper, 0], { id: "GrantKeeper", after: wiring });
    return { vault, manager, swapAdapter };
  });
}
