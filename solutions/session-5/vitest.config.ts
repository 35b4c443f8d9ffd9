import { defineConfig } from 'vitest/config';

// The service's own unit tests: `npx vitest run` inside this folder runs them. No cloud needed.
export default defineConfig({
  // Vitest's cache goes in .dojo/, not node_modules/: a node_modules/ folder here would make
  // npm take this folder for a package, and every npm run from inside it would fail (ENOENT).
  cacheDir: '.dojo/vite',
  test: {
    include: ['tests/**/*.test.ts'],
  },
});
