/**
 * Places the mainnet stand-ins (`deploy/mainnet-standins.ts`: tokens, feeds, the real Uniswap V3
 * factory and router bytecode with one pool per risk token, all at the REAL mainnet addresses) on
 * a running local Hardhat node, so that everything that expects a mainnet RPC can be rehearsed
 * offline against it:
 *
 *   npx hardhat node --port 18545 &
 *   node scripts/mainnet-standins-node.ts --rpc-url http://127.0.0.1:18545
 *   MAINNET_RPC_URL=http://127.0.0.1:18545 npx hardhat test mocha test/deploy/mainnet-addresses.test.ts --grep "deploys MainnetVault"
 *   node scripts/deploy-mainnet.ts --parameters deploy/mainnet.parameters.example.json --dry-run --rpc http://127.0.0.1:18545
 *
 * Refuses any chain but Hardhat's local ones (31337, 1337).
 */
import { Command } from "commander";
import hre from "hardhat";
import { DRY_RUN_PRICES, placeMainnetStandIns } from "../deploy/mainnet-standins.ts";
import { MAINNET_PARAMETERS } from "../deploy/parameters.ts";

const program = new Command()
  .name("mainnet-standins-node")
  .option("--rpc-url <url>", "JSON-RPC endpoint of a local Hardhat node", "http://127.0.0.1:8545")
  .option("--liquidity-usd <n>", "USD per side of each pool's full-range position", "20000000")
  .parse(process.argv);
const opts = program.opts<{ rpcUrl: string; liquidityUsd: string }>();

await hre.tasks.getTask("build").run({ quiet: true });
const conn = await hre.network.create({ network: "localhost", override: { url: opts.rpcUrl } });
const chainId = Number(await conn.provider.request({ method: "eth_chainId" }));
if (chainId !== 31337 && chainId !== 1337)
  throw new Error(`refusing chain ${chainId}: local Hardhat nodes only`);
const [signer] = await conn.ethers.getSigners();
if (signer === undefined) throw new Error("the node exposes no account");
const standIns = await placeMainnetStandIns(conn.ethers, signer, MAINNET_PARAMETERS, {
  prices: DRY_RUN_PRICES,
  uniswap: { liquidityUsdPerSide: Number(opts.liquidityUsd) },
});
const pools = Object.fromEntries(
  Object.entries(standIns.uniswap?.pools ?? {}).map(([s, pool]) => [s, pool.address]),
);
process.stdout.write(`${JSON.stringify({ chainId, feeds: Object.keys(standIns.feeds), pools }, null, 2)}\n`);
await conn.close();
