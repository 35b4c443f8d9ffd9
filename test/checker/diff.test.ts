import { afterEach, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { diff } from '../../checker/commands/diff.ts';
import { capture, tempRepo } from './support.ts';

describe('npm run diff', () => {
  let repo: ReturnType<typeof tempRepo>;
  afterEach(() => repo?.remove());

  const fromSolution = () => {
    repo = tempRepo();
    cpSync(join(repo.root, 'solutions/session-1'), join(repo.root, 'backend'), { recursive: true });
  };

  it('says so when backend/ is the solution, build output aside', async () => {
    fromSolution();
    repo.write('backend/.serverless/cloudformation-template-update-stack.json', '{}');
    repo.write('backend/node_modules/x/index.js', '');
    const out = capture();
    expect(await diff({ session: 'session-1', root: repo.root, print: out.print })).toBe(0);
    expect(out.text()).toBe(
      '✔ backend/ is the same as solutions/session-1/. (comments and formatting aside; npm run diff session-1 -- --exact compares the files as written)',
    );
  });

  it('ignores comments, layout and quotes by default, and shows them with --exact', async () => {
    fromSolution();
    // The same code in another hand: double quotes, no comments, one line, a comment of one's own.
    const theirs = repo.read('solutions/session-1/serverless.ts');
    const mine =
      theirs
        .replace(/^\s*\/\/.*\n/gm, '')
        .replace(/'/g, '"')
        .replace(/,\n\s*}/g, ' }') + '\n// my notes: the table comes from resources/\n';
    expect(mine).not.toBe(theirs);
    repo.write('backend/serverless.ts', mine);
    const out = capture();
    await diff({ session: 'session-1', root: repo.root, print: out.print });
    expect(out.text()).toContain('✔ backend/ is the same as solutions/session-1/.');
    out.clear();
    await diff({ session: 'session-1', root: repo.root, print: out.print, exact: true });
    expect(out.text()).toContain('+++ solutions/session-1/serverless.ts');
    expect(out.text()).toContain('-// my notes: the table comes from resources/');
    expect(out.text()).toContain('1 file differs.');
  });

  it('shows the lines the solution has and yours lacks, and files on one side only', async () => {
    fromSolution();
    repo.write('backend/lib/virus.ts', 'export function newVirus(): { id: string } {\n}\n');
    repo.write('backend/notes.md', 'mine\n');
    const out = capture();
    expect(await diff({ session: 'session-1', root: repo.root, print: out.print })).toBe(0);
    const text = out.text();
    expect(text).toContain('- backend/  + solutions/session-1/');
    expect(text).toContain('--- backend/lib/virus.ts\n+++ solutions/session-1/lib/virus.ts');
    expect(text).toContain("+  return { id: 'v1' };");
    expect(text).toContain('notes.md (only in yours: not in the solution)');
    expect(text).toContain('-mine');
    expect(text).toContain('2 files differ.');
  });

  it('counts lines per file with --stat, and takes --dir', async () => {
    repo = tempRepo();
    cpSync(join(repo.root, 'sessions/session-1'), join(repo.root, 'elsewhere'), { recursive: true });
    const out = capture();
    expect(
      await diff({
        session: 'session-1',
        dir: join(repo.root, 'elsewhere'),
        stat: true,
        root: repo.root,
        print: out.print,
      }),
    ).toBe(0);
    expect(out.text().split('\n')).toEqual([
      // The starter's TODO comments are comments: only the code to write counts.
      ' lib/virus.ts  | +1 -1',
      ' serverless.ts | +1 -1',
      '2 files differ: +2 -2 (+ the solution has, - only yours has)',
    ]);
  });

  it('treats CRLF line endings as no difference', async () => {
    fromSolution();
    repo.write(
      'backend/serverless.ts',
      repo.read('solutions/session-1/serverless.ts').replace(/\n/g, '\r\n'),
    );
    const out = capture();
    await diff({ session: 'session-1', root: repo.root, print: out.print });
    expect(out.text()).toContain('is the same as');
  });

  it('uses the current session when none is named, and refuses a missing solution', async () => {
    fromSolution();
    repo.write(
      '.dojo/current.json',
      JSON.stringify({ session: 'session-1', startedAt: '2026-11-21T10:00:00.000Z' }),
    );
    const out = capture();
    await diff({ root: repo.root, print: out.print });
    expect(out.text()).toContain('solutions/session-1/');
    await expect(diff({ session: 'session-3', root: repo.root, print: out.print })).rejects.toMatchObject({
      name: 'UsageError',
      message: 'session-3 has no solution yet: solutions/session-3/ does not exist.',
    });
  });
});
