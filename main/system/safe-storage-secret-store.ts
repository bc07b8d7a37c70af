import path from 'node:path';
import type { SafeStorage } from 'electron';
import { readJsonFile, writeJsonAtomic } from '../../app/system/atomic-write';
import { withStateLock } from '../../app/system/home-lock';
import type { SecretStore } from '../../app/system/secret-store';

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/**
 * Secrets encrypted with Electron safeStorage (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on
 * Linux), the ciphertexts kept in one 0600 JSON file under the agent home. On Linux without a keyring
 * safeStorage falls back to 'basic_text' — a hard-coded key, i.e. no real protection — which this store
 * reports as osProtected=false so the UI can say so before offering "remember".
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'electron-safe-storage';
  readonly osProtected: boolean;
  private readonly file: string;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    secretsDir: string,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.file = path.join(secretsDir, 'safe-storage.json');
    const available = safeStorage.isEncryptionAvailable();
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
      this.osProtected = available && backend !== 'basic_text' && backend !== 'unknown';
    } else {
      this.osProtected = available;
    }
  }

  private async load(): Promise<Record<string, string>> {
    return readJsonFile<Record<string, string>>(this.file, {});
  }

  async get(key: string): Promise<string | undefined> {
    const blob = (await this.load())[key];
    if (blob === undefined) return undefined;
    return this.safeStorage.decryptString(Buffer.from(blob, 'base64'));
  }

  async set(key: string, value: string): Promise<void> {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new Error(
        'the OS secret store is not available (no keyring?): cannot remember this secret; unlock or install a keyring',
      );
    }
    // Read-modify-write under a lock on the secrets folder (app/system/home-lock.ts): a second app instance or a
    // helper must not drop a secret this one just saved.
    await withStateLock(path.dirname(this.file), async () => {
      const all = await this.load();
      all[key] = this.safeStorage.encryptString(value).toString('base64');
      await writeJsonAtomic(this.file, all, { mode: 0o600 });
    });
  }

  async delete(key: string): Promise<void> {
    await withStateLock(path.dirname(this.file), async () => {
      const all = await this.load();
      if (!(key in all)) return;
      delete all[key];
      await writeJsonAtomic(this.file, all, { mode: 0o600 });
    });
  }
}
