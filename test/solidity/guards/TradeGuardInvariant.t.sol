// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {IRiskParityVault} from "../../../contracts/interfaces/IRiskParityVault.sol";
import {ISwapAdapter} from "../../../contracts/interfaces/ISwapAdapter.sol";
import {PriceMath} from "../../../contracts/libraries/PriceMath.sol";
import {MockToken, MockUSDC} from "../../../contracts/test/MockTokens.sol";
import {OracleSwapAdapter} from "../../../contracts/test/guards/OracleSwapAdapter.sol";
import {TradeGuardHarness} from "../../../contracts/test/guards/TradeGuardHarness.sol";

/// Random keeper plans through an adapter whose fills drift from the oracle (random slippage,
/// sometimes far beyond the allowance), random oracle moves and time. Ghost state records every
/// successful batch so the invariants can check the guards from the outside.
contract TradeGuardHandler is Test {
    TradeGuardHarness public harness;
    OracleSwapAdapter public adapter;
    MockUSDC public usdc;
    MockToken[2] public risk;

    uint256 public constant LOSS_CAP = 300e18; // USD per window (small: random batches hit it often)
    uint256 public constant WINDOW = 1 days;
    uint256 public constant SLIPPAGE = 150; // keeper allowance, bps
    uint256 public constant MAX_TRADE = 100_000e18; // USD

    uint256 public startTime;
    uint256 public ghostLoss; // USD lost at the oracle by successful batches (input up, output down)
    uint256 public ghostBatches;
    uint256 public ghostRefusedByBudget;
    uint256 public ghostWorstFillBps; // worst fill vs oracle among successful trades
    uint256 public ghostMinOutViolations; // successful trades that received less than the oracle bound
    uint256[] internal _lossTimes;
    uint256[] internal _lossAmounts;

    constructor() {
        usdc = new MockUSDC();
        risk[0] = new MockToken("WETH", "WETH", 18);
        risk[1] = new MockToken("WBTC", "WBTC", 8);
        harness = new TradeGuardHarness();
        adapter = new OracleSwapAdapter();
        _setPrice(address(usdc), 1e18);
        _setPrice(address(risk[0]), 3_000e18);
        _setPrice(address(risk[1]), 60_000e18);
        harness.configure(SLIPPAGE, MAX_TRADE, LOSS_CAP, WINDOW);
        startTime = block.timestamp;
        usdc.mint(address(harness), 10_000_000e6);
        risk[0].mint(address(harness), 1_000e18);
        risk[1].mint(address(harness), 100e8);
    }

    function _setPrice(address token, uint256 p) internal {
        harness.setPrice(token, p);
        adapter.setPrice(token, p);
    }

    function _token(uint256 i) internal view returns (address) {
        i = i % 3;
        return i == 0 ? address(usdc) : address(risk[i - 1]);
    }

    /// A keeper batch of 1-3 trades; each asks exactly the oracle bound (the loosest allowed) or
    /// a random amount above it; the adapter fills with a random slippage (0-200 bps).
    function keeperBatch(uint256 seed, uint8 nRaw, uint16 fillSlipRaw) external {
        uint256 n = bound(nRaw, 1, 3);
        adapter.setSlippageBps(bound(fillSlipRaw, 0, 200));
        IRiskParityVault.Trade[] memory trades = new IRiskParityVault.Trade[](n);
        for (uint256 k = 0; k < n; ++k) {
            uint256 s = uint256(keccak256(abi.encode(seed, k)));
            address tIn = _token(s);
            address tOut = _token(s / 3 + 1 + (s % 3)); // differs from tIn
            if (tOut == tIn) tOut = _token((s % 3) + 1);
            // up to 30k USD worth (the per-trade cap is 100k, the loss budget 1k per day)
            uint256 maxIn = PriceMath.amountDown(30_000e18, harness.priceOf(tIn), MockToken(tIn).decimals());
            uint256 amountIn = bound(s >> 8, 1, maxIn);
            uint256 minOut = harness.oracleMinOut(tIn, tOut, amountIn);
            trades[k] = IRiskParityVault.Trade({
                tokenIn: tIn,
                tokenOut: tOut,
                amountIn: amountIn,
                minAmountOut: minOut + ((s >> 200) % 3 == 0 ? 0 : (s >> 128) % (minOut / 100 + 1)),
                adapter: address(adapter),
                route: ISwapAdapter.Route({fees: new uint24[](1), intermediates: new address[](0)})
            });
        }
        uint256[] memory before = new uint256[](3);
        for (uint256 i = 0; i < 3; ++i) before[i] = MockToken(_token(i)).balanceOf(address(harness));
        uint256 lossBefore = harness.totalLoss();
        try harness.execute(trades) {
            ++ghostBatches;
            uint256 loss = harness.totalLoss() - lossBefore;
            ghostLoss += loss;
            _lossTimes.push(block.timestamp);
            _lossAmounts.push(loss);
            _checkFills();
        } catch (bytes memory err) {
            if (bytes4(err) == bytes4(keccak256("WindowBudgetExceeded(uint256,uint256)"))) ++ghostRefusedByBudget;
        }
    }

    /// Every accepted fill was at least the oracle bound: OracleSwapAdapter fills exactly
    /// oracle x (1 - s), so a batch accepted with s above the allowance is a guard failure.
    function _checkFills() internal {
        uint256 s = adapter.slippageBps();
        if (s > ghostWorstFillBps) ghostWorstFillBps = s;
        if (s > SLIPPAGE) ++ghostMinOutViolations;
    }

    /// Oracle (and adapter) price of one risk token moves by up to +-20 %.
    function movePrice(uint256 which, int16 moveBps) external {
        address t = address(risk[which % 2]);
        int256 m = bound(moveBps, -2_000, 2_000);
        uint256 p = harness.priceOf(t);
        uint256 np = (p * uint256(10_000 + m)) / 10_000;
        if (np == 0) return;
        _setPrice(t, np);
    }

    /// Time passes (up to half a window).
    function warp(uint32 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 12 hours));
    }

    /// Largest loss within [t_j, now] over every j, against the rate bound.
    function rateBoundHolds() external view returns (bool) {
        uint256 sum;
        for (uint256 j = _lossTimes.length; j > 0; --j) {
            sum += _lossAmounts[j - 1];
            uint256 span = block.timestamp - _lossTimes[j - 1];
            if (sum > LOSS_CAP + (LOSS_CAP * span) / WINDOW) return false;
        }
        return true;
    }
}

