import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Services decide and orchestrate; all I/O lives in repositories and adapters. Type-only
// imports stay allowed, so a service can name a transaction type.
const IO_LIBRARIES = [
  'kysely',
  'pg',
  '@electric-sql/pglite',
  'sharp',
  'pdfkit',
  'fastify',
  'ws',
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'heic-decode',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'data/**',
      'out/**',
      'packages/server/fixtures/**',
      '**/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The web app runs in browsers and workers; type checking covers their globals.
    files: ['packages/web/src/**/*.{ts,tsx}', 'packages/web/test/**/*.{ts,tsx}'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.service.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: IO_LIBRARIES.map((name) => ({
            name,
            message: 'Services do no I/O: move this into a repository or an adapter.',
            allowTypeImports: true,
          })),
        },
      ],
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.test.tsx',
      'packages/server/test/**',
      'packages/server/bench/**',
      'packages/web/e2e/**',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
