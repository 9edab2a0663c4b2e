// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StdAssertions} from "forge-std/StdAssertions.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {WethVenueBase} from "./WethVenueBase.sol";

/// Fuzzed money rules of the venue: collateral locked equals the worst-case payout (rounded up),
/// LPs can never withdraw it, settlement pays exactly the capped intrinsic value, transferred
/// positions redeem pro rata, and the pool ends with deposit + premium - payouts.
contract OptionVenueFuzzTest is WethVenueBase, StdAssertions, StdUtils {
    uint256 internal constant DEPOSIT = 10_000_000e6;

    address internal lp = address(0x1001);
    address internal holder = address(0x1002);
    address internal other = address(0x1003);

    function setUp() public {
        _deployWethVenue();
        venue.setMaxUtilisation(10_000);
        usdc.mint(lp, DEPOSIT);
        vm.startPrank(lp);
        usdc.approve(address(venue), DEPOSIT);
        venue.deposit(DEPOSIT, lp);
        vm.stopPrank();
        usdc.mint(address(this), 100_000_000e6);
        usdc.approve(address(venue), type(uint256).max);
    }

    struct Case {
        uint256 strike;
        uint256 amount;
        uint64 expiry;
        bool isCall;
        uint256 settlePrice;
        uint256 id;
        uint256 premium;
        uint256 locked;
        uint256 owed;
    }

    Case internal c;

    function testFuzz_collateralSettlementAndRedemption(
        uint256 strikeUsd,
        uint256 amount,
        uint256 daysToExpiry,
        bool isCall,
        uint256 settleUsd,
        uint256 transferred
    ) public {
        c.strike = bound(strikeUsd, 1_000, 3_000) * 1e18;
        c.amount = bound(amount, 1, 1_000e18);
        c.expiry = uint64(block.timestamp + bound(daysToExpiry, 1, 180) * 1 days);
        c.isCall = isCall;
        c.settlePrice = bound(settleUsd, 100, 9_000) * 1e18;
        _buyAndCheckCollateral();
        _settleAndCheckPayout();
        _transferAndRedeem(bound(transferred, 0, c.amount));
    }

    function _buyAndCheckCollateral() internal {
        (c.id, c.premium) = venue.buy(WETH, c.isCall, c.strike, c.expiry, c.amount, type(uint256).max, holder);
        // Put: collateral = strike. Call spread capped at 2x strike: collateral = strike as well.
        c.locked = Math.mulDiv(c.amount, c.strike, 1e30, Math.Rounding.Ceil);
        assertEq(venue.totalLocked(), c.locked, "locked = worst-case payout, rounded up");
        assertEq(venue.totalAssets(), DEPOSIT + c.premium, "premium is pool income");
        assertGe(c.premium, (c.locked * venue.minPremiumBps()) / 10_000, "premium >= minimum share of collateral");
        assertLe(venue.maxWithdraw(lp), venue.totalAssets() - venue.totalLocked(), "LP cannot take collateral");
        assertLe(venue.previewRedeem(venue.maxRedeem(lp)), venue.totalAssets() - venue.totalLocked());
    }

    function _settleAndCheckPayout() internal {
        vm.warp(c.expiry + 1);
        wethFeed.updateAnswer(int256(c.settlePrice / 1e10));
        venue.settle(c.id, uint80(wethFeed.latestRound()));
        uint256 intrinsic =
            c.isCall
                ? Math.min(c.settlePrice > c.strike ? c.settlePrice - c.strike : 0, c.strike)
                : (c.strike > c.settlePrice ? c.strike - c.settlePrice : 0);
        assertEq(venue.series(c.id).payoutPerOption, intrinsic);
        c.owed = venue.totalOwed();
        assertEq(c.owed, Math.mulDiv(c.amount, intrinsic, 1e30, Math.Rounding.Ceil));
        assertLe(c.owed, c.locked, "payout never exceeds the collateral");
        assertEq(venue.totalLocked(), 0);
    }

    function _transferAndRedeem(uint256 part) internal {
        vm.prank(holder);
        venue.safeTransferFrom(holder, other, c.id, part, "");
        uint256 paid;
        if (part > 0) {
            vm.prank(other);
            paid += venue.redeemPosition(c.id, part, other);
        }
        if (c.amount - part > 0) {
            vm.prank(holder);
            paid += venue.redeemPosition(c.id, c.amount - part, holder);
        }
        assertEq(usdc.balanceOf(holder) + usdc.balanceOf(other), paid);
        assertLe(paid, c.owed);
        assertGe(paid + 2, c.owed, "at most one unit of rounding per redemption");
        assertEq(venue.totalOwed(), 0);
        assertEq(venue.totalAssets(), DEPOSIT + c.premium - paid, "pool = deposit + premium - payouts");
        assertEq(usdc.balanceOf(address(venue)), venue.totalAssets());
    }

    /// Selling back never pays more than the collateral it releases, and a round trip loses the spread.
    function testFuzz_sellBackReleasesCollateral(
        uint256 strikeUsd,
        uint256 amount,
        uint256 daysToExpiry,
        bool isCall
    ) public {
        uint256 strike = bound(strikeUsd, 1_000, 3_000) * 1e18;
        amount = bound(amount, 1e12, 1_000e18);
        uint64 expiry = uint64(block.timestamp + bound(daysToExpiry, 1, 180) * 1 days);
        (uint256 id, uint256 premium) = venue.buy(
            WETH,
            isCall,
            strike,
            expiry,
            amount,
            type(uint256).max,
            address(0xBEEF)
        );
        uint256 lockedBefore = venue.totalLocked();
        vm.prank(address(0xBEEF));
        uint256 proceeds = venue.sell(id, amount, 0, address(0xBEEF));
        assertLe(proceeds, premium, "bid <= ask");
        assertLe(proceeds, lockedBefore);
        assertEq(venue.totalLocked(), 0);
        assertEq(venue.totalAssets(), DEPOSIT + premium - proceeds);
    }
}
