import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { begin } from '../../checker/commands/begin.ts';
import { capture, tempRepo } from './support.ts';

describe('npm run begin', () => {
  let repo: ReturnType<typeof tempRepo>;
  afterEach(() => repo?.remove());

  const saves = () =>
    existsSync(join(repo.root, '.dojo', 'saves'))
      ? readdirSync(join(repo.root, '.dojo', 'saves')).sort()
      : [];

  it('saves backend/ and replaces it with the starter, without session.json or build output', async () => {
    repo = tempRepo();
    repo.write('backend/notes.md', 'my notes');
    repo.write('backend/node_modules/x/index.js', 'installed');
    repo.write('sessions/session-1/.serverless/template.json', '{}');
    const out = capture();

    const code = await begin({
      session: 'session-1',
      force: true,
      root: repo.root,
      print: out.print,
      now: new Date('2026-11-21T09:30:00.000Z'),
    });

    expect(code).toBe(0);
    expect(saves()).toEqual(['2026-11-21T09-30-00-000Z-backend']);
    const saved = join(repo.root, '.dojo', 'saves', '2026-11-21T09-30-00-000Z-backend');
    expect(readFileSync(join(saved, 'notes.md'), 'utf8')).toBe('my notes');
    expect(existsSync(join(saved, 'node_modules'))).toBe(false);
    expect(readdirSync(join(repo.root, 'backend')).sort()).toEqual(['lib', 'serverless.ts']);
    expect(repo.read('backend/serverless.ts')).toContain('// TODO 1:');
    expect(JSON.parse(repo.read('.dojo/current.json'))).toMatchObject({
      session: 'session-1',
      savedTo: '.dojo/saves/2026-11-21T09-30-00-000Z-backend',
    });

    const text = out.text();
    expect(text).toContain('Saved your backend/ in .dojo/saves/2026-11-21T09-30-00-000Z-backend/');
    expect(text).toContain('Session 1: A fixture session');
    expect(text).toMatch(/• Build a `?Virus`?/);
    expect(text).toContain('Start here: TODO 1 in backend/serverless.ts: Name the table');
    expect(text).toContain('Then run npm run check session-1');
  });

  it('never loses work: each begin keeps what was there, named after the session it came from', async () => {
    repo = tempRepo();
    const now = new Date('2026-11-21T10:00:00.000Z');
    await begin({ session: 'session-1', root: repo.root, print: () => undefined, now });
    expect(saves()).toEqual([]);
    repo.write('backend/lib/virus.ts', 'my session-1 work');
    const folder = statSync(join(repo.root, 'backend')).ino;

    await begin({ session: '2', force: true, root: repo.root, print: () => undefined, now });
    repo.write('backend/lib/virus.ts', 'my session-2 work');
    // The same instant again: the second save must not overwrite the first.
    await begin({ session: 'session-2', force: true, root: repo.root, print: () => undefined, now });

    expect(saves()).toEqual(['2026-11-21T10-00-00-000Z-session-1', '2026-11-21T10-00-00-000Z-session-2']);
    expect(
      readFileSync(join(repo.root, '.dojo/saves/2026-11-21T10-00-00-000Z-session-1/lib/virus.ts'), 'utf8'),
    ).toBe('my session-1 work');
    expect(
      readFileSync(join(repo.root, '.dojo/saves/2026-11-21T10-00-00-000Z-session-2/lib/virus.ts'), 'utf8'),
    ).toBe('my session-2 work');
    expect(repo.read('backend/serverless.ts')).toContain('name the table again');
    // backend/ stays the same folder: a terminal inside it (npm run from backend/) keeps working.
    expect(statSync(join(repo.root, 'backend')).ino).toBe(folder);
    // Nothing is left behind in the staging area.
    expect(readdirSync(join(repo.root, '.dojo', 'tmp'))).toEqual([]);
  });

  it('over changed work and without a terminal, refuses unless --force, naming the save folder and --force', async () => {
    repo = tempRepo();
    await begin({ session: 'session-1', root: repo.root, print: () => undefined });
    repo.write('backend/lib/virus.ts', 'my work');

    await expect(
      begin({ session: 'session-1', interactive: false, root: repo.root, print: () => undefined }),
    ).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(
        /backend\/ holds work of yours \(a file differs from the session-1 starter: lib\/virus\.ts\)[\s\S]*saving it in \.dojo\/saves\/[\s\S]*npm run begin session-1 -- --force/,
      ),
    });
    expect(repo.read('backend/lib/virus.ts')).toBe('my work');
    expect(saves()).toEqual([]);

    const out = capture();
    expect(
      await begin({
        session: 'session-1',
        force: true,
        interactive: false,
        root: repo.root,
        print: out.print,
        now: new Date('2026-11-21T11:00:00.000Z'),
      }),
    ).toBe(0);
    expect(out.text()).toContain(
      'Saved your backend/ in .dojo/saves/2026-11-21T11-00-00-000Z-session-1/  (npm run restore brings it back)',
    );
    expect(repo.read('backend/lib/virus.ts')).not.toBe('my work');
  });

  it('on a terminal, asks first: no leaves backend/ alone, yes saves it and starts over', async () => {
    repo = tempRepo();
    await begin({ session: 'session-1', root: repo.root, print: () => undefined });
    repo.write('backend/notes.md', 'my notes');
    const questions: string[] = [];
    const out = capture();

    expect(
      await begin({
        session: 'session-2',
        interactive: true,
        ask: async (q) => (questions.push(q), 'n'),
        root: repo.root,
        print: out.print,
      }),
    ).toBe(1);
    expect(questions).toEqual(['Start session-2 from its starter? [y/N] ']);
    expect(out.text()).toContain(
      'backend/ holds work of yours: notes.md differs from the session-1 starter.',
    );
    expect(out.text()).toContain('Nothing changed: backend/ is as you left it.');
    expect(repo.read('backend/notes.md')).toBe('my notes');
    expect(saves()).toEqual([]);

    expect(
      await begin({
        session: 'session-2',
        interactive: true,
        ask: async () => 'y',
        root: repo.root,
        print: () => undefined,
        now: new Date('2026-11-21T12:00:00.000Z'),
      }),
    ).toBe(0);
    expect(saves()).toEqual(['2026-11-21T12-00-00-000Z-session-1']);
    expect(repo.read('backend/serverless.ts')).toContain('name the table again');
  });

  it('does not ask when backend/ is still the starter: nothing of yours would be lost', async () => {
    repo = tempRepo();
    await begin({ session: 'session-1', root: repo.root, print: () => undefined });
    const ask = async (): Promise<string> => {
      throw new Error('asked');
    };
    expect(
      await begin({ session: 'session-2', interactive: true, ask, root: repo.root, print: () => undefined }),
    ).toBe(0);
    expect(
      await begin({ session: 'session-2', interactive: false, root: repo.root, print: () => undefined }),
    ).toBe(0);
  });

  it('refuses an unknown session and one not written yet, and leaves backend/ alone', async () => {
    repo = tempRepo();
    repo.write('backend/notes.md', 'keep me');
    await expect(
      begin({ session: 'session-9', root: repo.root, print: () => undefined }),
    ).rejects.toMatchObject({ name: 'UsageError', message: expect.stringContaining('is not a session') });
    await expect(
      begin({ session: 'session-5', root: repo.root, print: () => undefined }),
    ).rejects.toMatchObject({
      name: 'UsageError',
      message: 'session-5 is not written yet: sessions/session-5/ does not exist.',
    });
    await expect(
      begin({ session: undefined, root: repo.root, print: () => undefined }),
    ).rejects.toMatchObject({ name: 'UsageError' });
    expect(repo.read('backend/notes.md')).toBe('keep me');
    expect(saves()).toEqual([]);
  });
});
