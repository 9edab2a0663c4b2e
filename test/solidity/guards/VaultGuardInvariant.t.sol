// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {VaultBase} from "../vault/VaultBase.sol";
import {IRiskParityVault} from "../../../contracts/interfaces/IRiskParityVault.sol";
import {ISwapAdapter} from "../../../contracts/interfaces/ISwapAdapter.sol";
import {TradeMath} from "../../../contracts/libraries/TradeMath.sol";
import {LeverageLib} from "../../../contracts/libraries/LeverageLib.sol";
import {VaultTypes} from "../../../contracts/libraries/VaultTypes.sol";
import {OracleSwapAdapter} from "../../../contracts/test/guards/OracleSwapAdapter.sol";

/// Random keeper plans (filled by an adapter at the oracle minus a random slippage, sometimes
/// beyond the allowance), price moves, deposits, exits, deleverage calls and time, against the real
/// vault. After every successful keeper or deleverage call the handler checks the issue-4 rules
/// and counts violations; the invariants require zero.
contract VaultGuardHandler is VaultBase {
    OracleSwapAdapter public adapter;
    address[3] internal actors = [address(0xA11CE), address(0xB0B), address(0xCA11)];

    uint256 public constant MAX_LEVERAGE = 15e17;
    uint16 public constant SLIPPAGE = 100;
    uint16 public constant LOSS_BUDGET_BPS = 20;
    uint16 public constant CHUNK_BPS = 500;
    uint16 public constant DELEVERAGE_BUDGET_BPS = 2_000;
    uint32 public constant WINDOW = 1 days;

    uint256 public supplyViolations;
    uint256 public leverageViolations;
    uint256 public weightViolations;
    uint256 public lossViolations;
    uint256 public deleverageViolations;
    uint256 public keeperSuccesses;
    bytes4 public lastKeeperError;
    uint256 public keeperRefusedByBudget;
    bytes public lastDeleverageError;
    uint256 public deleverageSuccesses;

    uint256 public maxTotalSeen;
    uint256[] internal _lossT;
    uint256[] internal _lossA;
    uint256[] internal _delT;
    uint256[] internal _delA;

    constructor() {
        _deployWorld();
        adapter = new OracleSwapAdapter();
        adapter.setPrice(address(usdc), 1e18);
        for (uint256 i; i < tokens.length; ++i) adapter.setPrice(address(tokens[i]), uint256(initialAnswers[i]) * 1e10);
        vault.setSwapAdapter(address(adapter));
        for (uint256 i; i < tokens.length; ++i) {
            vault.setDeleverageRoute(
                address(tokens[i]),
                address(adapter),
                ISwapAdapter.Route({fees: new uint24[](1), intermediates: new address[](0)})
            );
        }
        vault.setLimits(
            VaultTypes.RiskLimits({
                // below a spot book's leverage, so the drawdown trigger has something to sell
                targetLeverage: 3e17,
                maxLeverage: uint64(MAX_LEVERAGE),
                ripcordLeverage: 2e18,
                maxSlippageBps: SLIPPAGE,
                deleverageSlippageBps: 300,
                maxLossPerRebalanceBps: 100,
                lossBudgetBps: LOSS_BUDGET_BPS,
                maxTradeValue: 300_000e6,
                window: WINDOW,
                minRebalanceInterval: 0,
                deleverageCooldown: 600,
                turnoverBps: 20_000,
                deleverageChunkBps: CHUNK_BPS,
                deleverageBudgetBps: DELEVERAGE_BUDGET_BPS,
                drawdownBps: 1_000,
                bountyBps: 10,
                maxBounty: 100e6
            })
        );
        _deposit(actors[0], 1_000_000e6);
    }

    // ------------------------------------------------------------------ helpers

    function _token(uint256 i) internal view returns (address) {
        i = i % (tokens.length + 1);
        return i == tokens.length ? address(usdc) : address(tokens[i]);
    }

    function _held(address t) internal view returns (uint256) {
        return t == address(usdc) ? vault.idleAssets() : vault.trackedBalance(t);
    }

    function _dec(address t) internal view returns (uint8) {
        return t == address(usdc) ? 6 : tokens[_indexOf(t)].decimals();
    }

    /// 18-decimal USD price from the token's mock feed (8 decimals), as the vault reads it.
    function _price(address t) internal view returns (uint256) {
        if (t == address(usdc)) return 1e18;
        (, int256 a, , , ) = feeds[_indexOf(t)].latestRoundData();
        return uint256(a) * 1e10;
    }

    function _indexOf(address t) internal view returns (uint256 i) {
        while (address(tokens[i]) != t) ++i;
    }

    function _refreshFeeds() internal {
        for (uint256 i; i < feeds.length; ++i) {
            (, int256 a, , , ) = feeds[i].latestRoundData();
            feeds[i].setAnswer(a);
        }
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }

    function _checkAfterKeeper(uint256 supplyBefore, IRiskParityVault.RebalanceBounds memory before) internal {
        if (vault.totalSupply() != supplyBefore) ++supplyViolations;
        IRiskParityVault.RebalanceBounds memory b = vault.rebalanceBounds();
        // the vault's rule: leverage <= max, or (already above) not made worse
        if (b.leverage > MAX_LEVERAGE && b.leverage > before.leverage) ++leverageViolations;
        for (uint256 i; i < b.assets.length; ++i) {
            uint256 w = _abs(b.assets[i].netExposure);
            // weight <= max, or (already above) not grown
            if (
                !LeverageLib.weightWithin(w, b.totalValue, b.assets[i].maxWeightBps) &&
                w > _abs(before.assets[i].netExposure)
            ) {
                ++weightViolations;
            }
        }
        uint256 loss = before.totalValue > b.totalValue ? before.totalValue - b.totalValue : 0;
        if (loss > (before.totalValue * 100) / 10_000 + 1) ++lossViolations; // maxLossPerRebalanceBps
        _lossT.push(block.timestamp);
        _lossA.push(loss);
        if (before.totalValue > maxTotalSeen) maxTotalSeen = before.totalValue;
    }

    // ------------------------------------------------------------------ actions

    /// A keeper batch of 1-3 trades at the loosest bound the vault accepts; the adapter fills at
    /// the oracle minus 0-200 bps (above the 100 bps allowance such fills must revert).
    function keeperRebalance(uint256 seed, uint8 nRaw, uint16 slipRaw) external {
        uint256 n = bound(nRaw, 1, 3);
        // half the time just inside the allowance (about the worst fill the vault accepts), else 0-200 bps
        adapter.setSlippageBps(slipRaw % 2 == 0 ? SLIPPAGE - 1 : bound(slipRaw, 0, 2 * SLIPPAGE));
        IRiskParityVault.Trade[] memory trades = new IRiskParityVault.Trade[](n);
        for (uint256 k; k < n; ++k) {
            uint256 s = uint256(keccak256(abi.encode(seed, k)));
            address tIn = _token(s);
            address tOut = _token(s / 7 + 1 + (s % 5));
            if (tOut == tIn) tOut = _token((s % 5) + 1);
            if (_held(tIn) < 1_000) {
                // nothing to sell: buy instead (USDC into the chosen token, or into WETH)
                tOut = tIn == address(usdc) ? address(tokens[0]) : tIn;
                tIn = address(usdc);
            }
            uint256 held = _held(tIn);
            if (held < 1_000) return;
            // at most half the holding and 250k USD (the per-trade cap is 300k)
            uint256 cap = held / 2;
            uint256 capValue = (250_000e18 * 10 ** _dec(tIn)) / _price(tIn);
            if (cap > capValue) cap = capValue;
            uint256 amountIn = bound(s >> 16, 1, cap);
            trades[k] = IRiskParityVault.Trade({
                tokenIn: tIn,
                tokenOut: tOut,
                amountIn: amountIn,
                minAmountOut: TradeMath.minAmountOut(
                    amountIn,
                    _price(tIn),
                    _dec(tIn),
                    _price(tOut),
                    _dec(tOut),
                    SLIPPAGE
                ),
                adapter: address(adapter),
                route: ISwapAdapter.Route({fees: new uint24[](1), intermediates: new address[](0)})
            });
        }
        IRiskParityVault.RebalanceBounds memory b = vault.rebalanceBounds();
        uint256 supplyBefore = vault.totalSupply();
        try vault.rebalance(trades, b.nonce, block.timestamp) {
            ++keeperSuccesses;
            _checkAfterKeeper(supplyBefore, b);
        } catch (bytes memory err) {
            lastKeeperError = bytes4(err);
            if (bytes4(err) == bytes4(keccak256("WindowBudgetExceeded(uint256,uint256)"))) ++keeperRefusedByBudget;
        }
    }

    /// Builds a book: one keeper trade buying up to 250k USD of risk asset `i` (fill 0-50 bps).
    function buyRisk(uint256 i, uint96 usdRaw, uint16 slipRaw) external {
        address t = address(tokens[i % tokens.length]);
        uint256 amountIn = bound(usdRaw, 1_000e6, 250_000e6);
        if (amountIn > vault.idleAssets()) return;
        adapter.setSlippageBps(bound(slipRaw, 0, 50));
        IRiskParityVault.Trade[] memory trades = new IRiskParityVault.Trade[](1);
        trades[0] = IRiskParityVault.Trade({
            tokenIn: address(usdc),
            tokenOut: t,
            amountIn: amountIn,
            minAmountOut: TradeMath.minAmountOut(amountIn, 1e18, 6, _price(t), _dec(t), SLIPPAGE),
            adapter: address(adapter),
            route: ISwapAdapter.Route({fees: new uint24[](1), intermediates: new address[](0)})
        });
        IRiskParityVault.RebalanceBounds memory b = vault.rebalanceBounds();
        uint256 supplyBefore = vault.totalSupply();
        try vault.rebalance(trades, b.nonce, block.timestamp) {
            ++keeperSuccesses;
            _checkAfterKeeper(supplyBefore, b);
        } catch {}
    }

    /// One risk asset's oracle (and the adapter's price) moves by up to +-30 %.
    function movePrice(uint256 i, int16 bpsRaw) external {
        i = i % feeds.length;
        int256 m = bound(bpsRaw, -3_000, 3_000);
        (, int256 a, , , ) = feeds[i].latestRoundData();
        int256 na = (a * (10_000 + m)) / 10_000;
        if (na <= initialAnswers[i] / 50 || na >= initialAnswers[i] * 50) return;
        feeds[i].setAnswer(na);
        adapter.setPrice(address(tokens[i]), uint256(na) * 1e10);
    }

    function deposit(uint256 who, uint96 amount) external {
        amount = uint96(bound(amount, 1e6, 200_000e6));
        try this.depositAs(actors[who % 3], amount) {} catch {}
    }

    function depositAs(address who, uint256 amount) external {
        // solhint-disable-next-line custom-errors
        require(msg.sender == address(this), "self only");
        _deposit(who, amount);
    }

    function redeem(uint256 who, uint16 fracBps) external {
        address a = actors[who % 3];
        uint256 shares = (vault.balanceOf(a) * bound(fracBps, 1, 10_000)) / 10_000;
        if (shares == 0) return;
        vm.prank(a);
        try vault.redeem(shares, a, a) {} catch {
            vm.prank(a);
            try vault.redeemInKind(shares, a, a, new uint256[](0)) {} catch {}
        }
    }

    function deleverage() external {
        uint256 supplyBefore = vault.totalSupply();
        uint256 total = vault.totalAssets();
        uint256 callerBefore = usdc.balanceOf(address(this));
        try vault.deleverage() returns (uint256 sold, uint256 bounty) {
            ++deleverageSuccesses;
            if (vault.totalSupply() != supplyBefore) ++supplyViolations;
            if (sold > (total * CHUNK_BPS) / 10_000 + 1) ++deleverageViolations;
            // bounty: capped, proportional, and paid exactly once to the caller
            if (bounty > 100e6 || bounty > (sold * 10) / 10_000) ++deleverageViolations;
            if (usdc.balanceOf(address(this)) != callerBefore + bounty) ++deleverageViolations;
            // an immediate second call must fail (cooldown) and pay nothing
            uint256 mid = usdc.balanceOf(address(this));
            try vault.deleverage() {
                ++deleverageViolations;
            } catch {}
            if (usdc.balanceOf(address(this)) != mid) ++deleverageViolations;
            _delT.push(block.timestamp);
            _delA.push(sold);
            if (total > maxTotalSeen) maxTotalSeen = total;
        } catch (bytes memory err) {
            lastDeleverageError = err;
        }
    }

    /// Records the price per share for the drawdown trigger (permissionless).
    function checkpoint() external {
        try vault.checkpoint() {} catch {}
    }

    function warp(uint32 dt) external {
        vm.warp(block.timestamp + bound(dt, 60, 12 hours));
        _refreshFeeds();
    }

    // ------------------------------------------------------------------ views for the invariants

    /// Whether every interval ending now passed at most cap x (1 + span / window), where cap is
    /// `bps` of the largest total value seen (the budgets are re-based on the current value).
    function rateBoundHolds(bool deleverageSeries) external view returns (bool) {
        uint256[] storage ts = deleverageSeries ? _delT : _lossT;
        uint256[] storage am = deleverageSeries ? _delA : _lossA;
        uint256 cap = (maxTotalSeen * (deleverageSeries ? DELEVERAGE_BUDGET_BPS : LOSS_BUDGET_BPS)) / 10_000;
        uint256 sum;
        for (uint256 j = ts.length; j > 0; --j) {
            sum += am[j - 1];
            if (sum > cap + (cap * (block.timestamp - ts[j - 1])) / WINDOW + j) return false;
        }
        return true;
    }
}

