import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/**
 * Solidity: 0.8.28 from the `solc` npm package (pinned to the same version; these machines cannot
 * download compilers), loaded through tools/solc-heap-input.cjs so that inputs above ~1.3 MB do not
 * overflow the wasm stack. EVM target `cancun`: live on Ethereum mainnet since March 2024 and on
 * Arbitrum, Optimism and Base (transient storage and MCOPY available); `prague` is not yet
 * supported everywhere we would deploy.
 */
const SOLC_VERSION = "0.8.28";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: require.resolve("./tools/solc-heap-input.cjs"),
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "cancun",
        },
      },
    },
    npmFilesToBuild: [],
  },
  paths: {
    tests: {
      mocha: "test",
      solidity: "test",
    },
  },
  test: {
    mocha: {
      rootHooks: {
        // Restores chai's closeTo for plain numbers: Hardhat's chai matchers, installed at the first
        // network connection, make it bigint-only (see test/support/floatCloseTo.ts). Mocha's
        // programmatic API ignores `require`, hence a root hook.
        async beforeAll() {
          await import("./test/support/floatCloseTo.ts");
        },
      },
    },
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    mainnetFork: {
      type: "edr-simulated",
      chainType: "l1",
      forking: {
        url: configVariable("MAINNET_RPC_URL"),
      },
    },
  },
});
