export { planRebalance } from "./planner.ts";
export { checkRebalance, type VaultModelOptions } from "./vaultModel.ts";
export type {
  AssetStateF,
  PlannedTrade,
  PlannerOptions,
  PlannerState,
  PlanTargets,
  PostTradeState,
  RebalanceBoundsF,
  RebalancePlan,
  SkippedTrade,
  VaultCheckResult,
  Violation,
} from "./types.ts";
