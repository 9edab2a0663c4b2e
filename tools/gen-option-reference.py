#!/usr/bin/env python3
"""Reference values of the normalised Black time value b(x, s), computed with mpmath at 60 digits.

b(x, s) = e^{x/2} N(x/s + s/2) - e^{-x/2} N(x/s - s/2) for x <= 0 (out of the money): the quantity
keeper/options/black.ts evaluates in double precision (time value / sqrt(F K), same for calls and
puts). The grid is the implied-volatility test grid: volatility 1 %..500 %, T 1 hour..3 years,
K/F 0.2..5, plus a few tiny total volatilities. Output: JSON {"rows": [[x, s, sigma, T, b], ...]}
with x, s, sigma, T the exact doubles used (repr) and b rounded to 17 significant digits, and
{"prices": [[sigma, T, K, type, price], ...]}: Black-76 prices with F = 100 at high total volatility.

Regenerate (mpmath 1.3.0):
  python3 tools/gen-option-reference.py > test/keeper/options/fixtures/black-reference.json
  npx prettier --write test/keeper/options/fixtures/black-reference.json
"""
import json
import math
import mpmath as mp

mp.mp.dps = 60

VOLS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.5, 2, 3, 4, 5]
TENORS = [1 / (365 * 24), 1 / 365, 7 / 365, 30 / 365, 0.25, 1, 3]
MONEYNESS = [0.2, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.1, 1.25, 1.5, 2, 5]


def b(x, s):
    x = mp.mpf(x)
    s = mp.mpf(s)
    h = x / s
    t = s / 2
    return mp.exp(x / 2) * mp.ncdf(h + t) - mp.exp(-x / 2) * mp.ncdf(h - t)


rows = []
for vol in VOLS:
    for T in TENORS:
        # s exactly as the TypeScript computes it: volatility * Math.sqrt(T)
        s = vol * math.sqrt(T)
        for m in MONEYNESS:
            x = -abs(math.log(1 / m))  # ln(F/K) with F = 1, K = m, OTM side
            v = b(x, s)
            if v < mp.mpf("1e-300"):
                continue
            rows.append([x, s, vol, T, float(mp.nstr(v, 17))])
# Undiscounted Black-76 prices in quote units (F = 100) for high total volatility, where prices sit
# close to their upper bound (F for a call, K for a put): [sigma, T, K, type, price].
prices = []
for vol in [2, 3, 4, 5]:
    for T in [0.25, 1, 3]:
        for m in MONEYNESS:
            K = 100 * m  # the double the TypeScript test also computes
            F = mp.mpf(100)
            Km = mp.mpf(K)
            s = mp.mpf(vol) * mp.sqrt(mp.mpf(T))
            d1 = mp.log(F / Km) / s + s / 2
            call = F * mp.ncdf(d1) - Km * mp.ncdf(d1 - s)
            for typ in ["call", "put"]:
                p = call if typ == "call" else call - (F - Km)
                prices.append([vol, T, K, typ, float(mp.nstr(p, 17))])
print(json.dumps({"generator": "tools/gen-option-reference.py", "mpmath": mp.__version__, "rows": rows, "prices": prices}))
