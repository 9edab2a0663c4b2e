/** Strategies of the keeper's pure core: the protective-put overlay and its delta hedge. */
export * from "./overlay.ts";
export * from "./convert.ts";
