import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starters' tests fail on purpose until the learner does the TODOs: only solutions' run here.
    include: [
      'emulator/**/*.test.ts',
      'checker/**/*.test.ts',
      'test/**/*.test.ts',
      'solutions/*/tests/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/.serverless/**', '**/.esbuild/**', '.dojo/**'],
    // CI sets CI=true, which turns picocolors' colours on; tests read plain text everywhere.
    env: { NO_COLOR: '1' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The default output, plus one line when browser tests are skipped for want of Chromium.
    reporters: ['default', './test/browser/support/chromium-reporter.ts'],
  },
});
