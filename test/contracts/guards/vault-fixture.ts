/** The guard tests' vault world lives in deploy/guarded-world.ts (shared with scripts/gas-rebalance.ts). */
export * from "../../../deploy/guarded-world.ts";
