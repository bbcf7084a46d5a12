// Layer rules of DESIGN §1 live here: the compiler keeps DOM and Node types apart, and these
// restricted imports keep each folder from reaching the wrong way.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeOnly = ['better-sqlite3', 'hnswlib-node', 'tar', 'electron', 'proper-lockfile'];
const nodeBuiltins = { group: ['node:*'], message: 'Node built-ins belong in src-main.' };
const noMain = { group: ['**/src-main/**'], message: 'Talk to the engine through the contract.' };
// One way to write a size, the same in the app and on the command line.
const oneByteFormatter = {
  name: 'pretty-bytes',
  message: 'Write sizes with formatBytes (src-shared/language/bytes.ts): binary units everywhere.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
      'e2e-output/**',
      '.electron-native/**',
      '.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeOnly, 'react', 'zustand'].map((name) => ({
            name,
            message: 'src-shared is pure TypeScript: no Node, DOM, React or Electron.',
          })),
          patterns: [nodeBuiltins, noMain, { group: ['**/src-renderer/**'] }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeOnly.map((name) => ({
              name,
              message: 'The renderer talks to the engine only through the contract client.',
            })),
            oneByteFormatter,
          ],
          patterns: [nodeBuiltins, noMain],
        },
      ],
    },
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The engine runs under plain Node: never electron.' },
            oneByteFormatter,
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/host/**', '**/cli/**'],
              message: 'Arrows point into the engine, not out.',
            },
            { group: ['**/src-renderer/**'] },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/host/**/*.ts', 'src-main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The host and the CLI run under plain Node.' },
            oneByteFormatter,
          ],
          patterns: [{ group: ['**/electron/**'] }, { group: ['**/src-renderer/**'] }],
        },
      ],
    },
  },
  {
    // One module opens SQLite databases (read-only for other apps' files, every handle closed).
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/engine/stores/sqlite/sqlite-open.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Database']",
          message: 'Open databases through engine/stores/sqlite/sqlite-open.ts.',
        },
      ],
    },
  },
  {
    // Raw ipcMain/ipcRenderer stay inside the one module that wraps them.
    files: ['src-main/electron/**/*.ts'],
    ignores: ['src-main/electron/ipc.ts', 'src-main/electron/preload.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^(ipcMain|ipcRenderer)$/]',
          message: 'Use the typed wrappers in electron/ipc.ts.',
        },
      ],
    },
  },
);
