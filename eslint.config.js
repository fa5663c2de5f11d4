// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './tools/lint/layers.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The command line, the console chat, the benchmarks and the dev tools talk to a terminal on purpose.
    files: ['bin/**', 'bench/**', 'tools/**', 'src/cli/**', 'src/platforms/console/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The dev tools reach the engine through its public entry (src/briefing/index.ts) or the one
    // entry kept for them (src/briefing/internals.ts), and other src modules through their index
    // files, so that the engine's inner files can change without the tools noticing.
    files: ['tools/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/(?!briefing/internals\\.js$|[^/]+/index\\.js$)',
              message: 'tools import src/ only through a module\'s index.js, or the engine internals through src/briefing/internals.js.',
            },
          ],
        },
      ],
    },
  },
  {
    // The product never depends on its dev tools (they are not compiled or shipped).
    files: ['src/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.{1,2}/(.*/)?tools/', message: 'src/ must not import the dev tools in tools/ (they are not built or shipped).' }] }],
    },
  },
  {
    // Imports flow one way through the layers (tools/lint/layers.js says which and why);
    // discord.js and the Slack libraries stay in their platform's folder.
    files: ['src/**'],
    plugins: { briefbot: layers },
    rules: { 'briefbot/layers': 'error' },
  },
);
