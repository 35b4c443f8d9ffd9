/**
 * The exact probe of ChooseWaitTime's draw (local checks only). The local cloud can run a
 * handler with `Math.random` answering a value of our choosing (LambdaService.probe), so
 * instead of guessing a distribution from samples we measure the mapping itself: which
 * share of Math.random's range [0, 1) gives each of 1..60.
 *
 * Inputs: the midpoints (i + 0.5) / GRID of GRID = 6000 equal slices, and the edges a
 * draw must survive: 0, the largest double below 1, each k/60 and the double just below it.
 *
 * Verdict, when every input made exactly one Math.random call (otherwise the draw is not
 * a function of one Math.random value: the statistics of stats.ts decide instead):
 *  - every answer an integer from 1 to 60, the edges included (`Math.ceil` fails at 0);
 *  - each value's share of the midpoints is 1/60 within TOLERANCE midpoints of the 100 it
 *    must have. A value's inputs form intervals; an interval of length L holds L × GRID
 *    midpoints, ± 1. The reference `1 + Math.floor(r * 60)`, its mirror `60 - Math.floor(r * 60)`
 *    and their multiples (`Math.floor(r * 600) % 60 + 1`) give exactly 100 each; a draw
 *    shifted around the circle splits one value in two intervals: ± 2. So a correct draw
 *    never fails (the probe is deterministic: its false-failure rate is 0), and any draw
 *    that gives some value 3% more or less room than 1/60 fails, every time:
 *    `Math.round(r * 59) + 1` gives 1 and 60 about 51 midpoints each.
 */
export const GRID = 6000;
export const PER_VALUE = GRID / 60;
export const TOLERANCE = 2;

/** The grid's midpoints first (the counted part), then the edges. */
export function probeInputs(): number[] {
  const inputs = Array.from({ length: GRID }, (_, i) => (i + 0.5) / GRID);
  inputs.push(0, below(1));
  for (let k = 1; k < 60; k++) inputs.push(k / 60, below(k / 60));
  return inputs;
}

export interface ProbeAnswer {
  calls: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export type ProbeVerdict =
  /** The draw is not one Math.random call per answer: the probe cannot tell. */
  | { kind: 'not-applicable'; why: string }
  /** Answers to judge for type and range like any others (the grid first, in input order). */
  | { kind: 'measured'; values: unknown[]; problem?: { observed: string; expected: string; hint: string } };

export function judgeProbe(inputs: number[], answers: ProbeAnswer[]): ProbeVerdict {
  const calls = new Set(answers.map((a) => a.calls));
  if (calls.size !== 1 || !calls.has(1)) {
    const n = [...calls].sort((a, b) => a - b);
    return {
      kind: 'not-applicable',
      why:
        n.length === 1 && n[0] === 0
          ? 'chooseWaitTime does not call Math.random'
          : `chooseWaitTime calls Math.random ${n.join(' or ')} times per answer`,
    };
  }
  const failed = answers.findIndex((a) => !a.ok);
  if (failed >= 0) {
    return {
      kind: 'measured',
      values: [],
      problem: {
        observed: `for Math.random() = ${inputs[failed]}, chooseWaitTime failed: ${answers[failed].error}`,
        expected: 'a number of seconds for every value Math.random() can give',
        hint: 'Math.random() gives any number from 0 (included) to 1 (excluded): make sure each one leads to a wait.',
      },
    };
  }
  const values = answers.map((a) => (a.value as { numberOfSeconds?: unknown } | null)?.numberOfSeconds);
  // Not a whole number from 1 to 60: judge.ts words those (string, float, 0..59) from the values.
  if (values.some((v) => typeof v !== 'number' || !Number.isInteger(v))) return { kind: 'measured', values };
  const wrongEdge = values.findIndex((v) => (v as number) < 1 || (v as number) > 60);
  if (wrongEdge >= GRID) {
    const r = inputs[wrongEdge];
    return {
      kind: 'measured',
      values,
      problem: {
        observed: `for Math.random() = ${r}, chooseWaitTime chose ${values[wrongEdge]}`,
        expected: 'a wait from 1 to 60 for every value Math.random() can give, 0 included',
        hint:
          r === 0 && values[wrongEdge] === 0
            ? 'Math.random() can return exactly 0, and Math.ceil(0) is 0: round down and add 1 instead.'
            : r === 0
              ? 'Math.random() can return exactly 0: your formula must give 1 to 60 there too.'
              : 'Math.random() never reaches 1, but gets as close as 0.9999999999999999: check what your formula gives there.',
      },
    };
  }
  if (wrongEdge >= 0) return { kind: 'measured', values };
  const counts = new Array<number>(61).fill(0);
  for (let i = 0; i < GRID; i++) counts[values[i] as number]++;
  const off = counts
    .map((c, v) => ({ v, c }))
    .slice(1)
    .filter(({ c }) => Math.abs(c - PER_VALUE) > TOLERANCE);
  if (off.length === 0) return { kind: 'measured', values };
  const share = (c: number) => (c === 0 ? 'never' : `${((100 * c) / GRID).toFixed(2)}%`);
  const rare = off.filter((o) => o.c < PER_VALUE);
  const often = off.filter((o) => o.c > PER_VALUE);
  // An input the draw sends elsewhere, from the slice of a value that came too rarely.
  const rareValues = new Set(rare.map((o) => o.v));
  const example = inputs
    .slice(0, GRID)
    .findIndex((r, i) => rareValues.has(1 + Math.floor(r * 60)) && values[i] !== 1 + Math.floor(r * 60));
  const parts = [
    rare.length ? `too rarely: ${describe(rare, share)}` : '',
    often.length ? `too often: ${describe(often, share)}` : '',
  ].filter(Boolean);
  return {
    kind: 'measured',
    values,
    problem: {
      observed: `the draw is biased: of Math.random()'s range [0, 1), ${parts.join('; ')}${example >= 0 ? ` (e.g. Math.random() = ${Number(inputs[example].toPrecision(4))} chose ${values[example]}; it lies in slice ${1 + Math.floor(inputs[example] * 60)} of 60 equal slices of [0, 1))` : ''}`,
      expected: `each value from 1 to 60 chosen for 1/60 of the range (${share(PER_VALUE)} each)`,
      hint:
        rare.map((o) => o.v).join() === '1,60'
          ? 'Math.round gives the two end values half the room of the others: cut [0, 1) into 60 equal slices with Math.floor instead.'
          : 'Each of the 60 values needs an equal slice of [0, 1): scale Math.random() by 60 and round down, then add 1.',
    },
  };
}

/** "1 and 60 (0.85% each)", or "2, 3, … 59 (1.68% each)" when there are many. */
function describe(list: Array<{ v: number; c: number }>, share: (c: number) => string): string {
  const groups = new Map<string, number[]>();
  for (const { v, c } of list) groups.set(share(c), [...(groups.get(share(c)) ?? []), v]);
  return [...groups]
    .map(
      ([s, vs]) =>
        `${vs.length > 6 ? `${vs.slice(0, 3).join(', ')}, … ${vs.at(-1)} (${vs.length} values)` : vs.length > 1 ? `${vs.slice(0, -1).join(', ')} and ${vs.at(-1)}` : vs[0]} (${s}${vs.length > 1 && s !== 'never' ? ' each' : ''})`,
    )
    .join(', ');
}

/** The largest double below a positive x. */
function below(x: number): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] -= 1n;
  return f[0];
}
