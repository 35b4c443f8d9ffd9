import { defineConfig } from 'vitest/config';
import { heavyFirstSequencer } from './test/support/heavy-first-sequencer.ts';
import { enableCompileCache } from './checker/bin/compile-cache.mjs';

// Node's code cache, as the CLI has it (checker/bin/compile-cache.mjs): the test processes,
// their sandboxes and the osls they start inherit it through NODE_COMPILE_CACHE.
enableCompileCache();

// Two groups, one after the other. "parallel": files that own everything they touch (a local
// cloud on a free port, a copy of the repository under .dojo/tmp/), three at a time: part of a
// file's time is spent waiting on sandboxes, osls, esbuild or the AWS CLI. Then, side by side,
// "browser": the browser tests, two at a time, each page test with a local cloud of its own and
// the guide built by the first group; and "repo": files that drive the learner's commands in the
// repository itself (`.dojo/run`'s clouds and guides, `npm start`, the room), one at a time. The
// --aws tests run in the parallel group: each keeps its state, its snapshots and its local cloud
// in a folder of its own under .dojo/tmp/.
const REPO = [
  'test/browser/start.test.ts',
  'test/checker/demo.test.ts',
  'test/checker/dev-api-urls.test.ts',
  'test/checker/dev.test.ts',
  'test/checker/doctor.test.ts',
  'test/room/**/*.test.ts',
];
// The browser tests: chromium's pages under the CPU load of three workers on two cores failed
// a page test that passes alone (clean-clone run of 2026-12-01): after that group, two at a time.
const BROWSER = ['test/browser/**/*.test.ts'];
const SERIAL = [...BROWSER, ...REPO];

// The files that take a minute or more while small on disk: started first (heavy-first-sequencer.ts
// says why). The session harnesses' parts above all; then the ones that run real osls deploys, the
// guide's build, which the browser tests (in the group after) serve, and the learner's day
// (a real `npm run dev` on a copy of the repository).
const HEAVY =
  /test\/checker\/(session-\d+\.part-\d+|local-deploy|cli|chain|inside-service|watch)\.test\.ts$|test\/emulator\/lambda-sandbox\.test\.ts$|test\/aws\/(cli-teardown|check-configuration|observe)\.test\.ts$|test\/course\/guide-build\.test\.ts$|test\/soak\/learner-day\.test\.ts$/;

// Starters' tests fail on purpose until the learner does the TODOs: only solutions' run here.
const ALL = [
  'emulator/**/*.test.ts',
  'checker/**/*.test.ts',
  'test/**/*.test.ts',
  'solutions/*/tests/**/*.test.ts',
];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/.serverless/**', '**/.esbuild/**', '.dojo/**'],
    // CI sets CI=true, which turns picocolors' colours on; tests read plain text everywhere.
    env: { NO_COLOR: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { sequencer: heavyFirstSequencer(HEAVY) },
    // The default output, plus one line when browser tests are skipped for want of Chromium.
    reporters: ['default', './test/browser/support/chromium-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ALL,
          exclude: SERIAL,
          maxWorkers: 3,
          // A worker runs its files one after another in one process, the kit's modules loaded
          // once: a new process and import per file took a third of the group's time (about
          // 180 s of a run). shared-process-guard.ts fails a file that leaves the process changed.
          isolate: false,
          setupFiles: ['test/support/shared-process-guard.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          exclude: REPO,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'repo',
          include: REPO,
          // The group's two workers are shared with "browser": these files take turns (repo-turns.ts).
          maxWorkers: 2,
          setupFiles: ['test/support/repo-turns.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
