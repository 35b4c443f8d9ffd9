import { afterEach, describe, expect, it } from 'vitest';
import { status } from '../../checker/commands/status.ts';
import { capture, tempRepo } from './support.ts';

describe('npm run status', () => {
  let repo: ReturnType<typeof tempRepo>;
  afterEach(() => repo?.remove());

  const progress = (
    entries: Record<
      string,
      { ok: boolean; failed?: Array<{ id: string; title: string; todo?: number }>; at?: string }
    >,
  ) =>
    repo.write(
      '.dojo/progress.json',
      JSON.stringify(
        Object.fromEntries(
          Object.entries(entries).map(([session, e]) => [
            session,
            {
              session,
              dir: 'backend',
              ok: e.ok,
              at: e.at ?? '2026-11-21T10:00:00.000Z',
              failed: e.failed ?? [],
            },
          ]),
        ),
      ),
    );
  const run = async () => {
    const out = capture();
    expect(await status({ root: repo.root, print: out.print })).toBe(0);
    return out.text();
  };

  it('starts everyone at session 1', async () => {
    repo = tempRepo();
    const text = await run();
    expect(text).toContain('   1  A fixture session           · not checked yet');
    // The fixture course has two sessions: no more rows than that.
    expect(text.split('\n').filter((l) => /^\S?\s+\d+ /.test(l))).toHaveLength(2);
    expect(text).toContain('Next: npm run begin session-1');
  });

  it('shows passed and failed sessions, the current one, and how to fix it', async () => {
    repo = tempRepo();
    progress({
      'session-1': { ok: true, at: '2026-11-20T09:00:00.000Z' },
      'session-2': {
        ok: false,
        failed: [
          { id: 's2.table-name', title: 'The table has a name', todo: 1 },
          { id: 's2.virus', title: 'A virus is built' },
        ],
      },
    });
    repo.write(
      '.dojo/current.json',
      JSON.stringify({ session: 'session-2', startedAt: '2026-11-21T09:00:00.000Z' }),
    );
    const lines = (await run()).split('\n');
    expect(lines[0]).toBe('   1  A fixture session           ✔ passed 2026-11-20');
    // A TODO and its title, never the check's internal id.
    expect(lines[1]).toBe('▸  2  The second fixture session  ✖ failed 2026-11-21: TODO 1 (Name the table)');
    expect(lines).toContain('You are on session-2.');
    expect(lines.at(-1)).toBe(
      'Next: fix TODO 1 (Name the table), then npm run check session-2 again  (stuck? npm run hint session-2)',
    );
    expect(lines.join('\n')).not.toContain('s2.');
  });

  it('points to the next session once the current one passes', async () => {
    repo = tempRepo();
    progress({ 'session-1': { ok: true } });
    repo.write(
      '.dojo/current.json',
      JSON.stringify({ session: 'session-1', startedAt: '2026-11-21T09:00:00.000Z' }),
    );
    expect(await run()).toContain('Next: npm run begin session-2');
    progress({ 'session-1': { ok: true }, 'session-2': { ok: true } });
    expect(await run()).toContain('Next: nothing: every session passes. Well done!');
  });
});
