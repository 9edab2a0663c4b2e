/**
 * Deploys (or resumes) the local world on a running node with Hardhat Ignition:
 *
 *   npx hardhat node --port 8545            # in another terminal
 *   node scripts/deploy-world.ts [--rpc-url http://127.0.0.1:8545] [--no-vault] [--deployment-dir <dir>]
 *
 * The journal lives in `ignition/deployments/chain-<chainId>/` (Ignition's default id; git-ignored for 31337) unless
 * `--deployment-dir` says otherwise; running the command again resumes from it and sends no
 * transaction for finished steps. Prints every address as JSON on stdout.
 */
import path from "node:path";
import { Command } from "commander";
import hre from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { LOCAL } from "../deploy/parameters.ts";
import { deployLocalWorld } from "../deploy/world.ts";

const program = new Command()
  .name("deploy-world")
  .option("--rpc-url <url>", "JSON-RPC endpoint of a local node", "http://127.0.0.1:8545")
  .option("--no-vault", "deploy tokens, feeds and pools only")
  .option("--deployment-dir <dir>", "Ignition journal folder (default ignition/deployments/chain-<chainId>)")
  .parse(process.argv);
const opts = program.opts<{ rpcUrl: string; vault: boolean; deploymentDir?: string }>();

await hre.tasks.getTask("build").run({ quiet: true });
const conn = await hre.network.create({ network: "localhost", override: { url: opts.rpcUrl } });
const provider = conn.provider as unknown as EIP1193Provider;
const chainId = Number(await provider.request({ method: "eth_chainId" }));
const accounts = (await provider.request({ method: "eth_accounts" })) as string[];
const deploymentDir = path.resolve(
  opts.deploymentDir ?? path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`),
);
const before = Number(await provider.request({ method: "eth_blockNumber" }));
const world = await deployLocalWorld({
  provider,
  artifactResolver: new HardhatArtifactResolver(hre.artifacts),
  parameters: LOCAL,
  deploymentDir,
  ...(opts.vault && accounts[1] !== undefined && accounts[2] !== undefined
    ? { roles: { keeper: accounts[1], guardian: accounts[2] } }
    : {}),
});
const after = Number(await provider.request({ method: "eth_blockNumber" }));
process.stderr.write(
  `journal: ${deploymentDir}\nblocks mined by this run: ${after - before}${after === before ? " (resumed: nothing left to do)" : ""}\n`,
);
process.stdout.write(`${JSON.stringify(world, null, 2)}\n`);
await conn.close();
