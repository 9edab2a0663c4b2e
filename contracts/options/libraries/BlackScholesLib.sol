// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SD59x18, exp, ln, sqrt} from "@prb/math/src/SD59x18.sol";

/// @title BlackScholesLib
/// @notice Black-Scholes prices and deltas of European options in 18-decimal fixed point, on chain.
/// @dev Units: spot and strike are 18-decimal USD per whole underlying; `tau` is seconds to expiry
///      (a year is 365 days); `volatility` and `rate` are annualised, 18-decimal (0.8e18 = 80%).
///      The cost of carry equals the rate (no dividends), so
///      call = S N(d1) - K e^{-rT} N(d2) and put = K e^{-rT} N(-d2) - S N(-d1).
///      exp, ln and sqrt come from PRBMath 4 (SD59x18). The normal CDF uses Hart's (1968) double
///      precision rational approximation (as published by G. West, "Better approximations to
///      cumulative normal functions", 2005) for |x| < 7.0710678, and a 12-term continued fraction
///      of the Mills ratio above; both evaluated in 18-decimal fixed point. Measured precision of
///      {cdf} (scripts/options-precision.ts): see docs/options-venue.md. In short: absolute error
///      below 1e-17 everywhere, relative error below 1e-12 where N(x) >= 1e-6.
library BlackScholesLib {
    int256 internal constant ONE = 1e18;
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    /// @dev Beyond |x| = 9, N(-x) < 1.2e-19, below one unit of 18-decimal fixed point.
    int256 internal constant CDF_CUTOFF = 9e18;
    /// @dev 10 / sqrt(2): Hart's switch point between the rational function and the continued fraction.
    int256 internal constant HART_SWITCH = 7_071067811865470000;
    /// @dev sqrt(2 pi), 18 decimals (2.506628274631000502...).
    int256 internal constant SQRT_2PI = 2_506628274631000502;

    // Hart (1968) numerator coefficients, highest degree first, 18 decimals.
    int256 private constant P6 = 35262496599891100; // 3.52624965998911e-2
    int256 private constant P5 = 700383064443688000;
    int256 private constant P4 = 6_373962203531650000;
    int256 private constant P3 = 33_912866078383000000;
    int256 private constant P2 = 112_079291497871000000;
    int256 private constant P1 = 221_213596169931000000;
    int256 private constant P0 = 220_206867912376000000;
    // Denominator coefficients, highest degree first.
    int256 private constant Q7 = 88388347648318400; // 8.83883476483184e-2
    int256 private constant Q6 = 1_755667163182640000;
    int256 private constant Q5 = 16_064177579207000000;
    int256 private constant Q4 = 86_780732202946100000;
    int256 private constant Q3 = 296_564248779674000000;
    int256 private constant Q2 = 637_333633378831000000;
    int256 private constant Q1 = 793_826512519948000000;
    int256 private constant Q0 = 440_413735824752000000;

    /// @notice Inputs of one Black-Scholes evaluation (see the library's units).
    struct Inputs {
        uint256 spot;
        uint256 strike;
        uint256 tau;
        uint256 volatility;
        uint256 rate;
    }

    /// @dev Intermediate values shared by price and delta.
    struct D {
        int256 d1;
        int256 d2;
        int256 discountedStrike; // K e^{-rT}
        bool degenerate; // sigma sqrt(T) == 0: the option is worth its (discounted) intrinsic value
    }

    /// @notice Spot or strike of zero.
    error BlackScholesZeroPrice(uint256 spot, uint256 strike);
    /// @notice An input too large for the fixed-point arithmetic (spot/strike above 1e30, i.e. 1e12 USD;
    ///         volatility above 100 (10,000%); rate above 10 (1,000%); tau above 100 years).
    error BlackScholesInputTooLarge(uint256 spot, uint256 strike, uint256 volatility, uint256 rate, uint256 tau);

    /// @notice Standard normal cumulative distribution function N(x), 18 decimals in and out.
    function cdf(int256 x) internal pure returns (uint256) {
        int256 y = x < 0 ? -x : x;
        uint256 tail; // N(-y)
        if (y < CDF_CUTOFF) {
            int256 e = exp(SD59x18.wrap(-((y * y) / ONE) / 2)).unwrap();
            if (y < HART_SWITCH) {
                int256 a = P6;
                a = (a * y) / ONE + P5;
                a = (a * y) / ONE + P4;
                a = (a * y) / ONE + P3;
                a = (a * y) / ONE + P2;
                a = (a * y) / ONE + P1;
                a = (a * y) / ONE + P0;
                int256 b = Q7;
                b = (b * y) / ONE + Q6;
                b = (b * y) / ONE + Q5;
                b = (b * y) / ONE + Q4;
                b = (b * y) / ONE + Q3;
                b = (b * y) / ONE + Q2;
                b = (b * y) / ONE + Q1;
                b = (b * y) / ONE + Q0;
                tail = uint256((e * a) / b);
            } else {
                // Mills ratio: N(-y) = phi(y) / (y + 1/(y + 2/(y + 3/(y + ...)))), 12 terms.
                int256 b = y;
                for (int256 k = 12; k > 0; --k) {
                    b = y + (k * ONE * ONE) / b;
                }
                tail = uint256((((e * ONE) / b) * ONE) / SQRT_2PI);
            }
        }
        return x < 0 ? tail : uint256(ONE) - tail;
    }

    /// @notice d1, d2 and the discounted strike of `p`.
    function dValues(Inputs memory p) internal pure returns (D memory d) {
        if (p.spot == 0 || p.strike == 0) revert BlackScholesZeroPrice(p.spot, p.strike);
        if (
            p.spot > 1e30 ||
            p.strike > 1e30 ||
            p.volatility > 100e18 ||
            p.rate > 10e18 ||
            p.tau > 100 * SECONDS_PER_YEAR
        ) {
            revert BlackScholesInputTooLarge(p.spot, p.strike, p.volatility, p.rate, p.tau);
        }
        int256 t = int256((p.tau * uint256(ONE)) / SECONDS_PER_YEAR); // years, 18 decimals
        int256 vol = int256(p.volatility);
        int256 r = int256(p.rate);
        int256 k = int256(p.strike);
        d.discountedStrike = r == 0 ? k : (k * exp(SD59x18.wrap(-(r * t) / ONE)).unwrap()) / ONE;
        int256 sigmaRootT = (vol * sqrt(SD59x18.wrap(t)).unwrap()) / ONE;
        if (sigmaRootT == 0) {
            d.degenerate = true;
            return d;
        }
        int256 logMoneyness = ln(SD59x18.wrap((int256(p.spot) * ONE) / k)).unwrap();
        int256 drift = ((r + (vol * vol) / ONE / 2) * t) / ONE;
        d.d1 = ((logMoneyness + drift) * ONE) / sigmaRootT;
        d.d2 = d.d1 - sigmaRootT;
    }

    /// @notice Black-Scholes price of one option (USD, 18 decimals), never negative.
    function price(Inputs memory p, bool isCall) internal pure returns (uint256) {
        D memory d = dValues(p);
        int256 s = int256(p.spot);
        int256 value;
        if (d.degenerate) {
            value = isCall ? s - d.discountedStrike : d.discountedStrike - s;
        } else if (isCall) {
            value = (s * int256(cdf(d.d1)) - d.discountedStrike * int256(cdf(d.d2))) / ONE;
        } else {
            value = (d.discountedStrike * int256(cdf(-d.d2)) - s * int256(cdf(-d.d1))) / ONE;
        }
        return value > 0 ? uint256(value) : 0;
    }

    /// @notice Black-Scholes delta of one option (18 decimals, signed: a put's is negative).
    function delta(Inputs memory p, bool isCall) internal pure returns (int256) {
        D memory d = dValues(p);
        if (d.degenerate) {
            int256 s = int256(p.spot);
            if (isCall) return s > d.discountedStrike ? ONE : int256(0);
            return s < d.discountedStrike ? -ONE : int256(0);
        }
        int256 n1 = int256(cdf(d.d1));
        return isCall ? n1 : n1 - ONE;
    }
}
