/**
 * Deployment parameters, one entry per network. Everything a deployment decides (tokens, feeds,
 * pool tiers, liquidity, vault limits, roles and delays) is read from here; the modules in
 * `deploy/modules/` contain no numbers of their own. Addresses of real networks live in
 * `deploy/addresses/<network>.ts` with their sources.
 */
import { MAINNET } from "./addresses/mainnet.ts";

/** A risk token of the local world. `wrappedNative` marks WETH9 (deployed from `canonical-weth`). */
export interface LocalRiskToken {
  symbol: string;
  name: string;
  decimals: number;
  /** Initial USD price per whole token (feed and pool start here). */
  initialPrice: number;
  /** Uniswap V3 fee tier of its pool against the asset (100, 500, 3000, 10000). */
  poolFee: number;
  /** Largest vault weight, basis points. */
  maxWeightBps: number;
  /** Chainlink heartbeat the vault enforces, seconds. */
  heartbeat: number;
  wrappedNative?: boolean;
}

/** Vault limits, roles and delays, shared by every network's parameters. */
export interface VaultParameters {
  name: string;
  symbol: string;
  /** Leverage ladder, 18-decimal fixed point (1e18 = 1x): target <= max < ripcord. */
  targetLeverage: bigint;
  maxLeverage: bigint;
  ripcordLeverage: bigint;
  /** Keeper slippage allowance against the oracle, basis points. */
  maxSlippageBps: number;
  /** Per-trade cap, in basis points of total value. */
  maxTradeBps: number;
  /** Loss budget per rebalance, basis points of total value. */
  maxLossBps: number;
  /** Minimum seconds between rebalances. */
  minRebalanceInterval: number;
  /** Delay (seconds) before a risk-increasing parameter change takes effect. */
  riskIncreaseDelay: number;
  /** Entry/exit fee, basis points (at least the oracle deviation threshold). */
  entryExitFeeBps: number;
  /** Asset units the deployer seeds as first deposit (donation-attack defence). */
  seedDeposit: bigint;
  /** Management and performance fees, basis points (hard caps live in the vault). */
  managementFeeBps: number;
  performanceFeeBps: number;
  /** Feed sanity bounds: [initial / factor, initial * factor]. */
  feedBoundsFactor: number;
  /** Execution delay (seconds) of the admin role (applies where the admin is handed over). */
  adminDelay: number;
  /** Deposit cap in USD (converted to asset units at deployment); omitted: no cap. */
  depositCapUsd?: number;
  /** The rest of the vault's RiskLimits (contracts/libraries/VaultTypes.sol), same names. */
  limits: {
    deleverageSlippageBps: number;
    lossBudgetBps: number;
    /** Per-trade cap in USD (converted to asset units at deployment). */
    maxTradeValueUsd: number;
    window: number;
    deleverageCooldown: number;
    turnoverBps: number;
    deleverageChunkBps: number;
    deleverageBudgetBps: number;
    drawdownBps: number;
    bountyBps: number;
    maxBountyUsd: number;
  };
}

export interface LocalWorldParameters {
  network: "local";
  asset: { symbol: string; name: string; decimals: number; heartbeat: number };
  riskTokens: LocalRiskToken[];
  feedDecimals: number;
  /** USD of each side of the full-range position seeded into every pool. */
  poolLiquidityUsd: number;
  vault: VaultParameters;
}

export type MainnetTokenSymbol = keyof typeof MAINNET.tokens;

/** A risk token of the mainnet vault; address and feed come from `MAINNET` by symbol. */
export interface MainnetRiskToken {
  symbol: MainnetTokenSymbol;
  /** Uniswap V3 fee tier of its pool against USDC (the deleverage route). */
  poolFee: number;
  /** Largest vault weight, basis points. */
  maxWeightBps: number;
  /**
   * Sanity bounds of the feed, USD per whole token: outside them the vault treats the feed as
   * broken (risk-taking stops, exits continue). Widening them later is a delayed curator change.
   */
  minPriceUsd: number;
  maxPriceUsd: number;
}

export interface MainnetParameters {
  network: "mainnet";
  addresses: typeof MAINNET;
  /** The vault's asset (its feed and bounds; the address is `MAINNET.tokens[symbol]`). */
  asset: { symbol: MainnetTokenSymbol; minPriceUsd: number; maxPriceUsd: number };
  /**
   * Seconds added to each feed's published heartbeat (`MAINNET.feeds[*].heartbeat`) to get the
   * staleness limit the vault enforces: a round lands a little after its heartbeat, and a limit of
   * exactly the heartbeat would flag healthy feeds as stale for a few blocks every period.
   */
  heartbeatMargin: number;
  /** Symbols of `MAINNET.tokens` the vault holds as risk assets. */
  riskTokens: MainnetRiskToken[];
  vault: VaultParameters;
}

