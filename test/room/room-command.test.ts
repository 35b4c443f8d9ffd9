import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { room } from '../../checker/commands/room.ts';
import { registerGuide } from '../../checker/core/guides.ts';
import { startRoom } from '../../checker/room/server.ts';

/** `npm run room`: what the instructor reads, where the instructor URL leads, a busy port. */
describe('npm run room', () => {
  const root = resolve('.dojo', 'tmp', `room-cmd-${randomBytes(4).toString('hex')}`);
  mkdirSync(root, { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints the instructor URL with its token and the line learners type; the URL opens the guide page', async () => {
    const lines: string[] = [];
    let location: string | null = null;
    let url = '';
    const code = await room({
      port: 0,
      root,
      guide: 'http://localhost:5173',
      print: (l) => lines.push(stripVTControlCharacters(l)),
      async until(running) {
        url = running.url;
        const res = await fetch(running.instructorUrl, { redirect: 'manual' });
        expect(res.status).toBe(302);
        location = res.headers.get('location');
        // Without the token, the server's root says what it is and nothing more.
        const bare = await (await fetch(running.url)).text();
        expect(bare).not.toContain(running.store.code);
      },
    });
    expect(code).toBe(0);
    const text = lines.join('\n');
    const token = /Instructor {2}http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+)/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect(text).toMatch(
      new RegExp(`Learners {4}npm run join ${url}/join/[A-Z2-9]{4}-[A-Z2-9]{4} -- --name "Your name"`),
    );
    expect(text).toContain('Only this machine can join: the room listens on 127.0.0.1.');
    expect(location).toBe(`http://localhost:5173/room?room=${encodeURIComponent(url)}&token=${token}`);
  });

  it('opens the room page on the guide that runs, on its own port, when --guide is not given', async () => {
    const unregister = registerGuide(root, 'http://localhost:5199/');
    let location: string | null = null;
    try {
      await room({
        port: 0,
        root,
        print: () => undefined,
        async until(running) {
          location = (await fetch(running.instructorUrl, { redirect: 'manual' })).headers.get('location');
        },
      });
    } finally {
      unregister();
    }
    expect(location).toMatch(/^http:\/\/localhost:5199\/room\?room=/);
  });

  it('says which port is busy and how to choose another', async () => {
    const other = await startRoom({ port: 0 });
    try {
      await expect(
        room({ port: other.port, root, print: () => undefined, until: async () => undefined }),
      ).rejects.toThrow(
        `Port ${other.port} is busy on 127.0.0.1: another npm run room? Choose another with npm run room -- --port ${other.port + 1}.`,
      );
    } finally {
      await other.close();
    }
  });
});
