// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Slim forge-std base instead of Test.sol (which pulls in 428 KB of safeconsole.sol): keeps the
// compilation input under the wasm solc's ~1.3 MB input limit (see docs/options-venue.md).
import {TestBase} from "forge-std/Base.sol";
import {OptionVenue} from "../../../contracts/options/OptionVenue.sol";
import {BlackScholesPricer} from "../../../contracts/options/BlackScholesPricer.sol";
import {VolatilityOracle} from "../../../contracts/options/VolatilityOracle.sol";
import {OracleLib} from "../../../contracts/libraries/OracleLib.sol";
import {OptionsMockUSDC} from "../../../contracts/test/OptionsMockUSDC.sol";
import {OptionsMockAggregator, OptionsTestAccessManager} from "../../../contracts/test/OptionsTestImports.sol";

/// @notice The reference OptionVenue over a mock USDC with WETH listed, for the venue's and the
///         yield leg's fuzz tests. This contract is the access manager's admin (it holds every
///         restricted function of the venue and the volatility oracle).
abstract contract WethVenueBase is TestBase {
    address internal constant WETH = address(0xE7);

    OptionsMockUSDC internal usdc;
    OptionsMockAggregator internal wethFeed;
    VolatilityOracle internal vols;
    OptionVenue internal venue;

    /// @notice At time 1_700_000_000: the venue (call cap 2x strike) with WETH at 2,000 USD on an
    ///         8-decimal feed (heartbeat 3600 s, bounds 1 USD to 1M USD) and an 80% volatility
    ///         (oracle bounds 5% to 500%, max age 1 day). No liquidity yet.
    function _deployWethVenue() internal {
        vm.warp(1_700_000_000);
        OptionsTestAccessManager manager = new OptionsTestAccessManager(address(this));
        usdc = new OptionsMockUSDC();
        wethFeed = new OptionsMockAggregator(8, 2_000e8);
        vols = new VolatilityOracle(address(manager));
        vols.setConfig(WETH, 0.05e18, 5e18, 1 days);
        vols.setVolatility(WETH, 0.8e18);
        venue = new OptionVenue(usdc, address(manager), new BlackScholesPricer(), vols, 2e18);
        venue.listUnderlying(WETH, OracleLib.Feed(address(wethFeed), 3600, 8, 1e8, 1e14));
    }
}
