// @ts-check
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores([
    'build/',
    'reports/',
    'test-results/',
    'playwright-report/',
    '.stryker-tmp/',
    '.cache/',
    'data/',
    'e2e/.data/',
    'bench/.data/',
    'public/build/',
    'db/migrations/',
    '**/stryker-setup-*.js',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },

  {
    rules: {
      // This codebase strips and refuses control characters on purpose (hostile input, feeds,
      // redirects, search): every regular expression that names one does so deliberately.
      'no-control-regex': 'off',
      // Remix's way to end a loader or action early is to throw a response.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'lib', name: 'Response' },
            { from: 'package', package: '@remix-run/server-runtime', name: 'TypedResponse' },
            { from: 'package', package: '@remix-run/router', name: 'DataWithResponseInit' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  // Server, database, scripts, benchmarks and tests run on Node.
  {
    files: ['**/*.{js,mjs,cjs,ts}', 'app/**/*.server.{ts,tsx}', 'app/entry.server.tsx', 'app/test/**'],
    languageOptions: { globals: globals.node },
  },
  // What ships to the browser (components, routes, client-safe lib).
  {
    files: ['app/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  // Playwright specs and fixtures. Playwright reads a fixture's dependencies from its first
  // parameter, which must be a destructuring pattern even when the fixture needs none.
  {
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    files: ['app/**/*.tsx'],
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
    rules: {
      // A wide table scrolls inside a labelled region that takes focus, so that a keyboard can scroll
      // it (axe's scrollable-region-focusable asks for exactly this).
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'], allowExpressionValues: true }],
      // The React Compiler's rules, which react-hooks 7 adds to its recommended set: this app is not
      // compiled by it, and the two idioms they refuse here are React 18's documented ones (a ref that
      // holds the latest callback or result, a flag set once mounted). rules-of-hooks and
      // exhaustive-deps stay on.
      'react-hooks/refs': 'off',
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    // Config and tooling scripts outside tsconfig.json: syntax rules only.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
)
