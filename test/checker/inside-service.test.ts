import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { copyWithEdits } from '../../checker/core/service-copy.ts';

const run = promisify(execFile);

describe('npm run from inside a service folder', () => {
  it('still works after the service ran its own tests (they leave no node_modules/ that would make npm take the folder for a package)', async () => {
    // A copy of a starter inside the repository, as backend/ is: npm walks up from it to the root's package.json.
    const copy = copyWithEdits(resolve('sessions/session-1'), []);
    try {
      await run('npx', ['vitest', 'run'], { cwd: copy.dir, env: { ...process.env, CI: '' } }).catch(
        (err: { stdout?: string }) => {
          // The starter's tests fail (its TODOs are open): only the folder it leaves matters here.
          return err;
        },
      );
      expect(existsSync(join(copy.dir, 'node_modules'))).toBe(false);
      expect(existsSync(join(copy.dir, '.dojo', 'vite'))).toBe(true);

      const { stdout } = await run('npm', ['run', 'status'], {
        cwd: copy.dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(stdout).toMatch(/^ *6 {2}\S.*\n\nNext: npm run /m);

      // A folder given there is read from there, not from the repository root npm runs the script in.
      const { stdout: out } = await run(
        'npm',
        ['run', '--silent', 'diff', 'session-1', '--', '--dir', '.', '--stat'],
        { cwd: copy.dir, env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(out).toMatch(/^ serverless\.ts +\| /m);
      // The root would show every file of the repository as "only in yours".
      expect(out).not.toContain('(only in yours)');
    } finally {
      copy.remove();
    }
  }, 120_000);
});
