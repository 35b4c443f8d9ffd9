/**
 * Is ChooseWaitTime a uniform draw on 1..60? The checker samples it N times (direct
 * invocations: the same AWS API call works on AWS) and applies the tests below.
 *
 * The bound we want: a correct solution fails less than once in 100 000 runs (1e-5), and
 * each typical mistake fails every time.
 *
 * With N = 1000 samples of a correct `1 + Math.floor(Math.random() * 60)`:
 *  - integers within 1..60: never fails (deterministic).
 *  - both 1 and 60 seen: P(a given value never appears) = (59/60)^1000 ≈ 5.1e-8, so
 *    P(1 or 60 missing) ≤ 2 × 5.1e-8 ≈ 1.0e-7.
 *  - Pearson's chi-square on the 60 counts (59 degrees of freedom, expected 16.7 per value,
 *    well above the usual minimum of 5): fails when p < 1e-6, so at most 1e-6.
 *  Total ≤ 1.1e-6 < 1e-5 (the arrival test in judge.ts adds ~1e-31).
 *
 * The mistakes, each failing every time:
 *  - a constant wait: one distinct value → its own message (and chi-square = 59 000).
 *  - `Math.floor(Math.random() * 60)`: 60 never appears (certain), and 0 appears with
 *    probability 1 - 5.1e-8 → the 0..59 message.
 *  - a string or a float: the type and integer checks, on the very first sample.
 */
export const SAMPLES = 1000;
export const CHI_SQUARE_ALPHA = 1e-6;

export interface WaitStats {
  n: number;
  nonNumbers: unknown[];
  nonIntegers: number[];
  outOfRange: number[];
  min: number;
  max: number;
  distinct: number;
  counts: number[];
  chiSquare: number;
  pValue: number;
}

export function waitStats(values: unknown[]): WaitStats {
  const nonNumbers = values.filter((v) => typeof v !== 'number');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const nonIntegers = numbers.filter((v) => !Number.isInteger(v));
  const ints = numbers.filter((v) => Number.isInteger(v));
  const outOfRange = ints.filter((v) => v < 1 || v > 60);
  const counts = new Array<number>(60).fill(0);
  for (const v of ints) if (v >= 1 && v <= 60) counts[v - 1]++;
  const inRange = counts.reduce((a, b) => a + b, 0);
  const expected = inRange / 60;
  const chiSquare = expected > 0 ? counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0) : Infinity;
  return {
    n: values.length,
    nonNumbers,
    nonIntegers,
    outOfRange,
    min: numbers.length ? Math.min(...numbers) : NaN,
    max: numbers.length ? Math.max(...numbers) : NaN,
    distinct: new Set(values.map((v) => JSON.stringify(v))).size,
    counts,
    chiSquare,
    pValue: Number.isFinite(chiSquare) ? chiSquareSurvival(chiSquare, 59) : 0,
  };
}

/** P(X ≥ x) for a chi-square variable with k degrees of freedom: Q(k/2, x/2). */
export function chiSquareSurvival(x: number, k: number): number {
  return regularizedGammaQ(k / 2, x / 2);
}

// Upper regularized incomplete gamma, by series below a+1 and continued fraction above
// (the classic Numerical Recipes split, accurate to ~1e-14 here).
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnGammaA = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGammaA);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGammaA) * h;
}

function lnGamma(z: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const zz = z - 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (zz + i);
  const t = zz + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}
