import { X509Certificate } from 'node:crypto';
import { derToPem, splitPemBlocks } from '../crypto/pem';

/**
 * Parse an Online CA "get trust roots" reply. Two formats exist:
 *  - documented: `TRUSTED_CERTS=<list>` first, then `FILEDATA_<name>=<base64>`; the list is comma-separated file names,
 *    base64-encoded like every other value (a plain list is accepted too, since the spec's wording allows both readings);
 *  - lines: `<name>=<base64>` per file, which is what deployed services send.
 * The names become file names on disk, so anything that could escape the folder or collide is refused outright.
 */

export type TrustRootsFormat = 'documented' | 'lines';

export interface TrustRootFile {
  name: string;
  content: Buffer;
}

export interface TrustRootCertificate {
  /** File it came from. */
  file: string;
  pem: string;
  /** Upper-case hex, no separators. */
  sha256Fingerprint: string;
  subject: string;
  isCa: boolean;
  selfSigned: boolean;
}

export interface ParsedTrustRoots {
  format: TrustRootsFormat;
  files: TrustRootFile[];
  /** Every certificate found in the files (PEM or DER), in file order. */
  certificates: TrustRootCertificate[];
}

export const TRUST_ROOTS_LIMITS = {
  /** Whole reply; a real trust root folder (even the full IGTF bundle) is well under this. */
  maxReplyBytes: 1024 * 1024,
  maxFileBytes: 256 * 1024,
  maxFiles: 512,
  maxNameLength: 128,
};

