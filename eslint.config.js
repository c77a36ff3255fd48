// ESLint (flat config): typescript-eslint's recommended rules everywhere, plus the typed rules that
// catch a promise nobody waits for or a promise where a callback is expected — the kind of bug that
// lets an error in the frame path pass silently.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.output/', '.wxt/', '.cache/', 'test-artifacts/', 'models/', 'experiments/', 'eval/_scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Plain scripts served to test pages and the demo, and the Node-side config files.
    files: ['**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
