/**
 * ABIs the keeper talks to, written by hand from `contracts/interfaces/IRiskParityVault.sol` and
 * Chainlink's AggregatorV3Interface so that viem types every call at compile time. Custom errors
 * are decoded with `VAULT_ERRORS` plus whatever compiled vault ABI the caller adds (see
 * `loadArtifactErrors`).
 */
import { readFileSync, existsSync } from "node:fs";
import { parseAbi, type Abi, type AbiItem } from "viem";

const ROUTE = "(uint24[] fees, address[] intermediates)";
const TRADE = `(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, address adapter, ${ROUTE} route)`;
const ASSET_STATE =
  "(address token, uint8 decimals, uint256 price, uint256 balance, uint256 value, int256 netExposure, uint16 maxWeightBps)";
const BOUNDS =
  "(uint256 nonce, bool rebalancePaused, bool oraclesHealthy, uint256 totalValue, uint256 idle, uint256 leverage, " +
  "uint256 targetLeverage, uint256 maxLeverage, uint256 ripcordLeverage, uint256 maxTradeValue, uint16 maxSlippageBps, " +
  "uint256 minRebalanceInterval, uint256 cooldownRemaining, uint256 maxLossPerRebalance, uint256 lossBudgetRemaining, " +
  `uint256 turnoverRemaining, ${ASSET_STATE}[] assets)`;

export const VAULT_ABI = parseAbi([
  `function rebalance(${TRADE}[] trades, uint256 expectedNonce, uint256 deadline)`,
  `function rebalanceBounds() view returns (${BOUNDS})`,
  "function shouldDeleverage() view returns (bool due, uint8 reason)",
  "function deleverage() returns (uint256 soldValue, uint256 bounty)",
]);

/** Errors the keeper knows how to react to (names shared by the mock vault and the real vault). */
export const VAULT_ERRORS = parseAbi([
  "error RebalanceNonceMismatch(uint256 expected, uint256 actual)",
  "error TradeAboveCap(uint256 index, uint256 value, uint256 cap)",
  "error DeadlinePassed(uint256 deadline, uint256 timestamp)",
  "error RebalancePaused()",
  "error DeleverageNotDue(uint256 leverage, uint256 ripcord)",
  "error NonceMismatch(uint256 expected, uint256 actual)",
  "error AmountTooLarge(uint256 amount, uint256 cap)",
]);

export const AGGREGATOR_ABI = parseAbi([
  "function decimals() view returns (uint8)",
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
  "function getRoundData(uint80 roundId) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
]);

/** Adds the custom errors of compiled Hardhat artifacts (if the files exist) to the known errors. */
export function loadArtifactErrors(paths: readonly string[]): Abi {
  const items: AbiItem[] = [...VAULT_ERRORS];
  const seen = new Set<string>(VAULT_ERRORS.map((e) => e.name));
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const artifact = JSON.parse(readFileSync(p, "utf8")) as { abi?: AbiItem[] };
    for (const item of artifact.abi ?? []) {
      if (item.type === "error" && !seen.has(item.name)) {
        seen.add(item.name);
        items.push(item);
      }
    }
  }
  return items;
}
