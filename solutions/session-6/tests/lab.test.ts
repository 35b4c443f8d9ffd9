import { describe, it, expect } from 'vitest';
import { BadSample, CultureContaminated, sequence, strengthOf } from '../lib/lab.ts';

describe('sequence', () => {
  it('keeps the letters A, C, G and T, in capitals, and drops the noise', () => {
    expect(sequence('gg-cc aatt.ag')).toBe('GGCCAATTAG');
    expect(sequence('ACGT')).toBe('ACGT');
    expect(sequence('xyz 123')).toBe('');
  });
});

describe('strengthOf', () => {
  it('is the share of G and C in the genome, in percent, rounded', () => {
    expect(strengthOf('GGCCGGCCGA')).toBe(90);
    expect(strengthOf('GGGGGGGAAA')).toBe(70);
    expect(strengthOf('ATATATATGC')).toBe(20);
    expect(strengthOf('GCA')).toBe(67);
  });

  it('is 0 for an empty genome', () => {
    expect(strengthOf('')).toBe(0);
  });
});

describe('the lab errors', () => {
  it('are named as the state machines catch them', () => {
    expect(new CultureContaminated('x').name).toBe('CultureContaminated');
    expect(new BadSample('x').name).toBe('BadSample');
  });
});
