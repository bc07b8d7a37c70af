import { beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, newKeyPem, type TestIdentity } from '../../test-support/crypto/test-pki';
import { ChainError, verifyChain } from './chain';
import { fileNameProblem, parseTrustRoots, TRUST_ROOTS_LIMITS } from './trust-roots-parse';

let root: TestIdentity;
let issuing: TestIdentity;
let leaf: TestIdentity;
let lookAlike: TestIdentity;

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
const policy = "access_id_CA X509 '/CN=Root'\n";

beforeAll(async () => {
  const key = await newKeyPem(); // one key for all: these tests are about names and encodings
  root = await issueCertificate(undefined, { cn: 'Parse Root', isCa: true, keyPem: key });
  issuing = await issueCertificate(root, { cn: 'Parse Issuing', isCa: true, keyPem: await newKeyPem() });
  leaf = await issueCertificate(issuing, { cn: 'alice', keyPem: key });
  // Same subject name as the issuing CA, different key: only a signature check tells them apart.
  lookAlike = await issueCertificate(undefined, { cn: 'Parse Issuing', isCa: true, keyPem: await newKeyPem() });
});

const lines = (entries: Array<[string, string]>): string => entries.map(([n, v]) => `${n}=${v}`).join('\n');
const documented = (entries: Array<[string, string]>, list = entries.map(([n]) => n).join(',')): string =>
  [`TRUSTED_CERTS=${b64(list)}`, ...entries.map(([n, v]) => `FILEDATA_${n}=${v}`)].join('\n');

