import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from './host-process';

/** Where an Electron binary may be: ELECTRON_PATH, or the one the electron package downloads. */
function findElectron(): string | undefined {
  const candidates = [
    process.env.ELECTRON_PATH,
    path.join(repoRoot, 'node_modules', 'electron', 'dist', 'electron'),
    path.join(repoRoot, 'node_modules', 'electron', 'dist', 'electron.exe'),
    path.join(repoRoot, 'node_modules', 'electron', 'dist', 'Electron.app', 'Contents', 'MacOS', 'Electron'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

const electronPath = findElectron();

test.describe('Electron app', () => {
  test.skip(
    !electronPath,
    'No Electron binary: set ELECTRON_PATH or install electron with its binary (this machine installs it with ELECTRON_SKIP_BINARY_DOWNLOAD=1).',
  );

  test('starts, shows the main window with state from the core, and exposes only window.keytalk', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'kt-electron-home-'));
    const app = await electron.launch({
      executablePath: electronPath!,
      args: [path.join(repoRoot, 'dist', 'main', 'index.cjs'), '--home', home],
      env: { ...process.env, ELECTRON_DISABLE_SECURITY_WARNINGS: 'false' },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('agent-home')).toContainText(home);
      // A string, so this Node-typed file needs no DOM types; it runs in the page.
      const exposed = await win.evaluate(
        '({ keytalk: Object.keys(window.keytalk).sort(), require: typeof window.require, process: typeof window.process })',
      );
      expect(exposed).toEqual({ keytalk: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
      expect(win.url()).toMatch(/^app:\/\/keytalk\//);
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