const vaultDefaults: VaultParameters = {
  name: "Risk Parity Vault USDC",
  symbol: "rpUSDC",
  targetLeverage: 10n ** 18n,
  maxLeverage: (12n * 10n ** 18n) / 10n,
  ripcordLeverage: (15n * 10n ** 18n) / 10n,
  maxSlippageBps: 100,
  maxTradeBps: 2_500,
  maxLossBps: 100,
  minRebalanceInterval: 6 * 3600,
  riskIncreaseDelay: 2 * 24 * 3600,
  entryExitFeeBps: 10,
  seedDeposit: 1_000_000n, // 1 USDC (6 decimals)
  managementFeeBps: 0,
  performanceFeeBps: 0,
  feedBoundsFactor: 1_000,
  adminDelay: 0,
  limits: {
    deleverageSlippageBps: 300,
    lossBudgetBps: 300,
    maxTradeValueUsd: 500_000,
    window: 86_400,
    deleverageCooldown: 3_600,
    turnoverBps: 10_000,
    deleverageChunkBps: 1_000,
    deleverageBudgetBps: 5_000,
    drawdownBps: 2_500,
    bountyBps: 10,
    maxBountyUsd: 1_000,
  },
};

/** The local world: a fresh Hardhat chain with every contract deployed by us. */
export const LOCAL: LocalWorldParameters = {
  network: "local",
  asset: { symbol: "USDC", name: "USD Coin (local)", decimals: 6, heartbeat: 86_400 },
  feedDecimals: 8,
  poolLiquidityUsd: 200_000_000,
  riskTokens: [
    {
      symbol: "WETH",
      name: "Wrapped Ether",
      decimals: 18,
      initialPrice: 3_000,
      poolFee: 3_000,
      maxWeightBps: 6_000,
      heartbeat: 3_600,
      wrappedNative: true,
    },
    {
      symbol: "WBTC",
      name: "Wrapped BTC (local)",
      decimals: 8,
      initialPrice: 60_000,
      poolFee: 3_000,
      maxWeightBps: 6_000,
      heartbeat: 3_600,
    },
    {
      symbol: "LINK",
      name: "ChainLink Token (local)",
      decimals: 18,
      initialPrice: 15,
      poolFee: 3_000,
      maxWeightBps: 4_000,
      heartbeat: 3_600,
    },
    {
      symbol: "UNI",
      name: "Uniswap (local)",
      decimals: 18,
      initialPrice: 8,
      poolFee: 3_000,
      maxWeightBps: 4_000,
      heartbeat: 3_600,
    },
  ],
  vault: vaultDefaults,
};

/**
 * Ethereum mainnet: real tokens, Chainlink feeds and the Uniswap V3 router. Stricter than the
 * local world where it matters for real money: a deposit cap for the launch and a one-day delay
 * on the admin role (which grants roles and sets fees); the role holders themselves are not here
 * but in the deployment's parameters file (see docs/deploy.md).
 */
export const MAINNET_PARAMETERS: MainnetParameters = {
  network: "mainnet",
  addresses: MAINNET,
  asset: { symbol: "USDC", minPriceUsd: 0.5, maxPriceUsd: 2 },
  heartbeatMargin: 600,
  riskTokens: [
    { symbol: "WETH", poolFee: 3_000, maxWeightBps: 6_000, minPriceUsd: 100, maxPriceUsd: 100_000 },
    { symbol: "WBTC", poolFee: 3_000, maxWeightBps: 6_000, minPriceUsd: 2_000, maxPriceUsd: 2_000_000 },
    { symbol: "LINK", poolFee: 3_000, maxWeightBps: 4_000, minPriceUsd: 0.5, maxPriceUsd: 1_000 },
    { symbol: "UNI", poolFee: 3_000, maxWeightBps: 4_000, minPriceUsd: 0.2, maxPriceUsd: 1_000 },
  ],
  vault: { ...vaultDefaults, adminDelay: 86_400, depositCapUsd: 1_000_000 },
};

export const PARAMETERS = { local: LOCAL, mainnet: MAINNET_PARAMETERS } as const;
export type NetworkName = keyof typeof PARAMETERS;

/**
 * The local world with a different set of risk tokens (the demo replays real price files for
 * whichever assets a folder holds): keeps the defaults of known symbols, invents 18-decimal
 * tokens for unknown ones, and sets every initial price.
 */
export function localWorldFor(assets: { symbol: string; initialPrice: number }[]): LocalWorldParameters {
  if (assets.length === 0) throw new Error("localWorldFor: at least one risk asset is required");
  const seen = new Set<string>();
  const riskTokens = assets.map(({ symbol, initialPrice }) => {
    if (seen.has(symbol)) throw new Error(`localWorldFor: duplicate symbol ${symbol}`);
    seen.add(symbol);
    const known = LOCAL.riskTokens.find((t) => t.symbol === symbol);
    const base: LocalRiskToken = known ?? {
      symbol,
      name: `${symbol} (local)`,
      decimals: 18,
      initialPrice,
      poolFee: 3_000,
      maxWeightBps: 4_000,
      heartbeat: 3_600,
    };
    return { ...base, initialPrice };
  });
  if (riskTokens.filter((t) => t.wrappedNative === true).length > 1)
    throw new Error("localWorldFor: one WETH at most");
  return { ...LOCAL, riskTokens };
}
