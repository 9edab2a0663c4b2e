// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {RiskParityVaultHarness} from "../../../contracts/test/RiskParityVaultHarness.sol";
import {VaultAccessManager} from "../../../contracts/VaultAccessManager.sol";
import {MockUSDC, MockToken} from "../../../contracts/test/MockTokens.sol";
import {MockAggregator} from "../../../contracts/test/MockAggregator.sol";
import {OracleLib} from "../../../contracts/libraries/OracleLib.sol";

/// @notice Deploys a vault (this contract is the AccessManager admin, which by default holds every
///         restricted function), mock USDC and four risk assets with 8-decimal feeds.
abstract contract VaultBase is Test {
    uint32 internal constant HEARTBEAT = 3600;

    MockUSDC internal usdc;
    VaultAccessManager internal manager;
    RiskParityVaultHarness internal vault;
    MockToken[] internal tokens;
    MockAggregator[] internal feeds;
    int256[] internal initialAnswers;

    function _deployWorld() internal {
        vm.warp(1_700_000_000);
        usdc = new MockUSDC();
        manager = new VaultAccessManager(address(this));
        vault = new RiskParityVaultHarness(usdc, "Risk Parity Vault", "rpUSDC", address(manager));
        _addToken("WETH", 18, 3_000e8);
        _addToken("WBTC", 8, 60_000e8);
        _addToken("LINK", 18, 15e8);
        _addToken("SOLx", 6, 150e8);
    }

    function _addToken(string memory sym, uint8 dec, int256 answer) internal {
        MockToken t = new MockToken(sym, sym, dec);
        MockAggregator f = new MockAggregator(8, answer);
        uint256 probe = 10 ** dec;
        t.mint(address(this), probe);
        t.approve(address(vault), probe);
        vault.addAsset(
            address(t),
            OracleLib.Feed({
                feed: address(f),
                heartbeat: HEARTBEAT,
                decimals: 8,
                minPrice: uint64(uint256(answer) / 100),
                maxPrice: uint64(uint256(answer) * 100)
            }),
            5_000,
            address(this),
            probe
        );
        tokens.push(t);
        feeds.push(f);
        initialAnswers.push(answer);
    }

    /// @dev Credits `amount` of token `i` (or USDC when i == type(uint256).max) to the vault's books.
    function _credit(uint256 i, uint256 amount) internal {
        if (amount == 0) return;
        if (i == type(uint256).max) {
            usdc.mint(address(this), amount);
            usdc.approve(address(vault), amount);
            vault.harnessMove(address(usdc), int256(amount));
        } else {
            tokens[i].mint(address(this), amount);
            tokens[i].approve(address(vault), amount);
            vault.harnessMove(address(tokens[i]), int256(amount));
        }
    }

    function _deposit(address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(vault), assets);
        shares = vault.deposit(assets, who);
        vm.stopPrank();
    }

    /// @dev Independent valuation: idle + sum(balance x answer) with the same two floors as the vault.
    function _expectedTotal() internal view returns (uint256 sum) {
        sum = vault.idleAssets();
        for (uint256 i; i < tokens.length; ++i) {
            uint256 bal = vault.trackedBalance(address(tokens[i]));
            if (bal == 0) continue;
            (, int256 answer, , , ) = feeds[i].latestRoundData();
            uint256 usd = (bal * uint256(answer) * 1e10) / 10 ** tokens[i].decimals();
            sum += usd / 1e12;
        }
    }

    /// @dev Puts feed `i` into state `kind`: 0 healthy (fresh), 1 reverts, 2 stale, 3 zero, 4 negative,
    ///      5 out of bounds, 6 short return data.
    function _setFeedState(uint256 i, uint256 kind) internal {
        MockAggregator f = feeds[i];
        f.setReverts(false);
        f.setShortData(false);
        f.setAnswer(initialAnswers[i]);
        if (kind == 1) f.setReverts(true);
        else if (kind == 2) f.setRound(initialAnswers[i], 1, 1);
        else if (kind == 3) f.setAnswer(0);
        else if (kind == 4) f.setAnswer(-1);
        else if (kind == 5) f.setAnswer(initialAnswers[i] * 1000);
        else if (kind == 6) f.setShortData(true);
    }
}
