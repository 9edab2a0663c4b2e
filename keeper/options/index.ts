/** Option math of the keeper's pure core: pricing, Greeks, implied volatility, inverse options, portfolio. */
export * from "./errors.ts";
export * from "./normal.ts";
export * from "./black.ts";
export * from "./inverse.ts";
export * from "./impliedVol.ts";
export * from "./portfolio.ts";
export * from "./strategy.ts";
