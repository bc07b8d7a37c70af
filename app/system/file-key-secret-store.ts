import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';
import type { SecretStore } from './secret-store';

/**
 * Secrets for the headless daemon, which has no OS keyring: one 0600 file per secret in a 0700 folder
 * (<home>/secrets). WEAKER than the OS secret store: anyone who can read this account's files (or a backup of
 * them) gets the secrets. The desktop app uses Electron safeStorage instead.
 */
export class FileKeySecretStore implements SecretStore {
  readonly kind = 'file-key';
  readonly osProtected = false;

  constructor(private readonly dir: string) {}

  async get(key: string): Promise<string | undefined> {
    const file = this.fileFor(key);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    // Like ssh with private keys: a secret others could read may already be known to them, so do not use it.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new Error(
        `secret file ${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run "chmod 600 ${file}" (and consider the secret compromised)`,
      );
    }
    return (await fs.readFile(file, 'utf8')).replace(/\n$/, '');
  }

  async set(key: string, value: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.chmod(this.dir, 0o700);
    await writeFileAtomic(this.fileFor(key), value, { mode: 0o600 });
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.fileFor(key), { force: true });
  }

  private fileFor(key: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(key)) {
      throw new Error(`secret name "${key}" is not usable as a file name; use letters, digits, ".", "_" and "-"`);
    }
    return path.join(this.dir, `${key}.secret`);
  }
}