contract VaultGuardInvariantTest is StdInvariant, Test {
    VaultGuardHandler internal h;

    function setUp() public {
        h = new VaultGuardHandler();
        targetContract(address(h));
        bytes4[] memory selectors = new bytes4[](8);
        selectors[0] = VaultGuardHandler.keeperRebalance.selector;
        selectors[1] = VaultGuardHandler.movePrice.selector;
        selectors[2] = VaultGuardHandler.deposit.selector;
        selectors[3] = VaultGuardHandler.redeem.selector;
        selectors[4] = VaultGuardHandler.deleverage.selector;
        selectors[5] = VaultGuardHandler.warp.selector;
        selectors[6] = VaultGuardHandler.checkpoint.selector;
        selectors[7] = VaultGuardHandler.buyRisk.selector;
        targetSelector(FuzzSelector({addr: address(h), selectors: selectors}));
    }

    function invariant_rebalancesNeverChangeShareSupply() public view {
        assertEq(h.supplyViolations(), 0);
    }

    function invariant_leverageAndWeightsWithinMaxAfterKeeperCalls() public view {
        assertEq(h.leverageViolations(), 0);
        assertEq(h.weightViolations(), 0);
    }

    function invariant_lossPerRebalanceAndPerWindowWithinBudget() public view {
        assertEq(h.lossViolations(), 0);
        assertTrue(h.rateBoundHolds(false), "loss above the budget's rate bound");
    }

    function invariant_deleverageWithinChunkAndWindowLimits() public view {
        assertEq(h.deleverageViolations(), 0);
        assertTrue(h.rateBoundHolds(true), "deleverage above its budget's rate bound");
    }
}

