/**
 * The TPM's PKCS#11 token (tpm2-pkcs11, Debian libtpm2-pkcs11-1 + libtpm2-pkcs11-tools): puts a TPM-bound
 * certificate and its TPM key on a token so NSS programs (Firefox, Chromium) and any PKCS#11 consumer can use the key,
 * which still never leaves the TPM (the token holds the key's TPM-wrapped blobs and loads them into the TPM to sign).
 *
 * One token ("KeyTalk") in a tpm2-pkcs11 store folder; its primary is the same transient owner primary TpmKeys makes
 * its keys under (`--transient-parent tpm2-tools-default` = `tpm2_createprimary -C o -g sha256 -G rsa`), so the
 * agent's keys can be linked as they are. The store folder defaults to ~/.tpm2_pkcs11: where the module looks when a
 * browser loads it without TPM2_PKCS11_STORE in its environment. Objects are labelled with the certificate's SHA-256
 * fingerprint, so listing, replacing and removing need no PIN and no TPM.
 *
 * The user PIN is empty, so NSS programs use the key without asking the user for a "KeyTalk" password nobody told
 * them (tpm2-pkcs11 then clears CKF_LOGIN_REQUIRED): the key has an empty authorization like every key TpmKeys makes,
 * so a user PIN the user cannot know would protect nothing (see the README, "PINs"). The SO PIN (token admin) is
 * generated once and kept in the agent's secret store (Electron safeStorage on the desktop, the 0600 file store of
 * the headless agent); tpm2_ptool takes PINs only as arguments, so the SO PIN shows in the process list while
 * `addtoken` runs, and an older token's generated user PIN while `changepin` empties it (once per such token).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NssTpmToken } from '../stores/nss-tpm-token';
import type { CommandRunner } from '../system/command-runner';
import type { SecretStore } from '../system/secret-store';
import type { TpmKeyRef } from './tpm-keys';
import { TpmError, tpmTool } from './tpm-tool';

/** Where Debian and Ubuntu install the module (libtpm2-pkcs11-1). */
export const DEFAULT_TPM2_PKCS11_MODULE = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/pkcs11/libtpm2_pkcs11.so`;
/** The token's label: what NSS shows as the token name ("KeyTalk:<fingerprint>" nicknames). */
export const TOKEN_LABEL = 'KeyTalk';
const TEMPLATE = 'tpm2-tools-default';
const DB_FILE = 'tpm2_pkcs11.sqlite3';

export interface Tpm2Pkcs11Options {
  runner: CommandRunner;
  /** The tpm2-pkcs11 store folder (TPM2_PKCS11_STORE). */
  storeDir: string;
  /** Where the PINs are kept. */
  secrets: SecretStore;
  /** The module NSS loads (default: Debian's path); a missing file means "no PKCS#11 module here". */
  modulePath?: string;
  /** The TPM's TCTI (TPM2TOOLS_TCTI, TPM2_PKCS11_TCTI) and anything else tpm2_ptool needs; default: the agent's. */
  env?: Record<string, string>;
}

/** What the secret store keeps (JSON): the SO PIN; `user` only in tokens made before the user PIN was empty. */
interface SavedPins {
  so: string;
  user?: string;
}

interface TokenObject {
  id: string;
  /** CKA_CLASS as a number: CKO_CERTIFICATE "1", CKO_PRIVATE_KEY "3". */
  cls: string;
  label: string;
}

const CKO_CERTIFICATE = '1';
const CKO_PRIVATE_KEY = '3';
/** tpm2_ptool's mark of a token whose user PIN is empty (its YAML config, canonical or plain). */
const EMPTY_USER_PIN = /empty-user-pin"?\s*:\s*(?:!!bool\s*)?"?true/;

interface StoreState {
  pid?: string;
  token: boolean;
  /** The token was made with (or changed to) an empty user PIN: no login needed. */
  emptyUserPin: boolean;
  objects: TokenObject[];
}

interface StoreRow {
  pid: number;
  pconfig: string;
  token: string | null;
  tconfig: string | null;
  oid: number | null;
  attrs: string | null;
}

export class Tpm2Pkcs11Token implements NssTpmToken {
  readonly label = TOKEN_LABEL;
  readonly modulePath: string;
  private cache?: { mtimeMs: number; linked: Promise<Set<string>> };
  private missing?: Promise<string | undefined>;
  /** One change at a time (the NSS stores share this token): two first uses would each make a primary and a token. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: Tpm2Pkcs11Options) {
    this.modulePath = o.modulePath ?? DEFAULT_TPM2_PKCS11_MODULE;
  }

  /** The environment every tpm2_ptool call and every NSS tool that loads the module needs. */
  get env(): Record<string, string> {
    const env: Record<string, string> = { ...this.o.env, TPM2_PKCS11_STORE: this.o.storeDir };
    const tcti = env.TPM2_PKCS11_TCTI ?? env.TPM2TOOLS_TCTI;
    return tcti ? { ...env, TPM2_PKCS11_TCTI: tcti } : env;
  }

  /** Why no token can be used here (module or tool missing), or undefined; asked once per instance. */
  unavailable(): Promise<string | undefined> {
    this.missing ??= this.findMissing();
    return this.missing;
  }

  private async findMissing(): Promise<string | undefined> {
    if (!existsSync(this.modulePath))
      return `the TPM PKCS#11 module ${this.modulePath} is not installed (apt install libtpm2-pkcs11-1 libtpm2-pkcs11-tools)`;
    // On PATH, looked up without running them: tpm2_ptool is Python and takes most of a second to start.
    const dirs = (this.env.PATH ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    const onPath = (tool: string) => dirs.some((d) => existsSync(path.join(d, tool)));
    if (!onPath('tpm2_ptool')) return 'tpm2_ptool is not installed (apt install libtpm2-pkcs11-tools)';
    if (!onPath('sqlite3')) return 'sqlite3 is not installed (apt install sqlite3)';
    return undefined;
  }

  /** Puts the key and the certificate on the token under the fingerprint (replacing what was there under it). */
  add(fingerprint: string, key: TpmKeyRef, certPem: string): Promise<void> {
    return this.exclusive(() => this.addNow(fingerprint, key, certPem));
  }

  /** Deletes the key and certificate objects of the fingerprint from the token; absent = nothing to do. */
  remove(fingerprint: string): Promise<void> {
    return this.exclusive(() => this.removeNow(fingerprint));
  }

  private async addNow(fingerprint: string, key: TpmKeyRef, certPem: string): Promise<void> {
    if (!key.wrapped)
      throw new TpmError(`the TPM key ${key.handle} was made without its wrapped blobs and cannot be put on a PKCS#11 token`);
    await this.ensureToken();
    await this.removeNow(fingerprint);
    const dir = await mkdtemp(path.join(tmpdir(), 'kt-p11-'));
    try {
      const file = (name: string, data: string | Buffer) => writeFile(path.join(dir, name), data, { mode: 0o600 });
      await file('key.pub', Buffer.from(key.wrapped.public, 'base64'));
      await file('key.priv', Buffer.from(key.wrapped.private, 'base64'));
      await file('cert.pem', certPem);
      const common = ['--label', this.label, '--key-label', fingerprint, '--path', this.o.storeDir];
      await this.ptool(['link', ...common, '--userpin=', 'key.pub', 'key.priv'], dir);
      await this.ptool(['addcert', ...common, 'cert.pem'], dir);
    } finally {
      this.cache = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * The fingerprint's objects leave the token in one sqlite3 statement: what `tpm2_ptool objdel` does
   * (`DELETE FROM tobjects WHERE id=?`, nothing refers to a tobjects row), without a second of Python per object.
   */
  private async removeNow(fingerprint: string): Promise<void> {
    const ids = (await this.read()).objects.filter((o) => o.label === fingerprint).map((o) => Number(o.id));
    if (ids.length === 0) return;
    const db = path.join(this.o.storeDir, DB_FILE);
    const sql = `delete from tobjects where id in (${ids.join(',')})`;
    const r = await this.o.runner.run({ command: 'sqlite3', args: ['-cmd', '.timeout 5000', db, sql] });
    this.cache = undefined;
    if (r.code !== 0) throw new TpmError(`sqlite3 cannot remove ${fingerprint}'s objects from ${db}: ${r.stderr.trim()}`);
  }

  /** Fingerprints whose certificate and private key are both on the token (cached until the store changes). */
  async linked(): Promise<Set<string>> {
    const st = await fs.stat(path.join(this.o.storeDir, DB_FILE)).catch(() => undefined);
    if (!st) return new Set();
    if (this.cache?.mtimeMs !== st.mtimeMs) {
      const linked = this.read().then(({ objects }) => {
        const labels = (cls: string) => new Set(objects.filter((o) => o.cls === cls).map((o) => o.label));
        const keys = labels(CKO_PRIVATE_KEY);
        return new Set([...labels(CKO_CERTIFICATE)].filter((l) => keys.has(l)));
      });
      linked.catch(() => (this.cache = undefined));
      this.cache = { mtimeMs: st.mtimeMs, linked };
    }
    return this.cache.linked;
  }

  /**
   * The store's transient tpm2-tools-default primary (the one TpmKeys's keys are under), whether it has the token,
   * and the token's objects: one read-only sqlite3 query of the store (tpm2_ptool's list commands take a second
   * each, and listings ask often). Objects' attributes are tpm2-pkcs11's YAML map of CKA_* numbers to values.
   */
  private async read(): Promise<StoreState> {
    const db = path.join(this.o.storeDir, DB_FILE);
    if (!existsSync(db)) return { token: false, emptyUserPin: false, objects: [] };
    const query =
      'select p.id as pid, p.config as pconfig, t.label as token, t.config as tconfig, o.id as oid, o.attrs as attrs from pobjects p ' +
      `left join tokens t on t.pid = p.id and t.label = '${this.label}' left join tobjects o on o.tokid = t.id`;
    const r = await this.o.runner.run({ command: 'sqlite3', args: ['-readonly', '-json', '-cmd', '.timeout 2000', db, query] });
    if (r.code !== 0) throw new TpmError(`sqlite3 cannot read ${db}: ${r.stderr.trim()}`);
    const rows = (r.stdout.trim() ? JSON.parse(r.stdout) : []) as StoreRow[];
    const ours = rows.filter((row) => row.pconfig.includes(`"${TEMPLATE}"`));
    const onToken = ours.filter((row) => row.token === this.label);
    return {
      pid: ours[0] ? String(ours[0].pid) : undefined,
      token: onToken.length > 0,
      emptyUserPin: onToken.some((row) => EMPTY_USER_PIN.test(row.tconfig ?? '')),
      objects: onToken.flatMap((row) => (row.oid !== null && row.attrs ? [objectOf(String(row.oid), row.attrs)] : [])),
    };
  }

  /**
   * The store, the primary and the token (empty user PIN), made on first use; the SO PIN generated and saved before
   * use. A token made with a generated user PIN (agents before the PIN was empty) gets an empty one with the PIN the
   * secret store kept, so NSS stops asking for it; the secret then keeps the SO PIN only.
   */
  private async ensureToken(): Promise<void> {
    const secretName = tokenPinsSecretName(this.o.storeDir);
    const saved = await this.o.secrets.get(secretName);
    const pins = saved ? (JSON.parse(saved) as SavedPins) : undefined;
    const state = await this.read();
    let pid = state.pid;
    if (pid && state.token) {
      if (!state.emptyUserPin && pins?.user) {
        const args = ['changepin', '--label', this.label, `--old=${pins.user}`, '--new=', '--path', this.o.storeDir];
        // A failure (the TPM unreachable, a PIN the token does not take) fails this add, which is logged; the token
        // and its objects are kept rather than made again on a guess.
        await this.ptool(args);
        state.emptyUserPin = true;
      }
      if (state.emptyUserPin) {
        if (pins?.user !== undefined) await this.o.secrets.set(secretName, JSON.stringify({ so: pins.so }));
        // A lost SO PIN (secret store reset) leaves the token usable; only its administration would need a new one.
        return;
      }
    }
    const so = pins?.so ?? randomBytes(18).toString('base64url');
    if (!pins || pins.user !== undefined) await this.o.secrets.set(secretName, JSON.stringify({ so }));
    if (pid === undefined) {
      await fs.mkdir(this.o.storeDir, { recursive: true, mode: 0o700 });
      const out = await this.ptool(['init', '--transient-parent', TEMPLATE, '--path', this.o.storeDir]);
      pid = /^id: (\d+)/m.exec(out)?.[1];
      if (!pid) throw new TpmError(`tpm2_ptool init did not name the primary it made: ${out.trim()}`);
    }
    // A token whose user PIN is unknown (secret store reset) cannot be used: it held only the agent's objects, so it
    // is made again and the certificates are linked anew as they are added.
    if (state.token) await this.ptool(['rmtoken', '--label', this.label, '--path', this.o.storeDir]);
    const pinArgs = [`--sopin=${so}`, '--userpin='];
    await this.ptool(['addtoken', '--pid', pid, '--label', this.label, ...pinArgs, '--path', this.o.storeDir]);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private ptool(args: string[], cwd?: string): Promise<string> {
    return tpmTool(this.o.runner, this.env, 'tpm2_ptool', args, cwd);
  }
}

/**
 * The secret-store name of a tpm2-pkcs11 store's PINs (JSON `{ so }`; `{ user, so }` before the user PIN was empty): a digest of the folder, since the headless
 * secret store keeps one file per name (like registry.ts's nssPasswordKey).
 */
export function tokenPinsSecretName(storeDir: string): string {
  return `tpm2-pkcs11-pins-${createHash('sha256').update(storeDir).digest('hex').slice(0, 24)}`;
}

/** One object from its tpm2-pkcs11 attribute map: CKA_CLASS (0) and CKA_LABEL (3, hex). */
export function objectOf(id: string, attrs: string): TokenObject {
  const cls = /\? !!int "0"\s*: !!int "(\d+)"/.exec(attrs)?.[1] ?? '';
  const hex = /\? !!int "3"\s*: !!str "([0-9a-fA-F]*)"/.exec(attrs)?.[1] ?? '';
  return { id, cls, label: Buffer.from(hex, 'hex').toString('utf8') };
}
