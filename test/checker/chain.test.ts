import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { begin } from '../../checker/commands/begin.ts';
import { localTarget } from '../../checker/core/local-target.ts';
import { runCheck } from '../../checker/core/pipeline.ts';
import { loadSessionCheck } from '../../checker/sessions/index.ts';

/**
 * The whole course as a learner walks it: begin a session, solve it, check it, begin the
 * next. It runs in a repository of its own under .dojo/tmp/ (sessions/ and solutions/ are
 * links to the real ones, read only), so the real backend/ is never touched.
 */
const SESSIONS = ['session-1', 'session-2', 'session-3', 'session-4'] as const;
const BUILD_OUTPUT = /(^|\/)(\.serverless|\.esbuild|node_modules)(\/|$)/;

/** A fingerprint of a folder's files (build output aside): any write to it changes it. */
function fingerprint(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (BUILD_OUTPUT.test(relative(dir, full))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else h.update(relative(dir, full)).update(readFileSync(full));
    }
  };
  if (existsSync(dir)) walk(dir);
  return h.digest('hex');
}

describe('the course, session after session', () => {
  const root = resolve('.dojo', 'tmp', `chain-${randomBytes(4).toString('hex')}`);
  const backend = join(root, 'backend');
  const realBackend = fingerprint(resolve('backend'));

  beforeAll(() => {
    mkdirSync(root, { recursive: true });
    symlinkSync(resolve('sessions'), join(root, 'sessions'), 'dir');
    symlinkSync(resolve('solutions'), join(root, 'solutions'), 'dir');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('begin → solve → check passes, for every session in turn', { timeout: 300_000 }, async () => {
    for (const [i, id] of SESSIONS.entries()) {
      // --force: a script has no terminal to answer the question about the solved backend/.
      expect(await begin({ session: id, force: true, root, print: () => undefined }), `begin ${id}`).toBe(0);
      expect(readFileSync(join(backend, 'serverless.ts'), 'utf8'), `${id}'s starter in backend/`).toBe(
        readFileSync(join(root, 'sessions', id, 'serverless.ts'), 'utf8'),
      );
      if (i > 0) {
        // The previous session's work is saved, never lost.
        const saves = readdirSync(join(root, '.dojo', 'saves')).filter((s) => s.endsWith(SESSIONS[i - 1]));
        expect(saves, `a save of ${SESSIONS[i - 1]}`).toHaveLength(1);
      }

      // Solving it: the reference solution's files over the starter's.
      cpSync(join(root, 'solutions', id), backend, {
        recursive: true,
        filter: (src) => !BUILD_OUTPUT.test(relative(join(root, 'solutions', id), src)),
      });

      const seed = 100 + i;
      const report = await runCheck(await loadSessionCheck(id), {
        dir: backend,
        seed,
        targetKind: 'local',
        makeTarget: () => localTarget({ seed }),
      });
      expect(
        report.results.filter((r) => r.status === 'fail'),
        `check ${id}`,
      ).toEqual([]);
      expect(report.ok, `check ${id}`).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(root, '.dojo', 'current.json'), 'utf8'))).toMatchObject({
      session: 'session-4',
    });
  });

  it("never touches the repository's own backend/", () => {
    expect(fingerprint(resolve('backend'))).toBe(realBackend);
  });
});
