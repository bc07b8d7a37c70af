import { deflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { stringify } from 'yaml';
import type { ProviderConfig } from './fixture';
import type { SimPki } from './sim-pki';

/**
 * RCCD v2 for one provider: a zip with index.yaml + index.conf at the root naming the parts, content/user.yaml +
 * content/user.ini (provider, server, services), the CAs as DER and a logo. The server is "host:port" because the
 * simulator does not listen on 443.
 */
export async function buildRccd(provider: ProviderConfig, pki: SimPki, server: string, contentVersion = 1): Promise<Buffer> {
  const services = provider.services.map((s) => ({
    Name: s.name,
    CertFormat: provider.rccd.certFormat,
    CertChain: false,
    Uri: s.serviceUris?.[0]?.uri ?? '',
    CertValidPercent: provider.rccd.certValidPercent,
    ProxySetting: '',
    Users: [] as string[],
  }));
  const user = {
    ConfigVersion: '2.0',
    Providers: [
      {
        Name: provider.name,
        ContentVersion: contentVersion,
        Server: server,
        LogLevel: 'DEBUG',
        Services: services,
      },
    ],
    LatestProvider: provider.name,
    LatestService: provider.services[0]!.name,
  };
  const index = {
    ConfigVersion: '2.0',
    ContentVersion: contentVersion,
    ProviderName: provider.name,
    UserConfig: 'content/user.yaml',
    SCA: 'content/SCA.der',
    UCA: 'content/UCA.der',
    PCA: 'content/PCA.der',
    RCA: 'content/RCA.der',
    ExtraSigningCAs: ['content/ExtraSigningCA1.der'],
    Logo: 'content/logo.png',
  };
  const zip = new JSZip();
  // A fixed timestamp makes the zip a function of its content, so an unchanged RCCD is not rewritten.
  const date = new Date('2020-01-01T00:00:00Z');
  zip.file('index.yaml', stringify(index), { date });
  zip.file('index.conf', toLibconfig({ ...index, UserConfig: 'content/user.ini' }), { date });
  zip.file('content/user.yaml', stringify(user), { date });
  zip.file('content/user.ini', toLibconfig(user), { date });
  zip.file('content/SCA.der', pki.communication.certDer, { date });
  zip.file('content/UCA.der', pki.signing.certDer, { date });
  zip.file('content/PCA.der', pki.primary.certDer, { date });
  zip.file('content/RCA.der', pki.root.certDer, { date });
  zip.file('content/ExtraSigningCA1.der', pki.extrasigning.certDer, { date });
  zip.file('content/logo.png', logoPng(), { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** libconfig syntax, which the .ini/.conf files of KeyTalk clients use. */
export function toLibconfig(value: Record<string, unknown>, indent = ''): string {
  const render = (v: unknown, ind: string): string => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (Array.isArray(v)) {
      if (v.length === 0) return '( )';
      const scalar = v.every((x) => typeof x !== 'object');
      const inner = v.map((x) => `${ind}  ${render(x, `${ind}  `)}`).join(',\n');
      return scalar ? `[ ${v.map((x) => render(x, ind)).join(', ')} ]` : `(\n${inner}\n${ind})`;
    }
    if (v && typeof v === 'object') return `{\n${toLibconfig(v as Record<string, unknown>, `${ind}  `)}${ind}}`;
    return '""';
  };
  return Object.entries(value)
    .map(([k, v]) => `${indent}${k} = ${render(v, indent)};\n`)
    .join('');
}

let logo: Buffer | undefined;
/** A 32×32 PNG (two-tone square) made here so the RCCD has a real image without shipping a binary. */
function logoPng(): Buffer {
  if (logo) return logo;
  const size = 32;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const o = y * (size * 3 + 1) + 1 + x * 3;
      const inner = x > 7 && x < 24 && y > 7 && y < 24;
      raw[o] = inner ? 0xff : 0x1f;
      raw[o + 1] = inner ? 0xff : 0x5f;
      raw[o + 2] = inner ? 0xff : 0xaf;
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  logo = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return logo;
}
