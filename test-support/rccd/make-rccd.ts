/**
 * Test-only RCCD builder: real zip files (jszip) laid out like KeyTalk's RCCD v1 and v2 packages, with CA
 * certificates from the test PKI. Used by the RCCD and TLS tests and available to the engine's tests.
 */
import JSZip from 'jszip';
import { pemToDer } from '../../app/crypto/pem';
import { openssl } from '../crypto/openssl';
import type { TestIdentity } from '../crypto/test-pki';

export interface RccdCas {
  root: TestIdentity;
  primary: TestIdentity;
  signing: TestIdentity;
  server: TestIdentity;
  extraSigning?: TestIdentity[];
}

export interface RccdSpec {
  providerName?: string;
  server?: string;
  contentVersion?: number;
  services?: Array<Record<string, unknown>>;
  cas: RccdCas;
  /** 'yaml' writes index.yaml + content/user.yaml; 'libconfig' writes index.conf + content/user.ini. */
  syntax?: 'yaml' | 'libconfig';
  logo?: Uint8Array;
}

// 1x1 transparent PNG.
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function defaults(spec: RccdSpec): Required<Omit<RccdSpec, 'logo'>> & { logo: Uint8Array } {
  return {
    providerName: spec.providerName ?? 'DemoProvider',
    server: spec.server ?? '127.0.0.1:8443',
    contentVersion: spec.contentVersion ?? 2024010101,
    services: spec.services ?? [
      {
        Name: 'CUST_PASSWD_INTERNAL',
        CertValidPercent: 10,
        CertFormat: 'P12',
        CertChain: false,
        Uri: 'https://a.example/',
        Users: ['DemoUser'],
      },
      { Name: 'CUST_PIN_PASSWD', CertValidPercent: 25, CertFormat: 'PEM' },
    ],
    cas: spec.cas,
    syntax: spec.syntax ?? 'yaml',
    logo: spec.logo ?? TINY_PNG,
  };
}

function libconfigValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[ ${v.map(libconfigValue).join(', ')} ]`;
  throw new Error(`cannot write ${typeof v} as libconfig`);
}

export function userIni(s: ReturnType<typeof defaults>): string {
  const services = s.services
    .map(
      (svc) =>
        `      {\n${Object.entries(svc)
          .map(([k, v]) => `        ${k} = ${libconfigValue(v)};`)
          .join('\n')}\n      }`,
    )
    .join(',\n');
  return `ConfigVersion = "2.0";\nLatestProvider = "${s.providerName}";\nProviders :\n(\n  {\n    Name = "${s.providerName}";\n    ContentVersion = ${s.contentVersion};\n    Server = "${s.server}";\n    LogLevel = "DEBUG";\n    Services :\n    (\n${services}\n    );\n  }\n);\n`;
}

export function userYaml(s: ReturnType<typeof defaults>): string {
  const svc = s.services
    .map(
      (o) =>
        `      - ${Object.entries(o)
          .map(([k, v], i) => `${i ? '        ' : ''}${k}: ${JSON.stringify(v)}`)
          .join('\n')}`,
    )
    .join('\n');
  return `ConfigVersion: "2.0"\nLatestProvider: ${JSON.stringify(s.providerName)}\nProviders:\n  - Name: ${JSON.stringify(s.providerName)}\n    ContentVersion: ${s.contentVersion}\n    Server: ${JSON.stringify(s.server)}\n    Services:\n${svc}\n`;
}

/** RCCD v2: index.yaml/index.conf at the root, settings and DER CAs under content/. */
export async function makeRccdV2(spec: RccdSpec, mutate?: (zip: JSZip) => void): Promise<Buffer> {
  const s = defaults(spec);
  const zip = new JSZip();
  const userName = s.syntax === 'yaml' ? 'content/user.yaml' : 'content/user.ini';
  zip.file(userName, s.syntax === 'yaml' ? userYaml(s) : userIni(s));
  zip.file('content/signingcacert.der', pemToDer(s.cas.signing.certPem));
  zip.file('content/commcacert.der', pemToDer(s.cas.server.certPem));
  zip.file('content/pcacert.der', pemToDer(s.cas.primary.certPem));
  zip.file('content/rcacert.der', pemToDer(s.cas.root.certPem));
  zip.file('content/logo.png', s.logo);
  const extra = (s.cas.extraSigning ?? []).map((c, i) => {
    zip.file(`content/extra_signing_ca_${i}.pem`, c.certPem);
    return `content/extra_signing_ca_${i}.pem`;
  });
  const fields: Array<[string, string | number | string[]]> = [
    ['ConfigVersion', '2.0.1'],
    ['ContentVersion', s.contentVersion],
    ['ProviderName', s.providerName],
    ['UserConfig', userName],
    ['Logo', 'content/logo.png'],
    ['UCA', 'content/signingcacert.der'],
    ['SCA', 'content/commcacert.der'],
    ['PCA', 'content/pcacert.der'],
    ['RCA', 'content/rcacert.der'],
    ...(extra.length ? [['ExtraSigningCAs', extra] as [string, string[]]] : []),
  ];
  if (s.syntax === 'yaml') zip.file('index.yaml', fields.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n') + '\n');
  else zip.file('index.conf', fields.map(([k, v]) => `${k} = ${libconfigValue(v)};`).join('\n') + '\n');
  mutate?.(zip);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

/**
 * How the v1 manifest writes each checksum. KeyTalk writes `ALGO-HEX` (`sha1-dc02…`, `sha256-…`); older files
 * hold bare SHA-1 hex. `upper` writes the whole string in capitals (the agent must compare case-insensitively).
 */
export type V1ChecksumStyle = 'sha1' | 'sha256' | 'bare' | 'upper-sha256';

function v1Checksum(style: V1ChecksumStyle, data: Buffer, hash: (algo: string, d: Buffer) => string): string {
  if (style === 'bare') return hash('sha1', data);
  if (style === 'upper-sha256') return `SHA256-${hash('sha256', data).toUpperCase()}`;
  return `${style}-${hash(style, data)}`;
}

/** RCCD v1: content.yaml.signed, an S/MIME multipart/signed manifest with checksums of each file (KeyTalk's form). */
export async function makeRccdV1(
  spec: RccdSpec & { signer?: TestIdentity; unsigned?: boolean; checksum?: V1ChecksumStyle },
  mutate?: (zip: JSZip, manifest: { text: string }) => void,
): Promise<Buffer> {
  const s = defaults(spec);
  const { createHash } = await import('node:crypto');
  const hash = (algo: string, d: Buffer): string => createHash(algo).update(d).digest('hex');
  const zip = new JSZip();
  const files: Record<string, Buffer> = {
    'content/user.yaml': Buffer.from(userYaml(s)),
    'content/signingcacert.der': pemToDer(s.cas.signing.certPem),
    'content/commcacert.der': pemToDer(s.cas.server.certPem),
    'content/pcacert.der': pemToDer(s.cas.primary.certPem),
    'content/logo.png': Buffer.from(s.logo),
  };
  for (const [n, d] of Object.entries(files)) zip.file(n, d);
  const entry = (k: string, f: string): string =>
    `${k}:\n  Source: ${f}\n  Checksum: ${v1Checksum(spec.checksum ?? 'sha1', files[f]!, hash)}\n`;
  const manifest = {
    text:
      `ConfigVersion: "1.1"\nContentVersion: ${s.contentVersion}\n` +
      entry('UserConfig', 'content/user.yaml') +
      entry('UCA', 'content/signingcacert.der') +
      entry('SCA', 'content/commcacert.der') +
      entry('PCA', 'content/pcacert.der') +
      entry('LogoV11', 'content/logo.png'),
  };
  mutate?.(zip, manifest);
  let signedText = manifest.text;
  if (!spec.unsigned) {
    const signer = spec.signer ?? s.cas.signing;
    signedText = openssl(['cms', '-sign', '-in', 'm.yaml', '-signer', 's.pem', '-inkey', 'k.pem', '-md', 'sha256'], {
      'm.yaml': manifest.text,
      's.pem': signer.certPem,
      'k.pem': signer.keyPem,
    }).toString('utf8');
  }
  zip.file('content.yaml.signed', signedText);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}
