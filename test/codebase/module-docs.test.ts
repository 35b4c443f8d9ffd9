/**
 * Every module of the kit opens with what it is for: a doc comment above its imports, where
 * an editor shows it for the file and not on its first export. Tests, type declarations and
 * fixtures (services written as a learner would) are left out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MODULES = execFileSync(
  'git',
  [
    'ls-files',
    'emulator/*.ts',
    'emulator/*.mjs',
    'checker/*.ts',
    'checker/*.mjs',
    'bench/*.ts',
    'scripts/*.mjs',
    'docs/.vitepress/*.ts',
    'test/*.ts',
  ],
  { encoding: 'utf8' },
)
  .split('\n')
  .filter((f) => f && !/\.test\.ts$|\.d\.ts$|\/fixtures\//.test(f));

/** The first line that is not blank or a shebang. */
function opening(file: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines.find((l, i) => l.trim() !== '' && !(i === 0 && l.startsWith('#!'))) ?? '';
}

describe('module docs', () => {
  it('finds the modules', () => {
    expect(MODULES.length).toBeGreaterThan(100);
  });

  it('sit above the imports of every module', () => {
    const without = MODULES.filter((f) => !/^(\/\*\*|\/\/)/.test(opening(f)));
    expect(without, 'these modules start without a doc comment: write one above the imports').toEqual([]);
  });
});
