import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { join } from '../../checker/commands/join.ts';
import { membershipFile, readMembership } from '../../checker/room/membership.ts';
import { reportToRoom } from '../../checker/room/report.ts';
import { startRoom, type RunningRoom } from '../../checker/room/server.ts';
import { checkReport } from './support.ts';

/** `npm run join`: what a learner types, what it says back, and --leave. */
describe('npm run join', () => {
  let room: RunningRoom;
  const root = resolve('.dojo', 'tmp', `join-${randomBytes(4).toString('hex')}`);
  const said: string[] = [];
  const print = (l: string) => said.push(l);

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    room = await startRoom({ port: 0 });
  });
  afterAll(async () => {
    await room.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('joins, tells the learner once what is sent, and keeps the membership under .dojo/', async () => {
    expect(await join({ url: room.joinUrl, name: '  Ana  Lovelace ', root, print })).toBe(0);
    const text = said.join('\n');
    expect(text).toContain(`You joined the room at ${room.url} as Ana Lovelace`);
    expect(text).toContain("each check's ✔/✖ with its title and TODO number");
    expect(text).toContain('Never your code, your credentials or your file paths.');
    expect(readMembership(root)).toMatchObject({ room: room.url, name: 'Ana Lovelace' });
    expect(room.store.view().learners.map((l) => l.name)).toEqual(['Ana Lovelace']);
  });

  it('refuses a wrong code, an address that is not a join URL, a missing name, and a room that is not there', async () => {
    await expect(join({ url: `${room.url}/join/WRNG-CODE`, name: 'Eve', root, print })).rejects.toThrow(
      /The room refused to let you in \(403\): This is not the room code/,
    );
    await expect(join({ url: room.url, name: 'Eve', root, print })).rejects.toThrow(
      /is not a room's join URL. It looks like http:\/\/192.168.1.5:4577\/join\/ABCD-EFGH/,
    );
    await expect(join({ url: room.joinUrl, root, print })).rejects.toThrow(
      /Say the name the instructor should see/,
    );
    await expect(join({ url: room.joinUrl, name: 'x'.repeat(41), root, print })).rejects.toThrow(
      /--name: at most 40 characters \(got 41\)/,
    );
    await expect(
      join({ url: 'http://127.0.0.1:9/join/ABCD-EFGH', name: 'Eve', root, print }),
    ).rejects.toThrow(/Could not reach the room at http:\/\/127.0.0.1:9 \(nothing answers there\)/);
    // The failed attempts left the first membership alone.
    expect(readMembership(root)?.name).toBe('Ana Lovelace');
  });

  it('leaves: the file goes, the room forgets, checks send nothing', async () => {
    const secretBefore = readMembership(root)!.secret;
    expect(await join({ leave: true, root, print })).toBe(0);
    expect(existsSync(membershipFile(root))).toBe(false);
    expect(room.store.learnerOf(secretBefore)).toBeUndefined();
    expect(room.store.view().learners).toEqual([]);
    expect(await reportToRoom(checkReport('session-1', []), { root })).toBeUndefined();
  });
});
