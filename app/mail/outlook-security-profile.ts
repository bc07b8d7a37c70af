/**
 * Outlook's "security settings" (File › Options › Trust Center › Email Security › Settings): which
 * certificate signs and which one encrypts. Outlook keeps them in the MAPI profile as PR_SECURITY_PROFILES
 * (PROP_TAG(PT_MV_BINARY, 0x0355)); a profile stored in the registry has it as the REG_BINARY value
 * "11020355" (property type 0x1102 then id 0x0355) of the profile section c02ebc5353d9cd11975200aa004ae40e:
 *   HKCU\Software\Microsoft\Office\<ver>\Outlook\Profiles\<profile>\c02ebc5353d9cd11975200aa004ae40e
 *
 * Sources. One security setting is a list of properties, each `WORD tag, WORD size, value` (little-endian,
 * size counts the 4-byte header), with the tags of Microsoft KB 312900 ("create a default security profile"),
 * which Microsoft's MAPI profile samples, the Seruro client and the glueckkanja ActivateSignatures.ps1 script
 * all write with the same sizes and values:
 *   0x0001 PR_CERT_PROP_VERSION     LONG 1
 *   0x0006 PR_CERT_MESSAGE_ENCODING LONG 1 (S/MIME)
 *   0x0020 PR_CERT_DEFAULTS         LONG bits: 1 default for S/MIME, 2 default for all formats, 4 send certificates
 *   0x000B PR_CERT_DISPLAY_NAME_A   ANSI name + NUL
 *   0x0051 PR_CERT_DISPLAY_NAME_W   UTF-16LE name + NUL
 *   0x0022 PR_CERT_KEYEX_SHA1_HASH  20-byte SHA-1 thumbprint of the encryption certificate
 *   0x0009 PR_CERT_SIGN_SHA1_HASH   20-byte SHA-1 thumbprint of the signing certificate
 *   0x0002 PR_CERT_ASYMETRIC_CAPS   DER SMIMECapabilities (RFC 8551 2.5.2) offered with signed mail
 * The registry container is the multi-valued binary as MAPI's registry profile provider lays out an
 * SBinaryArray, with pointers as offsets (known from the ActivateSignatures.ps1 writer, which Outlook 2010–2016
 * accepted): DWORD count, then per value its SBinary {ULONG cb; pointer lpb} with pointer-sized fields for
 * the Office build (x86: cb 4 + offset 4 bytes; x64: cb 4 + 4 zero padding + offset 8 bytes), offsets counted
 * from the start of the data, then the values, then zero padding to the next 16-byte boundary (as that writer
 * does; a reader goes by cb and never looks at it).
 */

export const SECURITY_SECTION = 'c02ebc5353d9cd11975200aa004ae40e';
export const SECURITY_PROFILES_VALUE = '11020355';

export const CERT_DEFAULTS = { forSmime: 1, global: 2, sendCertificates: 4 } as const;

export const TAG = {
  version: 0x0001,
  capabilities: 0x0002,
  encoding: 0x0006,
  signSha1: 0x0009,
  nameA: 0x000b,
  defaults: 0x0020,
  keyexSha1: 0x0022,
  nameW: 0x0051,
} as const;

// DER SMIMECapabilities: SHA-256, SHA-384, SHA-512, AES-256-CBC, AES-192-CBC, AES-128-CBC (the order
// Microsoft's sample uses: hash algorithms first, strongest cipher first).
const NIST = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04];
const capability = (arc: number, n: number) => [0x30, 0x0b, ...NIST, arc, n];
export const DEFAULT_CAPABILITIES = Buffer.from([
  0x30,
  6 * 13,
  ...capability(2, 1),
  ...capability(2, 2),
  ...capability(2, 3),
  ...capability(1, 42),
  ...capability(1, 22),
  ...capability(1, 2),
]);

export interface SecuritySetting {
  /** Shown in Outlook's list of security settings. */
  name: string;
  /** SHA-1 thumbprints (what Windows shows as the certificate's thumbprint), hex or 20 bytes. */
  signingSha1: string | Buffer;
  encryptionSha1: string | Buffer;
  /** The default setting for S/MIME and for all formats, sending the certificates with signed mail. */
  isDefault: boolean;
  capabilities?: Buffer;
}

