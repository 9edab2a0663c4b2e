/**
 * Edge conversions between the overlay's floats and the on-chain integers of
 * IOptionAdapter.OptionOrder (pure; the shell reads the chain and sends). Rounding: strike to the
 * nearest 18-decimal unit, amount and maxPremium DOWN (a smaller order never breaks a cap or the
 * premium budget the plan respected), expiry as given (whole seconds).
 */
import type { OptionOrderF } from "./overlay.ts";

/** IOptionAdapter.OptionOrder as the ABI encodes it. */
export interface OptionOrderOnChain {
  underlying: string;
  isCall: boolean;
  /** 18-decimal USD per whole underlying token. */
  strike: bigint;
  /** Unix seconds. */
  expiry: bigint;
  /** 18 decimals (1e18 = one option on one whole token). */
  amount: bigint;
  /** Asset units (e.g. 6 decimals for USDC). */
  maxPremium: bigint;
}

/** floor(x x 10^decimals) for a finite x >= 0 (exact decimal expansion of the double, truncated). */
export function toUnitsDown(x: number, decimals: number): bigint {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`toUnitsDown: finite x >= 0, got ${x}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36)
    throw new RangeError(`toUnitsDown: decimals 0..36, got ${decimals}`);
  const s = x.toFixed(Math.min(decimals + 3, 100));
  const [int, frac = ""] = s.split(".");
  return BigInt((int ?? "0") + frac.slice(0, decimals).padEnd(decimals, "0"));
}

/** round(x x 10^decimals). */
export function toUnitsNearest(x: number, decimals: number): bigint {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`toUnitsNearest: finite x >= 0, got ${x}`);
  const s = x.toFixed(Math.min(decimals, 100));
  const [int, frac = ""] = s.split(".");
  return BigInt((int ?? "0") + frac.padEnd(decimals, "0"));
}

/** Integer with `decimals` decimals to a float (exact up to 2^53 units, then nearest). */
export function fromUnits(x: bigint, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  const whole = x / scale;
  const rest = x % scale;
  return Number(whole) + Number(rest) / Number(scale);
}

/**
 * The on-chain order for a planned open. `addressOf` maps the plan's underlying key to the token
 * address (identity when the plan is keyed by address).
 */
export function toOnChainOrder(
  o: OptionOrderF,
  assetDecimals: number,
  addressOf: (underlying: string) => string = (u) => u,
): OptionOrderOnChain {
  return {
    underlying: addressOf(o.underlying),
    isCall: o.isCall,
    strike: toUnitsNearest(o.strike, 18),
    expiry: BigInt(Math.floor(o.expiry)),
    amount: toUnitsDown(o.amount, 18),
    maxPremium: toUnitsDown(o.maxPremium, assetDecimals),
  };
}
