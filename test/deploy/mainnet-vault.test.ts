/**
 * The `MainnetVault` Ignition module on a local Hardhat chain where the REAL mainnet addresses of
 * `deploy/addresses/mainnet.ts` hold code (stand-ins placed with hardhat_setCode, see
 * `deploy/mainnet-standins.ts`): USDC, WETH9, WBTC/LINK/UNI tokens, Chainlink-style feeds, and the
 * real Uniswap V3 factory and SwapRouter bytecode with one pool per risk token. No internet.
 *
 * Expected values are taken from the parameters and address files directly (not from the module's
 * own helpers), so a wiring mistake in the module fails here.
 */
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import hre, { network } from "hardhat";
import { HardhatArtifactResolver } from "@nomicfoundation/hardhat-ignition/helpers";
import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import { MAINNET } from "../../deploy/addresses/mainnet.ts";
import {
  deployMainnetVault,
  parseMainnetRoles,
  placeholderRoles,
  preflightMainnet,
  readMainnetRoles,
  type MainnetRoles,
} from "../../deploy/mainnet.ts";
import { fundStandIn, placeMainnetStandIns, type MainnetStandIns } from "../../deploy/mainnet-standins.ts";
import { MAINNET_PARAMETERS as P } from "../../deploy/parameters.ts";
import { LOCAL_IGNITION_CONFIG } from "../../deploy/world.ts";
import { signerRoles } from "./roles.ts";
import { oracleMinOut } from "../../deploy/guarded-world.ts";

const PRICES = { USDC: 1, WETH: 3_000, WBTC: 60_000, LINK: 15, UNI: 8 } as const;
const ROLE_IDS = { ADMIN: 0n, CURATOR: 1n, GUARDIAN: 2n, KEEPER: 3n } as const;
const DEAD = "0x000000000000000000000000000000000000dEaD";
const usd8 = (x: number): bigint => BigInt(Math.round(x * 1e8));

type Connection = Awaited<ReturnType<typeof network.create>>;

