/**
 * deploy/yield.ts: the share feed and adapter are deployed, the adapter is whitelisted, the share is
 * registered with its feed, heartbeat, bounds and max weight; no deleverage route unless asked.
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Contract } from "ethers";
import { deployYieldWorld } from "../../../deploy/yield-world.ts";
import { HEARTBEAT } from "../../../deploy/mock-vault-world.ts";

const { ethers } = await network.create();

async function routeEvents(vault: Contract, token: string): Promise<unknown[]> {
  const filter = vault.filters.DeleverageRouteSet!(token);
  return vault.queryFilter(filter);
}

describe("deploy/yield.ts: deployYieldLeg", function () {
  this.timeout(120_000);

  it("registers the pool share with its feed and max weight, whitelists the adapter, sets no route by default", async () => {
    const y = await deployYieldWorld(ethers, { maxWeightBps: 2_000 });
    const vault = y.w.vault;
    expect(await vault.getFunction("isSwapAdapter")(await y.leg.adapter.getAddress())).to.equal(true);
    expect(y.leg.feedConfig).to.deep.include({ heartbeat: HEARTBEAT, decimals: 18 });
    expect(await y.leg.feed.POOL()).to.equal(await y.venue.getAddress());
    expect(await y.leg.adapter.POOL()).to.equal(await y.venue.getAddress());
    const b = await vault.getFunction("rebalanceBounds")();
    const share = (
      b.assets as { token: string; maxWeightBps: bigint; decimals: bigint; price: bigint }[]
    ).find((a) => a.token.toLowerCase() === y.leg.token.toLowerCase());
    expect(share, "share registered").to.not.equal(undefined);
    expect(share!.maxWeightBps).to.equal(2_000n);
    expect(share!.decimals).to.equal(12n);
    expect(share!.price).to.equal((await y.leg.feed.latestRoundData())[1]);
    expect(await routeEvents(vault, y.leg.token)).to.have.length(0);
    // The probe returned every share to the curator: the vault holds none yet.
    expect(await vault.getFunction("trackedBalance")(y.leg.token)).to.equal(0n);
  });

  it("sets the deleverage route through the adapter when asked", async () => {
    const y = await deployYieldWorld(ethers, { deleverageRoute: true });
    const events = (await routeEvents(y.w.vault, y.leg.token)) as { args: unknown[] }[];
    expect(events).to.have.length(1);
    expect(events[0]!.args[1]).to.equal(await y.leg.adapter.getAddress());
    expect(Array.from(events[0]!.args[2] as bigint[])).to.deep.equal([]);
  });
});
