/**
 * Secrets the user agreed to keep (a password for unattended renewal, the MSAL cache key) live in the OS
 * secret store. The desktop app binds this to Electron safeStorage; the headless daemon uses a 0600 key
 * file (documented as weaker). Tests use the in-memory one.
 */
export interface SecretStore {
  /** Stable id for logs and the UI ("electron-safe-storage", "file-key", "memory"). */
  readonly kind: string;
  /** True when secrets are protected by the OS (not plain text or a key file). */
  readonly osProtected: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  readonly osProtected = false;
  private readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
