/**
 * npm test lints beside the tests (scripts/test.mjs), while test files package services: the
 * files local packaging writes into a service folder for a moment must not be linted, or ESLint
 * lists one and then fails to read it once packaging has removed it (ENOENT, a clean-clone CI run).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PACKAGE_LOCK, PACKAGE_WRAPPER } from '../../emulator/stack/package.ts';

describe('ESLint skips what local packaging writes into a service folder while it runs', () => {
  const eslint = new ESLint();
  it.each([
    `solutions/session-4/${PACKAGE_WRAPPER}`,
    `backend/${PACKAGE_WRAPPER}`,
    // A script file, which ESLint would lint were the lock folder not skipped (it holds owner.json,
    // which ESLint never lints anyway): the folder itself is not walked while it comes and goes.
    `solutions/session-4/${PACKAGE_LOCK}/script.js`,
  ])('%s is ignored', async (path) => {
    expect(await eslint.isPathIgnored(path)).toBe(true);
  });

  it('still lints the service folder itself', async () => {
    expect(await eslint.isPathIgnored('solutions/session-4/serverless.ts')).toBe(false);
  });
});
