import type { CaMaterial } from './ca';
import { signingPolicy, subjectHashName } from './ca';
import type { TrustRootsFault, TrustRootsFormat } from './fixture';

/** One file of the trust root folder the service serialises. */
export interface TrustRootFile {
  name: string;
  content: Buffer;
}

/** Root and issuing CA as `<hash>.0` plus their `<hash>.signing_policy`, like a grid-style trust root folder. */
export function trustRootFiles(material: CaMaterial): TrustRootFile[] {
  const files: TrustRootFile[] = [];
  for (const pem of [material.rootCertPem, material.issuingCertPem]) {
    const hash = subjectHashName(pem);
    files.push({ name: `${hash}.0`, content: Buffer.from(pem) });
    files.push({ name: `${hash}.signing_policy`, content: Buffer.from(signingPolicy(pem)) });
  }
  return files;
}

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

/**
 * Serialise in either format:
 *  - 'documented': TRUSTED_CERTS=<base64 of "a,b,c"> then FILEDATA_<name>=<base64> (the spec's wording: every value base64);
 *  - 'lines': <name>=<base64> per file (what deployed services send).
 * A fault makes the reply hostile in the way a client must refuse.
 */
export function encodeTrustRoots(files: TrustRootFile[], format: TrustRootsFormat, fault: TrustRootsFault = 'none'): string {
  const entries: Array<{ name: string; value: string }> = files.map((f) => ({ name: f.name, value: b64(f.content) }));
  switch (fault) {
    case 'path-separator':
      entries.push({ name: '../../evil.0', value: entries[0]!.value });
      break;
    case 'duplicate':
      entries.push({ ...entries[0]! });
      break;
    case 'non-base64':
      entries[0] = { name: entries[0]!.name, value: `${entries[0]!.value.slice(0, 40)}*not~base64!` };
      break;
    case 'oversize':
      // 3 MiB of base64: a client must stop reading long before it holds all of it.
      entries.push({ name: 'huge.0', value: b64(Buffer.alloc(2.25 * 1024 * 1024, 0x41)) });
      break;
    default:
      break;
  }
  if (format === 'lines') return `${entries.map((e) => `${e.name}=${e.value}`).join('\n')}\n`;
  const names = entries.map((e) => e.name).join(',');
  return `${[`TRUSTED_CERTS=${b64(names)}`, ...entries.map((e) => `FILEDATA_${e.name}=${e.value}`)].join('\n')}\n`;
}
