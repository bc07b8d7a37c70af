/**
 * What an NSS database holds, with nicknames and key flags: the basis of the NSS store's list/find/add/remove.
 * Read with one sqlite3 query (nss-sqlite.ts) when the tool is there; when it is missing or cannot read the files
 * (damaged, locked), `certutil -L` is parsed and each nickname exported with `certutil -L -n NICK -a` (slower,
 * same result), and certutil's error is what the user sees.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CommandRunner } from '../system/command-runner';
import { pathExists } from '../system/path-exists';
import { certFacts, parseCertificate, splitPemCertificates, type CertFacts } from './cert-summary';
import { NO_NICKNAME, parseCertutilKeys, withTempDir, type NssTools } from './nss-certutil';
import { readNssDb, Sqlite3MissingError, type NssDbContents } from './nss-sqlite';
import { StoreError } from './store';

export interface NssEntry extends CertFacts {
  nickname: string;
  der: Buffer;
  keyId?: string;
  hasPrivateKey: boolean;
}

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

export interface NssCatalogOptions {
  storeId: string;
  dbDir: string;
  /** The store creates the database on first change, so a missing one lists as empty instead of failing. */
  create?: boolean;
  runner: CommandRunner;
  tools: NssTools;
  /** Use the sqlite3 tool (default true; falls back when missing). */
  useSqlite?: boolean;
  sqlite3?: string;
  password: () => Promise<string>;
}

/** Lists one database; remembers when sqlite3 is not installed so later listings go straight to certutil. */
export class NssCatalog {
  private sqliteMissing = false;
  /** How the last listing got the certificate bodies (for tests and the benchmark). */
  lastListPath: 'sqlite' | 'certutil' | undefined;

  constructor(private readonly o: NssCatalogOptions) {}

  /** All certificates in the database with their nicknames. */
  async entries(): Promise<NssEntry[]> {
    const { dbDir, tools } = this.o;
    if (!(await pathExists(path.join(dbDir, 'cert9.db')))) {
      if (this.o.create) return [];
      throw new StoreError(
        this.o.storeId,
        `there is no NSS database in ${dbDir}`,
        'start the application once with this profile, then try again',
      );
    }
    const bodies = this.o.useSqlite !== false && !this.sqliteMissing ? await this.sqliteBodies() : undefined;
    if (bodies) {
      const certs = bodies.certs.map((c) => ({ ...c, nickname: c.nickname ?? NO_NICKNAME }));
      // certutil shows a label holding ":" with the token name in front ("NSS Certificate DB:a:b") and -n needs
      // that form; only then is certutil -L needed to learn the exact names.
      if (certs.some((c) => c.nickname.includes(':'))) {
        const listed = new Set(await tools.listedNicknames());
        for (const c of certs) {
          if (!listed.has(c.nickname) && c.nickname.includes(':'))
            c.nickname = [...listed].find((nn) => nn.endsWith(`:${c.nickname}`)) ?? c.nickname;
        }
      }
      this.lastListPath = 'sqlite';
      return certs.map((c) => ({
        ...factsOf(c.der),
        nickname: c.nickname,
        der: c.der,
        keyId: c.keyId,
        hasPrivateKey: !!c.keyId && bodies.keyIds.has(c.keyId),
      }));
    }
    // No sqlite3, or it could not read the files (damaged, locked, another format): certutil decides, and its
    // error is the one the user sees.
    const nicknames = new Set(await tools.listedNicknames());
    this.lastListPath = 'certutil';
    return this.entriesViaCertutil([...nicknames]);
  }

  private async sqliteBodies(): Promise<NssDbContents | undefined> {
    try {
      return await readNssDb({ runner: this.o.runner, dbDir: this.o.dbDir, keys: true, sqlite3: this.o.sqlite3 });
    } catch (err) {
      if (err instanceof Sqlite3MissingError) this.sqliteMissing = true; // not installed: certutil from now on
      return undefined;
    }
  }

  private async entriesViaCertutil(nicknames: string[]): Promise<NssEntry[]> {
    const { tools } = this.o;
    const out: NssEntry[] = [];
    let keyNicks = new Set<string>();
    await withTempDir(await this.o.password(), async (tmp) => {
      const keys = await tools.certutil(['-K', '-d', tools.db, '-f', tmp.tokenPwFile], undefined, [0, 255]);
      keyNicks = new Set(parseCertutilKeys(keys.stdout).map((k) => k.nickname));
    });
    // Certificates without a nickname cannot be exported by name; they are only visible on the sqlite3 path.
    const queue = nicknames.filter((nn) => nn !== NO_NICKNAME);
    const worker = async () => {
      for (let nick = queue.shift(); nick !== undefined; nick = queue.shift()) {
        const r = await tools.certutil(['-L', '-d', tools.db, '-n', nick, '-a'], undefined, [0, 255]);
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
}
