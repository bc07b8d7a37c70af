import js from '@eslint/js';
import { builtinModules } from 'node:module';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'Only main/ and preload/ may import electron: the core must run in plain Node.' }],
  patterns: [{ group: ['electron/*'], message: 'Only main/ and preload/ may import electron.' }],
};

// Which parts of app/ a layer may import. Imports are relative, so the repository's app/ is recognised by how many
// "../" climb from the file's folder (a deeper app/ of the layer's own would not be the core): one config block per
// folder depth. typescript-eslint's copy of no-restricted-imports is used so these add to the electron rule above instead of
// replacing its options (flat config does not merge the options of one rule).
const MAX_DEPTH = 5;
const ups = (n) => `(?:\\.\\./){${n}}`;
const nodeBuiltins = ['node:*', ...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `${m}/*`)];
function appImportRule(folder, ext, allowed, message, { nodeFree = false } = {}) {
  const notAllowed = `(?!(?:${allowed.join('|')})(?:/|$))`;
  const blocks = [];
  for (let depth = folder.split('/').length; depth <= MAX_DEPTH; depth++) {
    const regexes = [
      `^${ups(depth)}app(?:$|/${notAllowed})`, // up to the root, then into app/
      '[^/.]/\\.\\.(?:/|$)', // "x/.." could climb out of an allowed folder again
    ];
    if (folder.startsWith('app/')) regexes.push(`^${ups(depth - 1)}(?!\\.)${notAllowed}`); // up to app/, into a sibling
    const patterns = regexes.map((regex) => ({ regex, message }));
    if (nodeFree) patterns.push({ group: nodeBuiltins, message: `${folder}/ is loaded by the renderer too: no Node built-ins.` });
    blocks.push({
      files: [`${folder}/${'*/'.repeat(depth - folder.split('/').length)}*.${ext}`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    });
  }
  return blocks;
}

// What ships (app/, main/, preload/, renderer/, browser-host/ minus tests) never imports the simulators or the
// test helpers: they are not in the product build, and code that needs them belongs in a test.
const noTestCode = {
  regex: '(^|/)(simulators|test-support)(/|$)',
  message: 'Product code may not import simulators/ or test-support/: move the code that needs it into a *.test.ts(x).',
};
const productFiles = ['app/**/*.ts', 'main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}', 'browser-host/**/*.ts'];
const testFiles = ['**/*.test.ts', '**/*.test.tsx'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The layering rule of the design card, enforced rather than documented: app/, renderer/, the browser host
    // and the simulators never import electron.
    files: ['app/**/*.ts', 'renderer/**/*.{ts,tsx}', 'browser-host/**/*.ts', 'simulators/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    // A later block's no-restricted-imports replaces an earlier one's options, so this one repeats noElectron
    // where it applies (everything here but main/ and preload/).
    files: productFiles,
    ignores: [...testFiles, 'main/**', 'preload/**'],
    rules: { 'no-restricted-imports': ['error', { ...noElectron, patterns: [...noElectron.patterns, noTestCode] }] },
  },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: testFiles,
    rules: { 'no-restricted-imports': ['error', { patterns: [noTestCode] }] },
  },
  {
    // Raw IPC objects are used only by the generated bindings; everything else goes through the typed contract.
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/ipc/bind-ipc.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Use main/ipc/bind-ipc.ts (typed contract).' },
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'Use the typed window.keytalk API.' },
      ],
    },
  },
  // The UI reaches the core only through the IPC contract and the node-free shared model (issue 16).
  ...appImportRule(
    'renderer',
    '{ts,tsx}',
    ['ipc', 'model'],
    'renderer/ imports from app/ only app/ipc/ (the contract) and app/model/ (types and rules the UI shares with the core).',
  ),
  // The contract is loaded by the renderer, so it may lean on app/model/ but on nothing else of the core.
  ...appImportRule(
    'app/ipc',
    'ts',
    ['ipc', 'model'],
    'app/ipc/ imports from app/ only app/ipc/ and app/model/: the renderer loads it.',
  ),
  // The shared model sits below everything: zod and plain code only.
  ...appImportRule(
    'app/model',
    'ts',
    ['model'],
    'app/model/ imports nothing from app/ outside app/model/ (it sits below the core and the UI).',
    { nodeFree: true },
  ),
  {
    files: ['renderer/**/*.{ts,tsx}', 'test-support/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
