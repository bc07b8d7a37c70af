import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Kerberos validation of the spec's kerberos-ticket (RCDP 2.6.3): the caller sends its TGT with the TGT's
 * session key. The simulator checks it the way a server verifies initial credentials: it puts the TGT into a
 * private credential cache and asks the KDC for a ticket to its own service principal with it (`kvno`), then
 * decrypts that service ticket with its keytab (`kvno -k`). A forged, tampered or expired TGT, or a wrong
 * session key, fails at the KDC or at the keytab; only a ticket the KDC really issued passes.
 */
export interface KerberosServerConfig {
  /** krb5.conf naming the realm's KDC. */
  krb5Conf: string;
  keytab: string;
  /** The server's own principal, e.g. HTTP/localhost. */
  servicePrincipal: string;
}

export type TicketCheck = { principal: string; user: string; realm: string } | { error: string };

interface TicketJson {
  'client-principal'?: unknown;
  'session-key'?: unknown;
  'session-key-encoding'?: unknown;
  tgt?: unknown;
  'tgt-flags'?: unknown;
  'start-time'?: unknown;
  'end-time'?: unknown;
  'renew-till'?: unknown;
}

const ENCTYPES: Record<string, number> = {
  'aes256-cts-hmac-sha1-96': 18,
  'aes128-cts-hmac-sha1-96': 17,
  'aes256-cts-hmac-sha384-192': 20,
  'aes128-cts-hmac-sha256-128': 19,
  'camellia256-cts-cmac': 26,
  'camellia128-cts-cmac': 25,
};

function parsePrincipal(text: string): { components: string[]; realm: string } | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { components: text.slice(0, at).split('/'), realm: text.slice(at + 1) };
}

/** One counted octet string of the ccache format: 32-bit big-endian length, then the bytes. */
function counted(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function principalBytes(nameType: number, p: { components: string[]; realm: string }): Buffer {
  return Buffer.concat([
    u32(nameType),
    u32(p.components.length),
    counted(Buffer.from(p.realm)),
    ...p.components.map((c) => counted(Buffer.from(c))),
  ]);
}

const seconds = (iso: unknown): number | undefined => {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
};

/** Builds an MIT FILE credential cache (format 0x0504) holding just the caller's TGT. */
export function ccacheFromTicket(t: TicketJson): Buffer | string {
  const client = typeof t['client-principal'] === 'string' ? parsePrincipal(t['client-principal']) : undefined;
  if (!client) return 'client-principal is not name@REALM';
  const encoding = String(t['session-key-encoding'] ?? '');
  const enctype = /^\d+$/.test(encoding) ? Number(encoding) : ENCTYPES[encoding.toLowerCase()];
  if (!enctype || enctype > 0xffff) return `session-key-encoding "${encoding}" is not a known encryption type`;
  if (typeof t['session-key'] !== 'string' || typeof t.tgt !== 'string') return 'session-key and tgt must be base64 strings';
  const key = Buffer.from(t['session-key'], 'base64');
  const tgt = Buffer.from(t.tgt, 'base64');
  if (!key.length || !tgt.length) return 'session-key or tgt is empty';
  const start = seconds(t['start-time']);
  const end = seconds(t['end-time']);
  if (start === undefined || end === undefined) return 'start-time and end-time must be ISO 8601 times';
  const renew = seconds(t['renew-till']) ?? end;
  const flags = Number(t['tgt-flags'] ?? 0);
  const server = { components: ['krbtgt', client.realm], realm: client.realm };
  const enc = Buffer.alloc(2);
  enc.writeUInt16BE(enctype);
  return Buffer.concat([
    Buffer.from([5, 4, 0, 0]), // version 0x0504, no header tags
    principalBytes(1, client),
    principalBytes(1, client),
    principalBytes(2, server),
    enc,
    counted(key),
    u32(start),
    u32(start),
    u32(end),
    u32(renew),
    Buffer.from([0]),
    u32(Number.isFinite(flags) ? flags : 0),
    u32(0), // addresses
    u32(0), // authorization data
    counted(tgt),
    counted(Buffer.alloc(0)), // second ticket
  ]);
}

function kvno(args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('kvno', args, { env, timeout: 10_000 }, (err, _stdout, stderr) =>
      resolve(err ? (stderr.trim() || err.message).split('\n')[0] : undefined),
    );
  });
}

/** Validates a kerberos-ticket parameter against the KDC and the server's keytab. */
export async function validateKerberosTicket(raw: string, cfg: KerberosServerConfig): Promise<TicketCheck> {
  let t: TicketJson;
  try {
    t = JSON.parse(raw) as TicketJson;
  } catch {
    return { error: 'kerberos-ticket is not a JSON object' };
  }
  if (!t || typeof t !== 'object') return { error: 'kerberos-ticket is not a JSON object' };
  const cache = ccacheFromTicket(t);
  if (typeof cache === 'string') return { error: cache };
  const dir = await mkdtemp(join(tmpdir(), 'sim-krb-'));
  try {
    const file = join(dir, 'cc');
    await writeFile(file, cache, { mode: 0o600 });
    const env = { ...process.env, KRB5_CONFIG: cfg.krb5Conf, KRB5CCNAME: `FILE:${file}` };
    const failed = await kvno(['-c', `FILE:${file}`, '-k', cfg.keytab, cfg.servicePrincipal], env);
    if (failed) return { error: `ticket rejected: ${failed}` };
    const principal = String(t['client-principal']);
    const p = parsePrincipal(principal)!;
    return { principal, user: p.components.join('/'), realm: p.realm };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
