import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Reads an untrusted zip (an RCCD handed to us by a user or a mail attachment) entirely in memory, refusing
 * anything that could hurt the machine: oversized archives, too many entries, path traversal, absolute or
 * drive-letter paths, symlinks, encrypted entries, zip bombs (declared sizes, compression ratio, and the real
 * inflated size, which is capped while inflating so a lying header cannot exhaust memory), CRC mismatches.
 * The central directory is parsed here rather than by a zip library so each check sees the raw fields.
 */

export interface ZipLimits {
  maxArchiveBytes: number;
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Highest allowed uncompressed/compressed ratio for entries above ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 16 * 1024 * 1024,
  maxEntries: 256,
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 64 * 1024,
};

export class UnsafeZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeZipError';
  }
}

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
  isDirectory: boolean;
}

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === SIG_EOCD) return i;
  return -1;
}

/** Reject names that could escape the extraction folder or mean something special on some OS. */
export function checkEntryName(raw: string): string {
  if (raw.length === 0 || raw.length > 512) throw new UnsafeZipError(`Zip entry name of length ${raw.length} is not allowed`);
  if ([...raw].some((ch) => ch.charCodeAt(0) < 0x20))
    throw new UnsafeZipError(`Zip entry ${JSON.stringify(raw)} has control characters in its name`);
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new UnsafeZipError(`Zip entry "${raw}" has an absolute path`);
  const parts = name.split('/');
  if (parts.some((p) => p === '..'))
    throw new UnsafeZipError(`Zip entry "${raw}" tries to leave the archive folder (path traversal)`);
  return parts.filter((p) => p !== '' && p !== '.').join('/') + (name.endsWith('/') ? '/' : '');
}

function readCentralDirectory(buf: Buffer, limits: ZipLimits): CentralEntry[] {
  const eocd = findEocd(buf);
  if (eocd < 0) throw new UnsafeZipError('Not a zip archive (no end-of-central-directory record); is this really an .rccd file?');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new UnsafeZipError('ZIP64 archives are not accepted as RCCD');
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0)
    throw new UnsafeZipError('Multi-disk zip archives are not accepted');
  if (count > limits.maxEntries)
    throw new UnsafeZipError(`Zip archive has ${count} entries; at most ${limits.maxEntries} are accepted`);
  if (cdOffset + cdSize > eocd) throw new UnsafeZipError('Zip central directory is out of bounds (damaged or truncated archive)');

  const entries: CentralEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== SIG_CENTRAL) throw new UnsafeZipError('Zip central directory is damaged');
    const madeBy = buf.readUInt16LE(p + 4);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const externalAttr = buf.readUInt32LE(p + 38);
    const localOffset = buf.readUInt32LE(p + 42);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    p += 46 + nameLen + extraLen + commentLen;

    const name = checkEntryName(rawName);
    // Unix "made by" (high byte 3) keeps the st_mode in the high 16 bits of the external attributes.
    if (madeBy >> 8 === 3 && ((externalAttr >>> 16) & S_IFMT) === S_IFLNK) {
      throw new UnsafeZipError(`Zip entry "${rawName}" is a symbolic link; links are not accepted`);
    }
    if (flags & 0x1) throw new UnsafeZipError(`Zip entry "${rawName}" is encrypted; RCCD files are never encrypted`);
    if (method !== 0 && method !== 8)
      throw new UnsafeZipError(`Zip entry "${rawName}" uses compression method ${method}; only stored and deflate are accepted`);
    if (uncompressedSize > limits.maxEntryBytes) {
      throw new UnsafeZipError(
        `Zip entry "${rawName}" would unpack to ${uncompressedSize} bytes; at most ${limits.maxEntryBytes} are accepted`,
      );
    }
    if (uncompressedSize > limits.ratioFloorBytes && uncompressedSize > compressedSize * limits.maxRatio) {
      throw new UnsafeZipError(`Zip entry "${rawName}" has a compression ratio above ${limits.maxRatio}:1 (zip bomb?)`);
    }
    if (entries.some((e) => e.name === name)) throw new UnsafeZipError(`Zip archive holds "${name}" twice`);
    entries.push({ name, method, flags, crc, compressedSize, uncompressedSize, localOffset, isDirectory: name.endsWith('/') });
  }
  const declaredTotal = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  if (declaredTotal > limits.maxTotalBytes) {
    throw new UnsafeZipError(`Zip archive would unpack to ${declaredTotal} bytes; at most ${limits.maxTotalBytes} are accepted`);
  }
  return entries;
}

function extract(buf: Buffer, e: CentralEntry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== SIG_LOCAL)
    throw new UnsafeZipError(`Zip entry "${e.name}" has a damaged local header`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const end = start + e.compressedSize;
  if (end > buf.length) throw new UnsafeZipError(`Zip entry "${e.name}" runs past the end of the archive (truncated file?)`);
  const raw = buf.subarray(start, end);
  let data: Buffer;
  if (e.method === 0) {
    data = Buffer.from(raw);
  } else {
    try {
      // The cap is the declared size: an entry that inflates to more than it claims is a bomb and stops here.
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new UnsafeZipError(
          `Zip entry "${e.name}" unpacks to more than its declared ${e.uncompressedSize} bytes (zip bomb?)`,
        );
      }
      throw new UnsafeZipError(`Zip entry "${e.name}" is not valid deflate data: ${(err as Error).message}`);
    }
  }
  if (data.length !== e.uncompressedSize) {
    throw new UnsafeZipError(`Zip entry "${e.name}" unpacks to ${data.length} bytes but declares ${e.uncompressedSize}`);
  }
  if (crc32(data) >>> 0 !== e.crc >>> 0) throw new UnsafeZipError(`Zip entry "${e.name}" fails its CRC check (damaged archive)`);
  return data;
}

/** Validate and unpack every file entry into memory; directory entries are dropped. */
export function readZipSafely(zip: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Buffer> {
  if (zip.byteLength > limits.maxArchiveBytes) {
    throw new UnsafeZipError(
      `The file is ${zip.byteLength} bytes; RCCD files above ${limits.maxArchiveBytes} bytes are not accepted`,
    );
  }
  if (zip.byteLength < 22) throw new UnsafeZipError('The file is too small to be a zip archive; is this really an .rccd file?');
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = readCentralDirectory(buf, limits);
  const out = new Map<string, Buffer>();
  let total = 0;
  for (const e of entries) {
    if (e.isDirectory) continue;
    const data = extract(buf, e);
    total += data.length;
    if (total > limits.maxTotalBytes) throw new UnsafeZipError(`Zip archive unpacks to more than ${limits.maxTotalBytes} bytes`);
    out.set(e.name, data);
  }
  return out;
}
