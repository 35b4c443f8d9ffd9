/**
 * The "repo" files of the last group (REPO in vitest.config.ts) drive the learner's commands
 * in the repository itself: `.dojo/run`'s clouds and guides, `npm start`, the room. Two at
 * once would meet each other's clouds. The group runs two files at a time, so that a browser
 * test (which owns its cloud, its pages and its port) runs beside them; this setup file makes
 * the repository's files take turns, across the group's processes, through one folder lock.
 * A file whose process dies leaves a lock the next one takes over (folder-lock.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT } from '../../checker/core/repo.ts';
import { withFolderLock } from '../../emulator/stack/folder-lock.ts';

const LOCK = join(REPO_ROOT, '.dojo', 'tmp', 'repo-tests.lock');

let release: (() => void) | undefined;
let held: Promise<void> | undefined;

beforeAll(async () => {
  mkdirSync(dirname(LOCK), { recursive: true });
  await new Promise<void>((acquired, failed) => {
    held = withFolderLock(
      LOCK,
      () => {
        acquired();
        return new Promise<void>((done) => (release = done));
      },
      { what: 'a test file that drives the repository', note: () => undefined },
    ).catch(failed);
  });
}, 600_000);

afterAll(async () => {
  release?.();
  await held;
});
