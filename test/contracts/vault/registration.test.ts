import { expect } from "chai";
import type { Interface } from "ethers";
import { network } from "hardhat";
import { FUNCTION_ROLES, ROLES, scheduleVaultCall, type RoleName } from "../../../deploy/vault.ts";
import { USDC, credit, deployWorld, feedConfig, type World } from "./fixture.ts";

const { ethers, networkHelpers } = await network.create();

const ANSWER = 2_000n * 10n ** 8n;

async function newTokenAndFeed(decimals = 18, feedDecimals = 8) {
  const token = await ethers.deployContract("MockToken", ["NEW", "NEW", decimals]);
  const feed = await ethers.deployContract("MockAggregator", [feedDecimals, ANSWER]);
  return { token, feed, tokenAddress: await token.getAddress(), feedAddress: await feed.getAddress() };
}

/** Mints a probe to the curator and approves it, so `addAsset` can run its probe transfer. */
async function approveProbe(
  w: World,
  token: { mint(to: string, a: bigint): Promise<unknown>; approve(s: string, a: bigint): Promise<unknown> },
  amount: bigint,
) {
  await token.mint(w.curator.address, amount);
  // approve is sent by the curator
  await (token as unknown as { connect(s: unknown): { approve(s: string, a: bigint): Promise<unknown> } })
    .connect(w.curator)
    .approve(await w.vault.getAddress(), amount);
}

