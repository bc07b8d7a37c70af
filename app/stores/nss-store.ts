/**
 * An NSS certificate database (sql: format) — the user's shared ~/.pki/nssdb that Chromium, Evolution and many
 * tools read, or one Firefox/Thunderbird profile — driven through NSS's own certutil and pk12util.
 *
 * The parts: nss-certutil.ts (running the tools, their errors, the password temp folder), nss-sqlite.ts (the
 * read-only sqlite3 query), nss-entries.ts (listing, with the certutil fallback), nss-import.ts (import,
 * nicknames, trust). This class ties them together:
 * - Safety: before any change cert9.db/key4.db/pkcs11.txt are copied aside and put back if anything fails,
 *   so a failed import or a locked/corrupt database never loses what was there.
 * - One change at a time per store (a queue), so a listing never sees a half-made change of this agent.
 */
import { coreText } from '../model/core-text';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandRunner } from '../system/command-runner';
import { pathExists } from '../system/path-exists';
import { certFacts, matchesQuery, normalizeFingerprint, parseCertificate } from './cert-summary';
import { NO_NICKNAME, NssTools, withTempDir, type TempDir } from './nss-certutil';
import { NssCatalog, type NssEntry } from './nss-entries';
import { desiredNickname, importBundle, trustRoots, uniqueNickname, type NssImportContext } from './nss-import';
import { reachableOnToken, registerModule, tokenFor, type NssTpmToken } from './nss-tpm-token';
import {
  StoreError,
  type AddOptions,
  type CertificateBundle,
  type CertificateQuery,
  type CertificateStore,
  type StoreDescription,
  type StoredCertificate,
} from './store';

// The store's public API has always come from this module.
export { parseCertutilKeys, parseCertutilList } from './nss-certutil';
export { clearNssFactsCache } from './nss-entries';
export { uniqueNickname } from './nss-import';

export interface NssStoreOptions {
  id: string;
  /** Human name for the UI, e.g. "Firefox profile default-release". */
  name: string;
  /** The database folder (the one holding cert9.db), without the "sql:" prefix. */
  dbDir: string;
  usedBy: string[];
  runner: CommandRunner;
  /** Create the database (empty password, or `password` when given) when it does not exist yet. */
  create?: boolean;
  /** The database's token password, when it has one (from the secret store or an option). */
  password?: string | (() => Promise<string | undefined>);
  /** Use the sqlite3 tool to read certificate bodies in one go (default true; falls back when missing). */
  useSqlite?: boolean;
  certutil?: string;
  pk12util?: string;
  sqlite3?: string;
  /**
   * The TPM's PKCS#11 token (app/tpm/tpm2-pkcs11.ts): a TPM-bound certificate goes onto it with its key, and its module
   * is registered in this database, so NSS programs reach the key (nss-tpm-token.ts). Absent: certificate only.
   */
  tpmToken?: NssTpmToken;
  /** Told when a TPM-bound certificate could not be put on (or taken off) the token; the store change still stands. */
  onTokenFailed?: (fingerprint: string, message: string) => void;
}

export class NssStore implements CertificateStore {
  readonly id: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tools: NssTools;
  private readonly catalog: NssCatalog;
  private readonly importContext: NssImportContext;

  constructor(private readonly opts: NssStoreOptions) {
    this.id = opts.id;
    const { dbDir } = opts;
    // NSS tools load the registered modules: the TPM module must find its store and TPM as the agent's own calls do.
    const runner = withEnv(opts.runner, opts.tpmToken?.env);
    this.tools = new NssTools({ storeId: opts.id, dbDir, runner, certutil: opts.certutil, pk12util: opts.pk12util });
    this.catalog = new NssCatalog({
      storeId: opts.id,
      dbDir,
      create: opts.create,
      runner,
      tools: this.tools,
      useSqlite: opts.useSqlite,
      sqlite3: opts.sqlite3,
      password: () => this.password(),
    });
    this.importContext = { storeId: opts.id, dbDir, tools: this.tools, entries: () => this.entries() };
  }

  get db(): string {
    return this.tools.db;
  }

  /** How the last listing got the certificate bodies (for tests and the benchmark). */
  get lastListPath(): 'sqlite' | 'certutil' | undefined {
    return this.catalog.lastListPath;
  }

  async describe(): Promise<StoreDescription> {
    const base = { id: this.id, name: this.opts.name, location: this.opts.dbDir, usedBy: this.opts.usedBy };
    const dbExists = await pathExists(path.join(this.opts.dbDir, 'cert9.db'));
    if (!dbExists && !this.opts.create) {
      const old = await pathExists(path.join(this.opts.dbDir, 'cert8.db'));
      const unavailableReason = old
        ? 'this profile still uses the old cert8.db format; start a current Firefox/Thunderbird with it once to upgrade it'
        : 'no certificate database yet; start the application once with this profile';
      return {
        ...base,
        available: false,
        unavailableReason,
        unavailableText: coreText(old ? 'store.nss-old-format' : 'store.nss-no-database', unavailableReason),
      };
    }
    try {
      await this.tools.certutil(['--version'], undefined, [0, 1]);
    } catch (err) {
      return { ...base, available: false, unavailableReason: (err as Error).message };
    }
    return { ...base, available: true };
  }

