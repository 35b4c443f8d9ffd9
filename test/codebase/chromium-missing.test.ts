import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The browser tests never vanish silently. This runs vitest itself on one browser test file
 * with Chromium made missing (DOJO_CHROMIUM at a path that does not exist).
 */
// A whole vitest run of its own: it starts, collects and reports like the suite does.
const RUN_TIMEOUT = 120_000;

function runPagesTest(env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('VITEST') && k !== 'CI' && k !== 'NODE_OPTIONS',
    ),
  );
  const r = spawnSync(
    process.execPath,
    [resolve('node_modules/vitest/vitest.mjs'), 'run', 'test/browser/pages.test.ts'],
    {
      env: { ...clean, NO_COLOR: '1', DOJO_CHROMIUM: '/nonexistent/chromium', ...env },
      encoding: 'utf8',
      timeout: RUN_TIMEOUT,
    },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('the browser tests without Chromium', () => {
  it(
    'fail the run under CI=true, saying what is missing and how to install it',
    () => {
      const { status, output } = runPagesTest({ CI: 'true' });
      expect(status).toBe(1);
      expect(output).toContain(
        '/nonexistent/chromium is missing, and under CI=true the browser tests must run, not be skipped. Install it: apt-get install -y chromium',
      );
    },
    RUN_TIMEOUT + 10_000,
  );

  it(
    'are skipped elsewhere, with one line saying how to install it',
    () => {
      const { status, output } = runPagesTest({});
      expect(status).toBe(0);
      expect(output.match(/browser test files skipped/g)).toHaveLength(1);
      expect(output).toContain(
        '⚠ 1 browser test files skipped: /nonexistent/chromium is missing. Install it: apt-get install -y chromium',
      );
    },
    RUN_TIMEOUT + 10_000,
  );
});
