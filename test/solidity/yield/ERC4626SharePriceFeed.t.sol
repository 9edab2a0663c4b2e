// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Slim forge-std base (see test/solidity/options/WethVenueBase.sol for why not Test.sol).
import {TestBase} from "forge-std/Base.sol";
import {StdAssertions} from "forge-std/StdAssertions.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {ERC4626SharePriceFeed} from "../../../contracts/adapters/ERC4626SharePriceFeed.sol";
import {ERC4626SwapAdapter} from "../../../contracts/adapters/ERC4626SwapAdapter.sol";
import {ISwapAdapter} from "../../../contracts/interfaces/ISwapAdapter.sol";
import {OptionsMockUSDC} from "../../../contracts/test/OptionsMockUSDC.sol";
import {CappedERC4626} from "../../../contracts/test/CappedERC4626.sol";
import {OptionsMockAggregator} from "../../../contracts/test/OptionsTestImports.sol";
import {WethVenueBase} from "../options/WethVenueBase.sol";

/// Fuzzed rules of the yield leg's price feed and adapter on the reference OptionVenue:
/// - the share price never falls on deposits or redemptions (rounding favours the pool) and rises
///   by at most rounding dust;
/// - premiums received and donations only raise it;
/// - the adapter's round trip never returns more than was put in;
/// - the feed passes the stablecoin's round fields through and scales with its answer.
contract ERC4626SharePriceFeedFuzzTest is WethVenueBase, StdAssertions, StdUtils {
    uint256 internal constant SEED = 1_000_000e6;

    OptionsMockAggregator internal usdFeed;
    ERC4626SharePriceFeed internal feed;
    ERC4626SwapAdapter internal adapter;
    address[3] internal actors = [address(0x1001), address(0x1002), address(0x1003)];

    function setUp() public {
        _deployWethVenue();
        usdFeed = new OptionsMockAggregator(8, 1e8);
        feed = new ERC4626SharePriceFeed(venue, usdFeed);
        adapter = new ERC4626SwapAdapter(venue);
        for (uint256 i; i < actors.length; ++i) {
            usdc.mint(actors[i], 100_000_000e6);
            vm.startPrank(actors[i]);
            usdc.approve(address(venue), type(uint256).max);
            usdc.approve(address(adapter), type(uint256).max);
            venue.approve(address(adapter), type(uint256).max);
            vm.stopPrank();
        }
        // A permanent LP: the pool is never empty (an empty pool's "price" is the virtual offset's
        // artefact, and nobody holds a share to be priced by it).
        usdc.mint(address(this), 100_000_000e6);
        usdc.approve(address(venue), type(uint256).max);
        venue.deposit(SEED, address(0xD00D));
    }

    function _price() internal view returns (uint256) {
        (, int256 answer, , , ) = feed.latestRoundData();
        return uint256(answer);
    }

    /// Deposits and redemptions by several LPs (directly and through the adapter) in any order.
    function testFuzz_priceNeverFallsOnDepositsAndRedemptions(
        uint256[6] calldata amounts,
        uint8[6] calldata kinds,
        bool withPremium
    ) public {
        if (withPremium) {
            venue.buy(
                WETH,
                false,
                1_800e18,
                uint64(block.timestamp + 20 days),
                50e18,
                type(uint256).max,
                address(0xB0B)
            );
        }
        uint256 last = _price();
        for (uint256 k; k < amounts.length; ++k) {
            address who = actors[kinds[k] % 3];
            uint8 op = (kinds[k] / 3) % 4;
            if (op == 0) {
                vm.prank(who);
                venue.deposit(bound(amounts[k], 1, 5_000_000e6), who);
            } else if (op == 1) {
                uint256 maxShares = venue.maxRedeem(who);
                if (maxShares == 0) continue;
                vm.prank(who);
                venue.redeem(bound(amounts[k], 1, maxShares), who, who);
            } else if (op == 2) {
                vm.prank(who);
                adapter.swap(address(usdc), address(venue), bound(amounts[k], 1, 5_000_000e6), 0, _empty());
            } else {
                uint256 maxShares = venue.maxRedeem(who);
                uint256 shares = bound(amounts[k], 0, maxShares);
                if (shares == 0 || venue.previewRedeem(shares) == 0) continue;
                vm.prank(who);
                adapter.swap(address(venue), address(usdc), shares, 0, _empty());
            }
            uint256 p = _price();
            assertGe(p, last, "share price fell");
            // Rounding dust only: at most 1e-8 relative per operation (the pool holds >= SEED).
            assertLe(p - last, last / 1e8 + 1, "share price jumped");
            last = p;
        }
    }

    /// A premium and a donation raise the price; a round trip through the adapter returns at most
    /// what went in.
    function testFuzz_premiumDonationAndRoundTrip(uint256 donation, uint256 assetsIn) public {
        uint256 p0 = _price();
        venue.buy(WETH, false, 1_800e18, uint64(block.timestamp + 20 days), 10e18, type(uint256).max, address(0xB0B));
        uint256 p1 = _price();
        assertGt(p1, p0, "premium did not raise the price");
        donation = bound(donation, 1e6, 1_000_000e6);
        usdc.mint(address(venue), donation);
        uint256 p2 = _price();
        assertGt(p2, p1, "donation did not raise the price");

        address who = actors[1];
        assetsIn = bound(assetsIn, 1, 1_000_000e6);
        uint256 usdcBefore = usdc.balanceOf(who);
        vm.startPrank(who);
        uint256 shares = adapter.swap(address(usdc), address(venue), assetsIn, 0, _empty());
        if (shares > 0 && venue.previewRedeem(shares) > 0) {
            adapter.swap(address(venue), address(usdc), shares, 0, _empty());
        }
        vm.stopPrank();
        assertLe(usdc.balanceOf(who), usdcBefore, "round trip created value");
        assertEq(usdc.balanceOf(address(adapter)), 0, "adapter kept assets");
        assertEq(venue.balanceOf(address(adapter)), 0, "adapter kept shares");
    }

    /// The answer scales with the stablecoin's answer and carries its round fields.
    function testFuzz_composesWithStablecoinFeed(uint256 usdAnswer) public {
        usdAnswer = bound(usdAnswer, 0.5e8, 2e8);
        usdFeed.updateAnswer(int256(usdAnswer));
        (uint80 r0, , uint256 s0, uint256 u0, uint80 a0) = usdFeed.latestRoundData();
        (uint80 r1, int256 answer, uint256 s1, uint256 u1, uint80 a1) = feed.latestRoundData();
        assertEq(r1, r0);
        assertEq(s1, s0);
        assertEq(u1, u0);
        assertEq(a1, a0);
        uint256 expected = (feed.assetsPerShareScaled() * usdAnswer * 1e10) / (1e6 * 1e18);
        assertEq(uint256(answer), expected);
        (, int256 historical, , , ) = feed.getRoundData(r0);
        assertEq(historical, answer);
    }

    function _empty() internal pure returns (ISwapAdapter.Route memory r) {
        return r;
    }
}

