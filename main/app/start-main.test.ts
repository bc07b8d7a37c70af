import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import { INVOKE_TRANSPORT } from '../../app/ipc/transport';
import type { ElectronDeps } from './electron-deps';
import { SIGN_IN_PARTITION } from '../windows/sign-in-window';
import { startMain, type StartMainOptions } from './start-main';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-start-main-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in for the electron module at its boundary, recording what main asks of it. */
function fakeElectron(opts: { lock?: boolean } = {}) {
  const appEvents = new Map<string, (...args: unknown[]) => void>();
  const windows: Array<{ options: Record<string, unknown>; url?: string; shown: number; focused: number }> = [];
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const trays: Array<{ menu: unknown; image: unknown }> = [];
  const power = new Map<string, () => void>();
  const schemes: unknown[] = [];
  const notices: Array<{ title: string; body: string }> = [];
  const protocolHandlers = new Map<string, unknown>();
  let permissionHandler: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
  let partitionPermission: typeof permissionHandler;
  const partitions = new Map<string, { name: string; setPermissionRequestHandler: (fn: typeof permissionHandler) => void }>();
  class BrowserWindow {
    private readonly rec: (typeof windows)[number];
    webContents = { send: vi.fn(), isDestroyed: () => false, on: vi.fn(), setWindowOpenHandler: vi.fn() };
    constructor(options: Record<string, unknown>) {
      this.rec = { options, shown: 0, focused: 0 };
      windows.push(this.rec);
    }
    loadURL(url: string) {
      this.rec.url = url;
      return Promise.resolve();
    }
    show() {
      this.rec.shown++;
    }
    focus() {
      this.rec.focused++;
    }
    restore() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    on() {}
    once() {}
    close() {}
  }
  class Tray {
    rec: { menu: unknown; image: unknown };
    constructor(image: unknown) {
      this.rec = { menu: null, image };
      trays.push(this.rec);
    }
    setImage(i: unknown) {
      this.rec.image = i;
    }
    setToolTip() {}
    setContextMenu(m: unknown) {
      this.rec.menu = m;
    }
    on() {}
    destroy() {}
    isDestroyed() {
      return false;
    }
  }
  const electron = {
    app: {
      requestSingleInstanceLock: () => opts.lock ?? true,
      quit: vi.fn(),
      whenReady: () => Promise.resolve(),
      on: (event: string, fn: (...args: unknown[]) => void) => void appEvents.set(event, fn),
      getVersion: () => '1.2.3',
      setLoginItemSettings: vi.fn(),
      getLoginItemSettings: () => ({ openAtLogin: false }),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void schemes.push(...s),
      handle: (scheme: string, fn: unknown) => void protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: { setPermissionRequestHandler: (fn: typeof permissionHandler) => void (permissionHandler = fn) },
      fromPartition: (name: string) =>
        partitions.get(name) ??
        partitions
          .set(name, { name, setPermissionRequestHandler: (fn: typeof permissionHandler) => void (partitionPermission = fn) })
          .get(name),
    },
    ipcMain: {
      handle: (ch: string, fn: (...args: unknown[]) => unknown) => void handlers.set(ch, fn),
      removeHandler: (ch: string) => void handlers.delete(ch),
    },
    shell: { openExternal: vi.fn() },
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: (t: unknown) => ({ template: t }) },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    powerMonitor: {
      on: (e: string, fn: () => void) => void power.set(e, fn),
      removeListener: (e: string) => void power.delete(e),
    },
    Notification: Object.assign(
      class {
        constructor(readonly opts: { title: string; body: string }) {}
        show() {
          notices.push(this.opts);
        }
      },
      { isSupported: () => true },
    ),
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(s),
      decryptString: (b: Buffer) => b.toString(),
    },
  };
  return {
    electron: electron as unknown as ElectronDeps,
    raw: electron,
    notices,
    appEvents,
    windows,
    handlers,
    trays,
    power,
    schemes,
    protocolHandlers,
    permission: () => permissionHandler,
    partitionPermission: () => partitionPermission,
    partitions,
  };
}

const paths = { distDir: path.join(tmp, 'dist'), resourcesDir: path.join(tmp, 'resources') };

