/** Wiring: builds the client, store, signer, sender, planner and service from a config. */
import type { Logger } from "pino";
import { loadArtifactErrors } from "./abi.ts";
import { createChainClient } from "./chain.ts";
import type { KeeperConfig } from "./config.ts";
import { loadAccount } from "./keystore.ts";
import { createLogger, secretVariants } from "./log.ts";
import { KeeperMetrics } from "./metrics.ts";
import { Sender } from "./sender.ts";
import { KeeperService } from "./service.ts";
import { Store } from "./store.ts";
import { createPlanner } from "./strategy.ts";
import type { Planner } from "./ports.ts";
import { yieldLegParams } from "./yield.ts";

const GWEI = 1_000_000_000;

export const ARTIFACT_ERROR_PATHS = [
  "artifacts/contracts/RiskParityVault.sol/RiskParityVault.json",
  "artifacts/contracts/test/MockRiskParityVault.sol/MockRiskParityVault.json",
  // The yield leg's adapter: decodes e.g. ERC4626AdapterRedeemLimited in failed simulations.
  "artifacts/contracts/adapters/ERC4626SwapAdapter.sol/ERC4626SwapAdapter.json",
  "artifacts/contracts/adapters/OptionVenueAdapter.sol/OptionVenueAdapter.json",
  "artifacts/contracts/options/OptionVenue.sol/OptionVenue.json",
];

export interface App {
  config: KeeperConfig;
  service: KeeperService;
  store: Store;
  metrics: KeeperMetrics;
  logger: Logger;
  sender: Sender | undefined;
  close(): void;
}

export function buildApp(
  config: KeeperConfig,
  opts: {
    env?: NodeJS.ProcessEnv;
    requireSigner?: boolean;
    logDestination?: NodeJS.WritableStream;
    planner?: Planner;
    defaultMetrics?: boolean;
  } = {},
): App {
  const env = opts.env ?? process.env;
  const secrets = secretVariants(env.KEEPER_PRIVATE_KEY);
  if (env.KEEPER_KEYSTORE_PASSWORD) secrets.push(env.KEEPER_KEYSTORE_PASSWORD);
  const logger = createLogger(config.logLevel, opts.logDestination as never, {
    values: secrets,
    urls: config.rpcUrls,
  });
  const metrics = new KeeperMetrics({ defaultMetrics: opts.defaultMetrics ?? false });
  const client = createChainClient(
    {
      chainId: config.chainId,
      rpcUrls: config.rpcUrls,
      timeoutMs: config.rpc.timeoutMs,
      retryCount: config.rpc.retryCount,
      retryDelayMs: config.rpc.retryDelayMs,
      pollIntervalMs: config.pollIntervalMs,
    },
    metrics,
  );
  const store = new Store(config.database);
  const account = loadAccount(env, config.keystore);
  if (opts.requireSigner && !account)
    throw new Error(
      'this command sends transactions: set KEEPER_PRIVATE_KEY or configure "keystore" and KEEPER_KEYSTORE_PASSWORD',
    );
  const errorAbi = loadArtifactErrors(ARTIFACT_ERROR_PATHS);
  const sender = account
    ? new Sender({
        client,
        account,
        store,
        logger,
        metrics,
        options: {
          chainId: config.chainId,
          confirmations: config.confirmations,
          maxFeePerGas: BigInt(Math.round(config.fees.maxFeePerGasGwei * GWEI)),
          maxPriorityFeePerGas: BigInt(Math.round(config.fees.maxPriorityFeePerGasGwei * GWEI)),
          bumpPercent: config.fees.bumpPercent,
          stuckAfterMs: config.fees.stuckAfterMs,
          maxReplacements: config.fees.maxReplacements,
          gasLimitMultiplier: config.fees.gasLimitMultiplier,
          pollMs: Math.min(1000, Math.max(25, Math.floor(config.pollIntervalMs / 4))),
          maxWaitMs: Math.max(config.fees.stuckAfterMs * (config.fees.maxReplacements + 2), 60_000),
          errorAbi,
        },
      })
    : undefined;
  const yieldLeg = yieldLegParams(config);
  const planner =
    opts.planner ??
    createPlanner({
      volTarget: config.strategy.volTarget,
      lookbackDays: config.strategy.lookbackDays,
      halfLifeDays: config.strategy.halfLifeDays,
      ...(config.strategy.riskBudgets ? { riskBudgets: config.strategy.riskBudgets } : {}),
      margin: config.strategy.margin,
      minTradeValue: config.minTradeValue,
      slippageBps: config.slippageBps,
      ...(yieldLeg ? { yieldLeg } : {}),
    });
  const service = new KeeperService({
    config,
    client,
    store,
    planner,
    metrics,
    logger,
    errorAbi,
    ...(sender ? { sender } : {}),
  });
  return { config, service, store, metrics, logger, sender, close: () => store.close() };
}
