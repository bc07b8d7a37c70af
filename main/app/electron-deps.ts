import type * as Electron from 'electron';

/**
 * The slice of the electron module the main process uses. main/index.ts passes the real module; tests pass
 * stubs, so nothing reachable from a test ever requires('electron') (which throws without the binary).
 */
export type ElectronDeps = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'Tray'
  | 'Menu'
  | 'nativeImage'
  | 'ipcMain'
  | 'shell'
  | 'session'
  | 'protocol'
  | 'powerMonitor'
  | 'safeStorage'
  | 'Notification'
>;
