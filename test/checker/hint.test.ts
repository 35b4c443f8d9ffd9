import { afterEach, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { hint } from '../../checker/commands/hint.ts';
import { capture, tempRepo } from './support.ts';

describe('npm run hint', () => {
  let repo: ReturnType<typeof tempRepo>;
  afterEach(() => repo?.remove());

  const started = () => {
    repo = tempRepo();
    cpSync(join(repo.root, 'sessions/session-1'), join(repo.root, 'backend'), {
      recursive: true,
      filter: (src) => !src.endsWith('session.json'),
    });
  };
  const run = async (todo?: string) => {
    const out = capture();
    expect(await hint({ session: 'session-1', todo, root: repo.root, print: out.print })).toBe(0);
    return out.text();
  };

  it('reveals the hints of the first open TODO one by one, up to the last', async () => {
    started();
    const first = await run();
    expect(first).toContain('TODO 1 of 2: Name the table');
    expect(first).toContain('backend/serverless.ts:1');
    expect(first).toContain('The table needs a name.');
    // Backticks stay when the terminal has no colours to set code apart.
    expect(first).toMatch(/Hint 1 of 3\n {2}Look at `?tableName`?\./);
    expect(first).toContain('Still stuck? npm run hint session-1 shows the next hint.');
    expect(await run()).toContain('Hint 2 of 3\n  It is a string.');
    const last = await run();
    // The last hint's code block is indented, without its fences.
    expect(last).toContain("Hint 3 of 3\n      export const tableName = 'viruses';");
    expect(last).not.toContain('```');
    expect(last).toContain('That was the last hint. Compare with the solution: npm run diff session-1');
    expect(await run()).toContain('Hint 3 of 3');
    expect(JSON.parse(repo.read('.dojo/hints.json'))).toEqual({ 'session-1': { 1: 3 } });
  });

  it('moves on to the next TODO once its marker is gone, and says when all are done', async () => {
    started();
    await run();
    repo.write('backend/serverless.ts', "export const tableName = 'viruses';\n");
    const next = await run();
    expect(next).toContain('TODO 2 of 2: Build a virus');
    expect(next).toContain('backend/lib/virus.ts:2');
    expect(next).toContain('Hint 1 of 2');

    // Moved, not done: the marker is found wherever it is in the service.
    repo.write('backend/lib/virus.ts', 'export const x = 1;\n');
    repo.write('backend/lib/other.ts', '// TODO 2: return a virus with an id\nexport const y = 2;\n');
    expect(await run()).toContain('backend/lib/other.ts:1');

    repo.write('backend/lib/other.ts', 'export const y = 2;\n');
    const done = await run();
    expect(done).toBe(
      '✔ Every TODO comment of session-1 is gone from backend/.\nNext: npm run check session-1 tells which TODOs still need work.',
    );
  });

  it('serves the TODO the last check failed on, whatever comments are left, and nothing once it passes', async () => {
    started();
    const checked = (ok: boolean, failed: Array<{ id: string; title: string; todo?: number }>) =>
      repo.write(
        '.dojo/progress.json',
        JSON.stringify({
          'session-1': { session: 'session-1', dir: 'backend', ok, at: '2026-11-21T10:00:00.000Z', failed },
        }),
      );
    // TODO 1's comment is still there, but the checker says TODO 1 works and TODO 2 does not.
    checked(false, [{ id: 's1.virus', title: 'A virus has an id', todo: 2 }]);
    const open = await run();
    expect(open).toContain('The last check (2026-11-21 10:00) failed: A virus has an id');
    expect(open).toContain('TODO 2 of 2: Build a virus');
    // Passing, with every comment left in place: nothing is open.
    checked(true, []);
    expect(await run()).toBe(
      '✔ session-1 passed its last check (2026-11-21 10:00): no TODO is open.\nNext: npm run begin session-2',
    );
  });

  it('shows the hints of TODO k when asked, open or not', async () => {
    started();
    const second = await run('2');
    expect(second).toContain('TODO 2 of 2: Build a virus');
    expect(second).toContain('Still stuck? npm run hint session-1 2 shows the next hint.');
    expect(await run('2')).toContain("Hint 2 of 2\n      return { id: 'v1' };");
    // TODO 1 has its own count.
    expect(await run('1')).toContain('Hint 1 of 3');
    repo.write('backend/serverless.ts', "export const tableName = 'viruses';\n");
    expect(await run('1')).toContain('backend/serverless.ts (its TODO comment is gone)');
    await expect(
      hint({ session: 'session-1', todo: '7', root: repo.root, print: () => undefined }),
    ).rejects.toMatchObject({
      name: 'UsageError',
      message: 'session-1 has TODOs 1 to 2; there is no TODO "7".',
    });
  });

  it('needs a session, or a current one', async () => {
    started();
    await expect(hint({ root: repo.root, print: () => undefined })).rejects.toMatchObject({
      message: 'Which session? For example: npm run hint session-1',
    });
    repo.write(
      '.dojo/current.json',
      JSON.stringify({ session: 'session-1', startedAt: '2026-11-21T10:00:00.000Z' }),
    );
    const out = capture();
    await hint({ root: repo.root, print: out.print });
    expect(out.text()).toContain('TODO 1 of 2');
    expect(out.text()).not.toContain('⚠');
    out.clear();
    await hint({ session: 'session-2', root: repo.root, print: out.print });
    expect(out.text().split('\n')[0]).toBe(
      '⚠ backend/ holds session-1, not session-2: to work on session-2, npm run begin session-2',
    );
  });
});
