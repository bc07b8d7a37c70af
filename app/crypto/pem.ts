/** PEM helpers shared by the crypto modules. */

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[ \t]*[\r\n]+([\s\S]*?)-----END \1-----/g;

/**
 * Every PEM block in `text`, in order, normalised to LF line endings with a trailing newline. With `type`
 * ('CERTIFICATE', 'PRIVATE KEY', …) only blocks of that label are returned. Text between blocks is ignored,
 * which is what lets OpenSSL-style "Bag Attributes" dumps and chain files with comments through.
 */
export function splitPemBlocks(text: string, type?: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    if (type !== undefined && m[1] !== type) continue;
    const body = m[2]!.replace(/\r/g, '').replace(/\n+/g, '\n').trim();
    out.push(`-----BEGIN ${m[1]}-----\n${body}\n-----END ${m[1]}-----\n`);
  }
  return out;
}

export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** DER bytes of the first PEM block (of `type` when given); throws naming what was expected. */
export function pemToDer(pem: string, type?: string): Buffer {
  const block = splitPemBlocks(pem, type)[0];
  if (!block) throw new Error(`No PEM ${type ?? ''} block found; expected text starting with "-----BEGIN ${type ?? '…'}-----"`);
  const body = block.split('\n').filter((l) => l && !l.startsWith('-----') && !l.includes(':'));
  return Buffer.from(body.join(''), 'base64');
}

/** Accept PEM text or raw DER for a certificate and always hand back PEM. */
export function certificateToPem(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    const block = splitPemBlocks(input, 'CERTIFICATE')[0];
    if (!block) throw new Error('No "-----BEGIN CERTIFICATE-----" block found in the certificate text');
    return block;
  }
  const bytes = Buffer.from(input);
  const asText = bytes.toString('latin1');
  if (asText.includes('-----BEGIN CERTIFICATE-----')) return certificateToPem(asText);
  return derToPem(bytes, 'CERTIFICATE');
}
