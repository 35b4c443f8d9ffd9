/**
 * `npm run dev` prints where each deployed API answers, a line each: `REST API  <url>` per
 * REST stage, `HTTP API  <url>`, `WebSocket <ws://url>` per WebSocket stage. Each URL is
 * then used, so a line that printed a wrong address would fail here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startDev, type DevServer } from '../../checker/commands/dev.ts';
import { capture } from './support.ts';

describe('npm run dev prints each API URL on its own line', () => {
  const root = resolve('.dojo', 'tmp', `dev-urls-${randomBytes(4).toString('hex')}`);
  let dev: DevServer | undefined;
  afterEach(async () => {
    await dev?.stop();
    dev = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  const run = async (fixture: string) => {
    mkdirSync(root, { recursive: true });
    const out = capture();
    dev = await startDev({
      dir: resolve('test/fixtures', fixture),
      port: 0,
      dataDir: false,
      root,
      print: out.print,
      log: false,
    });
    return out.text().split('\n');
  };

  it('a REST API: its stage URL, which answers', async () => {
    const lines = await run('rest-service');
    const line = lines.find((l) => l.startsWith('  REST API  '));
    expect(line).toMatch(
      /^ {2}REST API {2}http:\/\/127\.0\.0\.1:\d+\/_aws\/execute-api\/[a-z0-9]{10}\/local$/,
    );
    const res = await fetch(`${line!.trim().split(/\s+/).pop()}/viruses`);
    expect(await res.json()).toMatchObject({ resource: '/viruses', requestContext: { stage: 'local' } });
  }, 120_000);

  it('an HTTP API and a WebSocket API each on theirs', async () => {
    const http = (await run('mini-service')).find((l) => l.startsWith('  HTTP API  '));
    expect(http).toMatch(/^ {2}HTTP API {2}http:\/\/127\.0\.0\.1:\d+\/_aws\/execute-api\/[a-z0-9]{10}$/);
    expect((await fetch(`${http!.trim().split(/\s+/).pop()}/viruses`)).status).toBe(200);
    await dev!.stop();
    const ws = (await run('websocket-service')).find((l) => l.startsWith('  WebSocket '));
    expect(ws).toMatch(/^ {2}WebSocket ws:\/\/127\.0\.0\.1:\d+\/_aws\/execute-api\/[a-z0-9]{10}\/local$/);
    const socket = new WebSocket(`${ws!.trim().split(/\s+/).pop()}?name=ada`);
    await new Promise((ok, fail) => {
      socket.addEventListener('open', ok);
      socket.addEventListener('error', fail);
    });
    socket.close();
  }, 180_000);
});