  list(): Promise<StoredCertificate[]> {
    return this.exclusive(async () => {
      const entries = await this.entries();
      const onToken = entries.some((e) => !e.hasPrivateKey) ? await this.onToken() : new Set<string>();
      return entries.map((e) => this.toStored(e, onToken));
    });
  }

  async find(query: CertificateQuery): Promise<StoredCertificate[]> {
    return (await this.list()).filter((c) => matchesQuery(c, query));
  }

  add(bundle: CertificateBundle, options: AddOptions = {}): Promise<StoredCertificate> {
    return this.exclusive(async () => {
      const facts = certFacts(parseCertificate(bundle.certPem));
      await this.ensureDb();
      const before = await this.entries();
      const existing = before.find((e) => e.sha256Fingerprint === facts.sha256Fingerprint);
      if (existing && (existing.hasPrivateKey || !bundle.keyPem)) {
        if (options.trustRoot) await this.withBackup((tmp) => trustRoots(this.importContext, bundle, tmp));
        await this.putOnToken(bundle, facts.sha256Fingerprint);
        return this.toStored(existing, await this.onToken());
      }
      const nickname = uniqueNickname(desiredNickname(bundle, facts), before);
      let result: NssEntry | undefined;
      await this.withBackup(async (tmp) => {
        result = await importBundle(this.importContext, tmp, bundle, nickname, facts);
        if (options.trustRoot) await trustRoots(this.importContext, bundle, tmp);
      });
      await this.putOnToken(bundle, facts.sha256Fingerprint);
      return this.toStored(result!, await this.onToken());
    });
  }

  /**
   * A TPM-bound certificate's key and certificate onto the TPM's PKCS#11 token, and the module into this database,
   * when a module is installed (nss-tpm-token.ts). A failure is reported, not thrown: the certificate is in the
   * database either way, and the listing then shows no key here.
   */
  private async putOnToken(bundle: CertificateBundle, fingerprint: string): Promise<void> {
    const token = await tokenFor(this.opts.tpmToken, bundle);
    if (!token) return;
    try {
      if (!(await token.linked()).has(fingerprint)) await token.add(fingerprint, bundle.tpmKey!, bundle.certPem);
      // After the token exists: modutil loads the module, which fails without its store.
      await this.withBackup(() => registerModule({ storeId: this.id, dbDir: this.opts.dbDir, runner: this.opts.runner }, token));
    } catch (err) {
      this.opts.onTokenFailed?.(fingerprint, (err as Error).message);
    }
  }

  /** Fingerprints whose key NSS programs reach through the TPM token in this database. */
  private async onToken(): Promise<Set<string>> {
    return reachableOnToken(this.opts.tpmToken, this.opts.dbDir).catch(() => new Set<string>());
  }

  /** Remove the certificate (and its key, unless another certificate uses the same key). Absent = no-op. */
  remove(sha256Fingerprint: string): Promise<void> {
    return this.exclusive(async () => {
      const fp = normalizeFingerprint(sha256Fingerprint);
      let list = await this.entries();
      const target = list.find((e) => e.sha256Fingerprint === fp);
      if (!target) return;
      if (target.nickname === NO_NICKNAME) {
        throw new StoreError(
          this.id,
          `${target.subject} has no nickname in ${this.opts.dbDir}, so certutil cannot address it`,
          'remove it with Firefox (Settings → Certificates) or give it a nickname first',
        );
      }
      await this.withBackup(async (tmp) => {
        const original = target.nickname;
        let current = original;
        const parked: string[] = [];
        // Certificates sharing a nickname: NSS acts on the "best" one, so move the others out of the way.
        while (list.filter((e) => e.nickname === current).length > 1) {
          const park = `KeyTalk-tmp-${randomBytes(6).toString('hex')}`;
          await this.tools.certutil(['--rename', '-n', current, '--new-n', park, '-d', this.db, '-f', tmp.tokenPwFile]);
          list = await this.entries();
          const moved = list.find((e) => e.nickname === park);
          if (moved?.sha256Fingerprint === fp) current = park;
          else parked.push(park);
          if (parked.length > 50)
            throw new StoreError(this.id, `cannot single out ${target.subject} among certificates named "${original}"`);
        }
        const keyShared = target.keyId !== undefined && list.some((e) => e.sha256Fingerprint !== fp && e.keyId === target.keyId);
        if (target.hasPrivateKey && !keyShared) {
          await this.tools.certutil(['-F', '-n', current, '-d', this.db, '-f', tmp.tokenPwFile]);
        } else {
          await this.tools.certutil(['-D', '-n', current, '-d', this.db, '-f', tmp.tokenPwFile]);
        }
        for (const park of parked) {
          await this.tools.certutil(['--rename', '-n', park, '--new-n', original, '-d', this.db, '-f', tmp.tokenPwFile]);
        }
        const after = await this.entries();
        if (after.some((e) => e.sha256Fingerprint === fp)) {
          throw new StoreError(this.id, `certutil did not remove ${target.subject} from ${this.opts.dbDir}`);
        }
        // A renewal's successor was imported as "<name> (2)" while this one still held "<name>" (uniqueNickname):
        // it takes the name now, so a service configured by nickname (mod_nss NSSNickname, a VPN's certificate
        // name) finds the renewed certificate. Only the agent's own names ("KeyTalk …"), the newest heir.
        const heir =
          original.startsWith('KeyTalk ') && !after.some((e) => e.nickname === original) ? heirOf(original, after) : undefined;
        if (heir) await this.tools.certutil(['--rename', '-n', heir, '--new-n', original, '-d', this.db, '-f', tmp.tokenPwFile]);
      });
      // Its key and certificate leave the TPM token too (the token is shared by the user's NSS databases: a
      // certificate removed from one is retired, as in a renewal's switch-over, so it goes from all of them).
      const token = this.opts.tpmToken;
      if (token && (await this.onToken()).has(fp))
        await token.remove(fp).catch((err: Error) => this.opts.onTokenFailed?.(fp, err.message));
    });
  }