/// The adapter's deposit limit and the feed's use of previewRedeem on a pool with an exit fee.
contract ERC4626AdapterCappedPoolTest is TestBase, StdAssertions, StdUtils {
    OptionsMockUSDC internal usdc;
    OptionsMockAggregator internal usdFeed;
    CappedERC4626 internal pool;
    ERC4626SharePriceFeed internal feed;
    ERC4626SwapAdapter internal adapter;

    function setUp() public {
        usdc = new OptionsMockUSDC();
        usdFeed = new OptionsMockAggregator(8, 1e8);
        pool = new CappedERC4626(usdc);
        feed = new ERC4626SharePriceFeed(pool, usdFeed);
        adapter = new ERC4626SwapAdapter(pool);
        usdc.mint(address(this), 10_000_000e6);
        usdc.approve(address(adapter), type(uint256).max);
        pool.approve(address(adapter), type(uint256).max);
        usdc.approve(address(pool), type(uint256).max);
        pool.deposit(1_000_000e6, address(0xD00D));
    }

    function test_depositAboveMaxDepositRevertsWithValues() public {
        pool.setParams(500e6, 0);
        ISwapAdapter.Route memory r;
        vm.expectRevert(abi.encodeWithSelector(ERC4626SwapAdapter.ERC4626AdapterDepositLimited.selector, 501e6, 500e6));
        adapter.swap(address(usdc), address(pool), 501e6, 0, r);
        adapter.swap(address(usdc), address(pool), 500e6, 0, r);
        assertGt(pool.balanceOf(address(this)), 0);
    }

    /// The feed prices a share at what redeeming pays (net of the exit fee), and min-out binds on
    /// the fee: asking the gross amount reverts with the measured output.
    function testFuzz_exitFeePricedAndMinOutEnforced(uint256 feeBps, uint256 assetsIn) public {
        feeBps = bound(feeBps, 1, 500);
        assetsIn = bound(assetsIn, 1e6, 1_000_000e6);
        pool.setParams(type(uint256).max, feeBps);
        (, int256 answer, , , ) = feed.latestRoundData();
        uint256 netPerShare = pool.previewRedeem(1e12 * 1e18);
        assertEq(uint256(answer), (netPerShare * 1e18) / (1e6 * 1e18));
        assertLt(netPerShare, pool.convertToAssets(1e12 * 1e18));

        ISwapAdapter.Route memory r;
        uint256 shares = adapter.swap(address(usdc), address(pool), assetsIn, 0, r);
        uint256 net = pool.previewRedeem(shares);
        uint256 gross = pool.convertToAssets(shares);
        vm.assume(net < gross);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4626SwapAdapter.ERC4626AdapterInsufficientOutput.selector, net, gross)
        );
        adapter.swap(address(pool), address(usdc), shares, gross, r);
        assertEq(adapter.swap(address(pool), address(usdc), shares, net, r), net);
    }
}
