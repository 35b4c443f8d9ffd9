import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic, parseIntrinsic } from './intrinsics.ts';
import type { PathData } from './paths.ts';

const data = (input: unknown): PathData => ({
  input,
  context: { State: { Name: 'S' } },
  variable: (name) => (name === 'v' ? { found: true, value: [1, 2] } : { found: false }),
});
const call = (text: string, input: unknown = {}) =>
  evaluateIntrinsic(parseIntrinsic(text), data(input), 'x.$');

describe('intrinsic functions on the edges AWS defines', () => {
  it('MathAdd rounds non-integers to the nearest integer, halves up (as Java does)', () => {
    expect(call('States.MathAdd(1.5, 1)')).toBe(3);
    expect(call('States.MathAdd(-1.5, 0)')).toBe(-1);
    expect(call('States.MathAdd(2.4, 0.6)')).toBe(3);
  });

  it('StringSplit splits on each delimiter character and drops empty pieces', () => {
    expect(call("States.StringSplit('a,,b;c;', ',;')")).toEqual(['a', 'b', 'c']);
    expect(call("States.StringSplit('', ',')")).toEqual([]);
  });

  it('StringToJson reads an empty string as null, and fails on what is not JSON', () => {
    expect(call("States.StringToJson('')")).toBeNull();
    expect(() => call("States.StringToJson('{nope')")).toThrow(
      expect.objectContaining({ error: 'States.IntrinsicFailure' }),
    );
  });

  it('Format prints non-string arguments as JSON, and keeps escaped braces', () => {
    expect(
      call("States.Format('{} {} {} {}', $.n, $.b, $.o, $.z)", { n: 1.5, b: true, o: { a: [1] }, z: null }),
    ).toBe('1.5 true {"a":[1]} null');
    expect(call("States.Format('\\{{}\\}', 'x')")).toBe('{x}');
    expect(() => call("States.Format('{} {}', 'x')")).toThrow(
      expect.objectContaining({ error: 'States.IntrinsicFailure' }),
    );
  });

  it('ArrayRange stops at 1000 items; ArrayGetItem refuses an index out of bounds', () => {
    expect(call('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expect(() => call('States.ArrayRange(0, 1000, 1)')).toThrow(
      expect.objectContaining({ error: 'States.IntrinsicFailure' }),
    );
    expect(call('States.ArrayRange(10, 1, -3)')).toEqual([10, 7, 4, 1]);
    expect(() => call('States.ArrayGetItem($v, 2)')).toThrow(
      expect.objectContaining({ error: 'States.IntrinsicFailure' }),
    );
  });

  it('Hash knows MD5, SHA-1, SHA-256, SHA-384, SHA-512 and nothing else', () => {
    expect(call("States.Hash('input data', 'MD5')")).toBe('812f45842bc6d66ee14572ce20db8e86');
    expect(call("States.Hash('input data', 'SHA-256')")).toHaveLength(64);
    expect(() => call("States.Hash('input data', 'SHA-224')")).toThrow(
      expect.objectContaining({ error: 'States.IntrinsicFailure' }),
    );
  });

  it('UUID gives a v4 UUID; MathRandom with a seed repeats, without one stays in [start, end)', () => {
    expect(call('States.UUID()')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(call('States.MathRandom(1, 999, 7)')).toBe(call('States.MathRandom(1, 999, 7)'));
    for (let i = 0; i < 50; i++) expect(call('States.MathRandom(3, 5)')).toBeOneOf([3, 4]);
  });

  it('JsonMerge is shallow only; arguments can be variables, the context object and nested calls', () => {
    expect(() => call('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} })).toThrow(
      'only the shallow merge',
    );
    expect(call('States.ArrayLength($v)')).toBe(2);
    expect(call("States.Format('{}', $$.State.Name)")).toBe('S');
    expect(call('States.ArrayGetItem(States.Array(1, 2, 3), 1)')).toBe(2);
  });

  it('a path argument that selects nothing is a States.Runtime error naming the path', () => {
    expect(() => call('States.ArrayLength($.missing)', { a: 1 })).toThrow(
      "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'",
    );
  });

  it('refuses calls it cannot parse: unknown names, wrong argument counts, open strings', () => {
    expect(() => parseIntrinsic('States.Nope(1)')).toThrow('unknown intrinsic function States.Nope');
    expect(() => parseIntrinsic('States.MathAdd(1)')).toThrow('States.MathAdd takes 2 argument(s), not 1');
    expect(() => parseIntrinsic("States.Format('abc)")).toThrow('not closed');
  });
});
