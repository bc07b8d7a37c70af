import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FlowFailure } from './front-end';

export type ResolveHost = (host: string) => Promise<string[]>;

export const dnsResolveHost: ResolveHost = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** IPv6 addresses are written in brackets, as the spec's example does ("[2001:db8::1]"). */
const formatIp = (ip: string): string => (isIP(ip) === 6 ? `[${ip}]` : ip);

/** `resolved` parameter: every web URI of the service with the addresses its host resolves to here. */
export async function resolveServiceUris(uris: string[], resolve: ResolveHost): Promise<{ uri: string; ips: string[] }[]> {
  const out: { uri: string; ips: string[] }[] = [];
  for (const uri of uris) {
    if (/^file:/i.test(uri)) continue;
    let host: string;
    try {
      const u = new URL(uri);
      host = u.hostname.replace(/^\[|\]$/g, '');
    } catch {
      throw new FlowFailure('server-error', `the server sent service URI ${JSON.stringify(uri)}, which is not a valid URI`);
    }
    if (isIP(host)) {
      out.push({ uri, ips: [formatIp(host)] });
      continue;
    }
    let ips: string[];
    try {
      ips = await resolve(host);
    } catch (err) {
      throw new FlowFailure(
        'network',
        `cannot resolve ${host} (service URI ${uri}) as the server requires: ${(err as Error).message}`,
      );
    }
    out.push({ uri, ips: ips.map(formatIp) });
  }
  return out;
}

/**
 * Expand %VAR% (Windows style, as in the spec's "%ProgramFiles%") and $VAR / ${VAR}. Unknown variables are an
 * error: hashing the wrong file would only produce ErrDigestInvalid later with no hint why.
 */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  const lookupVar = (name: string): string => {
    const key = Object.keys(env).find((k) => k === name) ?? Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key ? env[key] : undefined;
    if (value === undefined)
      throw new FlowFailure('bad-input', `environment variable ${name} in service URI ${JSON.stringify(text)} is not set`);
    return value;
  };
  return text
    .replace(/%([^%/\\]+)%/g, (_, n: string) => lookupVar(n))
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => lookupVar(n))
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, n: string) => lookupVar(n));
}

/** Path of a file:// service URI after variable expansion; tolerates the spec's unencoded Windows form. */
export function servicePath(uri: string, env: NodeJS.ProcessEnv): string {
  const expanded = expandEnv(uri.replace(/^file:\/\//i, ''), env);
  if (/^\/|^[A-Za-z]:[\\/]/.test(expanded)) {
    try {
      return /%[0-9A-Fa-f]{2}/.test(expanded)
        ? fileURLToPath(`file://${expanded.startsWith('/') ? '' : '/'}${expanded}`)
        : expanded;
    } catch {
      return expanded;
    }
  }
  return expanded;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const s = createReadStream(file);
    s.on('data', (c) => hash.update(c));
    s.on('end', () => resolve());
    s.on('error', reject);
  });
  return hash.digest('hex');
}

/** `digests` parameter: SHA-256 hex of every file:// service URI's target. */
export async function digestServiceUris(uris: string[], env: NodeJS.ProcessEnv): Promise<{ uri: string; digest: string }[]> {
  const out: { uri: string; digest: string }[] = [];
  for (const uri of uris) {
    if (!/^file:/i.test(uri)) continue;
    const file = servicePath(uri, env);
    try {
      out.push({ uri, digest: await sha256File(file) });
    } catch (err) {
      throw new FlowFailure(
        'bad-input',
        `the server asks for the digest of ${file} (service URI ${uri}), but it cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  return out;
}
