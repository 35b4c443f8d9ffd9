import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Board from '../../docs/.vitepress/theme/board/types.ts';
import { isKind, Trace, type TraceEntry, type TraceFields, type TraceKind } from './trace.ts';

describe('the trace', () => {
  const sample = () => {
    let now = 1000;
    const trace = new Trace(() => now++);
    const start = trace.record({ kind: 'invoke.start', function: 'f', requestId: 'r1', event: {} });
    trace.record({
      kind: 'invoke.end',
      cause: start.seq,
      function: 'f',
      requestId: 'r1',
      ok: false,
      durationMs: 12,
      error: { errorType: 'Boom', errorMessage: 'it broke' },
    });
    trace.record({
      kind: 'events.put',
      bus: 'default',
      eventId: 'e1',
      source: 'game',
      detailType: 'Virus',
      detail: {},
    });
    return { trace, start };
  };

  it('numbers entries, stamps them with the clock and links causes', () => {
    const { trace, start } = sample();
    expect(trace.all().map((e) => [e.seq, e.time, e.kind])).toEqual([
      [1, 1000, 'invoke.start'],
      [2, 1001, 'invoke.end'],
      [3, 1002, 'events.put'],
    ]);
    expect(trace.causes(2).map((e) => e.seq)).toEqual([start.seq, 2]);
  });

  it('gives readers the fields of the kind they ask for', () => {
    const { trace } = sample();
    const [end] = trace.find('invoke.end', (e) => !e.ok);
    expectTypeOf(end).toEqualTypeOf<TraceEntry<'invoke.end'>>();
    expect(end.error?.errorType).toBe('Boom');
    const puts = trace.all().filter((e) => isKind(e, 'events.put'));
    expectTypeOf(puts).toEqualTypeOf<TraceEntry<'events.put'>[]>();
    expect(puts.map((e) => e.detailType)).toEqual(['Virus']);
  });

  // The board mirrors the trace's types rather than import them (it speaks HTTP only):
  // this fails `npm run typecheck` as soon as the two differ, kind by kind.
  it("matches the board's mirror of it", () => {
    expectTypeOf<Board.TraceKind>().toEqualTypeOf<TraceKind>();
    expectTypeOf<Board.TraceFields>().toEqualTypeOf<TraceFields>();
    expectTypeOf<Board.TraceEntry>().toEqualTypeOf<TraceEntry>();
  });
});
