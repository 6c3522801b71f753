import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '**/*.d.ts', 'coverage/**', 'apps/web/public/sw.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // Table ownership (issue 10): all SQL of a table lives in its owner's *.repo.ts; configuration comes from
  // config.ts and runtime.ts only. db/ (connection, migrations), the CLI tools and tests are the exceptions.
  {
    files: ['apps/server/src/**/*.ts'],
    ignores: [
      'apps/server/src/**/*.repo.ts',
      'apps/server/src/db/**',
      'apps/server/src/cli/**',
      'apps/server/src/**/*.test.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom)$/]',
          message: "Queries live in the owning feature's *.repo.ts: call a named function of that repository.",
        },
        {
          selector: 'TaggedTemplateExpression[tag.name="sql"]',
          message: "SQL lives in the owning feature's *.repo.ts: call a named function of that repository.",
        },
        {
          selector: 'MemberExpression[object.name="process"][property.name="env"]',
          message: 'Read settings in config.ts (or runtime.ts) and pass them in.',
        },
      ],
    },
  },
  {
    files: ['apps/server/src/config.ts', 'apps/server/src/runtime.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['scripts/**', 'bench/**', 'apps/server/src/cli/**', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
