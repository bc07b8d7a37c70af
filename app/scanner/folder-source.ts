import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { closeSync, fstatSync, openSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePkcs12 } from '../crypto/p12-read';
import {
  pemCertificatesToDer,
  pemPrivateKeys,
  type FoundCert,
  type ScanSource,
  type SkippedItem,
  type SourcePlace,
  type SourceResult,
  type StoreType,
} from './found';

export interface FolderSourceOptions {
  folders: string[];
  storeType?: StoreType;
  /** Files larger than this are skipped (a certificate file is a few KB; a big file is something else). */
  maxFileBytes?: number;
  /** Stop descending below this depth (a runaway tree is cut, not followed forever). */
  maxDepth?: number;
  /** Passwords to try on .p12/.pfx files besides the empty one. */
  p12Passwords?: string[];
  /** Files read between two yields to the event loop. */
  slice?: number;
}

const CERT_EXT = new Set(['.pem', '.crt', '.cer', '.der', '.cert']);
const P12_EXT = new Set(['.p12', '.pfx']);
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/**
 * PEM/DER/PKCS#12 files under configured folders. Symlinks are followed, but every folder is visited once by its
 * real path, so a link loop ends; unreadable folders and files, oversized and broken files are reported as
 * skipped with the reason and the walk goes on.
 */
export class FolderSource implements ScanSource {
  readonly id = 'folder';
  readonly storeType: StoreType;
  readonly description: string;
  readonly place: SourcePlace;

  constructor(private readonly opts: FolderSourceOptions) {
    this.storeType = opts.storeType ?? 'personal';
    this.description = `files in ${opts.folders.join(', ') || '(no folders configured)'}`;
    this.place = { kind: 'folders', where: opts.folders.join(', ') };
  }

  async scan({ wantKeys }: { wantKeys: boolean }): Promise<SourceResult> {
    const files: string[] = [];
    const skipped: SkippedItem[] = [];
    const seenDirs = new Set<string>();
    const maxDepth = this.opts.maxDepth ?? 32;
    const skip = (location: string, reason: string): void => {
      skipped.push({ sourceId: this.id, location, reason });
    };

    const walk = async (dir: string, depth: number): Promise<void> => {
      let real: string;
      try {
        real = await fs.realpath(dir);
      } catch (err) {
        return skip(dir, `cannot open folder: ${errText(err)}`);
      }
      if (seenDirs.has(real)) return; // a symlink loop or a second link to the same folder
      seenDirs.add(real);
      if (depth > maxDepth) return skip(dir, `deeper than ${maxDepth} folders; not scanned`);
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (err) {
        return skip(dir, `cannot read folder: ${errText(err)}`);
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        if (e.isSymbolicLink()) {
          try {
            const st = await fs.stat(full);
            isDir = st.isDirectory();
            isFile = st.isFile();
          } catch (err) {
            skip(full, `broken symbolic link: ${errText(err)}`);
            continue;
          }
        }
        if (isDir) await walk(full, depth + 1);
        else if (isFile && isCandidate(e.name)) files.push(full);
      }
    };
    for (const f of this.opts.folders) await walk(path.resolve(f), 0);

    const certs: FoundCert[] = [];
    const maxBytes = this.opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    // Files are read synchronously in slices: for thousands of small files that is several times faster than
    // the thread pool, and yielding between slices keeps the process responsive.
    const slice = this.opts.slice ?? 256;
    for (let i = 0; i < files.length; i++) {
      if (i % slice === slice - 1) await new Promise((r) => setImmediate(r));
      const file = files[i]!;
      let fd: number | undefined;
      try {
        fd = openSync(file, 'r');
        const size = fstatSync(fd).size;
        if (size > maxBytes) {
          skip(file, `larger than ${maxBytes} bytes (${size}); not a certificate file`);
          continue;
        }
        const found = this.parseFile(file, readFileSync(fd), wantKeys);
        if (typeof found === 'string') skip(file, found);
        else for (const c of found) certs.push(c);
      } catch (err) {
        skip(file, `cannot read: ${errText(err)}`);
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
    return { certs, skipped };
  }

  /** Certificates in one file, or the reason there are none. */
  private parseFile(file: string, data: Buffer, wantKeys: boolean): FoundCert[] | string {
    const ext = path.extname(file).toLowerCase();
    const base = { sourceId: this.id, storeType: this.storeType, location: file };
    if (P12_EXT.has(ext)) {
      for (const pw of ['', ...(this.opts.p12Passwords ?? [])]) {
        try {
          const p12 = parsePkcs12(data, pw);
          const leaf = pemCertificatesToDer(p12.certPem)[0]!;
          return [
            { ...base, der: leaf, keyPem: wantKeys ? p12.keyPem : undefined },
            ...p12.chainPem.flatMap((c) => pemCertificatesToDer(c)).map((der) => ({ ...base, der })),
          ];
        } catch (err) {
          if (!/password/i.test((err as Error).message)) return `not a readable PKCS#12 file: ${(err as Error).message}`;
        }
      }
      return 'PKCS#12 file protected by a password the scanner does not know (add it to the scanner settings)';
    }
    // PEM when it says so, DER otherwise (whatever the extension: .crt and .cer are both in use for both).
    const head = data.subarray(0, Math.min(data.length, 4096)).toString('latin1');
    if (head.includes('-----BEGIN') || data.includes('-----BEGIN')) {
      const text = data.toString('latin1');
      const ders = pemCertificatesToDer(text);
      if (!ders.length) return 'PEM file without a CERTIFICATE block';
      const keys = wantKeys ? keysBySpki(pemPrivateKeys(text)) : undefined;
      return ders.map((der) => ({ ...base, der, keyPem: keys?.size ? keyFor(der, keys) : undefined }));
    }
    if (data[0] !== 0x30) return 'neither PEM nor DER (does not start with a SEQUENCE)';
    return [{ ...base, der: data }];
  }
}

function isCandidate(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return CERT_EXT.has(ext) || P12_EXT.has(ext);
}

function keysBySpki(pems: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const pem of pems) {
    try {
      const key = createPrivateKey(pem);
      out.set(
        createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'),
        key.export({ type: 'pkcs8', format: 'pem' }) as string,
      );
    } catch {
      // an unreadable key matches no certificate; the certificate is still reported
    }
  }
  return out;
}

function keyFor(der: Buffer, keys: Map<string, string>): string | undefined {
  try {
    return keys.get(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  } catch {
    return undefined;
  }
}

export function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}${e.message ? ` (${e.message.replace(/^\w+: /, '')})` : ''}` : String((err as Error)?.message ?? err);
}
