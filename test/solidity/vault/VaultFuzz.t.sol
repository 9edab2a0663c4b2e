// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultBase} from "./VaultBase.sol";

/// @notice Fuzz tests of the rules money depends on.
contract VaultFuzzTest is VaultBase {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        _deployWorld();
        _deposit(alice, 100_000e6);
    }

    /// Deposit then redeem (same block) never returns more than was deposited, whatever the holdings,
    /// prices and fees.
    function testFuzz_depositThenRedeemNeverProfits(
        uint256 assets,
        uint256 weth,
        uint256 gain,
        uint16 entry,
        uint16 exit_,
        int256 price
    ) public {
        assets = bound(assets, 1, 10_000_000e6);
        _credit(0, bound(weth, 0, 1_000e18));
        _credit(type(uint256).max, bound(gain, 0, 1_000_000e6));
        feeds[0].setAnswer(bound(price, 31e8, 299_999e8));
        vault.setFees(0, 0, uint16(bound(entry, 0, 100)), uint16(bound(exit_, 0, 100)));
        if (vault.previewDeposit(assets) == 0) return;
        uint256 shares = _deposit(bob, assets);
        uint256 max = vault.maxRedeem(bob);
        if (max == 0) return;
        vm.prank(bob);
        uint256 out = vault.redeem(max < shares ? max : shares, bob, bob);
        assertLe(out, assets);
    }

    /// Mint then withdraw all that is withdrawable never returns more than was paid.
    function testFuzz_mintThenWithdrawNeverProfits(uint256 shares, uint256 weth, uint16 entry, uint16 exit_) public {
        shares = bound(shares, 1e6, 1e22);
        _credit(1, bound(weth, 0, 100e8));
        vault.setFees(0, 0, uint16(bound(entry, 0, 100)), uint16(bound(exit_, 0, 100)));
        uint256 cost = vault.previewMint(shares);
        usdc.mint(bob, cost);
        vm.startPrank(bob);
        usdc.approve(address(vault), cost);
        assertEq(vault.mint(shares, bob), cost);
        uint256 max = vault.maxWithdraw(bob);
        if (max > 0) vault.withdraw(max, bob, bob);
        vm.stopPrank();
        assertLe(usdc.balanceOf(bob), cost);
    }

    /// Donating the asset or any risk asset leaves price per share and totalAssets unchanged.
    function testFuzz_donationsDoNotMoveSharePrice(uint256 usdcAmount, uint256[4] memory amounts) public {
        _credit(0, 5e18);
        uint256 pps = vault.convertToAssets(1e18);
        uint256 ta = vault.totalAssets();
        usdc.mint(address(vault), bound(usdcAmount, 0, 1e18));
        for (uint256 i; i < 4; ++i) tokens[i].mint(address(vault), bound(amounts[i], 0, 1e30));
        assertEq(vault.convertToAssets(1e18), pps);
        assertEq(vault.totalAssets(), ta);
    }

    /// In-kind redemption succeeds for any holder and fraction under any combination of feed states,
    /// and pays exactly the floor of the pro-rata slice of each holding.
    function testFuzz_inKindUnderAnyFeedState(uint8[4] memory kinds, uint256 fraction, bool paused) public {
        _credit(0, 7e18);
        _credit(1, 3e7);
        _credit(3, 1_000e6);
        _deposit(bob, 12_345e6);
        for (uint256 i; i < 4; ++i) _setFeedState(i, kinds[i] % 7);
        if (paused) {
            vault.pauseDeposits();
            vault.pauseRebalance();
        }
        uint256 bal = vault.balanceOf(bob);
        uint256 shares = bound(fraction, 1, bal);
        uint256 denominator = vault.totalSupply() + 1e6;
        uint256 expectedWeth = (vault.trackedBalance(address(tokens[0])) * shares) / denominator;
        uint256 before = tokens[0].balanceOf(bob);
        vm.prank(bob);
        uint256[] memory amounts = vault.redeemInKind(shares, bob, bob, new uint256[](0));
        assertEq(amounts[1], tokens[0].balanceOf(bob) - before);
        // no management/performance fee configured: the slice is exact
        assertEq(amounts[1], expectedWeth);
        assertEq(vault.balanceOf(bob), bal - shares);
    }

    /// totalAssets equals an independent sum of the valued holdings.
    function testFuzz_totalAssetsIsSumOfHoldings(uint256[4] memory amounts, int256[4] memory moves) public {
        for (uint256 i; i < 4; ++i) {
            _credit(i, bound(amounts[i], 0, 10 ** tokens[i].decimals() * 1_000));
            int256 a = initialAnswers[i];
            feeds[i].setAnswer(bound(moves[i], a / 99, a * 99));
        }
        assertEq(vault.totalAssets(), _expectedTotal());
    }
}
