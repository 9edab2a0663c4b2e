/**
 * Option overlay at the chain edge: reads what `planOverlay` (keeper/strategy) needs through viem
 * (the adapter's option book and guard parameters, the venue's spot and pricing, the volatility
 * oracle, the vault's holdings and value) and turns a plan into vault calls (closes, then opens;
 * `vault.closeOption(adapter, id, amount, minProceeds)` / `vault.openOption(adapter, order)`).
 * Sending is the caller's: each call is handed over as calldata (the keeper's Sender, or a test's
 * signer). The end of an option's life is here too (`planLifecycle`, `lifecycleCalls`): expired
 * series are settled through the adapter with the first Chainlink round at or after expiry
 * (`adapter.settle(id, roundId)`, anyone may call; the payout is held by the adapter as
 * `pendingPayout`), then collected into the vault's books with `vault.closeOption(adapter, 0, 0,
 * pendingPayout)` (a close of amount 0 only releases held payouts; the vault books the balance it
 * receives).
 */
import { encodeFunctionData, parseAbi, type Address, type Hex, type PublicClient } from "viem";
import { findSettlementRound } from "./history.ts";
import type { Store } from "./store.ts";
import {
  fromUnits,
  toOnChainOrder,
  toUnitsDown,
  type HeldOption,
  type OptionGuardsF,
  type OverlayConfig,
  type OverlayInput,
  type OverlayPlan,
  type UnderlyingMarketF,
} from "../strategy/index.ts";

export const OPTION_VAULT_ABI = parseAbi([
  "function openOption(address adapter, (address underlying, bool isCall, uint256 strike, uint64 expiry, uint256 amount, uint256 maxPremium) order) returns (uint256 seriesId, uint256 premiumPaid)",
  "function closeOption(address adapter, uint256 seriesId, uint256 amount, uint256 minProceeds) returns (uint256 proceeds)",
  "function trackedBalance(address token) view returns (uint256)",
  "function totalAssets() view returns (uint256)",
]);

export const OPTION_ADAPTER_ABI = parseAbi([
  "function openSeries() view returns (uint256[])",
  "function guardParams() view returns ((uint16 premiumBudgetBps, uint32 premiumWindow, uint16 minExpiryDays, uint16 maxExpiryDays, uint16 strikeBandBps, uint8 maxOpenSeries))",
  "function notionalCap(address underlying) view returns (uint256)",
  "function premiumUsed() view returns (uint256)",
  "function realAssets() view returns (uint256)",
  "function pendingPayout() view returns (uint256)",
  "function settle(uint256 seriesId, uint80 roundId) returns (uint256 payout)",
]);

export const OPTION_VENUE_ABI = parseAbi([
  "function series(uint256 id) view returns ((address underlying, bool isCall, bool settled, uint64 expiry, uint256 strike, uint256 openInterest, uint256 locked, uint256 settlementPrice, uint256 payoutPerOption, uint256 owed))",
  "function spotPrice(address underlying) view returns (uint256)",
  "function balanceOf(address account, uint256 id) view returns (uint256)",
  "function spreadBps() view returns (uint16)",
  "function minPremiumBps() view returns (uint16)",
  "function feedConfig(address underlying) view returns ((address feed, uint32 heartbeat, uint8 decimals, uint64 minPrice, uint64 maxPrice))",
  "function callCapRatio() view returns (uint256)",
]);

export const VOLATILITY_ORACLE_ABI = parseAbi([
  "function getVolatility(address underlying) view returns (uint256)",
]);

export interface OptionUnderlying {
  /** Key used in the plan (e.g. "WETH"); the token address when no name is configured. */
  name: string;
  address: Address;
  decimals: number;
}

export interface OptionChainConfig {
  vault: Address;
  adapter: Address;
  venue: Address;
  volatilityOracle: Address;
  /** Decimals of the vault's asset (6 for USDC). */
  assetDecimals: number;
  underlyings: readonly OptionUnderlying[];
  /** Risk-free rate the planner prices with (the venue prices at 0). */
  rate?: number;
  overlay?: Partial<OverlayConfig>;
}

/** The planner's input plus the exact on-chain balances of the held series (for full closes). */
export interface OptionChainState {
  input: OverlayInput;
  /** seriesId (decimal string) -> adapter balance, 18 decimals. */
  balances: Map<string, bigint>;
}

