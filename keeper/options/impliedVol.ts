/**
 * Implied volatility for Black-76 prices.
 *
 * Method (documented with measured accuracy in docs/options.md):
 * 1. Normalise: beta = (price / discount - intrinsic) / sqrt(F K), the normalised time value, which
 *    by put-call parity is the same for the call and the put and even in x = ln(F/K). We always solve
 *    on the out-of-the-money side x <= 0, so an in-the-money price is never differenced against a
 *    large intrinsic value inside the iteration (the only cancellation is the unavoidable
 *    price - intrinsic of the input itself).
 * 2. Split at the inflection point s_c = sqrt(2|x|) of s -> b(x, s) (convex below, concave above).
 *    Below (beta < b(x, s_c)) solve ln b(s) = ln beta, which is close to linear in 1/s^2 where the
 *    price is a tail probability; above, solve ln(b_max - b(s)) = ln(b_max - beta) with
 *    b_max = e^{x/2}, b_max - b computed as a sum of two positive terms (no cancellation).
 * 3. Start from an asymptotic guess on each branch and iterate Halley's method (third-order
 *    convergence using the analytic d2b/ds2 = b'(s) (x^2/s^3 - s/4)), safeguarded by a bracket that
 *    every evaluation tightens; a step leaving the bracket is replaced by bisection, so the
 *    iteration always converges. Stop when the step is below 4 ulps of s.
 */
import { normalisedTimeValue, normalisedTimeValueComplement, normalisedVega } from "./black.ts";
import {
  ImpliedVolatilityError,
  OptionInputError,
  requireFinite,
  requireNonNegative,
  requireOptionType,
  requirePositive,
  type OptionType,
} from "./errors.ts";
import { normInv } from "./normal.ts";

export interface ImpliedVolatilityInput {
  /** Option price in quote currency (discounted, as black76 returns it). */
  price: number;
  forward: number;
  strike: number;
  /** Years of 365 days, > 0. */
  timeToExpiry: number;
  rate?: number;
  type: OptionType;
}

const EPS = Number.EPSILON;
const MAX_ITERATIONS = 100;

/** Result of a solve with its cost: the number of evaluations of b (for benchmarks and tests). */
export interface TotalVolatilitySolution {
  totalVolatility: number;
  evaluations: number;
}

/**
 * Total implied volatility s = sigma sqrt(T) such that the normalised time value b(x, s) equals
 * beta, for x of any sign (the OTM side -|x| is used). beta must be in [0, e^{-|x|/2}); the optional
 * betaComplement = e^{-|x|/2} - beta lets a caller pass that distance without cancellation.
 */
export function normalisedImpliedTotalVolatility(beta: number, x: number, betaComplement?: number): number {
  return solveNormalisedImpliedTotalVolatility(beta, x, betaComplement).totalVolatility;
}

/** normalisedImpliedTotalVolatility with the number of evaluations of b it took. */
export function solveNormalisedImpliedTotalVolatility(
  beta: number,
  x: number,
  betaComplement?: number,
): TotalVolatilitySolution {
  const xm = -Math.abs(x);
  const bMax = Math.exp(0.5 * xm);
  if (!(beta > 0)) return { totalVolatility: 0, evaluations: 0 };
  // Distance to the upper bound: given directly by the caller when it can compute it without
  // cancellation (price close to the forward), else bMax - beta.
  const uTarget = betaComplement ?? bMax - beta;
  if (!(uTarget > 0)) return { totalVolatility: Number.POSITIVE_INFINITY, evaluations: 0 };
  const sc = Math.sqrt(-2 * xm);
  const bc = normalisedTimeValue(xm, sc);
  const belowInflection = beta < bc;
  // Objective: ln b where b is at most half its maximum (tail probabilities; also the at-the-money
  // case, whose inflection point is s = 0), ln(b_max - b) where b is close to its maximum.
  const lower = belowInflection || beta <= 0.5 * bMax;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  if (belowInflection) hi = sc;
  else lo = sc;

  let s: number;
  if (belowInflection) {
    // b ~ b'(s) * s / (h^2 - t^2) for h = x/s -> -inf; first guess ignores the prefactor,
    // then two fixed-point passes include it.
    const lnBeta = Math.log(beta);
    s = -xm / Math.sqrt(-2 * lnBeta);
    for (let k = 0; k < 2 && s > 0 && s < sc; k++) {
      const h2 = (xm * xm) / (s * s);
      const t2 = 0.25 * s * s;
      const pre = Math.log((0.3989422804014327 * s) / Math.max(h2 - t2, 1e-300));
      const rhs = -2 * (lnBeta - pre) - t2;
      if (!(rhs > 0)) break;
      s = -xm / Math.sqrt(rhs);
    }
    if (!(s > 0 && s < sc)) s = 0.5 * sc;
  } else {
    const w = Math.exp(0.5 * xm) + Math.exp(-0.5 * xm);
    s = -2 * normInv(Math.min(uTarget / w, 0.5));
    if (!(s > sc) || !Number.isFinite(s)) s = sc === 0 ? 1 : 2 * sc;
  }
  if (sc === 0 && s === 0) s = 1e-8;

  const lnBeta = Math.log(beta);
  const lnU = Math.log(uTarget);
  let iterations = 0;
  let previousStep = Number.POSITIVE_INFINITY;
  let fLo = Number.NaN; // objective at lo / hi once evaluated (for the regula-falsi fallback)
  let fHi = Number.NaN;
  let fellBack = false;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const b = normalisedTimeValue(xm, s);
    const bp = normalisedVega(xm, s);
    const bpp = bp * ((xm * xm) / (s * s * s) - 0.25 * s);
    let f: number;
    let f1: number;
    let f2: number;
    if (lower) {
      f = Math.log(b) - lnBeta;
      f1 = bp / b;
      f2 = bpp / b - f1 * f1;
    } else {
      const u = normalisedTimeValueComplement(xm, s);
      f = Math.log(u) - lnU;
      f1 = -bp / u;
      f2 = -bpp / u - f1 * f1;
    }
    // The bracket follows the sign of the objective actually solved (b increases with s, so
    // ln b - ln beta < 0 or ln u - ln uTarget > 0 means s is below the root).
    if (f === 0) break;
    if (lower ? f < 0 : f > 0) {
      lo = s;
      fLo = f;
    } else {
      hi = s;
      fHi = f;
    }
    // f is a log-ratio: |f| <= 8 eps means b reproduces beta to a few ulps.
    if (Math.abs(f) <= 8 * EPS) break;
    const newton = f / f1;
    const denom = 1 - 0.5 * newton * (f2 / f1);
    const halley = Number.isFinite(denom) && denom > 0.5 ? newton / denom : newton;
    if (Math.abs(halley) <= 2 * EPS * s) break; // below the resolution of s
    let next = s - halley;
    if (!Number.isFinite(next) || next <= lo || next >= hi) {
      // Outside the bracket: regula falsi on the objective (the root is usually next to the
      // bracket end that just rejected the step), or bisection if that was already tried.
      if (Number.isFinite(hi) && !fellBack && Number.isFinite(fLo) && Number.isFinite(fHi) && fHi !== fLo) {
        next = lo - (fLo * (hi - lo)) / (fHi - fLo);
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      } else next = Number.isFinite(hi) ? 0.5 * (lo + hi) : Math.max(2 * s, 2 * lo);
      fellBack = true;
    } else fellBack = false;
    const step = Math.abs(next - s);
    s = next;
    if (step <= 4 * EPS * s || hi - lo <= 4 * EPS * s) break;
    // At the noise floor of b the steps stop shrinking: stop there instead of wandering.
    // (Only for Halley steps: bisection halves the step by design.)
    if (!fellBack && step < 1e-11 * s && step >= 0.5 * previousStep) break;
    previousStep = step;
  }
  return { totalVolatility: s, evaluations: Math.min(iterations + 1, MAX_ITERATIONS) };
}

