/**
 * Error function family and the standard normal distribution, to double precision.
 *
 * erf / erfc / erfcx use W. J. Cody's near-minimax rational Chebyshev approximations
 * ("Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-638;
 * the coefficients are those of Cody's CALERF packet, netlib specfun, 1990). Cody states at least
 * 18 significant digits for the approximations themselves; in IEEE double the functions are
 * accurate to a few ulps in RELATIVE terms, including far in the tails (erfc(26) ~ 5e-296), which
 * is what option pricing needs: out-of-the-money prices are tail probabilities.
 *
 * Pure functions, no I/O.
 */

/* eslint-disable no-loss-of-precision -- published constants kept digit for digit (Cody 1969); the parser takes the nearest double */
const SQRT_PI_INV = 0.56418958354775628695; // 1/sqrt(pi)
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1/sqrt(2 pi)

// |x| <= 0.46875: erf(x) = x * A(x^2) / B(x^2)
const A = [
  3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153,
] as const;
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062] as const;
// 0.46875 < |x| <= 4: erfcx(x) = C(x) / D(x)
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
] as const;
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
] as const;
// |x| > 4: erfcx(x) = (1/sqrt(pi) - z P(z)/Q(z)) / x, z = 1/x^2
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
] as const;
const Q = [
  2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
  0.00233520497626869185,
] as const;

/* eslint-enable no-loss-of-precision */

const X_BIG = 26.543; // erfc(x) underflows beyond this
const X_HUGE = 6.71e7; // erfcx(x) = 1/(x sqrt(pi)) to double precision beyond this
const X_MAX = 2.53e307; // erfcx(x) underflows beyond this

/** erf(y) / y style kernel for |y| <= 0.46875: returns erf(y). */
function erfSmall(y: number): number {
  const z = y * y;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * z;
    den = (den + B[i]!) * z;
  }
  return (y * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) for 0.46875 < y <= 4. */
function erfcxMid(y: number): number {
  let num = C[8] * y;
  let den = y;
  for (let i = 0; i < 7; i++) {
    num = (num + C[i]!) * y;
    den = (den + D[i]!) * y;
  }
  return (num + C[7]) / (den + D[7]);
}

/** erfcx(y) for y > 4. */
function erfcxLarge(y: number): number {
  if (y >= X_MAX) return 0;
  if (y >= X_HUGE) return SQRT_PI_INV / y;
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * z;
    den = (den + Q[i]!) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (SQRT_PI_INV - r) / y;
}

/**
 * exp(-y^2) without losing accuracy for large y: split y = hi + lo with hi a multiple of 1/16,
 * so that hi^2 is exact and the rounding error of y^2 does not get amplified by exp.
 */
function expMinusSquare(y: number): number {
  const hi = Math.trunc(y * 16) / 16;
  const del = (y - hi) * (y + hi);
  return Math.exp(-hi * hi) * Math.exp(-del);
}

/** exp(+y^2), same splitting (used for erfcx of negative arguments). */
function expSquare(y: number): number {
  const hi = Math.trunc(y * 16) / 16;
  const del = (y - hi) * (y + hi);
  return Math.exp(hi * hi) * Math.exp(del);
}

/** The error function erf(x). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const c = y <= 4 ? erfcxMid(y) * expMinusSquare(y) : y >= X_BIG ? 0 : erfcxLarge(y) * expMinusSquare(y);
  const r = 0.5 - c + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in relative terms for x > 0. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  let c: number;
  if (y <= 4) c = erfcxMid(y) * expMinusSquare(y);
  else if (y >= X_BIG) c = 0;
  else c = erfcxLarge(y) * expMinusSquare(y);
  return x < 0 ? 2 - c : c;
}

/**
 * The scaled complementary error function erfcx(x) = exp(x^2) erfc(x). Finite and accurate for
 * x >= -26.6 (overflows to +Infinity below, where exp(x^2) overflows).
 */
export function erfcx(x: number): number {
  const y = Math.abs(x);
  let c: number;
  if (y <= 0.46875) {
    const z = x * x;
    return Math.exp(z) * (1 - erfSmall(x));
  }
  if (y <= 4) c = erfcxMid(y);
  else c = erfcxLarge(y);
  if (x >= 0) return c;
  if (y > 26.628) return Number.POSITIVE_INFINITY;
  const e = expSquare(y);
  return e + e - c;
}

/** Standard normal density. */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal cumulative distribution N(x), relative accuracy of a few ulps in both tails. */
export function normCdf(x: number): number {
  if (x >= -0.65 && x <= 0.65) return 0.5 * erfc(-x * SQRT1_2);
  if (x > 0) return 1 - lowerTail(-x);
  return lowerTail(x);
}

/**
 * N(x) for x < -0.65 as 0.5 erfcx(-x/sqrt 2) exp(-x^2/2). exp(-x^2/2) is evaluated with x split
 * into a multiple of 1/16 plus a remainder, so the rounding of x^2 (and of x/sqrt 2) is not
 * amplified: relative error stays at a few ulps down to N(x) ~ 1e-300 instead of growing like
 * x^2 * eps (1.5e-13 at x = -37).
 */
function lowerTail(x: number): number {
  if (x < -38.6) return 0; // below the smallest subnormal
  const hi = Math.trunc(x * 16) / 16;
  const del = (x - hi) * (x + hi);
  return 0.5 * erfcx(-x * SQRT1_2) * Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * del);
}

/**
 * N(x) * exp(x^2 / 2) = 0.5 erfcx(-x / sqrt(2)) for x <= 0: the Mills-ratio form, which stays
 * finite where N(x) itself underflows (x < -38).
 */
export function normCdfScaled(x: number): number {
  return 0.5 * erfcx(-x * SQRT1_2);
}

// Acklam's rational approximation of the inverse normal CDF (relative error < 1.15e-9),
// used only as the starting point of one Halley step on the accurate normCdf above.
const IA = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
] as const;
const IB = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
] as const;
const IC = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const ID = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;

function acklam(p: number): number {
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((IC[0] * q + IC[1]) * q + IC[2]) * q + IC[3]) * q + IC[4]) * q + IC[5]) /
      ((((ID[0] * q + ID[1]) * q + ID[2]) * q + ID[3]) * q + 1)
    );
  }
  if (p > 1 - pLow) return -acklam(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((IA[0] * r + IA[1]) * r + IA[2]) * r + IA[3]) * r + IA[4]) * r + IA[5]) * q) /
    (((((IB[0] * r + IB[1]) * r + IB[2]) * r + IB[3]) * r + IB[4]) * r + 1)
  );
}

/**
 * Inverse standard normal CDF: x with N(x) = p, for 0 < p < 1 (returns -Infinity / +Infinity at
 * 0 / 1). Acklam's approximation refined by Halley steps on the lower tail probability, so the
 * result is accurate to about 1e-15 relative for any p representable in double precision.
 */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work in the tail that p describes accurately.
  if (p > 0.5) return -normInvLower(1 - p);
  return normInvLower(p);
}

function normInvLower(p: number): number {
  // p <= 0.5, result <= 0
  let x = acklam(p);
  for (let i = 0; i < 2; i++) {
    const e = normCdf(x) - p;
    const u = e / normPdf(x);
    if (!Number.isFinite(u)) break;
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}
