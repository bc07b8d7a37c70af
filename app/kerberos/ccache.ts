/**
 * Reader for MIT Kerberos FILE credential caches (format versions 0x0503 and 0x0504), the default cache type on
 * Debian/Ubuntu desktops. The layout is MIT's documented ccache file format: a header, the default principal, then
 * credentials until the end of the file. Only what the agent needs is kept; configuration entries are skipped.
 */

export interface Principal {
  nameType: number;
  realm: string;
  components: string[];
}

export interface CachedCredential {
  client: Principal;
  server: Principal;
  /** Session key: encryption type number (RFC 3961/3962, e.g. 18 = aes256-cts-hmac-sha1-96) and raw bytes. */
  keyType: number;
  key: Buffer;
  authTime: Date;
  startTime: Date;
  endTime: Date;
  renewTill: Date;
  /** TicketFlags as the 32-bit word of RFC 4120 (forwardable = 0x40000000, …). */
  flags: number;
  /** The DER-encoded Ticket (RFC 4120 5.3), opaque to the agent. */
  ticket: Buffer;
}

export interface CredentialCache {
  version: number;
  defaultPrincipal: Principal;
  credentials: CachedCredential[];
}

export class CcacheFormatError extends Error {}

export function principalName(p: Principal): string {
  return `${p.components.join('/')}@${p.realm}`;
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new CcacheFormatError('the credential cache is truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** A counted octet string: 32-bit length, then the bytes. */
  data(): Buffer {
    return this.bytes(this.u32());
  }
  /** A counted list of (16-bit type, counted data) pairs, as addresses and authorization data are stored. */
  skipTagged(): void {
    for (let n = this.u32(), i = 0; i < n; i++) {
      this.u16();
      this.data();
    }
  }
  principal(): Principal {
    const nameType = this.u32();
    const count = this.u32();
    if (count > 64) throw new CcacheFormatError(`a principal with ${count} components is not plausible`);
    const realm = this.data().toString('utf8');
    const components: string[] = [];
    for (let i = 0; i < count; i++) components.push(this.data().toString('utf8'));
    return { nameType, realm, components };
  }
  time(): Date {
    return new Date(this.u32() * 1000);
  }
}

/** Parses a FILE credential cache; throws CcacheFormatError naming what is wrong. */
export function parseCcache(buf: Buffer): CredentialCache {
  const r = new Reader(buf);
  if (r.u8() !== 5) throw new CcacheFormatError('not a Kerberos credential cache (first byte is not 5)');
  const version = 0x0500 | r.u8();
  if (version !== 0x0503 && version !== 0x0504) {
    throw new CcacheFormatError(`credential cache format 0x0${version.toString(16)} is not supported (only 0x0503 and 0x0504)`);
  }
  if (version === 0x0504) r.bytes(r.u16()); // header tags (KDC time offset): not needed
  const defaultPrincipal = r.principal();
  const credentials: CachedCredential[] = [];
  while (!r.done) {
    const client = r.principal();
    const server = r.principal();
    const keyType = r.u16();
    if (version === 0x0503) r.u16(); // version 3 repeats the enctype
    const key = Buffer.from(r.data());
    const authTime = r.time();
    const startTime = r.time();
    const endTime = r.time();
    const renewTill = r.time();
    r.u8(); // is_skey
    const flags = r.u32();
    r.skipTagged(); // addresses
    r.skipTagged(); // authorization data
    const ticket = Buffer.from(r.data());
    r.data(); // second ticket (user-to-user)
    // Configuration entries (e.g. pa_type, refresh_time) live under the realm "X-CACHECONF:".
    if (server.realm === 'X-CACHECONF:') continue;
    credentials.push({ client, server, keyType, key, authTime, startTime, endTime, renewTill, flags, ticket });
  }
  return { version, defaultPrincipal, credentials };
}

/** The cache's ticket-granting ticket for its default principal's own realm (krbtgt/REALM@REALM), if any. */
export function findTgt(cache: CredentialCache): CachedCredential | undefined {
  const realm = cache.defaultPrincipal.realm;
  const me = principalName(cache.defaultPrincipal);
  return cache.credentials.find(
    (c) =>
      principalName(c.client) === me &&
      c.server.realm === realm &&
      c.server.components.length === 2 &&
      c.server.components[0] === 'krbtgt' &&
      c.server.components[1] === realm,
  );
}
