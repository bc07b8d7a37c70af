import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'Only main/ and preload/ may import electron: the core must run in plain Node.' }],
  patterns: [{ group: ['electron/*'], message: 'Only main/ and preload/ may import electron.' }],
};

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
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