/** Reads everything planOverlay needs at one block. */
export async function readOptionState(
  client: PublicClient,
  cfg: OptionChainConfig,
  blockNumber?: bigint,
): Promise<OptionChainState> {
  const block =
    blockNumber === undefined
      ? await client.getBlock({ blockTag: "latest" })
      : await client.getBlock({ blockNumber });
  const at = { blockNumber: block.number };
  const nameOf = new Map(cfg.underlyings.map((u) => [u.address.toLowerCase(), u.name]));

  const market: Record<string, UnderlyingMarketF> = {};
  const holdings: Record<string, number> = {};
  const caps: Record<string, number> = {};
  await Promise.all(
    cfg.underlyings.map(async (u) => {
      const [spot, vol, held, cap] = await Promise.all([
        client.readContract({
          ...at,
          address: cfg.venue,
          abi: OPTION_VENUE_ABI,
          functionName: "spotPrice",
          args: [u.address],
        }),
        client.readContract({
          ...at,
          address: cfg.volatilityOracle,
          abi: VOLATILITY_ORACLE_ABI,
          functionName: "getVolatility",
          args: [u.address],
        }),
        client.readContract({
          ...at,
          address: cfg.vault,
          abi: OPTION_VAULT_ABI,
          functionName: "trackedBalance",
          args: [u.address],
        }),
        client.readContract({
          ...at,
          address: cfg.adapter,
          abi: OPTION_ADAPTER_ABI,
          functionName: "notionalCap",
          args: [u.address],
        }),
      ]);
      market[u.name] = { spot: fromUnits(spot, 18), volatility: fromUnits(vol, 18) };
      holdings[u.name] = fromUnits(held, u.decimals);
      caps[u.name] = fromUnits(cap, cfg.assetDecimals);
    }),
  );

  const [ids, gp, used, total, spreadBps, minPremiumBps] = await Promise.all([
    client.readContract({ ...at, address: cfg.adapter, abi: OPTION_ADAPTER_ABI, functionName: "openSeries" }),
    client.readContract({
      ...at,
      address: cfg.adapter,
      abi: OPTION_ADAPTER_ABI,
      functionName: "guardParams",
    }),
    client.readContract({
      ...at,
      address: cfg.adapter,
      abi: OPTION_ADAPTER_ABI,
      functionName: "premiumUsed",
    }),
    client.readContract({ ...at, address: cfg.vault, abi: OPTION_VAULT_ABI, functionName: "totalAssets" }),
    client.readContract({ ...at, address: cfg.venue, abi: OPTION_VENUE_ABI, functionName: "spreadBps" }),
    client.readContract({ ...at, address: cfg.venue, abi: OPTION_VENUE_ABI, functionName: "minPremiumBps" }),
  ]);

  const balances = new Map<string, bigint>();
  const book: HeldOption[] = (await readHeldSeries(client, at, cfg, ids, nameOf)).map(({ id, bal, held }) => {
    balances.set(id.toString(), bal);
    return held;
  });

  const guards: OptionGuardsF = {
    premiumBudgetBps: gp.premiumBudgetBps,
    premiumWindow: gp.premiumWindow,
    minExpiryDays: gp.minExpiryDays,
    maxExpiryDays: gp.maxExpiryDays,
    strikeBandBps: gp.strikeBandBps,
    maxOpenSeries: gp.maxOpenSeries,
    notionalCapUsd: caps,
    premiumUsed: fromUnits(used, cfg.assetDecimals),
  };
  const input: OverlayInput = {
    now: Number(block.timestamp),
    vaultValue: fromUnits(total, cfg.assetDecimals),
    holdings,
    market,
    book,
    guards,
    venue: { spreadBps, minPremiumBps, rate: cfg.rate ?? 0 },
    ...(cfg.overlay ? { config: cfg.overlay } : {}),
  };
  return { input, balances };
}

/**
 * The venue's series and the adapter's balance of each id, at one block, with the holding as a
 * `HeldOption` (underlying named by `nameOf` when known, else its address; 18-decimal strike and
 * amount).
 */
async function readHeldSeries(
  client: PublicClient,
  at: { blockNumber: bigint },
  cfg: Pick<OptionChainConfig, "adapter" | "venue">,
  ids: readonly bigint[],
  nameOf: ReadonlyMap<string, string>,
) {
  return Promise.all(
    ids.map(async (id) => {
      const [s, bal] = await Promise.all([
        client.readContract({
          ...at,
          address: cfg.venue,
          abi: OPTION_VENUE_ABI,
          functionName: "series",
          args: [id],
        }),
        client.readContract({
          ...at,
          address: cfg.venue,
          abi: OPTION_VENUE_ABI,
          functionName: "balanceOf",
          args: [cfg.adapter, id],
        }),
      ]);
      const held: HeldOption = {
        seriesId: id.toString(),
        underlying: nameOf.get(s.underlying.toLowerCase()) ?? s.underlying,
        type: s.isCall ? "call" : "put",
        strike: fromUnits(s.strike, 18),
        expiry: Number(s.expiry),
        amount: fromUnits(bal, 18),
      };
      return { id, s, bal, held };
    }),
  );
}

