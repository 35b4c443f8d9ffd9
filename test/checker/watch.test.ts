import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import { realSleep } from '../../emulator/index.ts';

describe('npm run check -- --watch', () => {
  it('checks again when a file is saved, like Rustlings', async () => {
    const copy = copyWithEdits(resolve('solutions/session-1'), []);
    const child = spawn(
      process.execPath,
      [
        // As npm run check starts it.
        'checker/bin/dojo.mjs',
        'check',
        'session-1',
        '--dir',
        copy.dir,
        '--watch',
        '--seed',
        '3',
      ],
      { env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (text: string, from = 0) => {
      const end = performance.now() + 90_000;
      while (!out.slice(from).includes(text)) {
        if (performance.now() > end || child.exitCode !== null)
          throw new Error(`never saw "${text}" in:\n${out}`);
        await realSleep(100);
      }
    };
    try {
      await until('session-1 passes');
      await until('save a file to check again');
      // The real next session, not a placeholder.
      await until('All green: on to the next session with npm run begin session-2.');
      const mark = out.length;
      // The learner breaks the handler: the id is no longer unique.
      const handler = join(copy.dir, 'lib', 'virus.ts');
      writeFileSync(
        handler,
        readFileSync(handler, 'utf8').replace('randomUUID()', "'00000000-0000-4000-8000-000000000000'"),
      );
      await until('checks failed', mark);
      expect(out.slice(mark)).toContain('✖');
    } finally {
      child.kill('SIGINT');
      copy.remove();
    }
  }, 120_000);
});
