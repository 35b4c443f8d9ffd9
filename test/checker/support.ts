/**
 * What the checker's command tests share: a fixture repository to copy, and a `print` that
 * keeps what a command printed.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';

/** The fixture repository: two sessions of two TODOs each, with solutions, and no backend/ yet. */
export const FIXTURE_REPO = resolve('test/checker/fixtures/repo');

/**
 * A copy of the fixture repository under .dojo/tmp/ (git-ignored), so each test may write
 * to backend/ and .dojo/ as freely as a learner would.
 */
export function tempRepo(): {
  root: string;
  write(path: string, content: string): void;
  read(path: string): string;
  remove(): void;
} {
  const root = resolve('.dojo', 'tmp', `repo-${randomBytes(4).toString('hex')}`);
  mkdirSync(dirname(root), { recursive: true });
  cpSync(FIXTURE_REPO, root, { recursive: true });
  return {
    root,
    write(path, content) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A `print` for a command that keeps what it printed, without colours. */
export function capture(): { print(text: string): void; text(): string; clear(): void } {
  let lines: string[] = [];
  return {
    print: (text) => lines.push(stripVTControlCharacters(text)),
    text: () => lines.join('\n'),
    clear: () => {
      lines = [];
    },
  };
}
