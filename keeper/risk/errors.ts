/**
 * Typed errors of the risk engine. Every error carries a stable `code` so callers (the keeper
 * shell, tests) can branch on it without parsing messages.
 */

export class RiskInputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "RiskInputError";
    this.code = code;
  }
}

/** The returns or matrix contain a non-finite value (Infinity, or NaN where NaN is not allowed). */
export class NonFiniteInputError extends RiskInputError {
  readonly row: number;
  readonly column: number;
  constructor(row: number, column: number, value: number) {
    super("NON_FINITE", `non-finite value ${String(value)} at row ${row}, column ${column}`);
    this.name = "NonFiniteInputError";
    this.row = row;
    this.column = column;
  }
}

/** Not enough (pairwise-complete) observations to estimate what was asked. */
export class InsufficientHistoryError extends RiskInputError {
  readonly observations: number;
  readonly required: number;
  constructor(observations: number, required: number, detail: string) {
    super(
      "INSUFFICIENT_HISTORY",
      `insufficient history: ${observations} observations, at least ${required} required (${detail})`,
    );
    this.name = "InsufficientHistoryError";
    this.observations = observations;
    this.required = required;
  }
}

/** An asset's returns have zero (or numerically zero) variance. */
export class ZeroVarianceError extends RiskInputError {
  readonly asset: number;
  constructor(asset: number) {
    super("ZERO_VARIANCE", `asset ${asset} has zero variance over its observations`);
    this.name = "ZeroVarianceError";
    this.asset = asset;
  }
}

/** Shapes disagree (ragged rows, non-square matrix, wrong vector length). */
export class DimensionError extends RiskInputError {
  constructor(message: string) {
    super("DIMENSION", message);
    this.name = "DimensionError";
  }
}

/** The covariance matrix is not symmetric. */
export class NotSymmetricError extends RiskInputError {
  readonly row: number;
  readonly column: number;
  constructor(row: number, column: number, a: number, b: number) {
    super("NOT_SYMMETRIC", `matrix not symmetric: [${row}][${column}] = ${a} but [${column}][${row}] = ${b}`);
    this.name = "NotSymmetricError";
    this.row = row;
    this.column = column;
  }
}

/** The covariance matrix is not positive (semi-)definite. */
export class NotPositiveDefiniteError extends RiskInputError {
  constructor(message: string) {
    super("NOT_PSD", message);
    this.name = "NotPositiveDefiniteError";
  }
}

/** An option value is out of its allowed range or inconsistent with others. */
export class InvalidOptionError extends RiskInputError {
  constructor(message: string) {
    super("INVALID_OPTION", message);
    this.name = "InvalidOptionError";
  }
}

/** An iterative method did not reach its tolerance (only thrown when the caller asks for it). */
export class ConvergenceError extends RiskInputError {
  readonly iterations: number;
  constructor(message: string, iterations: number) {
    super("NO_CONVERGENCE", message);
    this.name = "ConvergenceError";
    this.iterations = iterations;
  }
}
