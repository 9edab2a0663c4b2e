/**
 * Keeper configuration: one JSON file plus environment variables, validated with zod. Every
 * mistake becomes a message naming the field and the fix. Secrets never come from the file.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { isAddress, getAddress, type Address } from "viem";

const address = z
  .string({ error: "expected a 0x-prefixed 20-byte hex address" })
  .refine((s) => isAddress(s, { strict: false }), { message: "not a valid address" })
  .transform((s) => getAddress(s) as Address);

const loopbackHosts = ["127.0.0.1", "::1", "localhost"] as const;

export const ConfigSchema = z
  .object({
    chainId: z.number().int().positive(),
    rpcUrls: z.array(z.url({ protocol: /^https?$/ })).min(1),
    vault: address,
    asset: z.object({ address, decimals: z.number().int().min(0).max(18) }),
    /** risk-asset token -> Chainlink aggregator */
    feeds: z
      .record(z.string(), address)
      .refine((r) => Object.keys(r).every((k) => isAddress(k, { strict: false })), {
        message: "every key must be a token address",
      })
      .transform(
        (r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [getAddress(k), v])) as Record<
            Address,
            Address
          >,
      ),
    swap: z.object({ adapter: address, feeTier: z.number().int().positive().default(3000) }),
    historyDays: z.number().int().min(10).max(2000).default(90),
    pollIntervalMs: z.number().int().min(50).default(12_000),
    confirmations: z.number().int().min(0).max(64).default(1),
    deadlineSeconds: z.number().int().min(30).default(600),
    slippageBps: z.number().int().min(0).max(1000).default(30),
    minTradeValue: z.number().nonnegative().default(10),
    autoDeleverage: z.boolean().default(true),
    fees: z
      .object({
        maxFeePerGasGwei: z.number().positive().default(200),
        maxPriorityFeePerGasGwei: z.number().nonnegative().default(3),
        bumpPercent: z.number().int().min(10).max(200).default(20),
        stuckAfterMs: z.number().int().min(100).default(60_000),
        maxReplacements: z.number().int().min(0).max(20).default(5),
        gasLimitMultiplier: z.number().min(1).max(3).default(1.2),
      })
      .prefault({}),
    rpc: z
      .object({
        timeoutMs: z.number().int().min(100).default(10_000),
        retryCount: z.number().int().min(0).max(10).default(2),
        retryDelayMs: z.number().int().min(0).default(150),
        multicall: z.boolean().default(true),
      })
      .prefault({}),
    database: z.string().min(1).default("./keeper.sqlite"),
    metrics: z
      .object({
        enabled: z.boolean().default(true),
        host: z.enum(loopbackHosts).default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(9464),
      })
      .prefault({}),
    keystore: z.string().min(1).optional(),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    strategy: z
      .object({
        volTarget: z.number().positive().max(5).default(0.15),
        lookbackDays: z.number().int().min(10).default(60),
        halfLifeDays: z.number().positive().default(30),
        riskBudgets: z.record(z.string(), z.number().positive()).optional(),
        margin: z.number().gt(0).max(1).default(0.9),
      })
      .prefault({}),
    /** Protective-put overlay (keeper/strategy planOverlay); off when absent. */
    options: z
      .object({
        adapter: address,
        venue: address,
        volatilityOracle: address,
        /** Underlyings to protect (token addresses, each a vault asset); default: every vault asset. */
        underlyings: z.array(address).min(1).optional(),
        /** Annual risk-free rate the planner prices with (the reference venue prices at 0). */
        rate: z.number().min(0).max(1).default(0),
        /** Keep net delta (spot + options) per underlying on the risk-parity target (planDeltaHedge). */
        deltaHedge: z.boolean().default(true),
        overlay: z
          .object({
            putDelta: z.number().gt(0).lt(1),
            tenorDays: z.number().int().min(1).max(730),
            rollBeforeDays: z.number().min(0),
            rollAboveAbsDelta: z.number().gt(0).lt(1),
            hedgeRatio: z.number().min(0).max(1),
            premiumBudgetBps: z.number().int().min(0).max(10_000),
            safetyMarginBps: z.number().int().min(0).max(5_000),
            premiumSlippageBps: z.number().int().min(0).max(5_000),
            expiryMarginSeconds: z.number().int().min(0),
            expiryGridSeconds: z.number().int().min(1),
            strikeSignificantDigits: z.number().int().min(1).max(15),
            amountTolerance: z.number().min(0).max(1),
            trimTolerance: z.number().min(0),
            laneDeltaTolerance: z.number().min(0).max(1),
            hedgeBandFraction: z.number().min(0).max(1),
            minOrderNotionalUsd: z.number().nonnegative(),
            maxVega: z.number().positive(),
            maxDollarGamma: z.number().positive(),
          })
          .partial()
          .strict()
          .default({}),
      })
      .strict()
      .optional(),
    /**
     * Yield leg of the options strategy (docs/options.md, "Yield leg"): hold the option venue's
     * LP share (a vault asset) at a fixed weight outside the risk-parity solve. Absent: the keeper
     * as before. `enabled: false` (the default): weight 0, i.e. a share the vault holds is kept
     * out of the risk solve and unwound as the pool allows.
     */
    yieldLeg: z
      .object({
        enabled: z.boolean().default(false),
        /** The pool share token (the venue address; registered on the vault by deploy/yield.ts). */
        token: address,
        /** The ERC4626SwapAdapter the vault trades the share through. */
        adapter: address,
        targetWeightBps: z.number().int().min(0).max(9_999),
        maxWeightBps: z.number().int().min(0).max(9_999).default(2_500),
      })
      .strict()
      .optional(),
  })
  .strict();

