import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialSf,
  CHI_SQUARE_ALPHA,
  chiSquareSurvival,
  COUNT_ALPHA,
  COUNT_BOUNDS,
  decidedEarly,
  EARLY_LOOK,
  SAMPLES,
  waitStats,
} from './stats.ts';

describe('the randomness statistics of session 4', () => {
  it('computes chi-square tail probabilities (checked against tables)', () => {
    // Tables: chi-square with 59 df has its 95th percentile at 77.93 and 99.9th at 98.32.
    expect(chiSquareSurvival(77.93, 59)).toBeCloseTo(0.05, 3);
    expect(chiSquareSurvival(98.32, 59)).toBeCloseTo(0.001, 4);
    expect(chiSquareSurvival(10, 2)).toBeCloseTo(Math.exp(-5), 10);
  });

  it('accepts a uniform draw and refuses a constant one', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const good = waitStats(Array.from({ length: 1000 }, () => 1 + Math.floor(rand() * 60)));
    expect(good.outOfRange).toEqual([]);
    expect(good.pValue).toBeGreaterThan(1e-6);
    const constant = waitStats(new Array(1000).fill(30));
    expect(constant.distinct).toBe(1);
    expect(constant.pValue).toBeLessThan(1e-100);
  });

  it('sees strings, floats and values out of range', () => {
    const s = waitStats(['42', 12.5, 0, 61, 7]);
    expect(s.nonNumbers).toEqual(['42']);
    expect(s.nonIntegers).toEqual([12.5]);
    expect(s.outOfRange).toEqual([0, 61]);
  });

  it('computes binomial tails (checked against exact sums)', () => {
    expect(binomialCdf(10, 2, 0.5)).toBeCloseTo(56 / 1024, 14);
    expect(binomialSf(10, 7, 0.5)).toBeCloseTo(56 / 1024, 14);
    expect(binomialCdf(SAMPLES, 266, 1 / 60) + binomialSf(SAMPLES, 266, 1 / 60)).toBeCloseTo(1, 10);
  });

  it('holds both bounds of the comment: a correct draw fails ≤ 1e-6, Math.round(r * 59) + 1 passes ≤ 1e-6', () => {
    const { lo, hi } = COUNT_BOUNDS;
    expect({ lo, hi }).toEqual({ lo: 180, hi: 364 });
    const tooRare = 60 * binomialCdf(SAMPLES, lo - 1, 1 / 60);
    const tooOften = 60 * binomialSf(SAMPLES, hi, 1 / 60);
    expect(tooRare).toBeLessThanOrEqual(COUNT_ALPHA);
    expect(tooOften).toBeLessThanOrEqual(COUNT_ALPHA);
    expect(tooRare + tooOften + CHI_SQUARE_ALPHA).toBeLessThan(1e-6);
    // 1 and 60 each at 1/118: both must reach lo to pass.
    expect(binomialSf(SAMPLES, lo - 1, 1 / 118) ** 2).toBeLessThan(1e-6);
  });

  it('stops an AWS draw early only where the judge fails it, at the cost the comment says', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const correct = Array.from({ length: SAMPLES }, () => 1 + Math.floor(rand() * 60));
    for (let n = EARLY_LOOK; n <= SAMPLES; n += EARLY_LOOK)
      expect(decidedEarly(correct.slice(0, n))).toBe(false);
    // What the judge fails whatever follows: at once.
    for (const wrong of ['42', 12.5, 0, 61]) expect(decidedEarly([7, wrong])).toBe(true);
    // A constant: at the first look, not before.
    expect(decidedEarly(new Array(EARLY_LOOK - 1).fill(30))).toBe(false);
    expect(decidedEarly(new Array(EARLY_LOOK).fill(30))).toBe(true);
    // Math.floor(r * 59) + 1, never 60: at the second look, not at the first.
    const never60 = Array.from({ length: 2 * EARLY_LOOK }, () => 1 + Math.floor(rand() * 59));
    expect(decidedEarly(never60.slice(0, EARLY_LOOK))).toBe(false);
    expect(decidedEarly(never60)).toBe(true);
    // A correct draw missing some value at some look from the second on, union over values and looks.
    let missing = 0;
    for (let n = 2 * EARLY_LOOK; n < SAMPLES; n += EARLY_LOOK) missing += 60 * (59 / 60) ** n;
    expect(missing).toBeLessThan(1.6e-13);
    const tooRare = 60 * binomialCdf(SAMPLES, COUNT_BOUNDS.lo - 1, 1 / 60);
    const tooOften = 60 * binomialSf(SAMPLES, COUNT_BOUNDS.hi, 1 / 60);
    expect(tooRare + tooOften + CHI_SQUARE_ALPHA + missing).toBeLessThan(1e-6);
  });
});
