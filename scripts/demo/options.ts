/**
 * The option side of the demo world: the reference OptionVenue (pricer, volatility oracle) and an
 * OptionVenueAdapter for the vault, deployed with deploy/options.ts on the same AccessManager, the
 * adapter registered in the vault, notional caps set, and an LP funding the venue's pool.
 *
 * Demo shortcut: the local world's curator (the deployer) acts with a two-day delay once the
 * world is set up, so the demo grants a separate "options curator" account the CURATOR role
 * without delay (the manager's admin can; no grant delay is configured locally) to register the
 * adapter and set its caps at once. A production curator schedules these through the manager.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { Contract } from "ethers";
import type { Address } from "viem";
import { deployOptionAdapter, deployOptionsVenue, OPTION_ROLES } from "../../deploy/options.ts";
import type { LocalWorld } from "../../deploy/world.ts";

const WAD = 10n ** 18n;

export interface DemoOptions {
  adapter: Address;
  venue: Address;
  volatilityOracle: Address;
  /** Pushes an annualised volatility for risk token `i` (world.riskTokens order), clamped to the oracle's bounds. */
  setVolatility(i: number, vol: number): Promise<void>;
}

export async function deployDemoOptions(
  ethers: HardhatEthers,
  world: LocalWorld,
  o: {
    curator: Address;
    lp: Address;
    lpUsd: number;
    capUsd: number;
    feedDecimals: number;
    initialVols: number[];
  },
): Promise<DemoOptions> {
  const v = world.vault;
  if (!v) throw new Error("the options demo needs the vault deployed");
  const admin = await ethers.getSigner(world.deployer);
  const curator = await ethers.getSigner(o.curator);
  const lp = await ethers.getSigner(o.lp);
  const manager = new Contract(
    v.manager,
    ["function grantRole(uint64 roleId, address account, uint32 executionDelay)"],
    admin,
  );
  await (await manager.getFunction("grantRole")(OPTION_ROLES.CURATOR, o.curator, 0)).wait();

  const { venue, volatilityOracle } = await deployOptionsVenue(ethers, {
    admin,
    manager: v.manager,
    asset: world.asset.address,
    volSetter: world.deployer,
  });
  const venueAddr = (await venue.getAddress()) as Address;
  const volAddr = (await volatilityOracle.getAddress()) as Address;
  for (const [i, t] of world.riskTokens.entries()) {
    // stale after 30 days: the demo pushes a realised volatility on every keeper day
    await (await volatilityOracle.setConfig(t.address, 5n * 10n ** 16n, 5n * WAD, 30 * 86_400)).wait();
    await (await volatilityOracle.setVolatility(t.address, volUnits(o.initialVols[i] ?? 0.6))).wait();
    const answer = (await new Contract(
      t.feed,
      ["function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)"],
      admin,
    ).getFunction("latestRoundData")()) as [bigint, bigint, bigint, bigint, bigint];
    const a = answer[1];
    await (
      await venue.listUnderlying(t.address, {
        feed: t.feed,
        heartbeat: t.heartbeat,
        decimals: o.feedDecimals,
        minPrice: a / 1000n,
        maxPrice: a * 1000n,
      })
    ).wait();
  }
  const usdc = new Contract(
    world.asset.address,
    [
      "function mint(address to, uint256 amount)",
      "function approve(address spender, uint256 amount) returns (bool)",
    ],
    admin,
  );
  const lpAmount = BigInt(o.lpUsd) * 10n ** BigInt(world.asset.decimals);
  await (await usdc.getFunction("mint")(o.lp, lpAmount)).wait();
  await (await usdc.connect(lp).getFunction("approve")(venueAddr, lpAmount)).wait();
  await (await venue.connect(lp).deposit(lpAmount, o.lp)).wait();

  const adapter = await deployOptionAdapter(ethers, {
    admin,
    manager: v.manager,
    vault: v.vault,
    venue: venueAddr,
    params: {
      premiumBudgetBps: 300,
      premiumWindow: 30 * 86_400,
      minExpiryDays: 7,
      maxExpiryDays: 60,
      strikeBandBps: 3_000,
      maxOpenSeries: 16,
    },
  });
  const adapterAddr = (await adapter.getAddress()) as Address;
  const cap = BigInt(o.capUsd) * 10n ** BigInt(world.asset.decimals);
  for (const t of world.riskTokens)
    await (await adapter.connect(curator).setNotionalCap(t.address, cap)).wait();
  const vault = new Contract(v.vault, ["function addAdapter(address adapter)"], curator);
  await (await vault.getFunction("addAdapter")(adapterAddr)).wait();

  return {
    adapter: adapterAddr,
    venue: venueAddr,
    volatilityOracle: volAddr,
    async setVolatility(i, vol) {
      const t = world.riskTokens[i];
      if (!t) return;
      await (
        await volatilityOracle.setVolatility(t.address, volUnits(Math.min(4.9, Math.max(0.06, vol))))
      ).wait();
    },
  };
}

function volUnits(vol: number): bigint {
  return BigInt(Math.round(vol * 1e6)) * 10n ** 12n;
}