describe("MainnetVault module on a local chain with stand-ins at the mainnet addresses", function () {
  this.timeout(300_000);

  let conn: Connection;
  let standIns: MainnetStandIns;
  let roles: MainnetRoles;
  let dir: string;
  let opts: Parameters<typeof deployMainnetVault>[0];
  let deployed: Awaited<ReturnType<typeof deployMainnetVault>>;
  let blockAfterDeploy: number;

  before(async () => {
    conn = await network.create();
    const { ethers } = conn;
    const signers = await ethers.getSigners();
    const [deployer] = signers;
    roles = signerRoles(signers);
    standIns = await placeMainnetStandIns(ethers, deployer!, P, {
      prices: PRICES,
      uniswap: { liquidityUsdPerSide: 20_000_000 },
    });
    dir = await mkdtemp(path.join(tmpdir(), "mainnet-vault-"));
    opts = {
      provider: conn.provider as unknown as EIP1193Provider,
      artifactResolver: new HardhatArtifactResolver(hre.artifacts),
      parameters: P,
      roles,
      deploymentDir: dir,
      config: LOCAL_IGNITION_CONFIG,
    };
  });

  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("the real factory bytecode at the factory address derives the known mainnet pools from our token addresses", async () => {
    // CREATE2 from (factory, token0, token1, fee, pool init code): the same addresses as the real
    // pools named in public codebases, so the factory and all five token addresses agree.
    for (const t of P.riskTokens) {
      const known = MAINNET.uniswapV3Pools[t.symbol as keyof typeof MAINNET.uniswapV3Pools];
      expect(t.poolFee, t.symbol).to.equal(known.fee);
      expect(standIns.uniswap!.pools[t.symbol]!.address, t.symbol).to.equal(known.address);
    }
  });

  it("preflight names what is missing: the deployer's seed and probe tokens, a deployer admin, a stale feed", async () => {
    const { ethers } = conn;
    const [deployer] = await ethers.getSigners();
    const base = {
      provider: opts.provider,
      parameters: P,
      deployer: deployer!.address,
      roles,
      checkFunding: true,
    };
    const unfunded = await preflightMainnet(base);
    expect(unfunded.join("\n")).to.match(/seed deposit/);
    for (const symbol of ["WBTC", "LINK", "UNI"]) expect(unfunded.join("\n")).to.include(`${symbol} units`);
    expect(unfunded.join("\n")).to.not.include("WETH units"); // wrapped from ether by the module

    const selfAdmin = await preflightMainnet({
      ...base,
      roles: { ...roles, admin: deployer!.address as `0x${string}` },
    });
    expect(selfAdmin.join("\n")).to.match(/admin is the deployer/);

    // A feed older than heartbeat + margin is refused before anything is sent.
    await conn.networkHelpers.time.increase(MAINNET.feeds.LINK.heartbeat + P.heartbeatMargin + 1);
    const stale = await preflightMainnet({ ...base, checkFunding: false });
    expect(stale.join("\n")).to.match(/LINK feed last updated/);
    // Refresh every feed for the deployment.
    for (const [symbol, feed] of Object.entries(standIns.feeds)) {
      const price = PRICES[symbol as keyof typeof PRICES];
      await (await feed.getFunction("setAnswer")(usd8(price))).wait();
    }
    await fundStandIn(ethers, standIns, P, "USDC", deployer!.address, P.vault.seedDeposit);
    for (const symbol of ["WBTC", "LINK", "UNI"] as const) {
      const decimals = MAINNET.tokens[symbol].decimals;
      await fundStandIn(ethers, standIns, P, symbol, deployer!.address, 10n ** BigInt(decimals - 4));
    }
    expect(await preflightMainnet(base)).to.deep.equal([]);
  });

  it("deploys against the mainnet addresses: asset, feeds, heartbeats, weights, router, limits, cap, fees", async () => {
    const { ethers } = conn;
    deployed = await deployMainnetVault(opts);
    blockAfterDeploy = await ethers.provider.getBlockNumber();
    const vault = await ethers.getContractAt("RiskParityVault", deployed.vault);
    expect(await vault.asset()).to.equal(MAINNET.tokens.USDC.address);
    expect(await vault.name()).to.equal(P.vault.name);

    // Every feed registered with the mainnet address, decimals, heartbeat + margin, bounds.
    const feedSet = await vault.queryFilter(vault.filters.FeedSet(), 0);
    const symbols = ["USDC", ...P.riskTokens.map((t) => t.symbol)] as const;
    expect(feedSet.length).to.equal(symbols.length);
    for (const symbol of symbols) {
      const ev = feedSet.find((e) => e.args.token === MAINNET.tokens[symbol].address);
      expect(ev, symbol).to.not.equal(undefined);
      const bounds = symbol === "USDC" ? P.asset : P.riskTokens.find((t) => t.symbol === symbol)!;
      expect(ev!.args.feed).to.equal(MAINNET.feeds[symbol].address);
      expect(ev!.args.heartbeat).to.equal(BigInt(MAINNET.feeds[symbol].heartbeat + P.heartbeatMargin));
      expect(ev!.args.decimals).to.equal(BigInt(MAINNET.feeds[symbol].decimals));
      expect(ev!.args.minPrice).to.equal(usd8(bounds.minPriceUsd));
      expect(ev!.args.maxPrice).to.equal(usd8(bounds.maxPriceUsd));
    }

    const b = await vault.rebalanceBounds();
    expect(b.assets.map((x) => x.token)).to.deep.equal(
      P.riskTokens.map((t) => MAINNET.tokens[t.symbol].address),
    );
    for (const [i, t] of P.riskTokens.entries()) {
      expect(Number(b.assets[i]!.maxWeightBps), t.symbol).to.equal(t.maxWeightBps);
      expect(Number(b.assets[i]!.decimals), t.symbol).to.equal(MAINNET.tokens[t.symbol].decimals);
      expect(b.assets[i]!.price, t.symbol).to.equal(BigInt(PRICES[t.symbol]) * 10n ** 18n);
    }
    expect(b.oraclesHealthy).to.equal(true);

    // Swap adapter on the real router address, one deleverage route per token at its pool fee.
    const adapter = await ethers.getContractAt("UniswapV3SwapAdapter", deployed.swapAdapter);
    expect(await adapter.ROUTER()).to.equal(MAINNET.uniswapV3.swapRouter.address);
    expect(await vault.isSwapAdapter(deployed.swapAdapter)).to.equal(true);
    const routes = await vault.queryFilter(vault.filters.DeleverageRouteSet(), 0);
    expect(routes.map((r) => r.args.token)).to.deep.equal(
      P.riskTokens.map((t) => MAINNET.tokens[t.symbol].address),
    );
    for (const [i, r] of routes.entries()) {
      expect(r.args.adapter).to.equal(deployed.swapAdapter);
      expect(r.args.fees.map(Number)).to.deep.equal([P.riskTokens[i]!.poolFee]);
    }

    // Limits: every field of the last LimitsSet equals the parameters (USD caps in USDC units).
    const [limitsSet] = (await vault.queryFilter(vault.filters.LimitsSet(), 0)).slice(-1);
    const l = limitsSet!.args.limits;
    const v = P.vault;
    const usdc = (x: number): bigint => BigInt(x) * 10n ** 6n;
    expect([l.targetLeverage, l.maxLeverage, l.ripcordLeverage]).to.deep.equal([
      v.targetLeverage,
      v.maxLeverage,
      v.ripcordLeverage,
    ]);
    expect(
      [
        l.maxSlippageBps,
        l.deleverageSlippageBps,
        l.maxLossPerRebalanceBps,
        l.lossBudgetBps,
        l.window,
        l.minRebalanceInterval,
        l.deleverageCooldown,
        l.turnoverBps,
        l.deleverageChunkBps,
        l.deleverageBudgetBps,
        l.drawdownBps,
        l.bountyBps,
      ].map(Number),
    ).to.deep.equal([
      v.maxSlippageBps,
      v.limits.deleverageSlippageBps,
      v.maxLossBps,
      v.limits.lossBudgetBps,
      v.limits.window,
      v.minRebalanceInterval,
      v.limits.deleverageCooldown,
      v.limits.turnoverBps,
      v.limits.deleverageChunkBps,
      v.limits.deleverageBudgetBps,
      v.limits.drawdownBps,
      v.limits.bountyBps,
    ]);
    expect(l.maxTradeValue).to.equal(usdc(v.limits.maxTradeValueUsd));
    expect(l.maxBounty).to.equal(usdc(v.limits.maxBountyUsd));
    const [, limits, feeConfig] = await vault.vaultState();
    expect(limits.depositCap).to.equal(usdc(v.depositCapUsd!));
    const [fees] = (await vault.queryFilter(vault.filters.FeesSet(), 0)).slice(-1);
    expect(
      [fees!.args.managementBps, fees!.args.performanceBps, fees!.args.entryBps, fees!.args.exitBps].map(
        Number,
      ),
    ).to.deep.equal([v.managementFeeBps, v.performanceFeeBps, v.entryExitFeeBps, v.entryExitFeeBps]);
    expect(feeConfig).to.not.equal(undefined);

    // Seeded first deposit owned by the dead address, paid in the real USDC address's token.
    expect(await vault.balanceOf(DEAD)).to.be.greaterThan(0n);
    expect(await vault.totalAssets()).to.equal(v.seedDeposit);
    const usdcToken = await ethers.getContractAt("MockUSDC", MAINNET.tokens.USDC.address);
    expect(await usdcToken.balanceOf(deployed.vault)).to.equal(v.seedDeposit);
  });

  it("hands the roles over with the configured delays; the deployer keeps none", async () => {
    const { ethers } = conn;
    const manager = await ethers.getContractAt("VaultAccessManager", deployed.manager);
    const expectRole = async (role: bigint, who: string, member: boolean, delay = 0n) => {
      const [isMember, executionDelay] = await manager.hasRole(role, who);
      expect(isMember, `role ${role} of ${who}`).to.equal(member);
      if (member) expect(executionDelay, `delay of role ${role} of ${who}`).to.equal(delay);
    };
    await expectRole(ROLE_IDS.ADMIN, roles.admin, true, BigInt(P.vault.adminDelay));
    await expectRole(ROLE_IDS.CURATOR, roles.curator, true, BigInt(P.vault.riskIncreaseDelay));
    await expectRole(ROLE_IDS.GUARDIAN, roles.curator, true);
    await expectRole(ROLE_IDS.GUARDIAN, roles.guardian, true);
    await expectRole(ROLE_IDS.KEEPER, roles.keeper, true);
    for (const role of Object.values(ROLE_IDS)) await expectRole(role, deployed.deployer, false);
    await expectRole(ROLE_IDS.KEEPER, roles.guardian, false);

    const vault = await ethers.getContractAt("RiskParityVault", deployed.vault);
    const fn = (name: "rebalance" | "setLimits" | "pauseDeposits" | "setFees") =>
      vault.interface.getFunction(name)!.selector;
    expect(await manager.getTargetFunctionRole(deployed.vault, fn("rebalance"))).to.equal(ROLE_IDS.KEEPER);
    expect(await manager.getTargetFunctionRole(deployed.vault, fn("setLimits"))).to.equal(ROLE_IDS.CURATOR);
    expect(await manager.getTargetFunctionRole(deployed.vault, fn("pauseDeposits"))).to.equal(
      ROLE_IDS.GUARDIAN,
    );
    expect(await manager.getTargetFunctionRole(deployed.vault, fn("setFees"))).to.equal(ROLE_IDS.ADMIN);

    // The delays bite: the curator must schedule, the guardian acts at once, the deployer cannot.
    const curator = await ethers.getSigner(roles.curator);
    const guardian = await ethers.getSigner(roles.guardian);
    const deployer = await ethers.getSigner(deployed.deployer);
    await expect(vault.connect(curator).setDepositCap(1n)).to.be.revert(ethers);
    await expect(vault.connect(deployer).setDepositCap(1n)).to.be.revert(ethers);
    await expect(manager.connect(deployer).grantRole(ROLE_IDS.KEEPER, deployed.deployer, 0)).to.be.revert(
      ethers,
    );
    await (await vault.connect(guardian).pauseDeposits()).wait();
    // Unpausing is the admin's, behind adminDelay: refused now, accepted once scheduled and due.
    const admin = await ethers.getSigner(roles.admin);
    await expect(vault.connect(admin).unpauseDeposits()).to.be.revert(ethers);
    const data = vault.interface.encodeFunctionData("unpauseDeposits");
    await (await manager.connect(admin).schedule(deployed.vault, data, 0)).wait();
    await expect(manager.connect(admin).execute(deployed.vault, data)).to.be.revert(ethers);
    await conn.networkHelpers.time.increase(P.vault.adminDelay);
    await (await manager.connect(admin).execute(deployed.vault, data)).wait();
    const [hot] = await vault.vaultState();
    expect(hot.depositsPaused).to.equal(false);
    // The clock moved a day: give the stand-in feeds a fresh round.
    for (const [symbol, feed] of Object.entries(standIns.feeds)) {
      await (await feed.getFunction("setAnswer")(usd8(PRICES[symbol as keyof typeof PRICES]))).wait();
    }

    const upkeep = await ethers.getContractAt("DeleverageUpkeep", deployed.upkeep);
    expect(await upkeep.VAULT()).to.equal(deployed.vault);
    expect(await upkeep.BENEFICIARY()).to.equal(roles.upkeepBeneficiary);
  });

  it("a second run resumes from the journal: same addresses, no transaction", async () => {
    const { ethers } = conn;
    const again = await deployMainnetVault(opts);
    expect(again).to.deep.equal(deployed);
    // The previous test's pause/unpause mined blocks; the resume itself mines none.
    const before = await ethers.provider.getBlockNumber();
    expect(before).to.be.greaterThan(blockAfterDeploy);
    await deployMainnetVault(opts);
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("a resumed run with different role holders is refused (the journal pins the parameters)", async () => {
    const { ethers } = conn;
    const [, , , , , , other] = await ethers.getSigners();
    const before = await ethers.provider.getBlockNumber();
    let error: unknown;
    try {
      await deployMainnetVault({ ...opts, roles: { ...roles, keeper: other!.address as `0x${string}` } });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include("RECONCILIATION_ERROR");
    expect(String(error)).to.include("MainnetVault#GrantKeeper");
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("a deposit and a keeper rebalance go through the swap adapter and the router at the mainnet address", async () => {
    const { ethers } = conn;
    const vault = await ethers.getContractAt("RiskParityVault", deployed.vault);
    const [, , , , , , user] = await ethers.getSigners();
    const amount = 100_000n * 10n ** 6n;
    await fundStandIn(ethers, standIns, P, "USDC", user!.address, amount);
    const usdcToken = await ethers.getContractAt("MockUSDC", MAINNET.tokens.USDC.address);
    await (await usdcToken.connect(user!).approve(deployed.vault, amount)).wait();
    await (await vault.connect(user!).deposit(amount, user!.address)).wait();
    expect(await vault.balanceOf(user!.address)).to.be.greaterThan(0n);

    const keeper = await ethers.getSigner(roles.keeper);
    const b = await vault.rebalanceBounds();
    const valueBefore = await vault.totalAssets();
    const trades = [];
    for (const [symbol, usd] of [
      ["WETH", 30_000],
      ["WBTC", 20_000],
    ] as const) {
      const amountIn = BigInt(usd) * 10n ** 6n;
      trades.push({
        tokenIn: MAINNET.tokens.USDC.address,
        tokenOut: MAINNET.tokens[symbol].address,
        amountIn,
        minAmountOut: oracleMinOut(
          amountIn,
          10n ** 18n,
          6,
          BigInt(PRICES[symbol]) * 10n ** 18n,
          MAINNET.tokens[symbol].decimals,
          P.vault.maxSlippageBps,
        ),
        adapter: deployed.swapAdapter,
        route: {
          fees: [P.riskTokens.find((t) => t.symbol === symbol)!.poolFee],
          intermediates: [] as string[],
        },
      });
    }
    const block = await ethers.provider.getBlock("latest");
    await (await vault.connect(keeper).rebalance(trades, b.nonce, BigInt(block!.timestamp) + 600n)).wait();
    const wethPool = standIns.uniswap!.pools.WETH!;
    expect(await vault.trackedBalance(MAINNET.tokens.WETH.address)).to.be.greaterThan(
      trades[0]!.minAmountOut - 1n,
    );
    expect(await vault.trackedBalance(MAINNET.tokens.WBTC.address)).to.be.greaterThan(
      trades[1]!.minAmountOut - 1n,
    );
    const weth = await ethers.getContractAt("MockToken", MAINNET.tokens.WETH.address);
    expect(await weth.balanceOf(deployed.vault)).to.equal(
      await vault.trackedBalance(MAINNET.tokens.WETH.address),
    );
    expect(await weth.balanceOf(wethPool.address)).to.be.greaterThan(0n);
    const after = await vault.rebalanceBounds();
    expect(after.nonce).to.equal(b.nonce + 1n);
    // Pool fee (0.3%) on half the book, within the per-rebalance loss bound.
    const valueAfter = await vault.totalAssets();
    expect(valueAfter).to.be.lessThan(valueBefore);
    expect(valueBefore - valueAfter).to.be.lessThanOrEqual(
      (valueBefore * BigInt(P.vault.maxLossBps)) / 10_000n,
    );
    // A non-keeper cannot rebalance.
    await expect(
      vault.connect(user!).rebalance([], after.nonce, BigInt(block!.timestamp) + 600n),
    ).to.be.revert(ethers);
  });

  it("a drawdown is sold down by DeleverageUpkeep along the deployed routes, bounty to the beneficiary", async () => {
    const { ethers } = conn;
    const vault = await ethers.getContractAt("RiskParityVault", deployed.vault);
    const upkeep = await ethers.getContractAt("DeleverageUpkeep", deployed.upkeep);
    await (await vault.checkpoint()).wait();
    const [dueBefore] = await vault.shouldDeleverage();
    expect(dueBefore).to.equal(false);
    // WETH and WBTC (half the book after the previous test) lose 60%: value falls ~30% > drawdownBps.
    for (const symbol of ["WETH", "WBTC"] as const) {
      await (await standIns.feeds[symbol]!.getFunction("setAnswer")(usd8(PRICES[symbol] * 0.4))).wait();
    }
    const [due, reason] = await vault.shouldDeleverage();
    expect([due, Number(reason)]).to.deep.equal([true, 2]);
    const [upkeepNeeded] = await upkeep.checkUpkeep("0x");
    expect(upkeepNeeded).to.equal(true);
    const wethBefore = await vault.trackedBalance(MAINNET.tokens.WETH.address);
    const idleBefore = await vault.idleAssets();
    const usdcToken = await ethers.getContractAt("MockUSDC", MAINNET.tokens.USDC.address);
    const bountyBefore = await usdcToken.balanceOf(roles.upkeepBeneficiary);
    const keeper = await ethers.getSigner(roles.keeper); // anyone may call; the keeper here
    await (
      await upkeep.connect(keeper).performUpkeep(ethers.AbiCoder.defaultAbiCoder().encode(["uint8"], [2]))
    ).wait();
    expect(await vault.trackedBalance(MAINNET.tokens.WETH.address)).to.be.lessThan(wethBefore);
    expect(await vault.idleAssets()).to.be.greaterThan(idleBefore);
    const bounty = (await usdcToken.balanceOf(roles.upkeepBeneficiary)) - bountyBefore;
    expect(bounty).to.be.greaterThan(0n);
    expect(bounty).to.be.lessThanOrEqual(BigInt(P.vault.limits.maxBountyUsd) * 10n ** 6n);
    // The chunk cooldown holds the next one back.
    await expect(upkeep.performUpkeep("0x")).to.be.revert(ethers);
  });

  it("preflight catches a feed with other decimals, a token without code and a missing route pool", async () => {
    const { ethers } = conn;
    const [deployer] = await ethers.getSigners();
    await (await standIns.feeds.WBTC!.getFunction("setDecimals")(18)).wait();
    await ethers.provider.send("hardhat_setCode", [MAINNET.tokens.LINK.address, "0x"]);
    const moved = {
      ...P,
      riskTokens: P.riskTokens.map((t) => (t.symbol === "UNI" ? { ...t, poolFee: 500 } : t)),
    };
    const problems = (
      await preflightMainnet({
        provider: opts.provider,
        parameters: moved,
        deployer: deployer!.address,
        roles,
        checkFunding: false,
      })
    ).join("\n");
    expect(problems).to.include("WBTC feed has 18 decimals, expected 8");
    expect(problems).to.include(`LINK ${MAINNET.tokens.LINK.address} has no code`);
    expect(problems).to.include("no Uniswap V3 UNI/USDC pool at fee 500");
  });
});

describe("MainnetVault parameters file", () => {
  const good = {
    admin: "0x1000000000000000000000000000000000000001",
    curator: "0x1000000000000000000000000000000000000002",
    guardian: "0x1000000000000000000000000000000000000003",
    keeper: "0x1000000000000000000000000000000000000004",
    upkeepBeneficiary: "0x1000000000000000000000000000000000000005",
  };

  it("accepts Ignition's format and checksums the addresses", () => {
    const lower = { ...good, keeper: "0xabcdefabcdefabcdefabcdefabcdefabcdefabcd" };
    expect(parseMainnetRoles({ MainnetVault: lower }).keeper).to.equal(
      "0xABcdEFABcdEFabcdEfAbCdefabcdeFABcDEFabCD",
    );
  });

  it("the example file parses, and every address in it is a placeholder a real deployment refuses", () => {
    const roles = readMainnetRoles(
      path.join(import.meta.dirname, "../../deploy/mainnet.parameters.example.json"),
    );
    expect(placeholderRoles(roles)).to.deep.equal([
      "admin",
      "curator",
      "guardian",
      "keeper",
      "upkeepBeneficiary",
    ]);
    expect(placeholderRoles(parseMainnetRoles({ MainnetVault: good }))).to.have.length(5);
    const real = {
      ...good,
      admin: "0x1000000000000000000000000000000000000100",
      keeper: "0xABcdEFABcdEFabcdEfAbCdefabcdeFABcDEFabCD",
    };
    expect(placeholderRoles(parseMainnetRoles({ MainnetVault: real }))).to.deep.equal([
      "curator",
      "guardian",
      "upkeepBeneficiary",
    ]);
  });

  it("refuses a missing role, the zero address, a malformed address and an unknown key, naming each", () => {
    const { keeper: _keeper, ...noKeeper } = good;
    expect(() => parseMainnetRoles({ MainnetVault: noKeeper })).to.throw(/MainnetVault\.keeper/);
    expect(() =>
      parseMainnetRoles({ MainnetVault: { ...good, admin: "0x0000000000000000000000000000000000000000" } }),
    ).to.throw(/MainnetVault\.admin: the zero address/);
    expect(() => parseMainnetRoles({ MainnetVault: { ...good, guardian: "0x1234" } })).to.throw(
      /MainnetVault\.guardian: not an address/,
    );
    expect(() => parseMainnetRoles({ MainnetVault: { ...good, privateKey: "0x00" } })).to.throw(/privateKey/);
    expect(() => parseMainnetRoles({ Other: good })).to.throw(/MainnetVault/);
  });
});
