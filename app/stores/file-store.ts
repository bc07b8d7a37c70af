/**
 * The default store on every OS: plain files under <home>/certs, one folder per certificate named by its
 * SHA-256 fingerprint, holding cert.pem, chain.pem, key.pem (0600), certificate.p12 (0600) and meta.json.
 *
 * Crash safety: a certificate folder is assembled under a temporary name, marked complete by a rename, then renamed
 * into place, so a folder with a fingerprint name is always complete; a replace sets the old folder aside first and
 * the next start finishes or undoes an interrupted one (file-store-recovery.ts). index.json lets list() answer
 * without parsing every certificate; it is a cache, rebuilt from the folders whenever it is missing, unreadable or
 * disagrees with them. A damaged meta.json is rebuilt from cert.pem; damage is reported through problems().
 */
import { coreText } from '../model/core-text';
import { randomBytes, createPrivateKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../system/atomic-write';
import { crashPoint } from '../system/crash-point';
import { withLock } from '../system/home-lock';
import { pathExists } from '../system/path-exists';
import { bundleToPkcs12 } from './bundle-p12';
import {
  certFacts,
  commonName,
  matchesQuery,
  normalizeFingerprint,
  parseCertificate,
  splitPemCertificates,
} from './cert-summary';
import { recoverTemporaries, TMP_PREFIX } from './file-store-recovery';
import { evictRetiredTpmKey, readTpmKey, type TpmKeyEviction } from './file-store-tpm';
import { FOLDER, type FileStorePaths, type IndexEntry, type IndexFile, type Meta } from './file-store-layout';

export type { FileStorePaths } from './file-store-layout';
import {
  StoreError,
  storeFsError,
  type AddOptions,
  type CertificateBundle,
  type CertificateQuery,
  type CertificateStore,
  type StoreDescription,
  type StoredCertificate,
} from './store';

export interface FileStoreOptions extends TpmKeyEviction {
  /**
   * Password for certificate.p12: a fixed string, or asked per certificate (e.g. from the secret store).
   * Without one the PKCS#12 gets an empty password; it is 0600 like key.pem, which is unencrypted anyway.
   */
  p12Password?: string | ((bundle: CertificateBundle) => string | Promise<string>);
  /** Write the 3DES/RC2 PKCS#12 old software needs instead of AES-256/PBKDF2. */
  legacyP12?: boolean;
  /** Store id (default "file"); lets a second file store exist, e.g. an export folder. */
  id?: string;
  /** Told about damage found and repaired (or set aside) while reading the folders; also kept in problems(). */
  onProblem?: (message: string) => void;
}

export class FileStore implements CertificateStore {
  readonly id: string;
  private readonly indexFile: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly found: string[] = [];

  constructor(
    readonly dir: string,
    private readonly opts: FileStoreOptions = {},
  ) {
    this.id = opts.id ?? 'file';
    this.indexFile = path.join(dir, 'index.json');
  }

  paths(sha256Fingerprint: string): FileStorePaths {
    const d = path.join(this.dir, normalizeFingerprint(sha256Fingerprint));
    return {
      dir: d,
      cert: path.join(d, 'cert.pem'),
      chain: path.join(d, 'chain.pem'),
      key: path.join(d, 'key.pem'),
      p12: path.join(d, 'certificate.p12'),
      meta: path.join(d, 'meta.json'),
      tpmKey: path.join(d, 'tpm-key.json'),
    };
  }

  async describe(): Promise<StoreDescription> {
    const base = {
      id: this.id,
      name: 'Certificate files (PEM and PKCS#12)',
      location: this.dir,
      usedBy: ['Programs configured with PEM or PKCS#12 files (curl, OpenSSL, web servers, Java keytool import)'],
    };
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await fs.access(this.dir, fs.constants.W_OK);
      return { ...base, available: true };
    } catch (err) {
      return {
        ...base,
        available: false,
        unavailableReason: `cannot write ${this.dir} (${(err as Error).message}); choose another agent home with --home`,
        unavailableText: coreText('store.not-writable', `cannot write ${this.dir}`, { dir: this.dir }),
      };
    }
  }

  add(bundle: CertificateBundle, options: AddOptions = {}): Promise<StoredCertificate> {
    return this.exclusive(() => this.addLocked(bundle, options));
  }

  list(): Promise<StoredCertificate[]> {
    return this.exclusive(async () => {
      const index = await this.loadIndex();
      return Object.entries(index.entries).map(([fp, e]) => this.toStored(fp, e));
    });
  }

  /** Damage found while reading the folders (rebuilt metadata, folders set aside): for `certs` and the UI. */
  problems(): string[] {
    return [...this.found];
  }

  async find(query: CertificateQuery): Promise<StoredCertificate[]> {
    return (await this.list()).filter((c) => matchesQuery(c, query));
  }

  /** Removing a certificate that is not here is not an error: the end state is the one asked for. */
  remove(sha256Fingerprint: string): Promise<void> {
    return this.exclusive(async () => {
      const fp = normalizeFingerprint(sha256Fingerprint);
      const p = this.paths(fp);
      // Rename first so a crash mid-delete never leaves a half-deleted folder under a fingerprint name.
      const doomed = path.join(this.dir, `${TMP_PREFIX}del-${fp}-${randomBytes(4).toString('hex')}`);
      await this.acrossProcesses(async () => {
        const index = await this.loadIndex();
        try {
          await fs.rename(p.dir, doomed);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
            throw storeFsError(this.id, this.dir, err, `cannot remove ${p.dir}`);
        }
        delete index.entries[fp];
        await this.saveIndex(index);
      });
      const tpmKey = await readTpmKey(path.join(doomed, 'tpm-key.json'));
      await fs.rm(doomed, { recursive: true, force: true });
      if (tpmKey) {
        const remaining = async () => Object.keys((await this.loadIndex()).entries).map((fp2) => this.paths(fp2).tpmKey);
        await evictRetiredTpmKey(tpmKey, remaining, this.opts);
      }
    });
  }

  /** Read back the PEM files of one certificate (e.g. for export or to hand to another store). */
  async read(sha256Fingerprint: string): Promise<CertificateBundle> {
    const p = this.paths(sha256Fingerprint);
    const [certPem, chainText, meta] = await Promise.all([
      fs.readFile(p.cert, 'utf8'),
      fs.readFile(p.chain, 'utf8').catch(() => ''),
      fs.readFile(p.meta, 'utf8').then((t) => JSON.parse(t) as Meta),
    ]).catch((err: unknown) => {
      throw new StoreError(
        this.id,
        `certificate ${normalizeFingerprint(sha256Fingerprint)} is not in the file store (${(err as Error).message})`,
      );
    });
    const keyPem = await fs.readFile(p.key, 'utf8').catch(() => undefined);
    const tpmKey = await readTpmKey(p.tpmKey);
    const chainPem = splitPemCertificates(chainText);
    const { label, origin, historical } = meta;
    return { certPem, keyPem, chainPem, label, origin, historical, ...(tpmKey ? { tpmKey } : {}) };
  }

  private async addLocked(bundle: CertificateBundle, options: AddOptions): Promise<StoredCertificate> {
    const cert = parseCertificate(bundle.certPem);
    const facts = certFacts(cert);
    if (bundle.keyPem) {
      let matches = false;
      try {
        matches = cert.checkPrivateKey(createPrivateKey(bundle.keyPem));
      } catch (err) {
        throw new StoreError(
          this.id,
          `the private key for ${facts.subject} is not a readable PEM key (${(err as Error).message})`,
        );
      }
      if (!matches)
        throw new StoreError(this.id, `the private key does not belong to ${facts.subject}`, 'enroll again; nothing was stored');
    }
    const index = await this.loadIndex();
    const existing = index.entries[facts.sha256Fingerprint];
    // Same fingerprint = same certificate: adding again is a no-op unless it brings the key we lacked.
    if (existing && !options.replace && (existing.hasPrivateKey || !bundle.keyPem)) {
      return this.toStored(facts.sha256Fingerprint, existing);
    }

    const final = this.paths(facts.sha256Fingerprint);
    const tmpDir = path.join(this.dir, `${TMP_PREFIX}${facts.sha256Fingerprint}-${randomBytes(4).toString('hex')}`);
    const meta: Meta = {
      label: bundle.label,
      origin: bundle.origin,
      historical: bundle.historical,
      addedAt: new Date().toISOString(),
      p12Format: bundle.keyPem ? (this.opts.legacyP12 ? 'legacy' : 'modern') : undefined,
    };
    const entry: IndexEntry = {
      ...facts,
      hasPrivateKey: !!bundle.keyPem || !!bundle.tpmKey,
      ...(bundle.keyPem ? { keyLocation: 'file' as const } : bundle.tpmKey ? { keyLocation: 'tpm' as const } : {}),
      ...pick(meta),
    };
    const ready = path.join(this.dir, `${TMP_PREFIX}new-${path.basename(tmpDir).slice(TMP_PREFIX.length)}`);
    try {
      await fs.mkdir(tmpDir, { recursive: true, mode: 0o700 });
      const inTmp = (f: string) => path.join(tmpDir, path.basename(f));
      if (bundle.keyPem) {
        await writeFileAtomic(inTmp(final.key), ensureNewline(bundle.keyPem), { mode: 0o600 });
        crashPoint('key');
      }
      await writeFileAtomic(inTmp(final.cert), ensureNewline(bundle.certPem));
      crashPoint('certificate');
      await writeFileAtomic(inTmp(final.chain), bundle.chainPem.map(ensureNewline).join(''));
      if (bundle.tpmKey) {
        // The handle, and the TPM-wrapped blobs the PKCS#11 token links (only this TPM can load them; 0600 anyway).
        const { handle, wrapped } = bundle.tpmKey;
        await writeJsonAtomic(inTmp(final.tpmKey), { handle, ...(wrapped ? { wrapped } : {}) }, { mode: 0o600 });
      }
      if (bundle.keyPem) {
        const password =
          typeof this.opts.p12Password === 'function' ? await this.opts.p12Password(bundle) : (this.opts.p12Password ?? '');
        const p12 = await bundleToPkcs12(bundle, { password, legacy: this.opts.legacyP12 });
        await writeFileAtomic(inTmp(final.p12), p12, { mode: 0o600 });
        crashPoint('p12');
      }
      await writeJsonAtomic(inTmp(final.meta), meta);
      // Complete: a crash from here leaves a copy the next start puts in place (file-store-recovery.ts). Swapped and
      // indexed under the folder's lock: no other process's recovery moves it mid-swap, the index is re-read.
      await this.acrossProcesses(async () => {
        await fs.rename(tmpDir, ready);
        if (existing || (await pathExists(final.dir))) {
          const old = path.join(this.dir, `${TMP_PREFIX}old-${facts.sha256Fingerprint}-${randomBytes(4).toString('hex')}`);
          await fs.rename(final.dir, old);
          crashPoint('store-swap');
          await fs.rename(ready, final.dir);
          await fs.rm(old, { recursive: true, force: true });
        } else {
          await fs.rename(ready, final.dir);
        }
        const current = await this.loadIndex();
        current.entries[facts.sha256Fingerprint] = entry;
        await this.saveIndex(current);
      });
    } catch (err) {
      await fs.rm(tmpDir, { recursive: true, force: true });
      await fs.rm(ready, { recursive: true, force: true });
      if (err instanceof StoreError) throw err;
      throw storeFsError(this.id, this.dir, err, `cannot store ${facts.subject} in ${this.dir}`);
    }
    return this.toStored(facts.sha256Fingerprint, entry);
  }

  private toStored(fp: string, e: IndexEntry): StoredCertificate {
    const { historical, ...rest } = e;
    return { ...rest, ...(historical ? { historical } : {}), storeId: this.id, ref: path.join(this.dir, fp) };
  }

  /**
   * Load the index and reconcile it with the folders (one readdir, cheap even for thousands): entries without a
   * folder are dropped, folders without an entry are read and added, and leftovers of interrupted writes removed.
   */
  private async loadIndex(): Promise<IndexFile> {
    let names: string[];
    let restored: string[] = [];
    try {
      names = await fs.readdir(this.dir);
      if (names.some((n) => n.startsWith(TMP_PREFIX))) {
        // Under the folder's lock: a ready or set-aside copy may be another process's add mid-swap.
        const recovered = await this.acrossProcesses(async () => recoverTemporaries(this.dir, await fs.readdir(this.dir)));
        recovered.problems.forEach((p) => this.problem(p));
        restored = recovered.restored;
        names = await fs.readdir(this.dir);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw storeFsError(this.id, this.dir, err, `cannot read ${this.dir}`);
    }
    let index: IndexFile | undefined;
    try {
      const parsed = JSON.parse(await fs.readFile(this.indexFile, 'utf8')) as IndexFile;
      if (parsed && parsed.version === 1 && typeof parsed.entries === 'object' && parsed.entries !== null) index = parsed;
    } catch {
      index = undefined; // missing or corrupt: rebuilt below from the folders, which are the truth
    }
    const folders = new Set(names.filter((n) => FOLDER.test(n)));
    let dirty = !index;
    const entries: Record<string, IndexEntry> = {};
    for (const fp of folders) {
      const known = restored.includes(fp) ? undefined : index?.entries[fp];
      // Entries written before the index kept a certificate's uses are read again from the folder, once.
      if (known && typeof known.sha256Fingerprint === 'string' && Array.isArray(known.uses)) {
        entries[fp] = known;
        continue;
      }
      dirty = true;
      const rebuilt = await this.readFolder(fp);
      if (rebuilt) entries[fp] = rebuilt;
    }
    if (index && Object.keys(index.entries).some((fp) => !folders.has(fp))) dirty = true;
    const result: IndexFile = { version: 1, entries };
    // The index is a cache of the folders: a read (`certs`) on a full or read-only disk still answers, and the
    // next run that can write saves the rebuilt index.
    if (dirty) await this.saveIndex(result).catch((err: unknown) => this.opts.onProblem?.((err as Error).message));
    return result;
  }

  /**
   * Rebuild one index entry from the folder. The certificate is the truth: a damaged meta.json (label, origin) is
   * rebuilt from cert.pem and the damaged file kept beside it; only an unreadable cert.pem sets the folder aside.
   * Either way the user is told (problems()), never silently left without the certificate.
   */
  private async readFolder(fp: string): Promise<IndexEntry | undefined> {
    const p = this.paths(fp);
    let facts;
    try {
      facts = certFacts(parseCertificate(await fs.readFile(p.cert, 'utf8')));
      if (facts.sha256Fingerprint !== fp) throw new Error(`cert.pem has fingerprint ${facts.sha256Fingerprint}`);
    } catch (err) {
      // A fingerprint-named folder is only ever created complete, so this is damage from outside. Move it
      // aside (never delete what may be the user's only copy of a key) and carry on with the rest.
      const aside = path.join(this.dir, `.damaged-${fp}-${Date.now()}`);
      await fs.rename(p.dir, aside).catch(() => undefined);
      this.problem(`certificate ${fp} cannot be read (${(err as Error).message}); its files were moved to ${aside}`);
      return undefined;
    }
    const hasKey = await pathExists(p.key);
    const inTpm = !hasKey && (await pathExists(p.tpmKey));
    let meta: Meta;
    try {
      meta = JSON.parse(await fs.readFile(p.meta, 'utf8')) as Meta;
      if (!meta || typeof meta.label !== 'string') throw new Error('no label');
    } catch (err) {
      meta = { label: commonName(facts.subject) ?? facts.subject, addedAt: new Date().toISOString() };
      const kept = `${p.meta}.damaged-${Date.now()}`;
      await fs.rename(p.meta, kept).catch(() => undefined);
      await writeJsonAtomic(p.meta, meta).catch(() => undefined);
      this.problem(
        `meta.json of certificate ${fp} was damaged (${(err as Error).message}); rebuilt from cert.pem, the damaged file is kept as ${kept}`,
      );
    }
    const keyLocation = hasKey ? ('file' as const) : inTpm ? ('tpm' as const) : undefined;
    return { ...facts, hasPrivateKey: hasKey || inTpm, ...(keyLocation ? { keyLocation } : {}), ...pick(meta) };
  }

  private problem(message: string): void {
    this.found.push(message);
    this.opts.onProblem?.(message);
  }

  private async saveIndex(index: IndexFile): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.indexFile, JSON.stringify(index));
    } catch (err) {
      throw storeFsError(this.id, this.dir, err, `cannot write ${this.indexFile}`);
    }
  }

  /** Inter-process lock `<dir>/.lock` (app/system/home-lock.ts): the app, daemon and CLI share this folder. */
  private acrossProcesses<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(path.join(this.dir, '.lock'), `the certificate folder ${this.dir}`, fn);
  }

  /** Serialise operations of this process so index.json updates never interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const pick = (m: Meta) => ({ label: m.label, origin: m.origin, historical: m.historical });

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
