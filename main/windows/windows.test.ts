import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { hardenWebContents, isSafeExternalUrl } from '../security/harden-web-contents';
import { createAppProtocolHandler, resolveAppFile } from './app-protocol';
import { WindowManager, secureWebPreferences } from './window-manager';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-main-windows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('app:// protocol', () => {
  const dir = path.join(tmp, 'renderer');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'assets', 'a.js'), 'export {}');
  writeFileSync(path.join(tmp, 'secret.txt'), 'secret');

  it('maps only app://keytalk paths inside the renderer folder', () => {
    expect(resolveAppFile('app://keytalk/', dir)).toBe(path.join(dir, 'index.html'));
    expect(resolveAppFile('app://keytalk/assets/a.js', dir)).toBe(path.join(dir, 'assets', 'a.js'));
    expect(resolveAppFile('app://keytalk/..%2Fsecret.txt', dir)).toBeNull();
    expect(resolveAppFile('app://other/index.html', dir)).toBeNull();
    expect(resolveAppFile('file:///etc/passwd', dir)).toBeNull();
  });

  it('serves files with the CSP and refuses the rest', async () => {
    const handle = createAppProtocolHandler(dir);
    const ok = await handle(new Request('app://keytalk/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(ok.headers.get('content-type')).toContain('text/html');
    expect((await handle(new Request('app://keytalk/..%2Fsecret.txt'))).status).toBe(403);
    expect((await handle(new Request('app://keytalk/missing.js'))).status).toBe(404);
  });
});

describe('hardenWebContents', () => {
  it('denies navigation, redirects, webviews and new windows; https links go to the system browser', () => {
    const on = new Map<string, (e: { preventDefault: () => void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (e: string, fn: (e: { preventDefault: () => void }) => void) => void on.set(e, fn),
      setWindowOpenHandler: (fn: typeof openHandler) => void (openHandler = fn),
    };
    const shell = { openExternal: vi.fn(async () => undefined) };
    hardenWebContents(contents as never, shell);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      on.get(event)!({ preventDefault });
      expect(preventDefault).toHaveBeenCalled();
    }
    expect(openHandler!({ url: 'https://www.keytalk.com/help' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls).toEqual([['https://www.keytalk.com/help']]);
  });

  it('accepts only plain https URLs as external', () => {
    expect(isSafeExternalUrl('https://a.example/x')).toBe(true);
    expect(isSafeExternalUrl('https://user:pw@a.example/')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });
});

describe('WindowManager', () => {
  function fakeFactory() {
    const created: Array<{
      options: Record<string, unknown>;
      url: string;
      shown: number;
      destroyed: boolean;
      closed?: () => void;
    }> = [];
    const factory = (options: Record<string, unknown>) => {
      const rec = { options, url: '', shown: 0, destroyed: false, closed: undefined as (() => void) | undefined };
      created.push(rec);
      return {
        loadURL: async (u: string) => void (rec.url = u),
        show: () => void rec.shown++,
        focus: () => undefined,
        restore: () => undefined,
        isMinimized: () => false,
        isDestroyed: () => rec.destroyed,
        on: (e: string, fn: () => void) => void (e === 'closed' && (rec.closed = fn)),
        once: () => undefined,
        close: () => undefined,
        webContents: { id: created.length },
      };
    };
    return { created, factory: factory as never };
  }

  it('gives every window the locked-down preferences', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('creates each window once, reveals it again, and lists live web contents', () => {
    const { created, factory } = fakeFactory();
    const wm = new WindowManager(factory, { preload: '/p.cjs' });
    wm.showMain();
    wm.showMain('messages');
    expect(created).toHaveLength(1);
    expect(created[0]!.url).toBe('app://keytalk/index.html#page=messages');
    wm.openPopup('login');
    wm.openPopup('login');
    expect(created).toHaveLength(2);
    expect(created[1]!.options).toMatchObject({ width: 440, resizable: false, alwaysOnTop: false });
    expect([...wm.webContents()]).toHaveLength(2);
    created[1]!.destroyed = true;
    created[1]!.closed!();
    expect([...wm.webContents()]).toHaveLength(1);
    wm.openPopup('login');
    expect(created).toHaveLength(3);
  });

  it('tells the core each window that opens and closes, so flows end when the last one goes', () => {
    const { created, factory } = fakeFactory();
    const log: string[] = [];
    let n = 0;
    const uiAttached = () => {
      const id = ++n;
      log.push(`open ${id}`);
      return () => void log.push(`close ${id}`);
    };
    const wm = new WindowManager(factory, { preload: '/p.cjs', uiAttached });
    wm.showMain();
    wm.openPopup('login');
    wm.showMain(); // revealed again: not a second window
    created[0]!.closed!();
    created[1]!.closed!();
    expect(log).toEqual(['open 1', 'open 2', 'close 1', 'close 2']);
  });
});
