/**
 * Public API of the keeper's risk engine (pure: no I/O, deterministic).
 * See docs/risk.md for signatures, units, errors and method choices.
 */
export {
  ConvergenceError,
  DimensionError,
  InsufficientHistoryError,
  InvalidOptionError,
  NonFiniteInputError,
  NotPositiveDefiniteError,
  NotSymmetricError,
  RiskInputError,
  ZeroVarianceError,
} from "./errors.ts";
export {
  type MatrixInput,
  type SquareMatrix,
  type SymmetricEigen,
  cholesky,
  symmetricEigen,
  toRows,
  toSquare,
} from "./matrix.ts";
export {
  type Annualization,
  type CovarianceMethod,
  type CovarianceOptions,
  type CovarianceResult,
  type ReturnsInput,
  type ShrinkageTarget,
  estimateCovariance,
} from "./covariance.ts";
export {
  type RiskParityMethod,
  type RiskParityOptions,
  type RiskParityResult,
  solveRiskParity,
} from "./riskParity.ts";
export {
  type VolatilityForecastSpec,
  type VolTargetInput,
  type VolTargetResult,
  volatilityTargetScale,
} from "./volTarget.ts";
export {
  type Garch11Fit,
  type Garch11Forecast,
  type Garch11Options,
  fitGarch11,
  forecastGarch11,
} from "./garch.ts";
export {
  type OptionKind,
  type OptionPosition,
  type OptionPricer,
  type OptionPricingInput,
  type OptionValuation,
  type SpotPosition,
  type StressPortfolio,
  type StressResult,
  type StressScenario,
  stressTest,
} from "./stress.ts";
export {
  type AssetStateF,
  type PlannedTrade,
  type PlannerOptions,
  type PlannerState,
  type PlanTargets,
  type PostTradeState,
  type RebalanceBoundsF,
  type RebalancePlan,
  type SkippedTrade,
  type VaultCheckResult,
  type Violation,
  type VaultModelOptions,
  checkRebalance,
  planRebalance,
} from "../planner/index.ts";
