/**
 * Independent double-precision references used to test the on-chain Black-Scholes library:
 * the standard normal CDF (accurate to ~1e-14 relative over the range we test) and a plain
 * Black-Scholes formula. The differential test compares the chain with the KEEPER's pricer
 * (keeper/options); these references only back the CDF precision measurement and sanity tests.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Upper tail Q(z) = 1 - N(z) for z >= 0, accurate to ~1e-14 relative. */
function upperTail(z: number): number {
  if (z < 2.5) {
    // N(z) - 1/2 = phi(z) * sum z^(2n+1) / (1*3*...*(2n+1)): all terms positive, no cancellation.
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (z * z) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    const phi = Math.exp(-0.5 * z * z) / SQRT_2PI;
    return 0.5 - phi * sum;
  }
  // Continued fraction Q(z) = phi(z) / (z + 1/(z + 2/(z + 3/(z + ...)))), modified Lentz.
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = z + k * d;
    d = d === 0 ? tiny : d;
    c = z + k / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-0.5 * z * z) / SQRT_2PI / f;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return x < 0 ? upperTail(-x) : 1 - upperTail(x);
}

/** Plain Black-Scholes (carry = rate) with {@link normalCdf}; time in years. */
export function referencePrice(spot: number, strike: number, years: number, vol: number, rate: number, isCall: boolean): number {
  const df = Math.exp(-rate * years);
  const sd = vol * Math.sqrt(years);
  if (sd === 0) return Math.max(isCall ? spot - strike * df : strike * df - spot, 0);
  const d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * years) / sd;
  const d2 = d1 - sd;
  return isCall ? spot * normalCdf(d1) - strike * df * normalCdf(d2) : strike * df * normalCdf(-d2) - spot * normalCdf(-d1);
}
