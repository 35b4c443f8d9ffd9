import { describe, expect, it } from 'vitest';
import { judge } from './judge.ts';
import type { Observation } from './observe.ts';
import { SAMPLES } from './stats.ts';
import { mulberry32 } from '../../../emulator/index.ts';

// The randomness verdict from answers alone, as on AWS (no probe there): SAMPLES answers
// of a draw, each from a seeded stream so that the test is the same every run.

const randomness = (draw: (r: number) => number, seed = 1) => {
  const rand = mulberry32(seed);
  const draws = Array.from({ length: SAMPLES }, () => draw(rand()));
  const o: Observation = {
    target: 'aws',
    windowStart: 0,
    windowEnd: 0,
    executions: [],
    virusIdsFromAnyExecution: [],
    viruses: [],
    samples: draws.slice(0, 12),
    sampleDurationsMs: [3],
    sampleErrors: [],
    draw: { mode: 'statistics', draws },
  };
  return judge(o, 4).find((r) => r.id === 's4.random')!;
};

describe('the session-4 randomness check without the probe (as on AWS)', () => {
  it.each([1, 2, 3])('passes 1 + Math.floor(Math.random() * 60) (seed %i)', (seed) => {
    expect(randomness((r) => 1 + Math.floor(r * 60), seed).status).toBe('pass');
  });

  it('says which values came up too rarely with Math.round(Math.random() * 59) + 1', () => {
    const result = randomness((r) => Math.round(r * 59) + 1);
    expect(result.status).toBe('fail');
    expect(result.observed).toMatch(
      /^in 16000 answers 1 \(\d+ times\), 60 \(\d+ times\) came up too rarely$/,
    );
    expect(result.hint).toContain('Math.round gives the two end values half the room');
  });

  it.each([
    ['Math.floor(r * 59) + 1', (r: number) => Math.floor(r * 59) + 1, 'in 16000 answers 60 never came up'],
    ['Math.ceil(r * 59) + 1', (r: number) => Math.ceil(r * 59) + 1, 'in 16000 answers 1 never came up'],
    ['Math.round(r * 60)', (r: number) => Math.round(r * 60), 'values out of range: [0]'],
    ['Math.floor(r * 100) % 60 + 1', (r: number) => (Math.floor(r * 100) % 60) + 1, 'came up too rarely'],
    ['Math.floor(r * 64) % 60 + 1', (r: number) => (Math.floor(r * 64) % 60) + 1, '1 ('],
  ])('fails %s', (_name, draw, says) => {
    const result = randomness(draw);
    expect(result.status).toBe('fail');
    expect(result.observed).toContain(says);
  });
});
