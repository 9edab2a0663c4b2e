/** Typed errors of the option math. Each carries the offending field and value. */

export type OptionInputErrorCode =
  "NOT_FINITE" | "NOT_POSITIVE" | "NEGATIVE" | "BAD_OPTION_TYPE" | "BAD_PARAMETER";

/** Thrown when an input is outside the domain of a pricing function. */
export class OptionInputError extends Error {
  readonly code: OptionInputErrorCode;
  readonly field: string;
  readonly value: unknown;
  constructor(code: OptionInputErrorCode, field: string, value: unknown, detail?: string) {
    super(`${field}: ${code}${detail === undefined ? "" : ` (${detail})`}, got ${String(value)}`);
    this.name = "OptionInputError";
    this.code = code;
    this.field = field;
    this.value = value;
  }
}

export type ImpliedVolatilityErrorCode = "PRICE_BELOW_INTRINSIC" | "PRICE_AT_OR_ABOVE_MAXIMUM";

/** Thrown when a price is outside the no-arbitrage bounds, so no volatility reproduces it. */
export class ImpliedVolatilityError extends Error {
  readonly code: ImpliedVolatilityErrorCode;
  readonly price: number;
  /** The violated bound, in the same (undiscounted-to-discounted) units as price. */
  readonly bound: number;
  constructor(code: ImpliedVolatilityErrorCode, price: number, bound: number) {
    super(
      code === "PRICE_BELOW_INTRINSIC"
        ? `price ${price} is below the discounted intrinsic value ${bound}`
        : `price ${price} is at or above the maximum ${bound} (the discounted forward for a call, strike for a put)`,
    );
    this.name = "ImpliedVolatilityError";
    this.code = code;
    this.price = price;
    this.bound = bound;
  }
}

export function requireFinite(field: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new OptionInputError("NOT_FINITE", field, value);
}

export function requirePositive(field: string, value: number): void {
  requireFinite(field, value);
  if (!(value > 0)) throw new OptionInputError("NOT_POSITIVE", field, value);
}

export function requireNonNegative(field: string, value: number): void {
  requireFinite(field, value);
  if (!(value >= 0)) throw new OptionInputError("NEGATIVE", field, value);
}

export type OptionType = "call" | "put";

export function requireOptionType(value: unknown): asserts value is OptionType {
  if (value !== "call" && value !== "put")
    throw new OptionInputError("BAD_OPTION_TYPE", "type", value, 'expected "call" or "put"');
}
