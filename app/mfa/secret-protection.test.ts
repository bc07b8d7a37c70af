import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore, type SecretStore } from '../system/secret-store';
import { MsalMfaSignIn } from './msal-mfa-sign-in';
import { linuxSafeStorageWarning, safeStorageBackendIsProtected } from './secret-protection';

function storeWith(kind: string, osProtected: boolean): SecretStore {
  const inner = new MemorySecretStore();
  return { kind, osProtected, get: (k) => inner.get(k), set: (k, v) => inner.set(k, v), delete: (k) => inner.delete(k) };
}

describe('weak secret stores are called out', () => {
  it("Linux safeStorage 'basic_text' (no keyring) gets a warning; real keyrings do not", () => {
    expect(linuxSafeStorageWarning('basic_text')).toMatch(/No desktop keyring/);
    expect(linuxSafeStorageWarning('gnome_libsecret')).toBeUndefined();
    expect(linuxSafeStorageWarning('kwallet5')).toBeUndefined();
    expect(safeStorageBackendIsProtected('basic_text')).toBe(false);
    expect(safeStorageBackendIsProtected('kwallet6')).toBe(true);
  });

  it('MsalMfaSignIn warns once at start when its cache key store is not OS-protected (basic_text, file key)', () => {
    const cacheDir = path.join(os.tmpdir(), 'unused-mfa-cache');
    const warned: string[] = [];
    new MsalMfaSignIn({
      cacheDir,
      secrets: storeWith('electron-safe-storage', false),
      warn: (m) => warned.push(m),
      openBrowser: async () => undefined,
    });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/"electron-safe-storage" secret store, which the operating system does not protect/);

    const quiet: string[] = [];
    new MsalMfaSignIn({
      cacheDir,
      secrets: storeWith('electron-safe-storage', true),
      warn: (m) => quiet.push(m),
      openBrowser: async () => undefined,
    });
    expect(quiet).toEqual([]);
  });
});
