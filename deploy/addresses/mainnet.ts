/**
 * Ethereum mainnet (chain id 1) addresses the vault depends on, each with its source.
 *
 * How they were checked (2026-11-24, offline machine, through a search index of public pages and
 * repositories; no RPC was reachable, so no address was read on chain; docs/deploy.md has the
 * full record):
 * - Uniswap V3: the table in Uniswap's `v3-periphery/deploys.md` ("Mainnet, Polygon, Optimism,
 *   Arbitrum, Testnets") and https://docs.uniswap.org/contracts/v3/reference/deployments
 *   (Ethereum). Verified there: factory, SwapRouter, NonfungiblePositionManager. QuoterV2 (not
 *   used by the vault) is cross-checked: the same address is listed for Ethereum in several
 *   independent codebases next to the factory and SwapRouter.
 * - Chainlink feeds: https://docs.chain.link/data-feeds/price-feeds/addresses?network=ethereum
 *   renders its table client-side and the index held no readable copy of it. Every proxy address
 *   and every heartbeat was found in a public machine-readable copy of Chainlink's Ethereum feed
 *   list (`FEED_LIST_COPY` below: address, decimals, heartbeat per pair), and each address again,
 *   with the same pair label, in several independent codebases (`verified: "cross-checked"`).
 *   The WBTC / BTC heartbeat (24 h) also appears in an independent oracle contract.
 *   Check every feed on the docs page (and on chain: `description()`, `decimals()`) before a
 *   real deployment; `scripts/deploy-mainnet.ts` checks decimals and freshness on chain.
 * - Tokens: issuers' sites name these addresses (https://www.circle.com/multi-chain-usdc for USDC,
 *   https://wbtc.network for WBTC, https://docs.chain.link/resources/link-token-contracts for
 *   LINK, https://uniswap.org for UNI; WETH9 is the canonical wrapped ether). Each was
 *   cross-checked in independent public codebases; USDC and WETH also appear in Uniswap's docs
 *   (the `getPool` example on the deployments page).
 *
 * Used by `deploy/modules/MainnetVault.ts`; tests place stand-ins at these addresses
 * (`deploy/mainnet-standins.ts`) or read them on a fork when MAINNET_RPC_URL is set.
 */

export type Verification = "docs" | "cross-checked" | "unverified";

export interface SourcedAddress {
  address: `0x${string}`;
  source: string;
  verified: Verification;
}

export interface SourcedFeed extends SourcedAddress {
  pair: string;
  decimals: number;
  /** Seconds between updates when the price does not move past the deviation threshold. */
  heartbeat: number;
  heartbeatVerified: boolean;
  /** Where the heartbeat was read. */
  heartbeatSource: string;
}

export interface SourcedToken extends SourcedAddress {
  symbol: string;
  decimals: number;
}

const CHAINLINK_DOCS = "https://docs.chain.link/data-feeds/price-feeds/addresses?network=ethereum";
/** A public machine-readable copy of Chainlink's Ethereum feed list (address, decimals, heartbeat). */
const FEED_LIST_COPY =
  "github.com/LZeroAnalytics/chainlink-package src/package_io/constants.star @7f3e48ac (ETHEREUM_PRICE_FEEDS)";
/** Where each feed address comes from (the docs page is canonical but was not readable here). */
const FEED_SOURCE = `${CHAINLINK_DOCS} (canonical, renders client-side: not read); read in ${FEED_LIST_COPY} and in independent codebases with the same pair label`;
const UNISWAP_DOCS = "https://docs.uniswap.org/contracts/v3/reference/deployments/ethereum-deployments";