export class TrustRootsError extends Error {
  constructor(message: string) {
    super(`Trust roots reply rejected: ${message}`);
    this.name = 'TrustRootsError';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Why a file name is unacceptable, or undefined when it is fine. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'an empty file name';
  if (/[/\\]/.test(name)) return `file name "${name}" contains a path separator`;
  if (name === '.' || name === '..' || name.includes('..')) return `file name "${name}" contains ".."`;
  if (name.length > TRUST_ROOTS_LIMITS.maxNameLength)
    return `file name "${name.slice(0, 40)}…" is longer than ${TRUST_ROOTS_LIMITS.maxNameLength} characters`;
  if (!SAFE_NAME.test(name))
    return `file name ${JSON.stringify(name)} has characters other than letters, digits, ".", "_" and "-"`;
  return undefined;
}

function decodeBase64(value: string, what: string): Buffer {
  if (!BASE64.test(value)) throw new TrustRootsError(`the value of ${what} is not valid base64`);
  return Buffer.from(value, 'base64');
}

function splitLine(line: string, index: number): { key: string; value: string } {
  const eq = line.indexOf('=');
  if (eq <= 0) throw new TrustRootsError(`line ${index + 1} is not a key=value pair`);
  return { key: line.slice(0, eq), value: line.slice(eq + 1).trim() };
}

/** TRUSTED_CERTS value: base64 of "a,b" (spec: every value base64) or, leniently, the plain list. */
function trustedCertsList(value: string): string[] {
  let text = value;
  if (BASE64.test(value) && value.length > 0) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (/^[\x20-\x7e]+$/.test(decoded)) text = decoded;
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function certificatesIn(file: TrustRootFile): TrustRootCertificate[] {
  const text = file.content.toString('latin1');
  const pems = splitPemBlocks(text, 'CERTIFICATE');
  if (pems.length === 0 && file.content[0] === 0x30) {
    // A DER certificate file: only accept it if it really parses.
    try {
      pems.push(derToPem(new X509Certificate(file.content).raw, 'CERTIFICATE'));
    } catch {
      return [];
    }
  }
  return pems.map((pem) => {
    let x: X509Certificate;
    try {
      x = new X509Certificate(pem);
    } catch (err) {
      throw new TrustRootsError(`file "${file.name}" holds a certificate that does not parse (${(err as Error).message})`);
    }
    return {
      file: file.name,
      pem,
      sha256Fingerprint: x.fingerprint256.replace(/:/g, ''),
      subject: x.subject.split('\n').join(', '),
      isCa: x.ca,
      selfSigned: x.checkIssued(x) && x.verify(x.publicKey),
    };
  });
}

export function parseTrustRoots(reply: string | Buffer): ParsedTrustRoots {
  const size = typeof reply === 'string' ? Buffer.byteLength(reply) : reply.length;
  if (size > TRUST_ROOTS_LIMITS.maxReplyBytes) {
    throw new TrustRootsError(`it is ${size} bytes, more than the ${TRUST_ROOTS_LIMITS.maxReplyBytes} allowed`);
  }
  const text = typeof reply === 'string' ? reply : reply.toString('utf8');
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new TrustRootsError('it is empty');
  const pairs = lines.map(splitLine);
  const format: TrustRootsFormat = pairs[0]!.key === 'TRUSTED_CERTS' ? 'documented' : 'lines';

  const entries: Array<{ name: string; value: string }> = [];
  let listed: string[] | undefined;
  if (format === 'documented') {
    listed = trustedCertsList(pairs[0]!.value);
    for (const [i, p] of pairs.slice(1).entries()) {
      if (!p.key.startsWith('FILEDATA_')) {
        throw new TrustRootsError(`line ${i + 2} key "${p.key.slice(0, 60)}" does not start with FILEDATA_ (documented format)`);
      }
      entries.push({ name: p.key.slice('FILEDATA_'.length), value: p.value });
    }
  } else {
    for (const p of pairs) {
      if (p.key === 'TRUSTED_CERTS') throw new TrustRootsError('TRUSTED_CERTS appears after the first line');
      entries.push({ name: p.key, value: p.value });
    }
  }
  if (entries.length > TRUST_ROOTS_LIMITS.maxFiles) {
    throw new TrustRootsError(`it lists ${entries.length} files, more than the ${TRUST_ROOTS_LIMITS.maxFiles} allowed`);
  }

  const seen = new Set<string>();
  const files: TrustRootFile[] = [];
  for (const e of entries) {
    const problem = fileNameProblem(e.name);
    if (problem) throw new TrustRootsError(`${problem}; a trust root must be a plain file name`);
    // Case-insensitive: on Windows and macOS "A.0" and "a.0" would overwrite each other.
    const folded = e.name.toLowerCase();
    if (seen.has(folded)) throw new TrustRootsError(`file "${e.name}" appears more than once`);
    seen.add(folded);
    const content = decodeBase64(e.value, `"${e.name}"`);
    if (content.length > TRUST_ROOTS_LIMITS.maxFileBytes) {
      throw new TrustRootsError(
        `file "${e.name}" is ${content.length} bytes, more than the ${TRUST_ROOTS_LIMITS.maxFileBytes} allowed`,
      );
    }
    files.push({ name: e.name, content });
  }
  if (listed) {
    for (const n of listed) {
      const problem = fileNameProblem(n);
      if (problem) throw new TrustRootsError(`TRUSTED_CERTS lists ${problem}`);
    }
    const missing = listed.filter((n) => !seen.has(n.toLowerCase()));
    const unlisted = files.filter((f) => !listed!.some((n) => n.toLowerCase() === f.name.toLowerCase())).map((f) => f.name);
    if (missing.length > 0)
      throw new TrustRootsError(`TRUSTED_CERTS lists ${missing.join(', ')} but no FILEDATA_ line carries it`);
    if (unlisted.length > 0) throw new TrustRootsError(`FILEDATA_${unlisted[0]} is not listed in TRUSTED_CERTS`);
    if (new Set(listed.map((n) => n.toLowerCase())).size !== listed.length)
      throw new TrustRootsError('TRUSTED_CERTS lists a file twice');
  }

  const certificates = files.flatMap(certificatesIn);
  if (certificates.length === 0) throw new TrustRootsError('it holds no CA certificate, so nothing could be trusted');
  const notCa = certificates.find((c) => !c.isCa);
  if (notCa) throw new TrustRootsError(`"${notCa.file}" (${notCa.subject}) is not a CA certificate`);
  return { format, files, certificates };
}
