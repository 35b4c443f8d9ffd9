import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * `npm test` (scripts/test.mjs) runs the static checks beside vitest and fails when either
 * fails, with what failed printed after the tests' summary. Each case is a real run of the
 * script, with vitest on one small file and, through DOJO_STATIC_CHECKS, one cheap static
 * check (the course's) instead of all of them.
 */
const RUN_TIMEOUT = 120_000;

function npmTest(args: string[], staticChecks: string) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'),
  );
  const r = spawnSync(process.execPath, [resolve('scripts/test.mjs'), ...args], {
    env: { ...clean, NO_COLOR: '1', DOJO_STATIC_CHECKS: staticChecks },
    encoding: 'utf8',
    timeout: RUN_TIMEOUT,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const SMALL = 'checker/sessions/session-4/stats.test.ts';

describe('npm test', () => {
  it(
    'passes when the tests and the static checks pass, and lists the checks after the tests',
    () => {
      const { status, output } = npmTest([SMALL], 'lint:course');
      expect(status, output).toBe(0);
      expect(output).toMatch(/Tests\s+\d+ passed/);
      expect(output).toMatch(/✔ npm run lint:course \(\d+\.\d s\)/);
      expect(output.indexOf('Static checks')).toBeGreaterThan(output.indexOf('Test Files'));
    },
    RUN_TIMEOUT + 10_000,
  );

  it(
    'fails when a static check fails, and prints what it said',
    () => {
      const { status, output } = npmTest([SMALL], 'lint:course,no-such-script');
      expect(status).toBe(1);
      expect(output).toMatch(/Tests\s+\d+ passed/);
      expect(output).toContain('✔ npm run lint:course');
      expect(output).toContain('✖ npm run no-such-script failed (exit code 1');
      expect(output).toContain('Missing script: "no-such-script"');
      expect(output).toContain('✖ npm run no-such-script failed: see above.');
    },
    RUN_TIMEOUT + 10_000,
  );

  it(
    'fails when the tests fail, though the static checks pass',
    () => {
      const { status, output } = npmTest(['test/no-such-folder'], 'lint:course');
      expect(status).toBe(1);
      expect(output).toContain('No test files found');
      expect(output).toContain('✔ npm run lint:course');
    },
    RUN_TIMEOUT + 10_000,
  );
});
