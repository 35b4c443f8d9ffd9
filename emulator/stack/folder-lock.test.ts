import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { inspectLock, withFolderLock } from './folder-lock.ts';
import { realSleep } from '../core/real-time.ts';

const sleep = realSleep;

/** A process that makes the lock as withFolderLock does, holds it `holdMs`, and lets it go (or is killed first). */
function holder(lock: string, holdMs: number) {
  const code = `const fs = require('node:fs'), os = require('node:os');
fs.mkdirSync(${JSON.stringify(lock)});
fs.writeFileSync(${JSON.stringify(join(lock, 'owner.json'))}, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: Math.round(performance.timeOrigin), command: 'npm run check' }));
process.stdout.write('locked\\n');
setTimeout(() => fs.rmSync(${JSON.stringify(lock)}, { recursive: true }), ${holdMs});`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((r) => child.stdout.once('data', () => r()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, locked, exited };
}

describe('a folder lock', () => {
  const dir = resolve('.dojo', 'tmp', `lock-${randomBytes(4).toString('hex')}`);
  const lock = join(dir, '.dojo-package.lock');
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names its owner while held, and is gone afterwards', async () => {
    mkdirSync(dir, { recursive: true });
    const seen = await withFolderLock(lock, async () => inspectLock(lock), {
      what: 'packaging x/',
      command: 'npm run dev',
    });
    expect(seen).toMatchObject({
      state: 'alive',
      owner: { pid: process.pid, host: hostname(), command: 'npm run dev' },
    });
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over at once, with one line, a lock whose owner was killed (kill -9)', async () => {
    mkdirSync(dir, { recursive: true });
    const h = holder(lock, 60_000);
    await h.locked;
    h.child.kill('SIGKILL');
    await h.exited;
    const notes: string[] = [];
    const t0 = performance.now();
    expect(
      await withFolderLock(lock, async () => 'packaged', {
        what: 'packaging x/',
        note: (l) => notes.push(l),
      }),
    ).toBe('packaged');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^⚠ packaging x/: took over the lock left by pid ${h.child.pid} \\(npm run check, started \\d\\d:\\d\\d:\\d\\d\\), which is no longer running$`,
        ),
      ),
    ]);
  });

  it('waits for a live owner, saying who it is, and goes on once it lets go', async () => {
    mkdirSync(dir, { recursive: true });
    const h = holder(lock, 1500);
    await h.locked;
    const notes: string[] = [];
    const t0 = performance.now();
    let ranAt = 0;
    await withFolderLock(lock, async () => void (ranAt = performance.now()), {
      what: 'packaging x/',
      note: (l) => notes.push(l),
    });
    expect(ranAt - t0).toBeGreaterThan(1000);
    expect(notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^… packaging x/: waiting for pid ${h.child.pid} \\(npm run check, started [\\d:]+\\), which holds .*\\.dojo-package\\.lock$`,
        ),
      ),
    ]);
    await h.exited;
  });

  it('treats a reused pid as dead: same pid, another start time', async () => {
    mkdirSync(lock, { recursive: true });
    writeFileSync(
      join(lock, 'owner.json'),
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        startedAt: Math.round(performance.timeOrigin) - 3_600_000,
      }),
    );
    const notes: string[] = [];
    await withFolderLock(lock, async () => undefined, { what: 'packaging x/', note: (l) => notes.push(l) });
    expect(notes).toEqual([expect.stringContaining(`took over the lock left by pid ${process.pid}`)]);
  });

  it('gives a lock without an owner file (half made, or from an older dojo) a few seconds, then takes it over', async () => {
    mkdirSync(lock, { recursive: true });
    const old = new Date(Date.now() - 10_000);
    utimesSync(lock, old, old);
    const notes: string[] = [];
    await withFolderLock(lock, async () => undefined, { what: 'packaging x/', note: (l) => notes.push(l) });
    expect(notes).toEqual([expect.stringMatching(/took over the lock left without an owner 1\d s ago$/)]);

    mkdirSync(lock);
    const fresh = withFolderLock(lock, async () => 'got it', { what: 'packaging x/', note: () => undefined });
    await sleep(500);
    expect(existsSync(lock)).toBe(true);
    rmSync(lock, { recursive: true });
    expect(await fresh).toBe('got it');
  });
});