export type KeeperConfig = z.output<typeof ConfigSchema>;

/** How to fix each field, by its dotted path (first matching prefix wins). */
const FIXES: [string, string][] = [
  [
    "chainId",
    'set "chainId" to the chain\'s numeric id, e.g. 1 for Ethereum mainnet or 31337 for a local node',
  ],
  [
    "rpcUrls",
    'set "rpcUrls" to a non-empty list of http(s) URLs, or set KEEPER_RPC_URLS="https://a,https://b"',
  ],
  ["vault", 'set "vault" to the vault\'s checksummed address (or KEEPER_VAULT)'],
  ["asset", 'set "asset": {"address": "0x…", "decimals": 6} for the vault\'s stablecoin'],
  ["feeds", 'set "feeds": {"<token address>": "<Chainlink aggregator address>"} for every risk asset'],
  ["swap", 'set "swap": {"adapter": "0x…", "feeTier": 3000} (the swap adapter the vault trusts)'],
  ["historyDays", 'set "historyDays" to an integer between 10 and 2000'],
  ["pollIntervalMs", 'set "pollIntervalMs" to an integer of at least 50 (milliseconds)'],
  ["confirmations", 'set "confirmations" to an integer between 0 and 64'],
  ["deadlineSeconds", 'set "deadlineSeconds" to an integer of at least 30'],
  ["slippageBps", 'set "slippageBps" to an integer between 0 and 1000 (basis points)'],
  ["fees.maxFeePerGasGwei", 'set "fees.maxFeePerGasGwei" to a positive number of gwei, e.g. 200'],
  [
    "fees.bumpPercent",
    'set "fees.bumpPercent" to an integer between 10 and 200 (nodes reject bumps under 10%)',
  ],
  ["fees", 'see the "fees" section of docs/keeper.md for valid values'],
  ["rpc", 'see the "rpc" section of docs/keeper.md for valid values'],
  [
    "metrics.host",
    'set "metrics.host" to "127.0.0.1", "::1" or "localhost": the endpoint must stay on loopback',
  ],
  ["metrics", 'set "metrics.port" to an integer between 0 and 65535'],
  ["database", 'set "database" to a file path for the SQLite store (or KEEPER_DB)'],
  ["logLevel", 'set "logLevel" to one of fatal, error, warn, info, debug, trace, silent'],
  ["strategy", 'see the "strategy" section of docs/keeper.md for valid values'],
  [
    "options",
    'see the "options" section of docs/keeper.md: {"adapter", "venue", "volatilityOracle"} addresses and optional "overlay" parameters',
  ],
  [
    "yieldLeg",
    'set "yieldLeg": {"enabled": true, "token": "0x… (pool share)", "adapter": "0x… (ERC4626SwapAdapter)", "targetWeightBps": 1000, "maxWeightBps": 2500} (see docs/options.md, "Yield leg")',
  ],
];

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid keeper configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

