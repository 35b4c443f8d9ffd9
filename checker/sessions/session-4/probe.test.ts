import { describe, expect, it } from 'vitest';
import { GRID, judgeProbe, probeInputs, type ProbeAnswer } from './probe.ts';

// The probe's judgement, on draws written as a learner would (the sandbox side, feeding
// these inputs to a real handler, is tested in test/emulator/lambda-probe.test.ts).
const inputs = probeInputs();
const answersOf = (draw: (r: number) => unknown, calls = 1): ProbeAnswer[] =>
  inputs.map((r) => ({ calls, ok: true, value: { numberOfSeconds: draw(r) } }));
const judge = (draw: (r: number) => unknown) => judgeProbe(inputs, answersOf(draw));

describe('the exact probe of the session-4 draw', () => {
  it('feeds the grid midpoints, then 0, the largest value below 1 and both sides of each k/60', () => {
    expect(inputs).toHaveLength(GRID + 2 + 2 * 59);
    expect(inputs[GRID]).toBe(0);
    expect(inputs[GRID + 1]).toBe(0.9999999999999999);
    expect(inputs[GRID + 2]).toBe(1 / 60);
    expect(inputs[GRID + 3]).toBeLessThan(1 / 60);
    expect(Math.floor(inputs[GRID + 3] * 60)).toBe(0);
  });

  it.each([
    ['1 + Math.floor(r * 60)', (r: number) => 1 + Math.floor(r * 60)],
    ['60 - Math.floor(r * 60)', (r: number) => 60 - Math.floor(r * 60)],
    ['Math.floor(r * 420) % 60 + 1', (r: number) => (Math.floor(r * 420) % 60) + 1],
    ['Math.floor(r * 600) % 60 + 1', (r: number) => (Math.floor(r * 600) % 60) + 1],
    ['a draw shifted around the circle', (r: number) => Math.floor(((r + 0.123) % 1) * 60) + 1],
  ])('passes a fair draw: %s', (_name, draw) => {
    const verdict = judge(draw);
    expect(verdict.kind).toBe('measured');
    expect(verdict.kind === 'measured' && verdict.problem).toBeUndefined();
  });

  it('names the two ends of Math.round(r * 59) + 1 as coming up too rarely, and why', () => {
    const verdict = judge((r) => Math.round(r * 59) + 1);
    expect(verdict.kind === 'measured' && verdict.problem).toEqual({
      observed:
        "the draw is biased: of Math.random()'s range [0, 1), too rarely: 1 and 60 (0.85% each) (e.g. Math.random() = 0.008583 chose 2; it lies in slice 1 of 60 equal slices of [0, 1))",
      expected: 'each value from 1 to 60 chosen for 1/60 of the range (1.67% each)',
      hint: 'Math.round gives the two end values half the room of the others: cut [0, 1) into 60 equal slices with Math.floor instead.',
    });
  });

  it('catches Math.ceil at Math.random() = 0, which no sample would ever show', () => {
    const verdict = judge((r) => Math.ceil(r * 60));
    expect(verdict.kind === 'measured' && verdict.problem?.observed).toBe(
      'for Math.random() = 0, chooseWaitTime chose 0',
    );
    expect(verdict.kind === 'measured' && verdict.problem?.hint).toContain('Math.ceil(0) is 0');
  });

  it('catches 61 at Math.random() = 0 in Math.floor((1 - r) * 60) + 1', () => {
    const verdict = judge((r) => Math.floor((1 - r) * 60) + 1);
    expect(verdict.kind === 'measured' && verdict.problem?.observed).toBe(
      'for Math.random() = 0, chooseWaitTime chose 61',
    );
  });

  it.each([
    ['Math.floor(r * 59) + 1', (r: number) => Math.floor(r * 59) + 1, 'too rarely: 60 (never)'],
    ['Math.ceil(r * 59) + 1', (r: number) => Math.ceil(r * 59) + 1, 'too rarely: 1 (never)'],
    [
      'Math.floor(r * 100) % 60 + 1',
      (r: number) => (Math.floor(r * 100) % 60) + 1,
      'too rarely: 41, 42, 43, … 60 (20 values) (1.00% each); too often: 1, 2, 3, … 40 (40 values) (2.00% each)',
    ],
    [
      'Math.floor(r * 1000) % 60 + 1',
      (r: number) => (Math.floor(r * 1000) % 60) + 1,
      'too rarely: 41, 42, 43, … 60 (20 values) (1.60% each)',
    ],
  ])('measures the bias of %s', (_name, draw, says) => {
    const verdict = judge(draw);
    expect(verdict.kind === 'measured' && verdict.problem?.observed).toContain(says);
  });

  it('leaves to the statistics a draw that is not one Math.random call', () => {
    expect(
      judgeProbe(
        inputs,
        answersOf(() => 7, 0),
      ),
    ).toEqual({ kind: 'not-applicable', why: 'chooseWaitTime does not call Math.random' });
    expect(
      judgeProbe(
        inputs,
        answersOf(() => 7, 2),
      ),
    ).toEqual({ kind: 'not-applicable', why: 'chooseWaitTime calls Math.random 2 times per answer' });
  });

  it('returns the values for the type checks when they are not whole numbers in range', () => {
    const verdict = judge((r) => Math.floor(r * 60));
    expect(verdict.kind === 'measured' && verdict.problem).toBeUndefined();
    expect(verdict.kind === 'measured' && Math.min(...(verdict.values as number[]))).toBe(0);
  });
});
