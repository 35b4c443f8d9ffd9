import { defineConfig } from 'vitest/config';

// The service's own unit tests: `npx vitest run` inside this folder runs them. No cloud needed.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
  },
});
