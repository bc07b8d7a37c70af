/**
 * An NSS certificate database (sql: format) — the user's shared ~/.pki/nssdb that Chromium, Evolution and many
 * tools read, or one Firefox/Thunderbird profile — driven through NSS's own certutil and pk12util.
 *
 * - Nicknames: "KeyTalk <provider> <service> <CN>" (or the bundle label), unique in the database. NSS forces
 *   certificates with the same subject to share a nickname on import, so after importing a renewed certificate
 *   it is renamed (`certutil --rename`) to its own nickname; that keeps "remove the old one" unambiguous.
 * - Trust: the end-entity gets none (pk12util marks it u,u,u because it has a key), chain certificates ",,",
 *   and a root "CT,C,C" only when AddOptions.trustRoot asks (the RCCD says the CA should be trusted).
 * - Safety: before any change cert9.db/key4.db/pkcs11.txt are copied aside and put back if anything fails,
 *   so a failed import or a locked/corrupt database never loses what was there.
 * - Listing: when the sqlite3 tool is installed, one read-only query over cert9.db/key4.db (NSS's own SQLite
 *   files: labels, certificate bodies, key ids) — about 10× faster than `certutil -L` on a big database. When
 *   sqlite3 is missing or cannot read the files (damaged, locked), `certutil -L` is parsed and each nickname
 *   exported with `certutil -L -n NICK -a` (slower, same result), and certutil's error is what the user sees.
 * - Passwords (database token password, throw-away PKCS#12 password) go to 0600 files in a private temp
 *   folder that is deleted afterwards, never on the command line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandRunner, CommandResult } from '../system/command-runner';
import { pathExists } from '../system/path-exists';
import {
  certFacts,
  commonName,
  matchesQuery,
  normalizeFingerprint,
  parseCertificate,
  splitPemCertificates,
  type CertFacts,
} from './cert-summary';
import {
  StoreError,
  type AddOptions,
  type CertificateBundle,
  type CertificateQuery,
  type CertificateStore,
  type StoreDescription,
  type StoredCertificate,
} from './store';

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
}

interface NssEntry extends CertFacts {
  nickname: string;
  der: Buffer;
  keyId?: string;
  hasPrivateKey: boolean;
}

/** Parse `certutil -L` output: nickname and trust flags per line; nicknames may hold spaces and any Unicode. */
export function parseCertutilList(stdout: string): { nickname: string; trust: string }[] {
  const out: { nickname: string; trust: string }[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    // The trust column is the last field: three comma-separated flag groups ("u,u,u", ",,", "CT,C,C").
    const m = /^(.*?\S)\s+([a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*)\s*$/.exec(line);
    if (!m) continue;
    if (/^Certificate Nickname\b/.test(m[1]!) || /^SSL,S\/MIME,JAR\/XPI$/.test(m[2]!)) continue;
    out.push({ nickname: m[1]!, trust: m[2]! });
  }
  return out;
}

/** Parse `certutil -K` output lines like "< 0> rsa      0123abcd...   Nickname". */
export function parseCertutilKeys(stdout: string): { keyId: string; nickname: string }[] {
  const out: { keyId: string; nickname: string }[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^<\s*\d+>\s+\S+\s+([0-9a-fA-F]+)\s+(.*?)\s*$/.exec(line);
    if (m) out.push({ keyId: m[1]!.toUpperCase(), nickname: m[2]! });
  }
  return out;
}

const NSS_NULL = 'A5005A';
const NO_NICKNAME = '(NULL)';

// Parsing a certificate costs ~140 µs; listing a big database repeatedly should not pay that every time.
// Keyed by the DER's SHA-256, so an entry can never be stale.
const factsCache = new Map<string, CertFacts>();

/** Forget parsed certificates (the benchmark measures a cold first listing with it). */
export function clearNssFactsCache(): void {
  factsCache.clear();
}

function factsOf(der: Buffer): CertFacts {
  // Hashing the DER (~10 µs) is far cheaper than parsing it (~150-500 µs), and the hash is the fingerprint.
  const fp = createHash('sha256').update(der).digest('hex').toUpperCase();
  let f = factsCache.get(fp);
  if (!f) {
    f = certFacts(parseCertificate(der));
    if (factsCache.size > 50_000) factsCache.clear();
    factsCache.set(fp, f);
  }
  return f;
}

export class NssStore implements CertificateStore {
  readonly id: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly certutil: string;
  private readonly pk12util: string;
  private readonly sqlite3: string;
  private sqliteMissing = false;
  /** How the last listing got the certificate bodies (for tests and the benchmark). */
  lastListPath: 'sqlite' | 'certutil' | undefined;

  constructor(private readonly opts: NssStoreOptions) {
    this.id = opts.id;
    this.certutil = opts.certutil ?? 'certutil';
    this.pk12util = opts.pk12util ?? 'pk12util';
    this.sqlite3 = opts.sqlite3 ?? 'sqlite3';
  }

  get db(): string {
    return `sql:${this.opts.dbDir}`;
  }

  async describe(): Promise<StoreDescription> {
    const base = { id: this.id, name: this.opts.name, location: this.opts.dbDir, usedBy: this.opts.usedBy };
    const dbExists = await pathExists(path.join(this.opts.dbDir, 'cert9.db'));
    if (!dbExists && !this.opts.create) {
      const old = await pathExists(path.join(this.opts.dbDir, 'cert8.db'));
      return {
        ...base,
        available: false,
        unavailableReason: old
          ? 'this profile still uses the old cert8.db format; start a current Firefox/Thunderbird with it once to upgrade it'
          : 'no certificate database yet; start the application once with this profile',
      };
    }
    try {
      await this.run(this.certutil, ['--version'], undefined, [0, 1]);
    } catch (err) {
      return { ...base, available: false, unavailableReason: (err as Error).message };
    }
    return { ...base, available: true };
  }

  list(): Promise<StoredCertificate[]> {
    return this.exclusive(async () => (await this.entries()).map((e) => this.toStored(e)));
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
        if (options.trustRoot) await this.withBackup((tmp) => this.trustRoots(bundle, tmp));
        return this.toStored(existing);
      }
      const nickname = uniqueNickname(this.desiredNickname(bundle, facts), before);
      let result: NssEntry | undefined;
      await this.withBackup(async (tmp) => {
        if (bundle.keyPem) {
          // node-forge (PKCS#12) loads only when a key is imported, not whenever the store is listed.
          const { buildPkcs12 } = await import('../crypto/p12-write');
          const p12Password = randomBytes(18).toString('base64url');
          const p12 = path.join(tmp.dir, 'import.p12');
          await fs.writeFile(
            p12,
            buildPkcs12({
              certPem: bundle.certPem,
              keyPem: bundle.keyPem,
              chainPem: bundle.chainPem,
              password: p12Password,
              friendlyName: nickname,
            }),
            { mode: 0o600 },
          );
          const p12PwFile = await tmp.secretFile('p12.pw', p12Password);
          await this.run(this.pk12util, ['-i', p12, '-d', this.db, '-w', p12PwFile, '-k', tmp.tokenPwFile]);
        } else {
          await this.run(
            this.certutil,
            ['-A', '-d', this.db, '-n', nickname, '-t', ',,', '-a', '-f', tmp.tokenPwFile],
            bundle.certPem,
          );
          for (const ca of bundle.chainPem) await this.addCaIfMissing(ca, tmp.tokenPwFile);
        }
        let after = await this.entries();
        let ours = after.find((e) => e.sha256Fingerprint === facts.sha256Fingerprint);
        if (!ours)
          throw new StoreError(
            this.id,
            `${this.certutil}/pk12util reported success but ${facts.subject} is not in ${this.opts.dbDir}`,
          );
        if (ours.nickname !== nickname) {
          // NSS gave it the nickname of an existing certificate with the same subject; give it its own.
          await this.run(this.certutil, [
            '--rename',
            '-n',
            ours.nickname,
            '--new-n',
            nickname,
            '-d',
            this.db,
            '-f',
            tmp.tokenPwFile,
          ]);
          after = await this.entries();
          ours = after.find((e) => e.sha256Fingerprint === facts.sha256Fingerprint)!;
          if (ours.nickname !== nickname) {
            // The rename hit the other certificate (NSS renames the "best" one): undo, keep the shared name.
            await this.run(this.certutil, [
              '--rename',
              '-n',
              nickname,
              '--new-n',
              ours.nickname,
              '-d',
              this.db,
              '-f',
              tmp.tokenPwFile,
            ]);
          }
        }
        if (options.trustRoot) await this.trustRoots(bundle, tmp);
        result = ours;
      });
      return this.toStored(result!);
    });
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
          await this.run(this.certutil, ['--rename', '-n', current, '--new-n', park, '-d', this.db, '-f', tmp.tokenPwFile]);
          list = await this.entries();
          const moved = list.find((e) => e.nickname === park);
          if (moved?.sha256Fingerprint === fp) current = park;
          else parked.push(park);
          if (parked.length > 50)
            throw new StoreError(this.id, `cannot single out ${target.subject} among certificates named "${original}"`);
        }
        const keyShared = target.keyId !== undefined && list.some((e) => e.sha256Fingerprint !== fp && e.keyId === target.keyId);
        if (target.hasPrivateKey && !keyShared) {
          await this.run(this.certutil, ['-F', '-n', current, '-d', this.db, '-f', tmp.tokenPwFile]);
        } else {
          await this.run(this.certutil, ['-D', '-n', current, '-d', this.db, '-f', tmp.tokenPwFile]);
        }
        for (const park of parked) {
          await this.run(this.certutil, ['--rename', '-n', park, '--new-n', original, '-d', this.db, '-f', tmp.tokenPwFile]);
        }
        if ((await this.entries()).some((e) => e.sha256Fingerprint === fp)) {
          throw new StoreError(this.id, `certutil did not remove ${target.subject} from ${this.opts.dbDir}`);
        }
      });
    });
  }

  private desiredNickname(bundle: CertificateBundle, facts: CertFacts): string {
    const cn = commonName(facts.subject) ?? facts.serialNumber;
    const raw = bundle.origin
      ? `KeyTalk ${bundle.origin.provider} ${bundle.origin.service} ${cn}`
      : bundle.label || `KeyTalk ${cn}`;
    // ":" separates a token name from a nickname in NSS, so it cannot appear in one.
    return raw.replace(/:/g, '-').replace(/\s+/g, ' ').trim();
  }

  private async trustRoots(bundle: CertificateBundle, tmp: TempDir): Promise<void> {
    const entries = await this.entries();
    for (const pem of bundle.chainPem) {
      const cert = parseCertificate(pem);
      if (!cert.ca || cert.subject !== cert.issuer || !cert.checkIssued(cert)) continue;
      const fp = normalizeFingerprint(cert.fingerprint256);
      let e = entries.find((x) => x.sha256Fingerprint === fp);
      if (!e) {
        await this.addCaIfMissing(pem, tmp.tokenPwFile);
        e = (await this.entries()).find((x) => x.sha256Fingerprint === fp);
      }
      if (e) await this.run(this.certutil, ['-M', '-n', e.nickname, '-t', 'CT,C,C', '-d', this.db, '-f', tmp.tokenPwFile]);
    }
  }

  private async addCaIfMissing(pem: string, tokenPwFile: string): Promise<void> {
    const cert = parseCertificate(pem);
    const fp = normalizeFingerprint(cert.fingerprint256);
    const entries = await this.entries();
    if (entries.some((e) => e.sha256Fingerprint === fp)) return;
    const facts = certFacts(cert);
    const base = (commonName(facts.subject) ?? facts.subject).replace(/:/g, '-');
    const nick = uniqueNickname(base, entries);
    await this.run(this.certutil, ['-A', '-d', this.db, '-n', nick, '-t', ',,', '-a', '-f', tokenPwFile], pem);
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
      await withTempDir(password, (tmp) => this.run(this.certutil, ['-N', '-d', this.db, '-f', tmp.tokenPwFile]));
    } else {
      await this.run(this.certutil, ['-N', '-d', this.db, '--empty-password']);
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
  private async entries(): Promise<NssEntry[]> {
    if (!(await pathExists(path.join(this.opts.dbDir, 'cert9.db')))) {
      if (this.opts.create) return [];
      throw new StoreError(
        this.id,
        `there is no NSS database in ${this.opts.dbDir}`,
        'start the application once with this profile, then try again',
      );
    }
    const useSqlite = this.opts.useSqlite !== false && !this.sqliteMissing;
    const bodies = useSqlite ? await this.sqliteBodies().catch(() => undefined) : undefined;
    if (bodies) {
      // certutil shows a label holding ":" with the token name in front ("NSS Certificate DB:a:b") and -n needs
      // that form; only then is certutil -L needed to learn the exact names.
      if (bodies.certs.some((c) => c.nickname.includes(':'))) {
        const listed = new Set(
          parseCertutilList((await this.run(this.certutil, ['-L', '-d', this.db])).stdout).map((l) => l.nickname),
        );
        for (const c of bodies.certs) {
          if (!listed.has(c.nickname) && c.nickname.includes(':'))
            c.nickname = [...listed].find((nn) => nn.endsWith(`:${c.nickname}`)) ?? c.nickname;
        }
      }
      this.lastListPath = 'sqlite';
      return bodies.certs.map((c) => ({
        ...factsOf(c.der),
        nickname: c.nickname,
        der: c.der,
        keyId: c.keyId,
        hasPrivateKey: !!c.keyId && bodies.keyIds.has(c.keyId),
      }));
    }
    // No sqlite3, or it could not read the files (damaged, locked, another format): certutil decides, and its
    // error is the one the user sees.
    const nicknames = new Set(
      parseCertutilList((await this.run(this.certutil, ['-L', '-d', this.db])).stdout).map((l) => l.nickname),
    );
    this.lastListPath = 'certutil';
    return this.entriesViaCertutil([...nicknames]);
  }

  private async sqliteBodies(): Promise<{ certs: { nickname: string; der: Buffer; keyId?: string }[]; keyIds: Set<string> }> {
    const q = (f: string) => `'${f.replace(/'/g, "''")}'`;
    const sql =
      `ATTACH DATABASE ${q(path.join(this.opts.dbDir, 'key4.db'))} AS k; ` +
      `SELECT 'C', hex(a11), hex(a3), hex(a102) FROM nssPublic WHERE a0 = X'00000001' ` +
      `UNION ALL SELECT 'K', '', '', hex(a102) FROM k.nssPrivate WHERE a0 = X'00000003';`;
    let r: CommandResult;
    try {
      r = await this.opts.runner.run({
        command: this.sqlite3,
        args: [
          '-readonly',
          '-batch',
          '-noheader',
          '-separator',
          '|',
          '-cmd',
          '.timeout 1000',
          path.join(this.opts.dbDir, 'cert9.db'),
          sql,
        ],
      });
    } catch (err) {
      this.sqliteMissing = true; // not installed: use the certutil path from now on
      throw err;
    }
    if (r.code !== 0) throw new Error(r.stderr);
    const certs: { nickname: string; der: Buffer; keyId?: string }[] = [];
    const keyIds = new Set<string>();
    for (const line of r.stdout.split('\n')) {
      const [kind, derHex, labelHex, idHex] = line.split('|');
      if (kind === 'K' && idHex) keyIds.add(idHex);
      if (kind === 'C' && derHex) {
        // NSS stores an absent label as the marker A5 00 5A; certutil prints such certificates as "(NULL)".
        const nickname = !labelHex || labelHex === NSS_NULL ? NO_NICKNAME : Buffer.from(labelHex, 'hex').toString('utf8');
        certs.push({ nickname, der: Buffer.from(derHex, 'hex'), keyId: idHex && idHex !== NSS_NULL ? idHex : undefined });
      }
    }
    return { certs, keyIds };
  }

  private async entriesViaCertutil(nicknames: string[]): Promise<NssEntry[]> {
    const out: NssEntry[] = [];
    let keyNicks = new Set<string>();
    const password = await this.password();
    await withTempDir(password, async (tmp) => {
      const keys = await this.run(this.certutil, ['-K', '-d', this.db, '-f', tmp.tokenPwFile], undefined, [0, 255]);
      keyNicks = new Set(parseCertutilKeys(keys.stdout).map((k) => k.nickname));
    });
    // Certificates without a nickname cannot be exported by name; they are only visible on the sqlite3 path.
    const queue = nicknames.filter((nn) => nn !== NO_NICKNAME);
    const worker = async () => {
      for (let nick = queue.shift(); nick !== undefined; nick = queue.shift()) {
        const r = await this.run(this.certutil, ['-L', '-d', this.db, '-n', nick, '-a'], undefined, [0, 255]);
        if (r.code !== 0) continue; // vanished between the two calls, or an unaddressable name
        for (const pem of splitPemCertificates(r.stdout)) {
          const der = parseCertificate(pem).raw;
          out.push({ ...factsOf(der), nickname: nick, der, hasPrivateKey: keyNicks.has(nick) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, nicknames.length) }, worker));
    return out;
  }

  private toStored(e: NssEntry): StoredCertificate {
    const { nickname, der: _der, keyId: _keyId, ...facts } = e;
    return { ...facts, storeId: this.id, ref: nickname, label: nickname };
  }

  private async run(command: string, args: string[], input?: string, okCodes: number[] = [0]): Promise<CommandResult> {
    let r: CommandResult;
    try {
      r = await this.opts.runner.run({ command, args, input });
    } catch (err) {
      throw new StoreError(
        this.id,
        `${(err as Error).message}`,
        'install the NSS tools (Debian/Ubuntu: apt install libnss3-tools; Fedora: dnf install nss-tools)',
      );
    }
    if (!okCodes.includes(r.code)) throw this.toolError(command, args, r);
    return r;
  }

  private toolError(command: string, args: string[], r: CommandResult): StoreError {
    const text = `${r.stderr}\n${r.stdout}`.trim();
    const short = text.split('\n').filter(Boolean).slice(-2).join(' ');
    const what = `${path.basename(command)} ${args[0] ?? ''}`.trim();
    if (/SEC_ERROR_BAD_PASSWORD|Incorrect password|SEC_ERROR_RETRY_PASSWORD|failed to authenticate/i.test(text)) {
      return new StoreError(
        this.id,
        `the password of the NSS database ${this.opts.dbDir} was not accepted (${short})`,
        'enter the database password (Firefox: the Primary Password) in the store settings',
      );
    }
    if (
      /SEC_ERROR_BAD_DATABASE|SEC_ERROR_LEGACY_DATABASE|database is locked|SQLITE_BUSY|SEC_ERROR_PKCS11_GENERAL_ERROR|SEC_ERROR_LOCKED|SEC_ERROR_READ_ONLY/i.test(
        text,
      )
    ) {
      return new StoreError(
        this.id,
        `the NSS database ${this.opts.dbDir} cannot be opened: it is damaged or locked by another program (${short})`,
        'close Firefox/Thunderbird/Chromium and try again; if it keeps failing, restore the profile from a backup',
      );
    }
    return new StoreError(this.id, `${what} failed on ${this.opts.dbDir} (exit ${r.code}): ${short}`);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * A nickname no certificate uses yet: the desired one, or with " (2)", " (3)"... A renewed certificate (same
 * subject as the one it replaces) gets its own name too, so the old one can be removed by name afterwards.
 */
export function uniqueNickname(desired: string, existing: { nickname: string }[]): string {
  const taken = (n: string) => existing.some((e) => e.nickname === n);
  if (!taken(desired)) return desired;
  for (let i = 2; ; i++) {
    const candidate = `${desired} (${i})`;
    if (!taken(candidate)) return candidate;
  }
}

interface TempDir {
  dir: string;
  tokenPwFile: string;
  secretFile(name: string, content: string): Promise<string>;
}

async function withTempDir<T>(tokenPassword: string, fn: (t: TempDir) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keytalk-nss-'));
  try {
    await fs.chmod(dir, 0o700);
    const secretFile = async (name: string, content: string) => {
      const f = path.join(dir, name);
      await fs.writeFile(f, content, { mode: 0o600 });
      return f;
    };
    const tokenPwFile = await secretFile('token.pw', tokenPassword);
    return await fn({ dir, tokenPwFile, secretFile });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