describe("RiskParityVault registration", () => {
  it("registers a plain token and emits AssetAdded + FeedSet", async () => {
    const w = await deployWorld(ethers, { tokens: [] });
    const { token, tokenAddress, feedAddress } = await newTokenAndFeed(12);
    await approveProbe(w, token, 10n ** 12n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 3_000, w.curator.address, 10n ** 12n),
    )
      .to.emit(w.vault, "AssetAdded")
      .withArgs(tokenAddress, 12, feedAddress, 3_000)
      .and.to.emit(w.vault, "FeedSet");
    expect(await w.vault.riskAssetCount()).to.equal(1n);
    expect(await token.balanceOf(w.curator.address)).to.equal(10n ** 12n); // probe returned
  });

  it("refuses a fee-on-transfer token with TokenNotPlain(token, probe, received, taken)", async () => {
    const w = await deployWorld(ethers, { tokens: [] });
    const fot = await ethers.deployContract("MockFeeOnTransferToken");
    const feed = await ethers.deployContract("MockAggregator", [8, ANSWER]);
    await fot.mint(w.curator.address, 10n ** 18n);
    await fot.connect(w.curator).approve(await w.vault.getAddress(), 10n ** 18n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(
          await fot.getAddress(),
          feedConfig(await feed.getAddress(), ANSWER),
          1_000,
          w.curator.address,
          10n ** 18n,
        ),
    )
      .to.be.revertedWithCustomError(w.vault, "TokenNotPlain")
      .withArgs(await fot.getAddress(), 10n ** 18n, 10n ** 18n - 10n ** 16n, 10n ** 18n);
  });

  it("refuses a share-based rebasing token (the probe moves a rounded amount)", async () => {
    const w = await deployWorld(ethers, { tokens: [] });
    const reb = await ethers.deployContract("MockRebasingToken");
    const feed = await ethers.deployContract("MockAggregator", [8, ANSWER]);
    await reb.mint(w.curator.address, 10n ** 19n);
    await reb.connect(w.curator).approve(await w.vault.getAddress(), 10n ** 18n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(
          await reb.getAddress(),
          feedConfig(await feed.getAddress(), ANSWER),
          1_000,
          w.curator.address,
          10n ** 18n,
        ),
    ).to.be.revertedWithCustomError(w.vault, "TokenNotPlain");
  });

  for (const decimals of [5, 19]) {
    it(`refuses a token with ${decimals} decimals`, async () => {
      const w = await deployWorld(ethers, { tokens: [] });
      const { tokenAddress, feedAddress } = await newTokenAndFeed(decimals);
      await expect(
        w.vault
          .connect(w.curator)
          .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 1_000, w.curator.address, 1n),
      )
        .to.be.revertedWithCustomError(w.vault, "UnsupportedTokenDecimals")
        .withArgs(tokenAddress, decimals);
    });
  }

  it("refuses a feed whose decimals differ from the declared ones, and feeds above 18 decimals", async () => {
    const w = await deployWorld(ethers, { tokens: [] });
    const { token, tokenAddress, feedAddress } = await newTokenAndFeed(18, 18);
    await approveProbe(w, token, 10n ** 18n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER, 8), 1_000, w.curator.address, 10n ** 18n),
    )
      .to.be.revertedWithCustomError(w.vault, "OracleWrongDecimals")
      .withArgs(feedAddress, 8, 18);
    const feed20 = await ethers.deployContract("MockAggregator", [20, ANSWER]);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(
          tokenAddress,
          feedConfig(await feed20.getAddress(), ANSWER, 20),
          1_000,
          w.curator.address,
          10n ** 18n,
        ),
    ).to.be.revertedWithCustomError(w.vault, "OracleWrongDecimals");
  });

  it("refuses a feed that is stale, non-positive or outside its bounds at registration", async () => {
    const w = await deployWorld(ethers, { tokens: [] });
    const { token, tokenAddress, feed, feedAddress } = await newTokenAndFeed();
    await approveProbe(w, token, 10n ** 18n);
    await feed.setAnswer(-1);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 1_000, w.curator.address, 10n ** 18n),
    ).to.be.revertedWithCustomError(w.vault, "OracleNonPositiveAnswer");
    await feed.setAnswer(ANSWER * 1000n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 1_000, w.curator.address, 10n ** 18n),
    ).to.be.revertedWithCustomError(w.vault, "OracleOutOfBounds");
    await feed.setRound(ANSWER, 1n, 1n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 1_000, w.curator.address, 10n ** 18n),
    ).to.be.revertedWithCustomError(w.vault, "OracleStale");
  });

  it("refuses the asset itself, duplicates, the zero address and a zero probe", async () => {
    const w = await deployWorld(ethers);
    const f = feedConfig(await w.feeds[0]!.getAddress(), 3_000n * 10n ** 8n);
    await expect(
      w.vault.connect(w.curator).addAsset(await w.usdc.getAddress(), f, 1_000, w.curator.address, 1n),
    ).to.be.revertedWithCustomError(w.vault, "AssetAlreadyRegistered");
    await expect(
      w.vault.connect(w.curator).addAsset(await w.tokens[0]!.getAddress(), f, 1_000, w.curator.address, 1n),
    ).to.be.revertedWithCustomError(w.vault, "AssetAlreadyRegistered");
    await expect(
      w.vault.connect(w.curator).addAsset(ethers.ZeroAddress, f, 1_000, w.curator.address, 1n),
    ).to.be.revertedWithCustomError(w.vault, "ZeroAddress");
    const { tokenAddress, feedAddress } = await newTokenAndFeed();
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 1_000, w.curator.address, 0n),
    ).to.be.revertedWithCustomError(w.vault, "ZeroAmount");
  });

  it("accepts 16 risk assets and refuses a 17th with TooMany(16)", async () => {
    const specs = Array.from({ length: 16 }, (_, i) => ({
      symbol: `T${i}`,
      decimals: 6 + (i % 13),
      answer: BigInt(i + 1) * 10n ** 8n,
    }));
    const w = await deployWorld(ethers, { tokens: specs });
    expect(await w.vault.riskAssetCount()).to.equal(16n);
    const { token, tokenAddress, feedAddress } = await newTokenAndFeed();
    await approveProbe(w, token, 10n ** 18n);
    await expect(
      w.vault
        .connect(w.curator)
        .addAsset(tokenAddress, feedConfig(feedAddress, ANSWER), 1_000, w.curator.address, 10n ** 18n),
    )
      .to.be.revertedWithCustomError(w.vault, "TooMany")
      .withArgs(16);
  });

  it("removes only an empty asset, keeping the index of the others", async () => {
    const w = await deployWorld(ethers);
    await w.vault.connect(w.alice).deposit(USDC(1000), w.alice.address);
    await credit(w, w.tokens[3]!, 10n ** 6n);
    const t0 = await w.tokens[0]!.getAddress();
    const t3 = await w.tokens[3]!.getAddress();
    await expect(w.vault.connect(w.guardian).removeAsset(t3))
      .to.be.revertedWithCustomError(w.vault, "NotEmpty")
      .withArgs(t3, 10n ** 6n);
    const before = await w.vault.totalAssets();
    await expect(w.vault.connect(w.guardian).removeAsset(t0)).to.emit(w.vault, "AssetRemoved").withArgs(t0);
    expect(await w.vault.riskAssetCount()).to.equal(3n);
    expect(await w.vault.trackedBalance(t3)).to.equal(10n ** 6n);
    expect(await w.vault.totalAssets()).to.equal(before);
    await expect(w.vault.trackedBalance(t0))
      .to.be.revertedWithCustomError(w.vault, "UnknownAsset")
      .withArgs(t0);
  });

  it("registers an adapter serving this vault only; removes it only when empty", async () => {
    const w = await deployWorld(ethers);
    const vaultAddress = await w.vault.getAddress();
    const wrong = await ethers.deployContract("MockPositionAdapter", [
      w.alice.address,
      await w.usdc.getAddress(),
    ]);
    await expect(w.vault.connect(w.curator).addAdapter(await wrong.getAddress()))
      .to.be.revertedWithCustomError(w.vault, "AdapterVaultMismatch")
      .withArgs(await wrong.getAddress(), w.alice.address);
    const adapter = await ethers.deployContract("MockPositionAdapter", [
      vaultAddress,
      await w.usdc.getAddress(),
    ]);
    const a = await adapter.getAddress();
    await expect(w.vault.connect(w.curator).addAdapter(a)).to.emit(w.vault, "AdapterAdded").withArgs(a);
    await expect(w.vault.connect(w.curator).addAdapter(a))
      .to.be.revertedWithCustomError(w.vault, "AdapterRegistration")
      .withArgs(a, true);
    await adapter.setValue(USDC(5));
    await expect(w.vault.connect(w.guardian).removeAdapter(a))
      .to.be.revertedWithCustomError(w.vault, "NotEmpty")
      .withArgs(a, USDC(5));
    await adapter.setValue(0);
    await expect(w.vault.connect(w.guardian).removeAdapter(a)).to.emit(w.vault, "AdapterRemoved").withArgs(a);
    expect((await w.vault.vaultState()).hot.adapterCount).to.equal(0n);
  });
});

