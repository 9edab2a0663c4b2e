// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {VaultBase} from "./VaultBase.sol";
import {RiskParityVaultHarness} from "../../../contracts/test/RiskParityVaultHarness.sol";
import {MockToken, MockUSDC} from "../../../contracts/test/MockTokens.sol";
import {MockAggregator} from "../../../contracts/test/MockAggregator.sol";

/// @notice Drives the vault with random deposits, exits, in-kind exits, donations, price moves,
///         feed failures, gains/losses and time. Each action that should always work records a
///         flag when it does not; the invariants assert the flags and the accounting.
contract VaultHandler is Test {
    RiskParityVaultHarness internal vault;
    MockUSDC internal usdc;
    MockToken[] internal tokens;
    MockAggregator[] internal feeds;
    int256[] internal answers;
    address[] internal actors;

    bool public roundTripProfited;
    bool public donationMovedPrice;
    bool public inKindFailed;
    bool public maxRedeemFailed;
    uint256 public inKindCalls;

    constructor(
        RiskParityVaultHarness v,
        MockUSDC u,
        MockToken[] memory t,
        MockAggregator[] memory f,
        int256[] memory a
    ) {
        (vault, usdc, tokens, feeds, answers) = (v, u, t, f, a);
        for (uint256 i; i < 3; ++i) actors.push(address(uint160(0xA11CE + i)));
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function deposit(uint256 seed, uint256 assets) external {
        address a = _actor(seed);
        assets = bound(assets, 1, 1_000_000e6);
        if (vault.maxDeposit(a) == 0 || vault.previewDeposit(assets) == 0) return;
        usdc.mint(a, assets);
        vm.startPrank(a);
        usdc.approve(address(vault), assets);
        vault.deposit(assets, a);
        vm.stopPrank();
    }

    function roundTrip(uint256 seed, uint256 assets) external {
        address a = _actor(seed);
        assets = bound(assets, 1, 1_000_000e6);
        if (vault.maxDeposit(a) == 0 || vault.previewDeposit(assets) == 0) return;
        usdc.mint(a, assets);
        uint256 before = usdc.balanceOf(a);
        vm.startPrank(a);
        usdc.approve(address(vault), assets);
        uint256 shares = vault.deposit(assets, a);
        uint256 max = vault.maxRedeem(a);
        if (max > shares) max = shares;
        if (max > 0) vault.redeem(max, a, a);
        vm.stopPrank();
        if (usdc.balanceOf(a) > before) roundTripProfited = true;
    }

    function redeemMax(uint256 seed) external {
        address a = _actor(seed);
        uint256 max = vault.maxRedeem(a);
        if (max == 0) return;
        vm.prank(a);
        try vault.redeem(max, a, a) {} catch {
            maxRedeemFailed = true;
        }
    }

    function withdrawMax(uint256 seed) external {
        address a = _actor(seed);
        uint256 max = vault.maxWithdraw(a);
        if (max == 0) return;
        vm.prank(a);
        try vault.withdraw(max, a, a) {} catch {
            maxRedeemFailed = true;
        }
    }

    function redeemInKind(uint256 seed, uint256 fraction) external {
        address a = _actor(seed);
        uint256 bal = vault.balanceOf(a);
        if (bal == 0) return;
        uint256 shares = bound(fraction, 1, bal);
        ++inKindCalls;
        vm.prank(a);
        try vault.redeemInKind(shares, a, a, new uint256[](0)) {} catch {
            inKindFailed = true;
        }
    }

    function donate(uint256 which, uint256 amount) external {
        uint256 pps = vault.convertToAssets(1e18);
        which = which % (tokens.length + 1);
        if (which == tokens.length) usdc.mint(address(vault), bound(amount, 1, 1e15));
        else tokens[which].mint(address(vault), bound(amount, 1, 1e30));
        if (vault.convertToAssets(1e18) != pps) donationMovedPrice = true;
    }

    function movePrice(uint256 i, uint256 bps, bool up) external {
        i = i % feeds.length;
        bps = bound(bps, 0, 2_000);
        int256 a = answers[i];
        int256 next = up ? (a * int256(10_000 + bps)) / 10_000 : (a * int256(10_000 - bps)) / 10_000;
        (, int256 initial, , , ) = feeds[i].latestRoundData();
        initial; // bounds are 1/100x..100x of the registration answer; stay well inside
        if (next <= 0) return;
        answers[i] = next;
        feeds[i].setAnswer(next);
    }

    function breakFeed(uint256 i, uint256 kind) external {
        i = i % feeds.length;
        kind = kind % 4;
        if (kind == 0) feeds[i].setReverts(true);
        else if (kind == 1) feeds[i].setRound(answers[i], 1, 1);
        else if (kind == 2) feeds[i].setAnswer(0);
        else feeds[i].setShortData(true);
    }

    function healFeeds() external {
        for (uint256 i; i < feeds.length; ++i) {
            feeds[i].setReverts(false);
            feeds[i].setShortData(false);
            feeds[i].setAnswer(answers[i]);
        }
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 2 days));
    }

    /// A trading gain or loss: credit or debit up to 10 % of a holding.
    function pnl(uint256 i, uint256 amount, bool gain) external {
        i = i % tokens.length;
        uint256 held = vault.trackedBalance(address(tokens[i]));
        if (gain) {
            amount = bound(amount, 1, 10 ** tokens[i].decimals() * 10);
            tokens[i].mint(address(this), amount);
            tokens[i].approve(address(vault), amount);
            vault.harnessMove(address(tokens[i]), int256(amount));
        } else if (held > 10) {
            vault.harnessMove(address(tokens[i]), -int256(bound(amount, 1, held / 10)));
        }
    }
}

/// @notice Handler-based invariants of the vault's accounting.
contract VaultInvariantTest is VaultBase {
    VaultHandler internal handler;

    function setUp() public {
        _deployWorld();
        vault.setFeeRecipient(makeAddr("fees"));
        vault.setFees(100, 1_000, 20, 20);
        handler = new VaultHandler(vault, usdc, tokens, feeds, initialAnswers);
        _deposit(makeAddr("seed"), 10_000e6);
        _credit(0, 3e18);
        targetContract(address(handler));
    }

    /// Deposit then immediate redeem never profits.
    function invariant_roundTripNeverProfits() public view {
        assertFalse(handler.roundTripProfited());
    }

    /// Donations never move the share price.
    function invariant_donationsDoNotMoveSharePrice() public view {
        assertFalse(handler.donationMovedPrice());
    }

    /// In-kind redemption never failed, whatever the feed state.
    function invariant_inKindAlwaysWorks() public view {
        assertFalse(handler.inKindFailed());
    }

    /// maxRedeem / maxWithdraw never over-promise.
    function invariant_maxExitsAreHonoured() public view {
        assertFalse(handler.maxRedeemFailed());
    }

    /// totalAssets equals the independently computed sum of valued holdings (when healthy).
    function invariant_totalAssetsIsSumOfHoldings() public view {
        if (!vault.isHealthy()) return;
        assertEq(vault.totalAssets(), _expectedTotal());
    }

    /// The books never claim more than the vault holds.
    function invariant_solvent() public view {
        assertGe(usdc.balanceOf(address(vault)), vault.idleAssets());
        for (uint256 i; i < tokens.length; ++i) {
            assertGe(tokens[i].balanceOf(address(vault)), vault.trackedBalance(address(tokens[i])));
        }
    }
}
