import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';
import YAML from 'yaml';
import { derToPem, splitPemBlocks } from '../crypto/pem';
import { parseLibconfig } from './libconfig';
import { RCCD_LIMITS } from './rccd-limits';
import { parseSignedMime, verifyDetachedSignature } from './smime';
import type { ProviderRecord, ProviderService } from './types';
import { checkEntryName } from './zip-guard';

/** The parts of a ProviderRecord that come from the RCCD itself (the store adds importedAt). */
export type ParsedRccd = Omit<ProviderRecord, 'importedAt'>;

export class RccdFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RccdFormatError';
  }
}

/** An RCCD that exceeds one of RCCD_LIMITS (rccd-limits.ts); `limit` names which. */
export class RccdLimitError extends RccdFormatError {
  constructor(
    readonly limit: keyof typeof RCCD_LIMITS,
    message: string,
  ) {
    super(`${message}; ask your KeyTalk administrator for a smaller RCCD`);
    this.name = 'RccdLimitError';
  }
}

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseYaml(text: string, what: string): unknown {
  try {
    // uniqueKeys and a small alias budget: a hostile YAML cannot blow up memory with alias expansion.
    return YAML.parse(text, { uniqueKeys: true, maxAliasCount: 50 });
  } catch (err) {
    throw new RccdFormatError(`${what} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

function parseConfigText(text: string, what: string, format: 'yaml' | 'libconfig'): Dict {
  let value: unknown;
  if (format === 'yaml') value = parseYaml(text, what);
  else {
    try {
      value = parseLibconfig(text, what);
    } catch (err) {
      throw new RccdFormatError((err as Error).message);
    }
  }
  if (!isDict(value))
    throw new RccdFormatError(`${what} must hold settings (a mapping), not ${Array.isArray(value) ? 'a list' : typeof value}`);
  return value;
}

function formatOf(name: string): 'yaml' | 'libconfig' {
  return /\.ya?ml$/i.test(name) ? 'yaml' : 'libconfig';
}

function text(files: Map<string, Buffer>, name: string): string {
  const data = files.get(name)!;
  // Checked before parsing: the parser's memory grows with the text, and no real RCCD config comes near this.
  if (data.length > RCCD_LIMITS.configBytes)
    throw new RccdLimitError(
      'configBytes',
      `${name} is ${data.length} bytes; an RCCD configuration file may be at most ${RCCD_LIMITS.configBytes} bytes (1 MiB)`,
    );
  return data.toString('utf8').replace(/^\ufeff/, '');
}

interface Located {
  /** Directory of the index inside the archive ('' or 'folder/' when the RCCD was zipped with its folder). */
  base: string;
  indexName: string;
  version: 1 | 2;
}

function locateIndex(files: Map<string, Buffer>): Located {
  const candidates: Array<[string, 1 | 2]> = [
    ['index.yaml', 2],
    ['index.conf', 2],
    ['content.yaml.signed', 1],
    ['content.conf.signed', 1],
  ];
  for (const [name, version] of candidates) if (files.has(name)) return { base: '', indexName: name, version };
  // Tolerate an RCCD that was re-zipped with its enclosing folder: exactly one top-level folder holding the index.
  const tops = new Set([...files.keys()].map((k) => k.split('/')[0]));
  if (tops.size === 1) {
    const base = `${[...tops][0]}/`;
    for (const [name, version] of candidates) if (files.has(base + name)) return { base, indexName: base + name, version };
  }
  throw new RccdFormatError(
    'This is a zip file but not an RCCD: it has no index.yaml/index.conf (RCCD v2) or content.yaml.signed (RCCD v1) at its root',
  );
}

function resolve(files: Map<string, Buffer>, base: string, ref: unknown, what: string, required: boolean): string | undefined {
  if (ref === undefined || ref === null || ref === '') {
    if (required) throw new RccdFormatError(`The RCCD index does not name its ${what} file`);
    return undefined;
  }
  if (typeof ref !== 'string') throw new RccdFormatError(`The RCCD index entry for ${what} must be a file name`);
  let name: string;
  try {
    name = checkEntryName(base + ref.replace(/\\/g, '/'));
  } catch (err) {
    throw new RccdFormatError(`The RCCD index entry for ${what} is not a safe path: ${(err as Error).message}`);
  }
  if (!files.has(name)) throw new RccdFormatError(`The RCCD index names "${ref}" as ${what}, but the archive has no such file`);
  return name;
}

function certificatesFrom(data: Buffer, what: string): string[] {
  const asText = data.toString('latin1');
  const pems = asText.includes('-----BEGIN CERTIFICATE-----')
    ? splitPemBlocks(asText, 'CERTIFICATE')
    : [derToPem(data, 'CERTIFICATE')];
  return pems.map((pem) => {
    try {
      return derToPem(new X509Certificate(pem).raw, 'CERTIFICATE');
    } catch (err) {
      throw new RccdFormatError(`The ${what} in the RCCD is not a readable X.509 certificate (${(err as Error).message})`);
    }
  });
}

function logoDataUrl(data: Buffer, warnings: string[]): string | undefined {
  if (data.length > 1024 * 1024) {
    warnings.push('The provider logo is larger than 1 MiB and was not kept');
    return undefined;
  }
  const png = data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const mime = png
    ? 'image/png'
    : data.subarray(0, 2).toString('latin1') === 'BM'
      ? 'image/bmp'
      : data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))
        ? 'image/jpeg'
        : undefined;
  if (!mime) {
    warnings.push('The provider logo is not a PNG, BMP or JPEG image and was not kept');
    return undefined;
  }
  return `data:${mime};base64,${data.toString('base64')}`;
}

const SERVICE_KEYS: Record<string, string> = {
  Name: 'name',
  CertValidPercent: 'certValidPercent',
  CertFormat: 'certFormat',
  Uri: 'uri',
};

function checkNameLength(name: string, what: string): void {
  if (name.length > RCCD_LIMITS.nameChars)
    throw new RccdLimitError(
      'nameChars',
      `${what} is ${name.length} characters long; names may be at most ${RCCD_LIMITS.nameChars} characters`,
    );
}

function toService(raw: unknown, where: string): ProviderService {
  if (!isDict(raw)) throw new RccdFormatError(`${where}: each service must be a group of settings`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[SERVICE_KEYS[k] ?? k.charAt(0).toLowerCase() + k.slice(1)] = v;
  if (typeof out.name !== 'string' || out.name === '') throw new RccdFormatError(`${where}: a service has no Name`);
  checkNameLength(out.name, `${where}: a service name`);
  if (out.certValidPercent !== undefined) {
    const n = typeof out.certValidPercent === 'string' ? Number(out.certValidPercent.replace('%', '')) : out.certValidPercent;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > 100) {
      throw new RccdFormatError(
        `${where}: service "${out.name}" has CertValidPercent ${JSON.stringify(out.certValidPercent)}; expected 1–100`,
      );
    }
    out.certValidPercent = n;
  }
  if (out.certFormat !== undefined && typeof out.certFormat !== 'string') out.certFormat = String(out.certFormat);
  return out as ProviderService;
}

/** Server "host" or "host:port"; a URL is reduced to its authority so older RCCDs with https:// still work. */
export function normalizeServer(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new RccdFormatError(`${where}: the provider has no Server`);
  let s = raw
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '');
  s = s.toLowerCase();
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d{1,5})?$/.test(s))
    throw new RccdFormatError(`${where}: Server "${raw}" is not a host name, IP address or host:port`);
  const port = /:(\d+)$/.exec(s.replace(/^\[.*\]/, ''))?.[1];
  if (port && (Number(port) < 1 || Number(port) > 65535))
    throw new RccdFormatError(`${where}: Server "${raw}" has an invalid port`);
  return s;
}

function contentVersionOf(v: unknown, where: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new RccdFormatError(`${where}: ContentVersion ${JSON.stringify(v)} is not a whole number`);
  return n;
}

// Digest lengths in hex, so a bare (older) checksum's algorithm follows from its length.
const CHECKSUM_ALGORITHMS: Record<string, number> = { sha1: 40, sha256: 64 };

/**
 * A v1 manifest checksum as KeyTalk writes it: `sha1-<hex>` or `sha256-<hex>`; older files hold bare SHA-1 hex.
 * The algorithm prefix and the hex are compared case-insensitively (KeyTalk's own files vary).
 */
export function parseChecksum(value: unknown, key: string): { algorithm: string; hex: string } {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : typeof value === 'number' ? String(value) : '';
  if (!text) throw new RccdFormatError(`The RCCD v1 manifest has no checksum for ${key}`);
  const m = /^([a-z0-9]+)-([0-9a-f]+)$/.exec(text);
  const algorithm = m ? m[1]! : 'sha1';
  const hex = m ? m[2]! : text;
  const length = CHECKSUM_ALGORITHMS[algorithm];
  if (length === undefined)
    throw new RccdFormatError(
      `The RCCD v1 manifest checksum for ${key} uses the algorithm "${algorithm}", which the agent does not know ` +
        `(it accepts sha1- and sha256-): ask your KeyTalk administrator for a new RCCD`,
    );
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex))
    throw new RccdFormatError(
      `The RCCD v1 manifest checksum for ${key} ("${String(value).trim()}") is not a ${algorithm.toUpperCase()} ` +
        `digest (${length} hex digits): the RCCD was altered or damaged`,
    );
  return { algorithm, hex };
}

/** Read the v1 manifest: S/MIME-signed settings where each file is { Source, Checksum ([algo-]hex) }. */
function readV1Index(
  files: Map<string, Buffer>,
  loc: Located,
): { index: Dict; signed: { content: Buffer; signature: Buffer } | undefined } {
  const raw = text(files, loc.indexName);
  let body = raw;
  let signed: { content: Buffer; signature: Buffer } | undefined;
  if (/^\s*(MIME-Version|Content-Type)\s*:/i.test(raw)) {
    let mime;
    try {
      mime = parseSignedMime(raw);
    } catch (err) {
      throw new RccdFormatError((err as Error).message);
    }
    body = mime.content;
    signed = { content: mime.signedPart, signature: mime.signatureDer };
  }
  const index = parseConfigText(body, loc.indexName, loc.indexName.includes('.yaml') ? 'yaml' : 'libconfig');
  // Flatten { Source, Checksum } entries into paths after checking each checksum.
  const flat: Dict = {};
  for (const [k, v] of Object.entries(index)) {
    if (isDict(v) && typeof v.Source === 'string') {
      const name = resolve(files, loc.base, v.Source, k, true)!;
      const { algorithm, hex } = parseChecksum(v.Checksum, k);
      const actual = createHash(algorithm).update(files.get(name)!).digest('hex');
      if (actual !== hex)
        throw new RccdFormatError(
          `The RCCD file "${v.Source}" (${k}) does not match its checksum in the manifest: the RCCD was altered or damaged`,
        );
      flat[k] = v.Source;
    } else {
      flat[k] = v;
    }
  }
  return { index: flat, signed };
}

/** Turn the unpacked, already size/path-checked zip entries into a provider description. */
export function parseRccd(files: Map<string, Buffer>, opts: { fileName?: string } = {}): ParsedRccd {
  const loc = locateIndex(files);
  const warnings: string[] = [];
  let index: Dict;
  let signed: { content: Buffer; signature: Buffer } | undefined;
  if (loc.version === 2) {
    index = parseConfigText(text(files, loc.indexName), loc.indexName, formatOf(loc.indexName));
  } else {
    ({ index, signed } = readV1Index(files, loc));
  }
  const configVersion = index.ConfigVersion === undefined ? undefined : String(index.ConfigVersion);
  if (loc.version === 2 && configVersion && !/^2(\.|$)/.test(configVersion)) {
    throw new RccdFormatError(`RCCD ConfigVersion ${configVersion} is not supported by this agent (it reads 1.x and 2.x)`);
  }

  const userConfigName = resolve(files, loc.base, index.UserConfig, 'UserConfig', true)!;
  const userConfigFormat = formatOf(userConfigName);
  const userConfig = parseConfigText(text(files, userConfigName), path.posix.basename(userConfigName), userConfigFormat);
  const providers = userConfig.Providers;
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new RccdFormatError(`${path.posix.basename(userConfigName)} lists no Providers`);
  }
  if (providers.length > RCCD_LIMITS.providers)
    throw new RccdLimitError(
      'providers',
      `${path.posix.basename(userConfigName)} lists ${providers.length} providers; at most ${RCCD_LIMITS.providers} are accepted`,
    );
  const wanted = typeof index.ProviderName === 'string' ? index.ProviderName : undefined;
  const provider = (wanted ? providers.find((p) => isDict(p) && p.Name === wanted) : providers[0]) as unknown;
  if (!isDict(provider)) {
    throw new RccdFormatError(
      `${path.posix.basename(userConfigName)} has no provider named "${wanted ?? ''}" although the index names it`,
    );
  }
  const where = `${path.posix.basename(userConfigName)} provider "${String(provider.Name ?? '?')}"`;
  const name = wanted ?? provider.Name;
  if (typeof name !== 'string' || name.trim() === '') throw new RccdFormatError(`${where}: the provider has no Name`);
  checkNameLength(name.trim(), `${path.posix.basename(userConfigName)}: the provider name`);
  const rawServices = provider.Services;
  if (!Array.isArray(rawServices) || rawServices.length === 0)
    throw new RccdFormatError(`${where}: the provider has no Services`);
  if (rawServices.length > RCCD_LIMITS.services)
    throw new RccdLimitError(
      'services',
      `${where} lists ${rawServices.length} services; a provider may offer at most ${RCCD_LIMITS.services}`,
    );
  const services = rawServices.map((s) => toService(s, where));
  const contentVersion = contentVersionOf(index.ContentVersion ?? provider.ContentVersion, loc.indexName);

  const cert = (key: string, what: string, required: boolean): string | undefined => {
    const file = resolve(files, loc.base, index[key], `${key} (${what})`, required);
    if (!file) return undefined;
    const pems = certificatesFrom(files.get(file)!, `${key} (${what})`);
    const x = new X509Certificate(pems[0]!);
    if (!x.ca) warnings.push(`${key} (${what}) "${x.subject.replace(/\n/g, ', ')}" is not marked as a CA certificate`);
    return pems[0];
  };
  const cas = {
    signing: cert('UCA', 'signing CA', loc.version === 2),
    server: cert('SCA', 'server communication CA', true),
    primary: cert('PCA', 'primary CA', loc.version === 2),
    root: cert('RCA', 'root CA', false),
    extraSigning: [] as string[],
  };
  const extra = index.ExtraSigningCAs;
  if (extra !== undefined) {
    if (!Array.isArray(extra)) throw new RccdFormatError('The RCCD index ExtraSigningCAs must be a list of file names');
    for (const ref of extra) {
      const file = resolve(files, loc.base, ref, 'ExtraSigningCAs', true)!;
      cas.extraSigning.push(...certificatesFrom(files.get(file)!, `extra signing CA ${String(ref)}`));
    }
  }

  let signature: 'valid' | 'absent' | 'not-applicable' = loc.version === 2 ? 'not-applicable' : 'absent';
  if (signed) {
    const trusted = [cas.root, cas.primary, cas.signing, cas.server].filter((p): p is string => !!p);
    try {
      verifyDetachedSignature(signed.content, signed.signature, trusted);
    } catch (err) {
      throw new RccdFormatError((err as Error).message);
    }
    signature = 'valid';
    warnings.push(
      'The RCCD v1 signature verifies only against CAs the RCCD itself carries: it shows the file is intact, not who made it',
    );
  } else if (loc.version === 1) {
    warnings.push('The RCCD v1 manifest is not signed; its checksums were verified');
  }

  const logoKey = index.LogoV11 !== undefined ? 'LogoV11' : 'Logo';
  const logoFile = resolve(files, loc.base, index[logoKey], 'Logo', false);
  const logo = logoFile ? logoDataUrl(files.get(logoFile)!, warnings) : undefined;

  return {
    name: name.trim(),
    kind: 'keytalk',
    server: normalizeServer(provider.Server, where),
    contentVersion,
    services,
    cas,
    logoDataUrl: logo,
    source: {
      rccdVersion: loc.version,
      configVersion,
      userConfigFormat,
      signature,
      ...(opts.fileName ? { fileName: opts.fileName } : {}),
    },
    warnings: warnings.length ? warnings : undefined,
  };
}
