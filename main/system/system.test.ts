import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMemoryCore } from '../../test-support/ipc/memory-core';
import { Autostart, DESKTOP_FILE_NAME, desktopEntry } from './autostart';
import { withAutostart } from './autostart-settings';
import { forwardPowerEvents } from './power-events';
import { SafeStorageSecretStore } from './safe-storage-secret-store';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-main-system-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const loginItems = () => ({ setLoginItemSettings: vi.fn(), getLoginItemSettings: vi.fn(() => ({ openAtLogin: true })) });

describe('Autostart', () => {
  it('writes and removes an XDG autostart .desktop file on Linux', async () => {
    const env = { XDG_CONFIG_HOME: path.join(tmp, 'xdg') };
    const a = new Autostart({ platform: 'linux', app: loginItems() as never, execPath: '/opt/KeyTalk Agent/keytalk-agent', env });
    const file = path.join(tmp, 'xdg', 'autostart', DESKTOP_FILE_NAME);
    await a.set(true);
    expect(await a.isEnabled()).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[Desktop Entry]');
    expect(text).toContain('Exec="/opt/KeyTalk Agent/keytalk-agent" --hidden');
    await a.set(false);
    expect(existsSync(file)).toBe(false);
    expect(await a.isEnabled()).toBe(false);
  });

  it('starts the AppImage, not the extracted binary, when run from one', async () => {
    const env = { XDG_CONFIG_HOME: path.join(tmp, 'xdg2'), APPIMAGE: '/home/u/KeyTalk.AppImage' };
    await new Autostart({ platform: 'linux', app: loginItems() as never, execPath: '/tmp/.mount_x/keytalk', env }).set(true);
    expect(readFileSync(path.join(tmp, 'xdg2', 'autostart', DESKTOP_FILE_NAME), 'utf8')).toContain(
      'Exec="/home/u/KeyTalk.AppImage"',
    );
  });

  it('escapes Exec special characters', () => {
    expect(desktopEntry('/a/"b$c`d\\e')).toContain('Exec="/a/\\"b\\$c\\`d\\\\e" --hidden');
  });

  it('uses the login item on Windows and macOS', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const app = loginItems();
      const a = new Autostart({ platform, app: app as never, execPath: 'C:/x.exe' });
      await a.set(true);
      expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, openAsHidden: true, args: ['--hidden'] });
      expect(await a.isEnabled()).toBe(true);
    }
  });

  it('follows settings:set from the UI', async () => {
    const set = vi.fn(async () => undefined);
    const handlers = withAutostart(createMemoryCore().handlers, { set });
    await handlers['settings:set']({ logLevel: 'debug' });
    expect(set).not.toHaveBeenCalled();
    await handlers['settings:set']({ autostart: true });
    expect(set).toHaveBeenCalledWith(true);
  });
});

describe('SafeStorageSecretStore', () => {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const storage = (backend: string, available = true) => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend as never,
    encryptString: (s: string) => xor(Buffer.from(s)),
    decryptString: (b: Buffer) => xor(b).toString(),
  });

  it('keeps only ciphertext on disk, in a 0600 file, and reads it back', async () => {
    const dir = path.join(tmp, 'secrets');
    const store = new SafeStorageSecretStore(storage('gnome_libsecret'), dir, 'linux');
    expect(store.osProtected).toBe(true);
    await store.set('renewal-password:acme', 'hunter2');
    const file = path.join(dir, 'safe-storage.json');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('renewal-password:acme')).toBe('hunter2');
    await store.delete('renewal-password:acme');
    expect(await store.get('renewal-password:acme')).toBeUndefined();
  });

  it("reports Linux's basic_text backend as not OS-protected", () => {
    expect(new SafeStorageSecretStore(storage('basic_text'), tmp, 'linux').osProtected).toBe(false);
    expect(new SafeStorageSecretStore(storage('kwallet5'), tmp, 'linux').osProtected).toBe(true);
    expect(new SafeStorageSecretStore(storage('unknown'), tmp, 'darwin').osProtected).toBe(true);
  });

  it('refuses to store when encryption is unavailable, with a clear message', async () => {
    const store = new SafeStorageSecretStore(storage('basic_text', false), path.join(tmp, 's2'), 'win32');
    expect(store.osProtected).toBe(false);
    await expect(store.set('k', 'v')).rejects.toThrow(/secret store is not available/);
  });
});

describe('forwardPowerEvents', () => {
  it('forwards resume and unlock, logs a failing handler, and unsubscribes', async () => {
    const listeners = new Map<string, () => void>();
    const pm = {
      on: (e: string, fn: () => void) => void listeners.set(e, fn),
      removeListener: (e: string) => void listeners.delete(e),
    };
    const log = vi.fn();
    const target = {
      onSystemEvent: vi.fn(async (e: string) => (e === 'unlock-screen' ? Promise.reject(new Error('boom')) : undefined)),
    };
    const stop = forwardPowerEvents(pm as never, target, log);
    listeners.get('resume')!();
    listeners.get('unlock-screen')!();
    await new Promise((r) => setTimeout(r, 5));
    expect(target.onSystemEvent.mock.calls).toEqual([['resume'], ['unlock-screen']]);
    expect(log).toHaveBeenCalledWith('system event unlock-screen: boom');
    stop();
    expect(listeners.size).toBe(0);
  });
});
