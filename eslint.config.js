import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '**/.serverless/',
      '**/.esbuild/',
      '.dojo/',
      'docs/.vitepress/cache/',
      'docs/.vitepress/dist/',
      'test-results/',
      // Written into a service folder while osls packages it, removed right after
      // (emulator/stack/package.ts): npm test lints beside the tests, and ESLint read a
      // wrapper it had listed after packaging had removed it (ENOENT, a clean-clone CI run).
      '**/.dojo-package.cjs',
      '**/.dojo-package.lock/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node scripts (the sandbox bootstrap, scripts/).
    files: ['**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // CommonJS handlers, as a learner may write them (test fixtures).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable', module: 'writable', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The checker and the benchmarks use the local cloud through its public surface only.
    files: ['checker/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)emulator/(?!index\\.ts$).+',
              message:
                "Import from emulator/index.ts, the local cloud's public surface (add the export there if it is missing).",
            },
          ],
        },
      ],
    },
  },
);
