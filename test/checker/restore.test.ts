import { afterEach, describe, expect, it } from 'vitest';
import { begin } from '../../checker/commands/begin.ts';
import { restore } from '../../checker/commands/restore.ts';
import { capture, tempRepo } from './support.ts';

// Save times are printed in local time; the fixtures' times are UTC.
process.env.TZ = 'UTC';

describe('npm run restore', () => {
  let repo: ReturnType<typeof tempRepo>;
  afterEach(() => repo?.remove());

  it('lists the saves newest first, with the session each held and when', async () => {
    repo = tempRepo();
    const empty = capture();
    expect(await restore({ root: repo.root, print: empty.print })).toBe(0);
    expect(empty.text()).toContain('No saves yet');

    await begin({ session: 'session-1', root: repo.root, print: () => undefined });
    repo.write('backend/lib/virus.ts', 'session-1 work');
    await begin({
      session: 'session-2',
      force: true,
      root: repo.root,
      print: () => undefined,
      now: new Date('2026-11-21T09:30:00.000Z'),
    });
    repo.write('backend/lib/virus.ts', 'session-2 work');
    await begin({
      session: 'session-2',
      force: true,
      root: repo.root,
      print: () => undefined,
      now: new Date('2026-11-21T14:05:00.000Z'),
    });

    const out = capture();
    expect(await restore({ root: repo.root, print: out.print })).toBe(0);
    expect(out.text().split('\n').slice(0, 3)).toEqual([
      'Saves in .dojo/saves/, newest first:',
      '   1  2026-11-21 14:05  session-2  2026-11-21T14-05-00-000Z-session-2',
      '   2  2026-11-21 09:30  session-1  2026-11-21T09-30-00-000Z-session-1',
    ]);
  });

  it('brings a save back by number or name, saving the current backend/ first', async () => {
    repo = tempRepo();
    await begin({ session: 'session-1', root: repo.root, print: () => undefined });
    repo.write('backend/lib/virus.ts', 'session-1 work');
    await begin({
      session: 'session-2',
      force: true,
      root: repo.root,
      print: () => undefined,
      now: new Date('2026-11-21T09:30:00.000Z'),
    });
    repo.write('backend/lib/virus.ts', 'session-2 work');

    const out = capture();
    expect(
      await restore({
        save: '1',
        root: repo.root,
        print: out.print,
        now: new Date('2026-11-21T15:00:00.000Z'),
      }),
    ).toBe(0);
    expect(repo.read('backend/lib/virus.ts')).toBe('session-1 work');
    expect(JSON.parse(repo.read('.dojo/current.json'))).toMatchObject({ session: 'session-1' });
    expect(out.text()).toContain(
      'Saved your current backend/ in .dojo/saves/2026-11-21T15-00-00-000Z-session-2/',
    );
    expect(out.text()).toContain(
      '✔ backend/ is back as it was on 2026-11-21 09:30 (session-1), from .dojo/saves/2026-11-21T09-30-00-000Z-session-1/',
    );
    expect(out.text()).toContain('Next: npm run check session-1');

    // And back again, by the folder's name: the session-2 work was not lost.
    await restore({
      save: '.dojo/saves/2026-11-21T15-00-00-000Z-session-2/',
      root: repo.root,
      print: () => undefined,
    });
    expect(repo.read('backend/lib/virus.ts')).toBe('session-2 work');
    expect(JSON.parse(repo.read('.dojo/current.json'))).toMatchObject({ session: 'session-2' });
  });

  it('refuses a save that does not exist, saying how to name one, and leaves backend/ alone', async () => {
    repo = tempRepo();
    await expect(restore({ save: '1', root: repo.root, print: () => undefined })).rejects.toMatchObject({
      name: 'UsageError',
      message: 'There is no save "1": .dojo/saves/ is empty.',
    });
    await begin({ session: 'session-1', root: repo.root, print: () => undefined });
    repo.write('backend/lib/virus.ts', 'mine');
    await begin({
      session: 'session-2',
      force: true,
      root: repo.root,
      print: () => undefined,
      now: new Date('2026-11-21T09:30:00.000Z'),
    });
    await expect(restore({ save: '7', root: repo.root, print: () => undefined })).rejects.toMatchObject({
      name: 'UsageError',
      message:
        'There is no save "7". npm run restore lists them: a number from 1 to 1, or a folder name such as 2026-11-21T09-30-00-000Z-session-1.',
    });
    expect(repo.read('backend/serverless.ts')).toContain('name the table again');
  });
});