describe("RiskParityVault roles and delays (AccessManager)", () => {
  it("assigns every function of the role map to its role; the curator's grant carries the delay", async () => {
    const w = await deployWorld(ethers, { tokens: [], curatorDelay: 3_600 });
    const vaultAddress = await w.vault.getAddress();
    for (const role of Object.keys(FUNCTION_ROLES) as RoleName[]) {
      // every name in the map exists in the compiled vault (no silently skipped entry)
      expect(w.deployment.assignedFunctions[role]).to.deep.equal([...FUNCTION_ROLES[role]]);
      for (const name of FUNCTION_ROLES[role]) {
        const vaultInterface: Interface = w.vault.interface;
        const selector = vaultInterface.getFunction(name)!.selector;
        expect(await w.manager.getTargetFunctionRole(vaultAddress, selector)).to.equal(ROLES[role]);
      }
    }
    // the curator's grant carries the execution delay; guardian and keeper act immediately
    const curator = await w.manager.getAccess(ROLES.CURATOR, w.curator.address);
    expect(curator[1]).to.equal(3_600n); // current execution delay
    expect((await w.manager.hasRole(ROLES.GUARDIAN, w.curator.address))[0]).to.equal(true);
    expect((await w.manager.hasRole(ROLES.KEEPER, w.keeper.address))[1]).to.equal(0n);
  });

  it("refuses every restricted function to an account without the role", async () => {
    const w = await deployWorld(ethers);
    const v = w.vault.connect(w.eve);
    const t = await w.tokens[0]!.getAddress();
    await expect(v.pauseDeposits())
      .to.be.revertedWithCustomError(w.vault, "AccessManagedUnauthorized")
      .withArgs(w.eve.address);
    await expect(v.setDepositCap(1)).to.be.revertedWithCustomError(w.vault, "AccessManagedUnauthorized");
    await expect(v.setFees(0, 0, 0, 0)).to.be.revertedWithCustomError(w.vault, "AccessManagedUnauthorized");
    await expect(v.removeAsset(t)).to.be.revertedWithCustomError(w.vault, "AccessManagedUnauthorized");
    await expect(v.setMaxWeight(t, 1)).to.be.revertedWithCustomError(w.vault, "AccessManagedUnauthorized");
    // the guardian cannot make risk-increasing changes
    await expect(w.vault.connect(w.guardian).setDepositCap(1)).to.be.revertedWithCustomError(
      w.vault,
      "AccessManagedUnauthorized",
    );
    await expect(w.vault.connect(w.guardian).unpauseDeposits()).to.be.revertedWithCustomError(
      w.vault,
      "AccessManagedUnauthorized",
    );
  });

  it("delays the curator's risk-increasing changes and lets risk-reducing ones through at once", async () => {
    const delay = 86_400;
    const w = await deployWorld(ethers, { curatorDelay: delay, tokens: [] });
    const v = w.vault.connect(w.curator);
    // not scheduled: refused
    await expect(v.setDepositCap(USDC(1_000))).to.be.revertedWithCustomError(
      w.manager,
      "AccessManagerNotScheduled",
    );
    // risk-reducing: immediate, for the curator and the guardian
    await expect(v.lowerDepositCap(USDC(5_000))).to.emit(w.vault, "DepositCapSet");
    await expect(w.vault.connect(w.guardian).lowerDepositCap(USDC(6_000)))
      .to.be.revertedWithCustomError(w.vault, "NotLower")
      .withArgs(USDC(5_000), USDC(6_000));
    await w.vault.connect(w.guardian).pauseDeposits();
    expect((await w.vault.vaultState()).hot.depositsPaused).to.equal(true);
    // raising the cap: schedule, wait, execute
    const data = w.vault.interface.encodeFunctionData("setDepositCap", [USDC(10_000)]);
    await scheduleVaultCall(w.deployment, w.curator, data);
    await expect(v.setDepositCap(USDC(10_000))).to.be.revertedWithCustomError(
      w.manager,
      "AccessManagerNotReady",
    );
    await networkHelpers.time.increase(delay);
    await expect(v.setDepositCap(USDC(10_000)))
      .to.emit(w.vault, "DepositCapSet")
      .withArgs(USDC(5_000), USDC(10_000));
    expect((await w.vault.vaultState()).limits.depositCap).to.equal(USDC(10_000));
  });

  it("adds an asset through the delay with the AccessManager as executor (probe from an explicit source)", async () => {
    const delay = 3_600;
    const w = await deployWorld(ethers, { curatorDelay: delay, tokens: [] });
    const { token, tokenAddress, feed, feedAddress } = await newTokenAndFeed();
    await approveProbe(w, token, 10n ** 18n);
    const data = w.vault.interface.encodeFunctionData("addAsset", [
      tokenAddress,
      feedConfig(feedAddress, ANSWER),
      2_000,
      w.curator.address,
      10n ** 18n,
    ]);
    await scheduleVaultCall(w.deployment, w.curator, data);
    await networkHelpers.time.increase(delay);
    await feed.setAnswer(ANSWER);
    await expect(w.manager.connect(w.curator).execute(await w.vault.getAddress(), data)).to.emit(
      w.vault,
      "AssetAdded",
    );
    expect(await w.vault.riskAssetCount()).to.equal(1n);
  });

  it("lets the guardian lower but never raise a max weight", async () => {
    const w = await deployWorld(ethers);
    const t = await w.tokens[0]!.getAddress();
    await expect(w.vault.connect(w.guardian).lowerMaxWeight(t, 6_000))
      .to.be.revertedWithCustomError(w.vault, "NotLower")
      .withArgs(5_000, 6_000);
    await expect(w.vault.connect(w.guardian).lowerMaxWeight(t, 1_000))
      .to.emit(w.vault, "MaxWeightSet")
      .withArgs(t, 5_000, 1_000);
    await expect(w.vault.connect(w.curator).setMaxWeight(t, 10_001)).to.be.revertedWithCustomError(
      w.vault,
      "InvalidBps",
    );
  });

  it("caps every fee in code", async () => {
    const w = await deployWorld(ethers);
    const v = w.vault.connect(w.admin);
    await expect(v.setFees(201, 0, 0, 0))
      .to.be.revertedWithCustomError(w.vault, "FeeAboveCap")
      .withArgs(201, 200);
    await expect(v.setFees(0, 2_001, 0, 0))
      .to.be.revertedWithCustomError(w.vault, "FeeAboveCap")
      .withArgs(2_001, 2_000);
    await expect(v.setFees(0, 0, 101, 0))
      .to.be.revertedWithCustomError(w.vault, "FeeAboveCap")
      .withArgs(101, 100);
    await expect(v.setFees(0, 0, 0, 101))
      .to.be.revertedWithCustomError(w.vault, "FeeAboveCap")
      .withArgs(101, 100);
    await expect(v.setFees(200, 2_000, 100, 100))
      .to.emit(w.vault, "FeesSet")
      .withArgs(200, 2_000, 100, 100);
  });

  it("skims donations (untracked balance) without touching the accounting", async () => {
    const w = await deployWorld(ethers);
    await w.vault.connect(w.alice).deposit(USDC(1000), w.alice.address);
    await w.usdc.mint(await w.vault.getAddress(), USDC(7));
    const ta = await w.vault.totalAssets();
    await expect(w.vault.connect(w.admin).skim(await w.usdc.getAddress(), w.admin.address))
      .to.emit(w.vault, "Skimmed")
      .withArgs(await w.usdc.getAddress(), w.admin.address, USDC(7));
    expect(await w.vault.totalAssets()).to.equal(ta);
  });
});
