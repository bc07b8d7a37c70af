import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { writeFileAtomic } from '../system/atomic-write';
import { withStateLock } from '../system/home-lock';
import type { SecretStore } from '../system/secret-store';
import { mergeTokenCache } from './token-cache-merge';

/** Name under which the cache key lives in the SecretStore. */
export const CACHE_KEY_SECRET = 'mfa-token-cache-key';

const MAGIC = Buffer.from('KTMC'); // KeyTalk MSAL cache
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + IV_BYTES + TAG_BYTES;

/**
 * One cache key for all of an agent's cache files, created on first use. Shared (and its creation serialised) so two
 * caches written at the same moment cannot each store a different key and lock the other out.
 */
export class CacheKeyring {
  private pending: Promise<Buffer | undefined> | undefined;

  constructor(
    readonly secrets: SecretStore,
    private readonly warn: (message: string) => void,
  ) {}

  async get(create: boolean): Promise<Buffer | undefined> {
    const seen = (this.pending ??= this.read());
    const existing = await seen;
    if (existing || !create) return existing;
    // Another caller may already have started creating the key while we waited.
    if (this.pending !== seen) return this.get(create);
    this.pending = (async () => {
      const again = await this.read();
      if (again) return again;
      const key = randomBytes(32);
      await this.secrets.set(CACHE_KEY_SECRET, key.toString('base64'));
      return key;
    })();
    return this.pending;
  }

  private async read(): Promise<Buffer | undefined> {
    const stored = await this.secrets.get(CACHE_KEY_SECRET);
    if (stored === undefined) return undefined;
    const key = Buffer.from(stored, 'base64');
    if (key.length === 32) return key;
    this.warn(`The MFA token cache key in the ${this.secrets.kind} secret store is malformed; a new one will be made.`);
    return undefined;
  }
}

export interface EncryptedCacheOptions {
  file: string;
  /**
   * The agent home's state folder: every write of the cache re-reads and merges the file under its state lock
   * (app/system/home-lock.ts), as every persisted file's read-modify-write does, because the tray app, the daemon and
   * the CLI may sign in on one home at once.
   */
  stateDir: string;
  keyring: CacheKeyring;
  /**
   * Bound into the ciphertext as additional data (authority + client id), so a cache file copied over the one of
   * another IdP or app registration fails to decrypt instead of being loaded.
   */
  cacheId: string;
  warn: (message: string) => void;
  /**
   * Whether sign-ins may be kept across runs (policy `lockedRememberSecrets: false` forbids it; read per access, as
   * the policy can change while the agent runs). When not, nothing is read or written and an earlier file is
   * removed: MSAL keeps its tokens in memory for this run only.
   */
  mayPersist?: () => Promise<boolean>;
}

/**
 * MSAL token cache at rest: AES-256-GCM, 32-byte key from the SecretStore (Electron safeStorage in the app, a 0600 key
 * file for the headless daemon). A file that does not decrypt (tampered, truncated, key lost) is removed with a warning
 * and the user simply signs in again: a cache is never worth a crash.
 * Layout: "KTMC" | version | iv(12) | tag(16) | ciphertext.
 */
export class EncryptedCachePlugin implements ICachePlugin {
  /** What each cache access (one MSAL call, one context) read from the file: the base its changes are taken against. */
  private readonly readAt = new WeakMap<TokenCacheContext, string | undefined>();

  constructor(private readonly opts: EncryptedCacheOptions) {}

  get file(): string {
    return this.opts.file;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!(await this.persistAllowed())) return;
    const plain = await this.load();
    this.readAt.set(context, plain);
    if (plain !== undefined) context.tokenCache.deserialize(plain);
  }

  /**
   * Writes only what this access changed onto the file as it is now (mergeTokenCache), under the state lock: between
   * MSAL's read and this write lie a sign-in's seconds, in which another process may have saved its own account. The
   * lock is held for the re-read and the write only, never across a network request; creating the cache key happens
   * inside it too, so two processes' first sign-ins cannot each make a key and lock the other's file out.
   */
  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    if (!(await this.persistAllowed())) return;
    const mine = context.tokenCache.serialize();
    const base = this.readAt.get(context);
    await withStateLock(this.opts.stateDir, async () => {
      await this.save(mergeTokenCache(await this.load(), base, mine));
    });
  }

  /** False under a policy that forbids remembering; then a cache an earlier run kept is removed too. */
  private async persistAllowed(): Promise<boolean> {
    if (!this.opts.mayPersist || (await this.opts.mayPersist())) return true;
    await fs.rm(this.opts.file, { force: true });
    return false;
  }

  /** Decrypted cache JSON, or undefined when there is none (or it had to be discarded). */
  async load(): Promise<string | undefined> {
    let blob: Buffer;
    try {
      blob = await fs.readFile(this.opts.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const key = await this.opts.keyring.get(false);
    const problem = key ? undefined : 'its key is missing from the secret store';
    let plain: string | undefined;
    let why = problem;
    if (key) {
      try {
        plain = this.decrypt(blob, key);
        JSON.parse(plain);
      } catch (err) {
        plain = undefined;
        why = (err as Error).message;
      }
    }
    if (plain === undefined) {
      this.opts.warn(
        `The MFA token cache ${this.opts.file} could not be read (${why}); it was cleared and you will be asked to sign in again. If nobody changed the file, check the disk and the ${this.opts.keyring.secrets.kind} secret store.`,
      );
      await fs.rm(this.opts.file, { force: true });
      return undefined;
    }
    return plain;
  }

  async save(plain: string): Promise<void> {
    const key = (await this.opts.keyring.get(true))!;
    const iv = randomBytes(IV_BYTES);
    const header = Buffer.concat([MAGIC, Buffer.from([VERSION])]);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(this.opts.cacheId, 'utf8')]));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    await fs.mkdir(path.dirname(this.opts.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.opts.file, Buffer.concat([header, iv, cipher.getAuthTag(), body]), { mode: 0o600 });
  }

  /**
   * Removes the cache file once no account is left in it: the last sign-out's decision, made on the file as it is now
   * under the state lock, since another agent process on this home may have saved its own sign-in after this one's
   * MSAL read the cache. False when such an account is there (the file, and the remembered settings, stay).
   */
  async clearIfNoAccount(): Promise<boolean> {
    return withStateLock(this.opts.stateDir, async () => {
      const plain = await this.load();
      const accounts = plain === undefined ? undefined : (JSON.parse(plain) as { Account?: unknown }).Account;
      if (accounts && typeof accounts === 'object' && Object.keys(accounts).length > 0) return false;
      await fs.rm(this.opts.file, { force: true });
      return true;
    });
  }

  private decrypt(blob: Buffer, key: Buffer): string {
    if (blob.length < HEADER_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error('not an encrypted KeyTalk token cache');
    const version = blob[MAGIC.length];
    if (version !== VERSION) throw new Error(`unknown cache format version ${version}`);
    const header = blob.subarray(0, MAGIC.length + 1);
    const iv = blob.subarray(MAGIC.length + 1, MAGIC.length + 1 + IV_BYTES);
    const tag = blob.subarray(MAGIC.length + 1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.concat([header, Buffer.from(this.opts.cacheId, 'utf8')]));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('integrity check failed: the file was modified or belongs to another key');
    }
  }
}