contract TradeGuardInvariantTest is StdInvariant, Test {
    TradeGuardHandler internal handler;

    function setUp() public {
        handler = new TradeGuardHandler();
        targetContract(address(handler));
    }

    /// The loss of every interval is within the budget's rate bound.
    function invariant_lossWithinBudgetRate() public view {
        assertTrue(handler.rateBoundHolds(), "loss above capacity x (1 + span / window)");
        uint256 elapsed = block.timestamp - handler.startTime();
        assertLe(handler.ghostLoss(), handler.LOSS_CAP() + (handler.LOSS_CAP() * elapsed) / handler.WINDOW());
    }

    /// No accepted fill was worse than the oracle bound.
    function invariant_noFillBelowOracleBound() public view {
        assertEq(handler.ghostMinOutViolations(), 0);
    }

    /// The executor never leaves an allowance to the adapter.
    function invariant_noAllowanceLeft() public view {
        address h = address(handler.harness());
        address a = address(handler.adapter());
        assertEq(handler.usdc().allowance(h, a), 0);
        assertEq(handler.risk(0).allowance(h, a), 0);
        assertEq(handler.risk(1).allowance(h, a), 0);
    }

    /// The budget never reports more than its capacity.
    function invariant_budgetAtMostCapacity() public view {
        assertLe(handler.harness().lossBudgetAvailable(), handler.LOSS_CAP());
    }
}

/// The handler really exercises both outcomes (so the invariants above are not vacuous).
contract TradeGuardHandlerSanityTest is Test {
    function test_handlerHitsSuccessesAndBudgetRefusals() public {
        TradeGuardHandler h = new TradeGuardHandler();
        for (uint256 i = 0; i < 60; ++i) {
            h.keeperBatch(uint256(keccak256(abi.encode(i))), uint8(i), uint16(i % 3 == 0 ? 300 : 100));
            if (i % 10 == 9) h.warp(6 hours);
        }
        assertGt(h.ghostBatches(), 0, "no batch ever succeeded");
        assertGt(h.ghostRefusedByBudget(), 0, "the loss budget never bit");
        assertTrue(h.rateBoundHolds());
        assertEq(h.ghostMinOutViolations(), 0);
    }
}