/** One vault call of an overlay plan, ready to send (calldata to the vault). */
export interface OptionCall {
  kind: "option-close" | "option-open";
  to: Address;
  data: Hex;
  seriesId?: bigint;
  /** Opens: the most the vault may pay (asset units). */
  maxPremium?: bigint;
  /** Closes: the least the vault accepts (asset units). */
  minProceeds?: bigint;
  detail: string;
}

/**
 * The plan's closes then opens as vault calls. A close of (nearly) the whole held amount sells the
 * exact on-chain balance; a partial one rounds down; minProceeds and maxPremium round down.
 */
export function overlayCalls(
  plan: OverlayPlan,
  balances: ReadonlyMap<string, bigint>,
  cfg: Pick<OptionChainConfig, "vault" | "adapter" | "assetDecimals" | "underlyings">,
): OptionCall[] {
  const addrOf = new Map(cfg.underlyings.map((u) => [u.name, u.address]));
  const calls: OptionCall[] = [];
  for (const c of plan.closes) {
    const balance = balances.get(c.seriesId);
    if (balance === undefined) throw new Error(`close of series ${c.seriesId} not held by the adapter`);
    const amount = c.amount >= fromUnits(balance, 18) * (1 - 1e-12) ? balance : toUnitsDown(c.amount, 18);
    const minProceeds = toUnitsDown(c.minProceeds, cfg.assetDecimals);
    const seriesId = BigInt(c.seriesId);
    calls.push({
      kind: "option-close",
      to: cfg.vault,
      data: encodeFunctionData({
        abi: OPTION_VAULT_ABI,
        functionName: "closeOption",
        args: [cfg.adapter, seriesId, amount, minProceeds],
      }),
      seriesId,
      minProceeds,
      detail: `close ${c.underlying} ${c.seriesId} amount ${c.amount} (${c.reason})`,
    });
  }
  for (const o of plan.opens) {
    const order = toOnChainOrder(o, cfg.assetDecimals, (u) => addrOf.get(u) ?? u);
    calls.push({
      kind: "option-open",
      to: cfg.vault,
      data: encodeFunctionData({
        abi: OPTION_VAULT_ABI,
        functionName: "openOption",
        args: [
          cfg.adapter,
          {
            underlying: order.underlying as Address,
            isCall: order.isCall,
            strike: order.strike,
            expiry: order.expiry,
            amount: order.amount,
            maxPremium: order.maxPremium,
          },
        ],
      }),
      maxPremium: order.maxPremium,
      detail: `open ${o.isCall ? "call" : "put"} ${o.underlying} strike ${o.strike} amount ${o.amount} (${o.reason})`,
    });
  }
  return calls;
}

/** Sends the plan's calls in order through `send`; stops at the first call `send` reports failed. */
export async function executeOverlay(
  plan: OverlayPlan,
  balances: ReadonlyMap<string, bigint>,
  cfg: Pick<OptionChainConfig, "vault" | "adapter" | "assetDecimals" | "underlyings">,
  send: (call: OptionCall) => Promise<boolean>,
): Promise<{ sent: number; failed: OptionCall | undefined }> {
  let sent = 0;
  for (const call of overlayCalls(plan, balances, cfg)) {
    if (!(await send(call))) return { sent, failed: call };
    sent++;
  }
  return { sent, failed: undefined };
}

// ------------------------------------------------------------------------- settle and collect

/** An expired series the adapter holds, and how the keeper settles it. */
export interface SettleAction extends HeldOption {
  /** Someone already settled it on the venue: the adapter only redeems (round id not checked). */
  alreadySettled: boolean;
  /** First round of the venue's feed at or after expiry (0 when already settled). */
  roundId?: bigint;
  roundUpdatedAt?: number;
  /** Settlement price (USD per token) of that round, or the venue's when already settled. */
  settlementPrice?: number;
  /** Payout expected for the adapter's whole balance, USD. */
  expectedPayout?: number;
  /** Why it cannot be settled now (no round after expiry yet, walk bound reached, ...). */
  error?: string;
}

export interface LifecyclePlan {
  /** Unix seconds of the block read. */
  now: number;
  settles: SettleAction[];
  /** adapter.pendingPayout() now (asset units): payouts settled but not yet collected. */
  pendingPayout: bigint;
  /** Expected to collect after the settles (pending + expected payouts), USD. */
  expectedCollect: number;
}

/**
 * Expired series the adapter holds (expiry <= the block's time, balance > 0), each with the round
 * to settle on (found by walking the venue's feed back from its latest round, bounded), and the
 * payouts the adapter already holds. Reads only what does not need a live spot price.
 */