/// The handler reaches successful keeper calls (so the invariants above are not vacuous).
contract VaultGuardHandlerSanityTest is Test {
    function test_handlerReachesSuccessfulRebalances() public {
        VaultGuardHandler h = new VaultGuardHandler();
        for (uint256 i; i < 40; ++i) {
            h.keeperRebalance(uint256(keccak256(abi.encode(i))), uint8(i), uint16(i % 4 == 0 ? 150 : 40));
            if (i % 4 == 3) h.warp(6 hours);
            if (i % 10 == 5) h.movePrice(i, -2_500);
            if (i % 10 == 6) h.deleverage();
        }
        assertGt(h.keeperSuccesses(), 5, "too few successful rebalances");
        assertGt(h.keeperRefusedByBudget(), 0, "the loss budget never bit");
        // a fresh checkpoint, then a crash on every asset trips the drawdown trigger: deleverage
        // must then succeed
        h.warp(1 days);
        for (uint256 i; i < 4; ++i) h.buyRisk(i, 200_000e6, 0);
        h.checkpoint();
        for (uint256 i; i < 4; ++i) {
            h.movePrice(i, -3_000);
            h.movePrice(i, -3_000);
        }
        h.deleverage();
        if (h.deleverageSuccesses() == 0) emit log_named_bytes("deleverage error", h.lastDeleverageError());
        assertGt(h.deleverageSuccesses(), 0, "deleverage never succeeded");
        assertEq(
            h.supplyViolations() +
                h.leverageViolations() +
                h.weightViolations() +
                h.lossViolations() +
                h.deleverageViolations(),
            0
        );
    }
}
