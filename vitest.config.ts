import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['emulator/**/*.test.ts', 'checker/**/*.test.ts', 'test/**/*.test.ts', 'sessions/*/tests/**/*.test.ts', 'solutions/*/tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.serverless/**', '**/.esbuild/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
