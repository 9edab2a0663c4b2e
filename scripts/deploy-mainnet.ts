/**
 * Deploys (or resumes) the vault on Ethereum mainnet with the `MainnetVault` Ignition module.
 *
 *   # rehearsal, no network at all: stand-ins at the mainnet addresses on an in-process chain
 *   node scripts/deploy-mainnet.ts --parameters deploy/mainnet.parameters.example.json --dry-run
 *   # rehearsal on an in-process fork of mainnet (real USDC, feeds, Uniswap pools)
 *   node scripts/deploy-mainnet.ts --parameters params.json --dry-run --rpc https://<mainnet rpc>
 *   # the real deployment (key from DEPLOYER_PRIVATE_KEY or `npx hardhat keystore set DEPLOYER_PRIVATE_KEY`)
 *   node scripts/deploy-mainnet.ts --parameters params.json --rpc https://<mainnet rpc> --confirm
 *
 * Before sending anything it runs the read-only preflight (`deploy/mainnet.ts`); any problem
 * stops it. The journal goes to `ignition/deployments/chain-1/` (or `--deployment-dir`): running
 * the same command again resumes from it and sends nothing for finished steps. A dry run writes
 * its journal to a temporary folder unless `--deployment-dir` is given, and deploys twice to show
 * the resume. Prints the addresses as JSON on stdout; progress on stderr.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import hre from "hardhat";
import { configVariable } from "hardhat/config";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import {
  deployMainnetVault,
  hasJournal,
  placeholderRoles,
  preflightMainnet,
  readMainnetRoles,
} from "../deploy/mainnet.ts";
import { fundDeployerOnFork } from "../deploy/mainnet-fork.ts";
import { DRY_RUN_PRICES, fundStandIn, placeMainnetStandIns } from "../deploy/mainnet-standins.ts";
import { mainnetDeployerFunding } from "../deploy/modules/MainnetVault.ts";
import { MAINNET_PARAMETERS } from "../deploy/parameters.ts";
import { LOCAL_IGNITION_CONFIG } from "../deploy/world.ts";

const program = new Command()
  .name("deploy-mainnet")
  .requiredOption(
    "--parameters <file>",
    'Ignition parameters file: { "MainnetVault": { admin, curator, ... } }',
  )
  .option("--rpc <url>", "mainnet JSON-RPC endpoint (with --dry-run: forked in process)")
  .option("--dry-run", "run on an in-process simulated chain (stand-ins, or a fork of --rpc)")
  .option("--deployment-dir <dir>", "Ignition journal folder (default ignition/deployments/chain-1)")
  .option("--confirm", "send the transactions (a real deployment without it stops after the preflight)")
  .option("--confirmations <n>", "confirmations Ignition waits for on a real network", "3")
  .parse(process.argv);
const opts = program.opts<{
  parameters: string;
  rpc?: string;
  dryRun?: boolean;
  deploymentDir?: string;
  confirm?: boolean;
  confirmations: string;
}>();

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const p = MAINNET_PARAMETERS;
const roles = readMainnetRoles(opts.parameters);
await hre.tasks.getTask("build").run({ quiet: true });
const artifactResolver = new HardhatArtifactResolver(hre.artifacts);

if (opts.dryRun === true) {
  const conn =
    opts.rpc === undefined
      ? await hre.network.create()
      : await hre.network.create({ network: "mainnetFork", override: { forking: { url: opts.rpc } } });
  const { ethers } = conn;
  const provider = conn.provider as unknown as EIP1193Provider;
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no account on the simulated chain");
  if (opts.rpc === undefined) {
    log("dry run: stand-ins at the mainnet addresses (tokens, feeds, Uniswap V3 factory + router, pools)");
    const standIns = await placeMainnetStandIns(ethers, deployer, p, {
      prices: DRY_RUN_PRICES,
      uniswap: { liquidityUsdPerSide: 20_000_000 },
    });
    for (const need of mainnetDeployerFunding(p))
      await fundStandIn(ethers, standIns, p, need.symbol, deployer.address, need.amount);
  } else {
    log(`dry run: in-process fork of ${new URL(opts.rpc).host}; buying seed and probe tokens on Uniswap`);
    await fundDeployerOnFork(deployer, p, 10n ** 17n);
  }
  const problems = await preflightMainnet({
    provider,
    parameters: p,
    deployer: deployer.address,
    roles,
    checkFunding: true,
  });
  for (const problem of problems) log(`preflight: ${problem}`);
  if (problems.length > 0) process.exit(1);
  const deploymentDir = path.resolve(
    opts.deploymentDir ?? (await mkdtemp(path.join(tmpdir(), "mainnet-dry-run-"))),
  );
  const run = async (label: string) => {
    const before = await ethers.provider.getBlockNumber();
    const t0 = Date.now();
    const out = await deployMainnetVault({
      provider,
      artifactResolver,
      parameters: p,
      roles,
      deploymentDir,
      config: LOCAL_IGNITION_CONFIG,
    });
    const after = await ethers.provider.getBlockNumber();
    let gas = 0n;
    for (let n = before + 1; n <= after; n++) gas += (await ethers.provider.getBlock(n))?.gasUsed ?? 0n;
    log(`${label}: ${after - before} transactions, ${gas} gas, ${Date.now() - t0} ms`);
    return out;
  };
  const deployed = await run("deployment");
  await run("second run (resume)");
  log(`journal: ${deploymentDir}`);
  process.stdout.write(`${JSON.stringify({ dryRun: true, ...deployed }, null, 2)}\n`);
  await conn.close();
} else {
  if (opts.rpc === undefined) throw new Error("a real deployment needs --rpc <url> (or use --dry-run)");
  const placeholders = placeholderRoles(roles);
  if (placeholders.length > 0)
    throw new Error(
      `placeholder addresses for ${placeholders.join(", ")}: put the real role holders in ${opts.parameters}`,
    );
  const conn = await hre.network.create({
    network: "localhost",
    chainType: "l1",
    override: {
      url: opts.rpc,
      // Resolved from the environment or from Hardhat's encrypted keystore; never from a file here.
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  });
  const provider = conn.provider as unknown as EIP1193Provider;
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  if (chainId !== p.addresses.chainId)
    throw new Error(
      `the RPC serves chain ${chainId}; MAINNET_PARAMETERS are for chain ${p.addresses.chainId}`,
    );
  const accounts = (await provider.request({ method: "eth_accounts" })) as string[];
  const deployer = accounts[0];
  if (deployer === undefined) throw new Error("no deployer account (DEPLOYER_PRIVATE_KEY)");
  const deploymentDir = path.resolve(
    opts.deploymentDir ?? path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`),
  );
  const resuming = hasJournal(deploymentDir);
  log(`deployer ${deployer}, chain ${chainId}, journal ${deploymentDir}${resuming ? " (resuming)" : ""}`);
  for (const [role, address] of Object.entries(roles)) log(`  ${role.padEnd(17)} ${address}`);
  const problems = await preflightMainnet({
    provider,
    parameters: p,
    deployer,
    roles,
    checkFunding: !resuming,
  });
  for (const problem of problems) log(`preflight: ${problem}`);
  if (problems.length > 0) process.exit(1);
  log("preflight: ok");
  if (opts.confirm !== true) {
    log("not sending anything without --confirm");
    await conn.close();
    process.exit(0);
  }
  const deployed = await deployMainnetVault({
    provider,
    artifactResolver,
    parameters: p,
    roles,
    deploymentDir,
    config: { requiredConfirmations: Number(opts.confirmations) },
  });
  process.stdout.write(`${JSON.stringify(deployed, null, 2)}\n`);
  await conn.close();
}
