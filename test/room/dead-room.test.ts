import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeMembership } from '../../checker/room/membership.ts';
import { REPORT_BOUND_MS, reportToRoom } from '../../checker/room/report.ts';
import { checkReport } from './support.ts';

/**
 * A room that is gone, that never answers, or that answers garbage costs a check nothing:
 * the report call settles within its bound, never throws, and says one dim line at most.
 */
const SLACK_MS = 250;

describe('a dead room', () => {
  const root = resolve('.dojo', 'tmp', `dead-room-${randomBytes(4).toString('hex')}`);
  let silent: Server;
  const held: Socket[] = [];
  let silentUrl: string;
  let refusingUrl: string;

  const joinedTo = (room: string) =>
    writeMembership(root, {
      room,
      name: 'Ana',
      learner: 'l-1',
      secret: 's',
      joinedAt: new Date().toISOString(),
    });

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    // Accepts connections and never says a word.
    silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    // A port that was free a moment ago: nothing listens, the connection is refused.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    refusingUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((r) => probe.close(r));
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((r) => silent?.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('that refuses: the report call returns at once with one dim line', async () => {
    joinedTo(refusingUrl);
    const notes: string[] = [];
    const t0 = performance.now();
    const outcome = await reportToRoom(checkReport('session-1', [2]), { root, note: (l) => notes.push(l) });
    expect(performance.now() - t0).toBeLessThan(SLACK_MS);
    expect(outcome).toEqual({ sent: false, why: 'the room is closed' });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('your check is not affected');
  });

  it('that never answers: the report call returns within its bound', async () => {
    joinedTo(silentUrl);
    const notes: string[] = [];
    const t0 = performance.now();
    const outcome = await reportToRoom(checkReport('session-1', []), { root, note: (l) => notes.push(l) });
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(REPORT_BOUND_MS - 5);
    expect(ms).toBeLessThan(REPORT_BOUND_MS + SLACK_MS);
    expect(outcome).toEqual({ sent: false, why: `no answer within ${REPORT_BOUND_MS} ms` });
    expect(notes).toHaveLength(1);
  });

  it('that answers 500 with a huge body: settled at the status, the body not read', async () => {
    const hostile = createHttpServer((_req, res) => {
      res.writeHead(500);
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', () => r()));
    joinedTo(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}`);
    try {
      const t0 = performance.now();
      const outcome = await reportToRoom(checkReport('session-1', []), { root, note: () => undefined });
      expect(performance.now() - t0).toBeLessThan(SLACK_MS);
      expect(outcome).toEqual({ sent: false, why: 'the room answered 500' });
    } finally {
      hostile.closeAllConnections();
      await new Promise((r) => hostile.close(r));
    }
  });

  it('that never answers holds the process at exit for the bound, no longer', async () => {
    // A fresh Node process sends one report and lets its event loop run dry: no exit() call.
    const script = `
      import { reportToRoom } from './checker/room/report.ts';
      const t0 = performance.now();
      process.on('exit', () => console.log(JSON.stringify({ exitAfterMs: performance.now() - t0 })));
      await reportToRoom(${JSON.stringify(checkReport('session-1', []))}, { root: ${JSON.stringify(root)}, note: () => {} });
    `;
    joinedTo(silentUrl);
    const { out, err, code } = await new Promise<{ out: string; err: string; code: number | null }>(
      (resolvePromise, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('error', reject);
        child.once('exit', (code) => resolvePromise({ out, err, code }));
      },
    );
    // The report settled (no "unsettled top-level await", exit code 0), then the process ended.
    expect(err).toBe('');
    expect(code).toBe(0);
    const { exitAfterMs } = JSON.parse(out.trim()) as { exitAfterMs: number };
    expect(exitAfterMs).toBeGreaterThanOrEqual(REPORT_BOUND_MS - 5);
    expect(exitAfterMs).toBeLessThan(REPORT_BOUND_MS + SLACK_MS);
  });

  it('is not asked at all when the learner joined no room', async () => {
    rmSync(resolve(root, '.dojo'), { recursive: true, force: true });
    const notes: string[] = [];
    expect(
      await reportToRoom(checkReport('session-1', []), { root, note: (l) => notes.push(l) }),
    ).toBeUndefined();
    expect(notes).toEqual([]);
  });
});
