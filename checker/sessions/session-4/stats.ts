/**
 * Is ChooseWaitTime a uniform draw on 1..60, judged from N answers? This is how a check
 * on AWS decides, and a local check when the exact probe (probe.ts) cannot apply (a draw
 * that does not use Math.random exactly once, e.g. crypto.randomInt). The answers come
 * from direct invocations on AWS and from the sandbox itself locally.
 *
 * The bounds we want, per check: a correct solution fails at most once in 1 000 000 runs
 * (1e-6), and each biased variant of the draw passes at most once in 1 000 000.
 *
 * With N = 16 000 answers of a correct `1 + Math.floor(Math.random() * 60)`, each value's
 * count is Binomial(16 000, 1/60) (mean 266.7, sd 16.2). The tests, and what each can cost
 * a correct solution (exact binomial tails, computed below and checked in stats.test.ts):
 *  - integers within 1..60: never fails (deterministic).
 *  - no value too rare: fails when some count is below COUNT_BOUNDS.lo (180):
 *    ≤ 60 × P(X < 180) ≈ 3.4e-7 (union bound over the 60 values).
 *  - no value too frequent: fails when some count is above COUNT_BOUNDS.hi (364):
 *    ≤ 60 × P(X > 364) ≈ 2.9e-7.
 *  - Pearson's chi-square on the 60 counts (59 degrees of freedom): fails when
 *    p < CHI_SQUARE_ALPHA = 1e-7.
 *  Total ≤ 7.4e-7 < 1e-6 (the arrival test in judge.ts adds ~1e-31).
 *
 * The biased variants, and what each can cost us (the chance it passes):
 *  - `Math.round(Math.random() * 59) + 1`: 1 and 60 each have probability 1/118 (half the
 *    others'): a count ~ Binomial(16 000, 1/118), mean 135.6; P(count ≥ 180) ≈ 1.5e-4, and
 *    both must escape: ≤ (1.5e-4)² ≈ 2.2e-8 (multinomial counts are negatively associated,
 *    so the product bounds the joint chance).
 *  - `Math.floor(Math.random() * 59) + 1` (60 never), `+ 2` (1 never), `Math.ceil(... * 59) + 1`
 *    (1 has probability 2^-53): a count of 0 < 180, every time.
 *  - `Math.floor(Math.random() * 60)` (0..59), `Math.round(Math.random() * 60)` (0..60),
 *    `... + 1` (1..61): a value out of range has probability ≥ 1/120 per answer; all 16 000
 *    miss it with probability ≤ (119/120)^16000 ≈ 1e-58.
 *  - modulo tricks, `Math.floor(Math.random() * 100) % 60 + 1`: 41..60 have 1/100 (mean 160):
 *    each passes with P(count ≥ 180) ≈ 0.06, all twenty ≤ 0.06^20 ≈ 4e-25;
 *    `... * 64) % 60 + 1`: 1..4 have 1/32 (mean 500): P(count ≤ 364) ≈ 5e-11.
 *  - `Math.ceil(Math.random() * 60)`: 0 has probability 2^-53 per answer, no sample shows it;
 *    only the local probe (Math.random() = 0) catches it.
 *  - a constant, a string, a float: their own messages, on the very first answers.
 *
 * N is what it costs: 16 000 invocations are ~2 minutes on AWS at 10 at a time (and
 * $0.004 of requests); locally the sandbox draws them in milliseconds.
 */
export const SAMPLES = 16_000;

/**
 * How often an AWS check looks at the answers it has while it draws: 1 000 invocations, ~8 s
 * at 10 at a time. It stops at a look where `decidedEarly` holds: the judge fails them.
 */
export const EARLY_LOOK = 1_000;

/** Each count test's share of the false-failure budget (the union over 60 values included). */
export const COUNT_ALPHA = 4e-7;
export const CHI_SQUARE_ALPHA = 1e-7;
/** A correct draw's 60 counts all lie within [lo, hi] but with probability ≤ 2 × COUNT_ALPHA. */
export const COUNT_BOUNDS = countBounds(SAMPLES, 60, COUNT_ALPHA);

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
  const chiSquare =
    expected > 0 ? counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0) : Infinity;
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

/**
 * Answers the judge fails whatever the rest of the SAMPLES would be, or with a chance that a
 * correct draw ever shows them so small it leaves the bound above as it is. Stopping there
 * tells a learner on AWS of a wrong draw in seconds rather than after ~2 minutes of
 * invocations; it never passes a draw early, so the biased variants' bounds stand.
 *  - a non-number, a float, a whole number outside 1..60: failed whatever follows.
 *  - one answer EARLY_LOOK times or more: a correct draw does that with probability
 *    60^-(n-1), under 1e-1700 ("always returns …").
 *  - a value of 1..60 missing from n ≥ 2 × EARLY_LOOK answers: a correct draw misses one with
 *    probability ≤ 60 × (59/60)^n, 1.5e-13 at 2 000, and summed over the looks (2 000, 3 000,
 *    … 15 000) still ≤ 1.6e-13 ("never came up"). Math.floor(r * 59) + 1 shows it at the
 *    second look. The false-failure bound becomes ≤ 7.4e-7 + 1.6e-13 < 1e-6.
 */
export function decidedEarly(values: unknown[]): boolean {
  // The judge's own counts (judge.ts fails on each of these before it looks at the rest).
  const s = waitStats(values);
  if (s.nonNumbers.length || s.nonIntegers.length || s.outOfRange.length) return true;
  if (s.n >= EARLY_LOOK && s.distinct === 1) return true;
  return s.n >= 2 * EARLY_LOOK && s.counts.some((c) => c === 0);
}

/**
 * The widest [lo, hi] such that some of `values` uniform counts of `n` draws falls below lo
 * (or above hi) with probability at most `alpha` (union bound: values × one tail).
 */
export function countBounds(n: number, values: number, alpha: number): { lo: number; hi: number } {
  const p = 1 / values;
  let lo = 0;
  while (values * binomialCdf(n, lo, p) <= alpha) lo++;
  let hi = Math.ceil(n * p);
  while (values * binomialSf(n, hi, p) > alpha) hi++;
  return { lo, hi };
}

function lnBinomialPmf(n: number, j: number, p: number): number {
  return lnGamma(n + 1) - lnGamma(j + 1) - lnGamma(n - j + 1) + j * Math.log(p) + (n - j) * Math.log1p(-p);
}

/** P(X ≤ k) for X ~ Binomial(n, p), for k below the mean (summed term by term, no cancellation). */
export function binomialCdf(n: number, k: number, p: number): number {
  let sum = 0;
  for (let j = 0; j <= Math.min(k, n); j++) sum += Math.exp(lnBinomialPmf(n, j, p));
  return sum;
}

/** P(X > k) for X ~ Binomial(n, p), for k above the mean: the terms fall fast, so stop when they vanish. */
export function binomialSf(n: number, k: number, p: number): number {
  let sum = 0;
  for (let j = k + 1; j <= n; j++) {
    const term = Math.exp(lnBinomialPmf(n, j, p));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
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
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const zz = z - 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (zz + i);
  const t = zz + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}
