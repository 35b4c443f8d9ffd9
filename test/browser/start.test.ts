import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { stripVTControlCharacters as plain } from 'node:util';
import { runningLines, startAll } from '../../checker/commands/start.ts';
import { realSleep } from '../../emulator/core/real-time.ts';
import { guideUrl } from '../../checker/core/guides.ts';
import { busyPort, portIsFree } from '../../checker/core/ports.ts';
import { startDev, type DevOptions, type DevServer } from '../../checker/commands/dev.ts';
import { REPO_ROOT } from './support/site.ts';

/**
 * `npm start`: the guide (VitePress, in a child process) and the local cloud, their
 * addresses, a clean stop, and a busy port explained instead of a crash.
 */
const held: Server[] = [];

afterAll(async () => {
  await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function holdPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  held.push(server);
  return (server.address() as { port: number }).port;
}

/** `npm start -- <args>`, as the npm script runs it. */
function npmStart(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['checker/bin/dojo.mjs', 'start', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('npm start', () => {
  it('explains a busy local cloud port and how to choose another, before starting anything', async () => {
    const busy = await holdPort();
    const { code, output } = await npmStart([
      '--port',
      String(busy),
      '--docs-port',
      String(await freePort()),
    ]);
    expect(code).toBe(1);
    expect(output).toContain(`Port ${busy} is busy, so the local cloud cannot listen on it.`);
    expect(output).toContain('Another npm start or npm run dev is probably running');
    expect(output).toContain(`npm start -- --port ${busy + 1}`);
    expect(output).not.toContain('Something went wrong');
    expect(output).not.toContain('deployed');
  });

  it('explains a busy guide port the same way', async () => {
    const busy = await holdPort();
    const { code, output } = await npmStart([
      '--port',
      String(await freePort()),
      '--docs-port',
      String(busy),
    ]);
    expect(code).toBe(1);
    expect(output).toContain(`Port ${busy} is busy, so the guide cannot listen on it.`);
    expect(output).toContain(`npm start -- --docs-port ${busy + 1}`);
  });

  it('refuses a speed that is not one', async () => {
    const { code, output } = await npmStart([
      '--speed',
      'fast',
      '--port',
      String(await freePort()),
      '--docs-port',
      String(await freePort()),
    ]);
    expect(code).toBe(2);
    expect(output).toContain(
      "error: option '--speed <speed>' argument 'fast' is invalid. expected a positive number (60 runs a virtual minute every second), max or paused",
    );
  });

  it('serves the guide and the board next to the local cloud, prints their addresses, and stops both', async () => {
    const port = await freePort();
    const docsPort = await freePort();
    const lines: string[] = [];
    // The local cloud of `npm run dev`, minus its data on disk (shared with a learner's own runs).
    const startCloud = (o: DevOptions): Promise<DevServer> => startDev({ ...o, dataDir: false });
    const running = await startAll({
      dir: resolve(REPO_ROOT, 'solutions/session-2'),
      port,
      docsPort,
      print: (l) => lines.push(l),
      startCloud,
    });
    expect(running).toBeDefined();
    try {
      expect(running!.cloudUrl).toBe(`http://127.0.0.1:${port}`);
      expect(running!.guideUrl).toMatch(
        new RegExp(`^http://(localhost|127\\.0\\.0\\.1|\\[::1\\]):${docsPort}/$`),
      );
      // Not the default port: the board's address says where the cloud is.
      expect(running!.boardUrl).toBe(`${running!.guideUrl}board?cloud=http://127.0.0.1:${port}`);
      const board = await fetch(running!.boardUrl);
      expect(board.status).toBe(200);
      expect(await board.text()).toContain('<div id="app">');
      const health = (await (await fetch(`${running!.cloudUrl}/_dojo/health`)).json()) as {
        ok: boolean;
        clock: { speed: unknown };
      };
      expect(health).toMatchObject({ ok: true, clock: { speed: 60 } });
      // The checker's "read:" links name this guide's port, not the default one.
      expect(guideUrl(REPO_ROOT)).toBe(running!.guideUrl.replace(/\/$/, ''));

      // Session 2's HTTP API, on a line of its own: once deployed, and in what npm start prints.
      for (let i = 0; i < 600 && !lines.some((l) => plain(l).startsWith('✔ deployed')); i++)
        await realSleep(100);
      const api = lines.map((l) => plain(l)).find((l) => l.startsWith('  HTTP API  '));
      expect(api).toMatch(
        new RegExp(`^ {2}HTTP API {2}http://127\\.0\\.0\\.1:${port}/_aws/execute-api/[a-z0-9]{10}$`),
      );
      const printed = runningLines(running!).map((l) => plain(l));
      expect(printed).toContain(api);
      expect(printed).toContain(`  Board        ${running!.boardUrl}`);
      expect(printed).toContain(`  Local cloud  ${running!.cloudUrl}`);
    } finally {
      await running!.stop();
    }
    expect(guideUrl(REPO_ROOT)).not.toContain(`:${docsPort}`);
    expect(await running!.guideExited).toBe(0);
    expect(await portIsFree(port)).toBe(true);
    expect(await portIsFree(docsPort)).toBe(true);
  }, 120_000);

  it('names who holds a busy port when lsof can tell', () => {
    // Nothing listens on port 1 here: the message then goes without the holder line.
    expect(busyPort(1, 'cloud')).not.toContain('held by');
  });
});