function prop(tag: number, value: Buffer): Buffer {
  if (value.length + 4 > 0xffff) throw new Error(`security setting property 0x${tag.toString(16)} is too long`);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(tag, 0);
  head.writeUInt16LE(value.length + 4, 2);
  return Buffer.concat([head, value]);
}
const long = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n, 0);
  return b;
};
function sha1(v: string | Buffer, what: string): Buffer {
  const b = typeof v === 'string' ? Buffer.from(v.replace(/[\s:]/g, ''), 'hex') : v;
  if (b.length !== 20) throw new Error(`the ${what} thumbprint must be a 20-byte SHA-1 (got ${b.length} bytes)`);
  return b;
}

/** One security setting (one value of PR_SECURITY_PROFILES). */
export function buildSecuritySetting(s: SecuritySetting): Buffer {
  // The ANSI name is only a fallback for old readers; anything outside ASCII becomes "?" there.
  const ansi = Buffer.from(`${s.name.replace(/[^\x20-\x7e]/g, '?')}\0`, 'latin1');
  return Buffer.concat([
    prop(TAG.version, long(1)),
    prop(TAG.encoding, long(1)),
    prop(
      TAG.defaults,
      long(
        s.isDefault
          ? CERT_DEFAULTS.forSmime | CERT_DEFAULTS.global | CERT_DEFAULTS.sendCertificates
          : CERT_DEFAULTS.sendCertificates,
      ),
    ),
    prop(TAG.nameA, ansi),
    prop(TAG.nameW, Buffer.from(`${s.name}\0`, 'utf16le')),
    prop(TAG.keyexSha1, sha1(s.encryptionSha1, 'encryption certificate')),
    prop(TAG.signSha1, sha1(s.signingSha1, 'signing certificate')),
    prop(TAG.capabilities, s.capabilities ?? DEFAULT_CAPABILITIES),
  ]);
}

/** The registry data of "11020355" holding `values` for an Office build of `bitness`. */
export function registryMultiBinary(values: Buffer[], bitness: 'x86' | 'x64'): Buffer {
  const ptr = bitness === 'x64' ? 8 : 4;
  const entry = 4 + (ptr - 4) + ptr; // ULONG cb (+ alignment padding on x64) + pointer
  const header = Buffer.alloc(4 + values.length * entry);
  header.writeUInt32LE(values.length, 0);
  let offset = header.length;
  values.forEach((v, i) => {
    const at = 4 + i * entry;
    header.writeUInt32LE(v.length, at);
    if (ptr === 8) header.writeBigUInt64LE(BigInt(offset), at + 8);
    else header.writeUInt32LE(offset, at + 4);
    offset += v.length;
  });
  const body = Buffer.concat([header, ...values]);
  return Buffer.concat([body, Buffer.alloc(16 - (body.length % 16))]);
}

/** The values of a "11020355" registry value; undefined when it is not laid out as above. */
export function parseRegistryMultiBinary(data: Buffer, bitness: 'x86' | 'x64'): Buffer[] | undefined {
  const ptr = bitness === 'x64' ? 8 : 4;
  const entry = 4 + (ptr - 4) + ptr;
  if (data.length < 4) return undefined;
  const count = data.readUInt32LE(0);
  if (count > 64 || 4 + count * entry > data.length) return undefined;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const at = 4 + i * entry;
    const cb = data.readUInt32LE(at);
    const off = ptr === 8 ? Number(data.readBigUInt64LE(at + 8)) : data.readUInt32LE(at + 4);
    if (off + cb > data.length) return undefined;
    out.push(data.subarray(off, off + cb));
  }
  return out;
}

/** The properties of one security setting by tag; undefined when the data is not a property list. */
export function parseSecuritySetting(data: Buffer): Map<number, Buffer> | undefined {
  const props = new Map<number, Buffer>();
  let at = 0;
  while (at + 4 <= data.length) {
    const tag = data.readUInt16LE(at);
    const size = data.readUInt16LE(at + 2);
    if (size < 4 || at + size > data.length) return undefined;
    props.set(tag, data.subarray(at + 4, at + size));
    at += size;
  }
  return at === data.length ? props : undefined;
}

/** The display name of a security setting (the UTF-16 one, else the ANSI one). */
export function securitySettingName(props: Map<number, Buffer>): string | undefined {
  const w = props.get(TAG.nameW);
  if (w) return w.toString('utf16le').replace(/\0+$/, '');
  return props.get(TAG.nameA)?.toString('latin1').replace(/\0+$/, '');
}