/**
 * Black-76 implied volatility (decimal per sqrt(year)) of a discounted option price.
 * Returns 0 for a price exactly at the discounted intrinsic value. Throws OptionInputError on
 * invalid inputs (timeToExpiry must be > 0) and ImpliedVolatilityError when the price is
 * outside the no-arbitrage bounds [D * intrinsic, D * F) for calls, [D * intrinsic, D * K) for puts.
 */
export function impliedVolatility(input: ImpliedVolatilityInput): number {
  return solveImpliedVolatility(input).volatility;
}

/** impliedVolatility with the number of evaluations of the normalised Black function it took. */
export function solveImpliedVolatility(input: ImpliedVolatilityInput): {
  volatility: number;
  evaluations: number;
} {
  if (input === null || typeof input !== "object")
    throw new OptionInputError("BAD_PARAMETER", "input", input);
  requireNonNegative("price", input.price);
  requirePositive("forward", input.forward);
  requirePositive("strike", input.strike);
  requirePositive("timeToExpiry", input.timeToExpiry);
  const rate = input.rate ?? 0;
  requireFinite("rate", rate);
  requireOptionType(input.type);
  const F = input.forward;
  const K = input.strike;
  const T = input.timeToExpiry;
  const D = Math.exp(-rate * T);
  if (!(D > 0) || !Number.isFinite(D))
    throw new OptionInputError("BAD_PARAMETER", "rate", rate, "discount factor not finite and positive");
  const undiscounted = input.price / D;
  const isCall = input.type === "call";
  const intrinsic = isCall ? Math.max(F - K, 0) : Math.max(K - F, 0);
  const upper = isCall ? F : K;
  // Allow a few ulps below intrinsic (a price rounded from intrinsic + negligible time value).
  if (undiscounted < intrinsic * (1 - 8 * EPS))
    throw new ImpliedVolatilityError("PRICE_BELOW_INTRINSIC", input.price, D * intrinsic);
  if (!(undiscounted < upper))
    throw new ImpliedVolatilityError("PRICE_AT_OR_ABOVE_MAXIMUM", input.price, D * upper);
  const timeValue = undiscounted - intrinsic;
  if (!(timeValue > 0)) return { volatility: 0, evaluations: 0 };
  const x = Math.log(F / K);
  const sqrtFK = Math.sqrt(F) * Math.sqrt(K);
  const beta = timeValue / sqrtFK;
  // (upper - price) is exact when the price is near its upper bound (Sterbenz), unlike b_max - beta.
  const sol = solveNormalisedImpliedTotalVolatility(beta, x, (upper - undiscounted) / sqrtFK);
  if (!Number.isFinite(sol.totalVolatility))
    throw new ImpliedVolatilityError("PRICE_AT_OR_ABOVE_MAXIMUM", input.price, D * upper);
  return { volatility: sol.totalVolatility / Math.sqrt(T), evaluations: sol.evaluations };
}
