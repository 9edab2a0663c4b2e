import { expect } from "chai";
import { network } from "hardhat";
import { OPTION_ROLES, deployOptionAdapter, deployOptionsVenue } from "../../../deploy/options.ts";
import { DAY, USDC, WAD } from "./helpers/fixture.ts";

const { ethers, networkHelpers } = await network.create();

describe("deploy/options.ts: venue and adapter wired to an AccessManager", () => {
  it("assigns every restricted function to its role; only the right accounts can call them", async () => {
    const [admin, curator, guardian, volSetter, stranger] = await ethers.getSigners();
    if (!admin || !curator || !guardian || !volSetter || !stranger) throw new Error("signers");
    const manager = await ethers.deployContract("OptionsTestAccessManager", [admin.address]);
    const usdc = await ethers.deployContract("OptionsMockUSDC");
    const managerAddr = await manager.getAddress();
    const { venue, volatilityOracle } = await deployOptionsVenue(ethers, {
      admin,
      manager: managerAddr,
      asset: await usdc.getAddress(),
      volSetter: volSetter.address,
    });
    const vault = await ethers.deployContract("OptionsMockVault", [
      await usdc.getAddress(),
      1_000_000n * USDC,
    ]);
    const params = {
      premiumBudgetBps: 100,
      premiumWindow: 7 * DAY,
      minExpiryDays: 1,
      maxExpiryDays: 60,
      strikeBandBps: 2_000,
      maxOpenSeries: 4,
    };
    const adapter = await deployOptionAdapter(ethers, {
      admin,
      manager: managerAddr,
      vault: await vault.getAddress(),
      venue: await venue.getAddress(),
      params,
    });
    await manager.grantRole(OPTION_ROLES.CURATOR, curator.address, DAY);
    await manager.grantRole(OPTION_ROLES.GUARDIAN, guardian.address, 0);

    const asset = "0x00000000000000000000000000000000000000e7";
    await venue.connect(admin).setSpread(50);
    await expect(venue.connect(stranger).setSpread(50)).to.be.revertedWithCustomError(
      venue,
      "AccessManagedUnauthorized",
    );
    await volatilityOracle.connect(admin).setConfig(asset, 10n ** 17n, 2n * WAD, DAY);
    await volatilityOracle.connect(volSetter).setVolatility(asset, 5n * 10n ** 17n);
    await expect(
      volatilityOracle.connect(stranger).setVolatility(asset, 5n * 10n ** 17n),
    ).to.be.revertedWithCustomError(volatilityOracle, "AccessManagedUnauthorized");
    await adapter.connect(guardian).tightenGuardParams({ ...params, maxOpenSeries: 3 });
    await expect(adapter.connect(stranger).tightenGuardParams(params)).to.be.revertedWithCustomError(
      adapter,
      "AccessManagedUnauthorized",
    );
    // The curator's changes need scheduling and wait for the delay.
    const data = adapter.interface.encodeFunctionData("setGuardParams", [params]);
    await expect(adapter.connect(curator).setGuardParams(params)).to.be.revertedWithCustomError(
      manager,
      "AccessManagerNotScheduled",
    );
    await manager.connect(curator).schedule(await adapter.getAddress(), data, 0);
    await networkHelpers.time.increase(DAY);
    await manager.connect(curator).execute(await adapter.getAddress(), data);
    expect((await adapter.guardParams()).maxOpenSeries).to.equal(4n);
  });
});
