import { describe, expect, it } from 'vitest';
import { RoomStore } from './store.ts';
import { scrub } from './payload.ts';
import { roomCsv } from './csv.ts';
import type { RoomReport } from './protocol.ts';

const failing = (session: string, ...todos: number[]): RoomReport => ({
  session,
  ok: todos.length === 0,
  target: 'local',
  kit: '0.1.0',
  durations: {},
  checks: [1, 2, 3, 4].map((t) => ({
    id: `c${t}`,
    title: `check ${t}`,
    status: todos.includes(t) ? 'fail' : 'pass',
    todo: t,
  })),
});

describe('the room store', () => {
  it('calls a learner stuck once the same TODO has been the first ✖ for the threshold', () => {
    let now = 0;
    const store = new RoomStore({ stuckMinutes: 10, now: () => now });
    const { learner } = store.join('Ana');
    store.report(learner, failing('session-4', 3, 6));
    now = 9 * 60_000;
    store.report(learner, failing('session-4', 3));
    expect(store.view().learners[0].stuck).toBeUndefined();
    now = 10 * 60_000;
    expect(store.view().learners[0].stuck).toEqual({
      session: 'session-4',
      todo: 3,
      title: 'check 3',
      since: 0,
    });
    // Back to an earlier session for a while: not stuck there; stuck again on return.
    store.report(learner, failing('session-3'));
    expect(store.view().learners[0].stuck).toBeUndefined();
    store.report(learner, failing('session-4', 3));
    expect(store.view().learners[0].stuck?.since).toBe(0);
    // Moving on to another TODO starts the clock again; passing ends it.
    store.report(learner, failing('session-4', 4));
    expect(store.view().learners[0].stuck).toBeUndefined();
    now = 30 * 60_000;
    expect(store.view().learners[0].stuck?.todo).toBe(4);
    store.report(learner, failing('session-4'));
    expect(store.view().learners[0].stuck).toBeUndefined();
  });

  it('ranks the checks failing for most learners, with who fails them', () => {
    const store = new RoomStore({ stuckMinutes: 10 });
    const names = ['Bo', 'Al', 'Cy'];
    const ids = names.map((n) => store.join(n).learner);
    store.report(ids[0], failing('session-2', 2, 3));
    store.report(ids[1], failing('session-2', 2));
    store.report(ids[2], failing('session-1', 1));
    const top = store.view().failingMost.map((f) => [f.session, f.todo, f.count, f.names]);
    expect(top).toEqual([
      ['session-2', 2, 2, ['Al', 'Bo']],
      ['session-1', 1, 1, ['Cy']],
      ['session-2', 3, 1, ['Bo']],
    ]);
  });

  it('exports CSV a spreadsheet reads as text, formulas included', () => {
    const store = new RoomStore({ stuckMinutes: 10, now: () => Date.UTC(2026, 11, 1, 10) });
    store.report(store.join('=HYPERLINK("http://x","y")').learner, failing('session-1', 1));
    const [, row] = roomCsv(store.view()).trim().split('\r\n');
    expect(row).toBe(
      `"'=HYPERLINK(""http://x"",""y"")",session-1,fail,2026-12-01T10:00:00.000Z,3,4,TODO 1: check 1,local,0.1.0,1,`,
    );
  });
});

describe('what is sent', () => {
  it('scrubs absolute paths, access keys and account ids, and keeps routes and kit files', () => {
    expect(scrub('Read /home/ana/dojo/backend/handler.ts:12 and C:\\Users\\ana\\dojo\\x.ts', 300)).toBe(
      'Read …:12 and …',
    );
    expect(scrub('key AKIAIOSFODNN7EXAMPLE in account 123456789012', 300)).toBe('key … in account …');
    expect(scrub('DELETE /viruses/{id} answered 500: see lib/http.ts', 300)).toBe(
      'DELETE /viruses/{id} answered 500: see lib/http.ts',
    );
    expect(scrub('x'.repeat(10), 5)).toBe('xxxx…');
  });
});