describe('parseTrustRoots', () => {
  it('reads <name>=<base64> lines', () => {
    const r = parseTrustRoots(
      lines([
        ['abcd1234.0', b64(root.certPem)],
        ['abcd1234.signing_policy', b64(policy)],
      ]),
    );
    expect(r.format).toBe('lines');
    expect(r.files.map((f) => f.name)).toEqual(['abcd1234.0', 'abcd1234.signing_policy']);
    expect(r.certificates).toHaveLength(1);
    expect(r.certificates[0]!.selfSigned).toBe(true);
    expect(r.certificates[0]!.subject).toContain('CN=Parse Root');
  });

  it('reads the documented TRUSTED_CERTS + FILEDATA_ format, with the list base64-encoded or plain, CRLF tolerated', () => {
    const entries: Array<[string, string]> = [
      ['root.0', b64(root.certPem)],
      ['issuing.0', b64(issuing.certPem)],
    ];
    const r = parseTrustRoots(documented(entries));
    expect(r.format).toBe('documented');
    expect(r.certificates.map((c) => c.file)).toEqual(['root.0', 'issuing.0']);
    const plain = `TRUSTED_CERTS=root.0,issuing.0\r\n${entries.map(([n, v]) => `FILEDATA_${n}=${v}`).join('\r\n')}\r\n`;
    expect(parseTrustRoots(plain).files).toHaveLength(2);
  });

  it('accepts DER certificate files', () => {
    const der = Buffer.from(root.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(parseTrustRoots(lines([['root.der', b64(der)]])).certificates).toHaveLength(1);
  });

  it.each([
    ['../evil.0', /path separator|\.\./],
    ['a/b.0', /path separator/],
    ['a\\b.0', /path separator/],
    ['..', /\.\./],
    ['.hidden', /characters other than/],
    ['x y.0', /characters other than/],
  ])('rejects the file name %s', (name, message) => {
    expect(() =>
      parseTrustRoots(
        lines([
          ['ok.0', b64(root.certPem)],
          [name, b64(root.certPem)],
        ]),
      ),
    ).toThrow(message);
  });

  it('rejects duplicate names, also when they differ only in case', () => {
    expect(() =>
      parseTrustRoots(
        lines([
          ['a.0', b64(root.certPem)],
          ['a.0', b64(root.certPem)],
        ]),
      ),
    ).toThrow(/more than once/);
    expect(() =>
      parseTrustRoots(
        lines([
          ['a.0', b64(root.certPem)],
          ['A.0', b64(root.certPem)],
        ]),
      ),
    ).toThrow(/more than once/);
  });

  it('rejects values that are not base64', () => {
    expect(() => parseTrustRoots(lines([['a.0', `${b64(root.certPem).slice(0, 40)}*not~base64!`]]))).toThrow(/not valid base64/);
    expect(() => parseTrustRoots(lines([['a.0', 'abc']]))).toThrow(/not valid base64/);
  });

  it('rejects oversize files and replies', () => {
    const big = b64(Buffer.alloc(TRUST_ROOTS_LIMITS.maxFileBytes + 1, 0x41));
    expect(() =>
      parseTrustRoots(
        lines([
          ['a.0', b64(root.certPem)],
          ['big.0', big],
        ]),
      ),
    ).toThrow(/more than the 262144 allowed/);
    expect(() => parseTrustRoots('x'.repeat(TRUST_ROOTS_LIMITS.maxReplyBytes + 1))).toThrow(/more than the 1048576 allowed/);
  });

  it('cross-checks TRUSTED_CERTS against the FILEDATA_ lines', () => {
    const entries: Array<[string, string]> = [['root.0', b64(root.certPem)]];
    expect(() => parseTrustRoots(documented(entries, 'root.0,missing.0'))).toThrow(/lists missing\.0 but no FILEDATA_/);
    expect(() => parseTrustRoots(documented([...entries, ['extra.0', b64(issuing.certPem)]], 'root.0'))).toThrow(
      /FILEDATA_extra\.0 is not listed/,
    );
    expect(() => parseTrustRoots(documented(entries, 'root.0,../x'))).toThrow(/TRUSTED_CERTS lists .*path separator/);
    expect(() => parseTrustRoots(`${documented(entries)}\nroot2.0=${b64(root.certPem)}`)).toThrow(
      /does not start with FILEDATA_/,
    );
  });

  it('rejects replies without any CA certificate, with a leaf certificate, or that are not key=value', () => {
    expect(() => parseTrustRoots(lines([['p.signing_policy', b64(policy)]]))).toThrow(/no CA certificate/);
    expect(() => parseTrustRoots(lines([['leaf.0', b64(leaf.certPem)]]))).toThrow(/not a CA certificate/);
    expect(() => parseTrustRoots('<html>Service Unavailable</html>')).toThrow(/not a key=value pair/);
    expect(() => parseTrustRoots('\n\n')).toThrow(/empty/);
  });

  it('fileNameProblem accepts OpenSSL hash names and signing policies', () => {
    expect(fileNameProblem('7724b9dc.0')).toBeUndefined();
    expect(fileNameProblem('7724b9dc.signing_policy')).toBeUndefined();
    expect(fileNameProblem('x'.repeat(200))).toMatch(/longer than/);
  });
});

describe('verifyChain', () => {
  it('builds leaf → issuing → root with roots only in the anchors', () => {
    const path = verifyChain(leaf.certPem, [root.certPem, issuing.certPem]);
    expect(path.map((x) => x.subject)).toEqual(['CN=alice', 'CN=Parse Issuing', 'CN=Parse Root']);
    expect(verifyChain(leaf.certPem, [issuing.certPem]).map((x) => x.subject)).toEqual(['CN=alice', 'CN=Parse Issuing']);
    expect(verifyChain(leaf.certPem, [root.certPem], [issuing.certPem])).toHaveLength(3);
  });

  it('refuses a look-alike issuer (right name, wrong key) and unknown issuers', () => {
    expect(() => verifyChain(leaf.certPem, [root.certPem, lookAlike.certPem])).toThrow(ChainError);
    expect(() => verifyChain(leaf.certPem, [root.certPem, lookAlike.certPem])).toThrow(/look-alike/);
    expect(() => verifyChain(leaf.certPem, [root.certPem])).toThrow(/not among the trust roots/);
  });

  it('refuses expired certificates', () => {
    const later = Date.now() + 2 * 365 * 86_400_000;
    expect(() => verifyChain(leaf.certPem, [root.certPem, issuing.certPem], [], later)).toThrow(/expired/);
  });
});