  private async ensureDb(): Promise<void> {
    if (await pathExists(path.join(this.opts.dbDir, 'cert9.db'))) return;
    if (await pathExists(path.join(this.opts.dbDir, 'cert8.db'))) {
      throw new StoreError(
        this.id,
        `${this.opts.dbDir} holds an old-format (cert8.db) database`,
        'start a current Firefox/Thunderbird with this profile once to upgrade it',
      );
    }
    if (!this.opts.create) {
      throw new StoreError(
        this.id,
        `there is no NSS database in ${this.opts.dbDir}`,
        'start the application once with this profile, then try again',
      );
    }
    await fs.mkdir(this.opts.dbDir, { recursive: true, mode: 0o700 });
    const password = await this.password();
    if (password) {
      await withTempDir(password, (tmp) => this.tools.certutil(['-N', '-d', this.db, '-f', tmp.tokenPwFile]));
    } else {
      await this.tools.certutil(['-N', '-d', this.db, '--empty-password']);
    }
  }

  private async password(): Promise<string> {
    const p = this.opts.password;
    return (typeof p === 'function' ? await p() : p) ?? '';
  }

  /** Copy the database aside, run the change, and put the copy back if the change fails. */
  private async withBackup(fn: (tmp: TempDir) => Promise<void>): Promise<void> {
    await withTempDir(await this.password(), async (tmp) => {
      const files = ['cert9.db', 'key4.db', 'pkcs11.txt'];
      const backup = path.join(tmp.dir, 'backup');
      await fs.mkdir(backup);
      const saved: string[] = [];
      for (const f of files) {
        try {
          await fs.copyFile(path.join(this.opts.dbDir, f), path.join(backup, f));
          saved.push(f);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw new StoreError(
              this.id,
              `cannot back up ${path.join(this.opts.dbDir, f)} before changing it (${(err as Error).message}); nothing was changed`,
            );
          }
        }
      }
      try {
        await fn(tmp);
      } catch (err) {
        for (const f of saved) await fs.copyFile(path.join(backup, f), path.join(this.opts.dbDir, f)).catch(() => undefined);
        if (err instanceof StoreError) {
          throw new StoreError(this.id, `${err.message.replace(/ — .*$/, '')}; the database was restored as it was`, err.hint);
        }
        throw err;
      }
    });
  }

  /** All certificates in the database with their nicknames; the basis of list/find/add/remove. */
  private entries(): Promise<NssEntry[]> {
    return this.catalog.entries();
  }

  private toStored(e: NssEntry, onToken: Set<string>): StoredCertificate {
    const { nickname, der: _der, keyId: _keyId, ...facts } = e;
    const stored: StoredCertificate = { ...facts, storeId: this.id, ref: nickname, label: nickname };
    const token = this.opts.tpmToken;
    // The key is on the TPM's PKCS#11 token: NSS programs reach it there, and it lives in the TPM.
    if (!e.hasPrivateKey && token && onToken.has(e.sha256Fingerprint))
      return { ...stored, hasPrivateKey: true, keyLocation: 'tpm', pkcs11Token: token.label };
    return stored;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The runner with `env` added to every command (the TPM module's store and TCTI), or the runner as it is. */
function withEnv(runner: CommandRunner, env: Record<string, string> | undefined): CommandRunner {
  return env ? { run: (spec) => runner.run({ ...spec, env: { ...env, ...spec.env } }) } : runner;
}

/** The newest certificate named "<name> (N)", the one uniqueNickname gave a renewal while "<name>" was taken. */
function heirOf(name: string, entries: NssEntry[]): string | undefined {
  const heirs = entries.filter((e) => e.nickname.startsWith(`${name} (`) && /^ \(\d+\)$/.test(e.nickname.slice(name.length)));
  return heirs.sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore))[0]?.nickname;
}