export const MAINNET = {
  chainId: 1,
  tokens: {
    USDC: {
      symbol: "USDC",
      decimals: 6,
      address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
      source: "https://www.circle.com/multi-chain-usdc (Ethereum); also in " + UNISWAP_DOCS,
      verified: "cross-checked",
    },
    WETH: {
      symbol: "WETH",
      decimals: 18,
      address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
      source: "canonical WETH9; named in " + UNISWAP_DOCS + " (getPool example)",
      verified: "cross-checked",
    },
    WBTC: {
      symbol: "WBTC",
      decimals: 8,
      address: "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599",
      source: "https://wbtc.network (token contract)",
      verified: "cross-checked",
    },
    LINK: {
      symbol: "LINK",
      decimals: 18,
      address: "0x514910771AF9Ca656af840dff83E8264EcF986CA",
      source: "https://docs.chain.link/resources/link-token-contracts (Ethereum mainnet)",
      verified: "cross-checked",
    },
    UNI: {
      symbol: "UNI",
      decimals: 18,
      address: "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984",
      source: "https://uniswap.org (UNI token contract)",
      verified: "cross-checked",
    },
  },
  /** Chainlink USD feeds (proxies), keyed by the token symbol they price. */
  feeds: {
    USDC: {
      pair: "USDC / USD",
      decimals: 8,
      heartbeat: 86_400,
      heartbeatVerified: true,
      heartbeatSource: FEED_LIST_COPY + " usdc-usd",
      address: "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6",
      source: FEED_SOURCE,
      verified: "cross-checked",
    },
    WETH: {
      pair: "ETH / USD",
      decimals: 8,
      heartbeat: 3_600,
      heartbeatVerified: true,
      heartbeatSource: FEED_LIST_COPY + " eth-usd; 3600 s / 0.5% also on a page quoting the docs",
      address: "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
      source: FEED_SOURCE,
      verified: "cross-checked",
    },
    WBTC: {
      // WBTC has no direct USD feed: BTC / USD is the usual proxy; a depeg guard would also read
      // WBTC / BTC (0xfdFD9C85aD200c506Cf9e21F1FD8dd01932FBB23, cross-checked, same source).
      pair: "BTC / USD",
      decimals: 8,
      heartbeat: 3_600,
      heartbeatVerified: true,
      heartbeatSource: FEED_LIST_COPY + " btc-usd",
      address: "0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c",
      source: FEED_SOURCE,
      verified: "cross-checked",
    },
    LINK: {
      pair: "LINK / USD",
      decimals: 8,
      heartbeat: 3_600,
      heartbeatVerified: true,
      heartbeatSource: FEED_LIST_COPY + " link-usd",
      address: "0x2c1d072e956AFFC0D435Cb7AC38EF18d24d9127c",
      source: FEED_SOURCE,
      verified: "cross-checked",
    },
    UNI: {
      pair: "UNI / USD",
      decimals: 8,
      heartbeat: 3_600,
      heartbeatVerified: true,
      heartbeatSource: FEED_LIST_COPY + " uni-usd",
      address: "0x553303d460EE0afB37EdFf9bE42922D8FF63220e",
      source: FEED_SOURCE,
      verified: "cross-checked",
    },
  },
  /** The WBTC / BTC feed, for a depeg check (not used by the vault yet). */
  wbtcBtcFeed: {
    pair: "WBTC / BTC",
    decimals: 8,
    heartbeat: 86_400,
    heartbeatVerified: true,
    heartbeatSource:
      FEED_LIST_COPY + " wbtc-btc; 24 h also in an independent WBTC oracle contract (_CL_WBTC_BTC_HEARTBEAT)",
    address: "0xfdFD9C85aD200c506Cf9e21F1FD8dd01932FBB23",
    source: FEED_SOURCE,
    verified: "cross-checked",
  },
  uniswapV3: {
    factory: {
      address: "0x1F98431c8aD98523631AE4a59f267346ea31F984",
      source: UNISWAP_DOCS + " and Uniswap/v3-periphery deploys.md",
      verified: "docs",
    },
    swapRouter: {
      address: "0xE592427A0AEce92De3Edee1F18E0157C05861564",
      source: UNISWAP_DOCS + " and Uniswap/v3-periphery deploys.md (SwapRouter, the one our adapter targets)",
      verified: "docs",
    },
    positionManager: {
      address: "0xC36442b4a4522E871399CD717aBDD847Ab11FE88",
      source: UNISWAP_DOCS + " and Uniswap/v3-periphery deploys.md",
      verified: "docs",
    },
    quoterV2: {
      address: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
      source:
        UNISWAP_DOCS +
        " (not readable from here); listed for Ethereum beside the factory and SwapRouter in several independent codebases",
      verified: "cross-checked",
    },
  },
  /**
   * The Uniswap V3 pools of each risk token against USDC at 0.3%, which the vault's deleverage
   * routes use. Each is named in independent public codebases, and each is also what the factory
   * at `uniswapV3.factory` derives (CREATE2) from the token addresses above: the offline test
   * (test/deploy/mainnet-vault.test.ts) runs the real factory bytecode at that address and gets
   * exactly these pools, which checks the factory, the five token addresses and the pool init
   * code together. `preflightMainnet` also checks them on chain.
   */
  uniswapV3Pools: {
    WETH: {
      fee: 3_000,
      address: "0x8ad599c3A0ff1De082011EFDDc58f1908eb6e6D8",
      source: "USDC/ETH 0.3% pool named in independent codebases (e.g. a deployment script's USDC_ETH_POOL)",
      verified: "cross-checked",
    },
    WBTC: {
      fee: 3_000,
      address: "0x99ac8cA7087fA4A2A1FB6357269965A2014ABc35",
      source: "USDC/WBTC 0.3% pool named in independent codebases (USDC_WBTC_POOL)",
      verified: "cross-checked",
    },
    LINK: {
      fee: 3_000,
      address: "0xFAD57d2039C21811C8F2B5D5B65308aa99D31559",
      source: "LINK/USDC 0.3% pool named in several independent codebases (pool lists, tests)",
      verified: "cross-checked",
    },
    UNI: {
      fee: 3_000,
      address: "0xD0fC8bA7E267f2bc56044A7715A489d851dC6D78",
      source: "USDC/UNI 0.3% pool named in independent codebases (USDC_UNI_POOL)",
      verified: "cross-checked",
    },
  },
} as const satisfies {
  chainId: number;
  tokens: Record<string, SourcedToken>;
  feeds: Record<string, SourcedFeed>;
  wbtcBtcFeed: SourcedFeed;
  uniswapV3: Record<string, SourcedAddress>;
  uniswapV3Pools: Record<string, SourcedAddress & { fee: number }>;
};