export async function planLifecycle(
  client: PublicClient,
  store: Store,
  cfg: Pick<OptionChainConfig, "adapter" | "venue" | "assetDecimals" | "underlyings">,
  opts: { maxRounds?: number; multicall?: boolean; blockNumber?: bigint } = {},
): Promise<LifecyclePlan> {
  const block =
    opts.blockNumber === undefined
      ? await client.getBlock({ blockTag: "latest" })
      : await client.getBlock({ blockNumber: opts.blockNumber });
  const at = { blockNumber: block.number };
  const now = Number(block.timestamp);
  const nameOf = new Map(cfg.underlyings.map((u) => [u.address.toLowerCase(), u.name]));
  const [ids, pending] = await Promise.all([
    client.readContract({ ...at, address: cfg.adapter, abi: OPTION_ADAPTER_ABI, functionName: "openSeries" }),
    client.readContract({
      ...at,
      address: cfg.adapter,
      abi: OPTION_ADAPTER_ABI,
      functionName: "pendingPayout",
    }),
  ]);
  const series = await readHeldSeries(client, at, cfg, ids, nameOf);
  const settles: SettleAction[] = [];
  let capRatio: number | undefined;
  for (const { s, held: base } of series) {
    if (Number(s.expiry) > now) continue;
    const { amount, strike } = base;
    if (s.settled) {
      settles.push({
        ...base,
        alreadySettled: true,
        roundId: 0n,
        settlementPrice: fromUnits(s.settlementPrice, 18),
        expectedPayout: fromUnits(s.payoutPerOption, 18) * amount,
      });
      continue;
    }
    try {
      const feed = await client.readContract({
        ...at,
        address: cfg.venue,
        abi: OPTION_VENUE_ABI,
        functionName: "feedConfig",
        args: [s.underlying],
      });
      const round = await findSettlementRound(client, store, feed.feed, Number(s.expiry), now, opts);
      const price = fromUnits(round.answer, feed.decimals);
      let perOption = s.isCall ? Math.max(price - strike, 0) : Math.max(strike - price, 0);
      if (s.isCall) {
        capRatio ??= fromUnits(
          await client.readContract({
            ...at,
            address: cfg.venue,
            abi: OPTION_VENUE_ABI,
            functionName: "callCapRatio",
          }),
          18,
        );
        perOption = Math.min(perOption, strike * (capRatio - 1));
      }
      settles.push({
        ...base,
        alreadySettled: false,
        roundId: round.roundId,
        roundUpdatedAt: round.updatedAt,
        settlementPrice: price,
        expectedPayout: perOption * amount,
      });
    } catch (e) {
      settles.push({ ...base, alreadySettled: false, error: (e as Error).message });
    }
  }
  const pendingUsd = fromUnits(pending, cfg.assetDecimals);
  return {
    now,
    settles,
    pendingPayout: pending,
    expectedCollect: pendingUsd + settles.reduce((t, x) => t + (x.error ? 0 : (x.expectedPayout ?? 0)), 0),
  };
}

/** `adapter.settle(seriesId, roundId)` for a settle action that has its round. */
export function settleCall(
  a: SettleAction,
  cfg: Pick<OptionChainConfig, "adapter">,
): OptionLifecycleCall | undefined {
  if (a.error !== undefined || a.roundId === undefined) return undefined;
  const seriesId = BigInt(a.seriesId);
  return {
    kind: "option-settle",
    to: cfg.adapter,
    data: encodeFunctionData({
      abi: OPTION_ADAPTER_ABI,
      functionName: "settle",
      args: [seriesId, a.roundId],
    }),
    seriesId,
    detail: `settle ${a.underlying} ${a.seriesId} with round ${a.roundId}${a.alreadySettled ? " (already settled on the venue: redeem only)" : ""}`,
  };
}

/**
 * `vault.closeOption(adapter, 0, 0, amount)`: collects the payouts the adapter holds into the vault
 * (which books the balance it receives as idle); `amount` is the adapter's pendingPayout, so the
 * vault refuses to receive less.
 */
export function collectCall(
  amount: bigint,
  cfg: Pick<OptionChainConfig, "vault" | "adapter">,
): OptionLifecycleCall {
  return {
    kind: "option-collect",
    to: cfg.vault,
    data: encodeFunctionData({
      abi: OPTION_VAULT_ABI,
      functionName: "closeOption",
      args: [cfg.adapter, 0n, 0n, amount],
    }),
    minProceeds: amount,
    detail: `collect ${amount} asset units of settled payouts into the vault`,
  };
}

export interface OptionLifecycleCall {
  kind: "option-settle" | "option-collect";
  to: Address;
  data: Hex;
  seriesId?: bigint;
  minProceeds?: bigint;
  detail: string;
}

/** adapter.pendingPayout() now (asset units). */
export async function readPendingPayout(client: PublicClient, adapter: Address): Promise<bigint> {
  return client.readContract({ address: adapter, abi: OPTION_ADAPTER_ABI, functionName: "pendingPayout" });
}