describe('startMain', () => {
  it('quits when another instance holds the lock (that one gets focused instead)', async () => {
    const f = fakeElectron({ lock: false });
    const running = await startMain(f.electron, { paths, argv: [] });
    expect(running).toBeUndefined();
    expect(f.raw.app.quit).toHaveBeenCalled();
    expect(f.windows).toHaveLength(0);
  });

  it('wires the app: app:// scheme, IPC, tray with menu, locked-down main window, power events', async () => {
    const f = fakeElectron();
    const core = Object.assign(createMemoryCore(path.join(tmp, 'home')), { onSystemEvent: vi.fn() });
    const running = await startMain(f.electron, { paths, argv: ['--home', path.join(tmp, 'home')], createCore: () => core });
    expect(running).toBeDefined();
    expect(f.schemes).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(f.protocolHandlers.has('app')).toBe(true);
    expect(f.handlers.has(INVOKE_TRANSPORT)).toBe(true);

    // every permission request is refused
    const cb = vi.fn();
    f.permission()!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);

    // main window: secure preferences and the app origin
    expect(f.windows).toHaveLength(1);
    const prefs = f.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(prefs.preload).toBe(path.join(paths.distDir, 'preload', 'index.cjs'));
    expect(f.windows[0]!.url).toBe('app://keytalk/index.html');

    // tray: idle icon from resources/, menu attached
    expect(f.trays).toHaveLength(1);
    expect(f.trays[0]!.image).toEqual({ path: path.join(paths.resourcesDir, 'tray-idle.png') });
    expect(f.trays[0]!.menu).toBeTruthy();

    // second launch focuses the existing window
    f.appEvents.get('second-instance')!();
    expect(f.windows).toHaveLength(1);
    expect(f.windows[0]!.focused).toBeGreaterThan(0);

    // resume and unlock reach the core
    f.power.get('resume')!();
    f.power.get('unlock-screen')!();
    expect(core.onSystemEvent.mock.calls).toEqual([['resume'], ['unlock-screen']]);

    // a popup request from the core opens the popup window
    core.emit('popup:open', { popup: 'unattended-renewal', data: {} });
    expect(f.windows[1]!.url).toBe('app://keytalk/index.html#popup=unattended-renewal');
    expect(f.windows[1]!.options.alwaysOnTop).toBe(true);

    // tray icon follows the core state
    core.emit('agent:state', { status: 'error', version: '1', home: '', providers: [], unreadMessages: 0 });
    expect(f.trays[0]!.image).toEqual({ path: path.join(paths.resourcesDir, 'tray-error.png') });

    // a failed flow becomes a desktop notification
    core.emit('flow:done', { flowId: 'x', outcome: { status: 'failed', code: 'network', message: 'server unreachable' } });
    expect(f.notices).toEqual([expect.objectContaining({ title: 'Certificate request failed', body: 'server unreachable' })]);
  });

  it('a request through the bound IPC with a foreign sender is refused', async () => {
    const f = fakeElectron();
    await startMain(f.electron, { paths, argv: ['--hidden'], createCore: () => createMemoryCore() });
    expect(f.windows).toHaveLength(0); // --hidden: tray only (autostart)
    const res = await f.handlers.get(INVOKE_TRANSPORT)!(
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { channel: 'agent:get-state', payload: {} },
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('gives the core a sign-in window for mfa-popups: no preload, its own session, only it exempt from the navigation lock', async () => {
    const f = fakeElectron();
    let coreOptions: Parameters<NonNullable<StartMainOptions['createCore']>>[0] | undefined;
    const createCore = (o: typeof coreOptions) => {
      coreOptions = o;
      return createMemoryCore();
    };
    await startMain(f.electron, { paths, argv: ['--hidden'], createCore });
    await coreOptions!.signInWindow!({
      url: 'https://idp.example/authorize?state=s',
      allowedOrigins: ['https://idp.example'],
      doneUrl: 'http://localhost:5000/',
    });
    expect(f.windows).toHaveLength(1);
    const prefs = f.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, partition: SIGN_IN_PARTITION });
    expect('preload' in prefs).toBe(false);
    expect(f.windows[0]!.url).toBe('https://idp.example/authorize?state=s');

    // IdP pages get no browser permission either
    const cb = vi.fn();
    f.partitionPermission()!({}, 'geolocation', cb);
    expect(cb).toHaveBeenCalledWith(false);

    // app WebContents keep the deny-all navigation rules; the sign-in session's are left to sign-in-window.ts
    const created = f.appEvents.get('web-contents-created')!;
    const appContents = { session: f.raw.session.defaultSession, on: vi.fn(), setWindowOpenHandler: vi.fn() };
    created({}, appContents);
    expect(appContents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    // and its reloads are watched: a reloaded window cancels the flows it started (main/ipc/flow-owners.ts)
    expect(appContents.on).toHaveBeenCalledWith('did-start-navigation', expect.any(Function));
    const signInContents = {
      session: f.raw.session.fromPartition(SIGN_IN_PARTITION),
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
    };
    created({}, signInContents);
    expect(signInContents.on).not.toHaveBeenCalled();

    // and the IdP page can never talk to the core: the sender check refuses its frame
    const res = await f.handlers.get(INVOKE_TRANSPORT)!(
      { senderFrame: { url: 'https://idp.example/authorize', parent: null } },
      { channel: 'agent:get-state', payload: {} },
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('tray menu and notifications speak the OS language, or the one saved in Settings (issue 19)', async () => {
    const start = async (name: string, saved?: 'nl') => {
      const f = fakeElectron();
      Object.assign(f.raw.app, { getPreferredSystemLanguages: () => ['de-DE', 'en-US'], getLocale: () => 'de' });
      const core = Object.assign(createMemoryCore(path.join(tmp, name)), { onSystemEvent: vi.fn() });
      if (saved) await core.handlers['settings:set']({ language: saved });
      await startMain(f.electron, { paths, argv: ['--home', path.join(tmp, name), '--hidden'], createCore: () => core });
      const labels = () => (f.trays[0]!.menu as { template: Array<{ label?: string }> }).template.flatMap((i) => i.label ?? []);
      core.emit('flow:done', { flowId: 'x', outcome: { status: 'failed', code: 'network', message: 'server unreachable' } });
      return { labels, notices: f.notices };
    };
    const os = await start('home-os');
    expect(os.labels()).toEqual([
      'KeyTalk Agent öffnen',
      'Beantragen…',
      'Jetzt erneuern',
      'Nachrichten',
      'Support-Paket erstellen',
      'Beenden',
    ]);
    expect(os.notices).toEqual([
      { title: 'Zertifikatsantrag fehlgeschlagen', body: 'server unreachable', icon: expect.any(String) },
    ]);
    const chosen = await start('home-nl', 'nl');
    expect(chosen.labels()).toEqual([
      'KeyTalk Agent openen',
      'Aanvragen…',
      'Nu vernieuwen',
      'Berichten',
      'Supportbundel maken',
      'Afsluiten',
    ]);
    expect(chosen.notices.map((n) => n.title)).toEqual(['Certificaataanvraag mislukt']);
  });
});
