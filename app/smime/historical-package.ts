import { gunzipSync } from 'node:zlib';
import { decodeOne, type CertFormat } from '../engine/certificate';
import type { CertificateBundle } from '../stores/store';

export type DecodedBundle = Omit<CertificateBundle, 'label' | 'origin'>;

const MAX_PACKAGE_BYTES = 16 * 1024 * 1024;

/**
 * Historical S/MIME certificates as one GZIP package (historical-certs-url-templ). The document says only
 * "a single GZIP package"; accepted contents: a JSON array of items as they come inline (base64 PKCS#12 or
 * PEM text), concatenated PEM (certificate + encrypted key pairs), or one DER PKCS#12. Each item is
 * encrypted like the inline ones (first 30 characters of the session ID).
 */
export function decodeHistoricalPackage(
  gz: Buffer,
  format: CertFormat,
  password: string,
): { bundles: DecodedBundle[]; skipped: string[] } {
  let raw: Buffer;
  try {
    raw = gunzipSync(gz, { maxOutputLength: MAX_PACKAGE_BYTES });
  } catch (err) {
    throw new Error(
      `the historical certificates package is not valid GZIP data (${(err as Error).message}); enroll again to get a new download link`,
    );
  }
  const items = splitItems(raw, format);
  return decodeHistoricalItems(items, format, password);
}

export function decodeHistoricalItems(
  items: (string | Buffer)[],
  format: CertFormat,
  password: string,
): { bundles: DecodedBundle[]; skipped: string[] } {
  const bundles: DecodedBundle[] = [];
  const skipped: string[] = [];
  items.forEach((item, i) => {
    try {
      bundles.push({ ...decodeOne(item, format, password), historical: true });
    } catch (err) {
      skipped.push(`historical certificate ${i + 1}: ${(err as Error).message}`);
    }
  });
  return { bundles, skipped };
}

function splitItems(raw: Buffer, format: CertFormat): (string | Buffer)[] {
  if (raw[0] === 0x30 && format !== 'PEM') return [raw];
  const text = raw.toString('utf8').trim();
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`the historical certificates package holds broken JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string'))
      throw new Error('the historical certificates package is not a list of certificates');
    return parsed as string[];
  }
  if (format === 'PEM') {
    // Pairs: each certificate with the key that follows it.
    const parts = text.split(/(?=-----BEGIN CERTIFICATE-----)/).filter((p) => p.includes('-----BEGIN CERTIFICATE-----'));
    const out: string[] = [];
    for (const p of parts) {
      if (/PRIVATE KEY-----/.test(p) || !out.length) out.push(p);
      else out[out.length - 1] += `\n${p}`; // a chain certificate belongs to the item before it
    }
    return out;
  }
  return [text];
}