function fixFor(path: string): string {
  for (const [prefix, fix] of FIXES) if (path === prefix || path.startsWith(prefix + ".")) return fix;
  return "remove it or correct it as described in docs/keeper.md";
}

const SECRET_KEY = /(private.?key|mnemonic|seed|secret|password|passphrase)/i;
const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/;

/** Finds anything that looks like a secret in the file: secret-named keys or 32-byte hex strings. */
export function findSecrets(value: unknown, path = ""): string[] {
  const found: string[] = [];
  if (typeof value === "string") {
    if (HEX32.test(value.trim())) found.push(path || "(root)");
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => found.push(...findSecrets(v, `${path}[${i}]`)));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (SECRET_KEY.test(k)) found.push(p);
      else found.push(...findSecrets(v, p));
    }
  }
  return found;
}

/** Environment overrides (non-secret ones); secrets are read by keystore.ts. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  if (env.KEEPER_RPC_URLS)
    out.rpcUrls = env.KEEPER_RPC_URLS.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.KEEPER_VAULT) out.vault = env.KEEPER_VAULT;
  if (env.KEEPER_DB) out.database = env.KEEPER_DB;
  if (env.KEEPER_KEYSTORE) out.keystore = env.KEEPER_KEYSTORE;
  if (env.KEEPER_LOG_LEVEL) out.logLevel = env.KEEPER_LOG_LEVEL;
  if (env.KEEPER_CHAIN_ID) out.chainId = Number(env.KEEPER_CHAIN_ID);
  if (env.KEEPER_METRICS_PORT) {
    out.metrics = { ...((raw.metrics as object | undefined) ?? {}), port: Number(env.KEEPER_METRICS_PORT) };
  }
  return out;
}

/** Validates an already-parsed object (+ env). Throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = {}): KeeperConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError([
      "(root): the configuration must be a JSON object; start from keeper.config.example.json",
    ]);
  }
  const secrets = findSecrets(raw);
  if (secrets.length > 0) {
    throw new ConfigError(
      secrets.map(
        (p) =>
          `${p}: looks like a secret (private key, mnemonic or password). Fix: delete it from the file; ` +
          'give the key via the KEEPER_PRIVATE_KEY environment variable or an encrypted keystore ("keystore" + KEEPER_KEYSTORE_PASSWORD)',
      ),
    );
  }
  const result = ConfigSchema.safeParse(applyEnv(raw as Record<string, unknown>, env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(root)";
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.join(", ");
      return `${path === "(root)" ? "" : path + "."}${keys}: unknown field. Fix: remove it or check its spelling against docs/keeper.md`;
    }
    const field = issue.path.length === 0 ? "(root)" : path;
    return `${field}: ${issue.message}. Fix: ${fixFor(field)}`;
  });
  throw new ConfigError(problems);
}

/** Reads and validates the config file at `path`. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): KeeperConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError([
      `(file) ${path}: cannot read it (${(e as Error).message}). Fix: pass --config <path> to an existing JSON file`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([
      `(file) ${path}: not valid JSON (${(e as Error).message}). Fix: correct the JSON syntax`,
    ]);
  }
  return parseConfig(raw, env);
}
