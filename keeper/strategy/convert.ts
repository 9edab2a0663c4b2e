/**
 * Edge conversions between the overlay's floats and the on-chain integers of
 * IOptionAdapter.OptionOrder (pure; the shell reads the chain and sends). Rounding: strike to the
 * nearest 18-decimal unit of its shortest decimal, amount and maxPremium DOWN (a smaller order never breaks a cap or the
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

/**
 * x (finite, >= 0) as an integer with `decimals` decimals, from the shortest decimal that
 * round-trips to x (what `String(x)` prints: 2611.7, not 2611.6999999999998181): `mode` "down"
 * truncates the extra digits, "nearest" rounds them half up.
 */
function toUnits(x: number, decimals: number, mode: "down" | "nearest"): bigint {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`toUnits: finite x >= 0, got ${x}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36)
    throw new RangeError(`toUnits: decimals 0..36, got ${decimals}`);
  const [mant = "0", expPart] = String(x).split("e");
  const [int = "0", frac = ""] = mant.split(".");
  const digits = int + frac;
  // value = digits x 10^(exp - frac.length); units = value x 10^decimals
  const shift = Number(expPart ?? 0) - frac.length + decimals;
  if (shift >= 0) return BigInt(digits) * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  const n = BigInt(digits);
  const q = n / div;
  if (mode === "down") return q;
  return (n % div) * 2n >= div ? q + 1n : q;
}

/** floor(x x 10^decimals), x read as its shortest round-trip decimal. */
export function toUnitsDown(x: number, decimals: number): bigint {
  return toUnits(x, decimals, "down");
}

/** round(x x 10^decimals), half up, x read as its shortest round-trip decimal. */
export function toUnitsNearest(x: number, decimals: number): bigint {
  return toUnits(x, decimals, "nearest");
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
