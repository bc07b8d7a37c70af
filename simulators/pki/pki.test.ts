import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPkcs12,
  issueFromCsr,
  issueLeafCertificate,
  issueTlsServerCert,
  loadOrCreateHierarchy,
  parseCsr,
  readPkcs12WithForge,
  type CertificateAuthority,
} from './index';

let dir: string;
let cas: Record<string, CertificateAuthority>;
const specs = [
  { name: 'root', subject: { cn: 'Test Root' } },
  { name: 'sub', parent: 'root', subject: { cn: 'Test Sub', o: 'Ünïcode Org' } },
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pki-'));
  cas = await loadOrCreateHierarchy(dir, specs);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CA hierarchy', () => {
  it('persists: a second load returns the same CAs without new keys', async () => {
    const again = await loadOrCreateHierarchy(dir, specs);
    expect(again.sub!.sha1).toBe(cas.sub!.sha1);
    expect(new X509Certificate(cas.sub!.certDer).checkIssued(new X509Certificate(cas.root!.certDer))).toBe(true);
    expect(cas.sub!.x509.subject).toContain('O=Ünïcode Org');
  });

  it('refuses a parent that is not listed first', async () => {
    await expect(
      loadOrCreateHierarchy(path.join(dir, 'x'), [{ name: 'child', parent: 'nope', subject: { cn: 'c' } }]),
    ).rejects.toThrow(/parent "nope"/);
  });
});

describe('leaf certificates', () => {
  it('RSA and EC subject keys, exact lifetime in seconds, SANs incl. IPv6, EKU; openssl verifies the chain', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const leaf = issueLeafCertificate(cas.sub!, {
      subject: { cn: 'ec user', e: 'ec@example.com', ous: ['A', 'B'] },
      publicKey: ec.publicKey,
      lifetimeSeconds: 7,
      san: ['email:ec@example.com', 'DNS:ec.example.com', 'IP:::1', 'IP:10.1.2.3', 'URI:https://x.example'],
      extKeyUsage: ['clientAuth', 'emailProtection'],
    });
    const x = new X509Certificate(leaf.der);
    expect(x.publicKey.asymmetricKeyType).toBe('ec');
    expect((Date.parse(x.validTo) - Date.parse(x.validFrom)) / 1000).toBe(7);
    expect(x.subjectAltName).toContain('IP Address:0:0:0:0:0:0:0:1');
    expect(x.verify(cas.sub!.x509.publicKey)).toBe(true);
    const f = path.join(dir, 'chain.pem');
    writeFileSync(f, cas.sub!.certPem + cas.root!.certPem);
    writeFileSync(path.join(dir, 'leaf.pem'), leaf.pem);
    expect(execFileSync('openssl', ['verify', '-CAfile', f, path.join(dir, 'leaf.pem')]).toString()).toContain('OK');
    expect(() => issueLeafCertificate(cas.sub!, { subject: { cn: 'x' }, publicKey: ec.publicKey, lifetimeSeconds: 0 })).toThrow(
      /lifetime/,
    );
    expect(() =>
      issueLeafCertificate(cas.sub!, { subject: { cn: 'x' }, publicKey: ec.publicKey, lifetimeSeconds: 5, san: ['nonsense'] }),
    ).toThrow(/type prefix/);
  });

  it('TLS server certificate works for a real TLS handshake', async () => {
    const t = await issueTlsServerCert(cas.sub!, ['127.0.0.1', 'localhost']);
    const server = tls.createServer({ cert: t.certPem + cas.sub!.certPem, key: t.keyPem }, (s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const text = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, ca: cas.root!.certPem }, () => undefined);
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => resolve(out));
      s.on('error', reject);
    });
    server.close();
    expect(text).toBe('hi');
  });
});

describe('CSR parsing', () => {
  it('reads subject, SANs, key size and digest of RSA and EC CSRs made by openssl; rejects a tampered one', () => {
    const key = path.join(dir, 'ec.key');
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    const csrPem = execFileSync('openssl', [
      'req',
      '-new',
      '-key',
      key,
      '-subj',
      '/C=NL/O=KeyTalk/OU=Dev/OU=Ops/CN=Jos',
      '-addext',
      'subjectAltName=email:jos@x.nl,DNS:jos.x.nl',
      '-sha384',
    ]).toString();
    const csr = parseCsr(csrPem);
    expect(csr.subject).toEqual({ c: 'NL', o: 'KeyTalk', ous: ['Dev', 'Ops'], cn: 'Jos' });
    expect(csr.san).toEqual(['email:jos@x.nl', 'DNS:jos.x.nl']);
    expect(csr).toMatchObject({ keyType: 'ec', keySize: 256, signingAlgo: 'sha384' });
    const issued = issueFromCsr(cas.sub!, csrPem, { lifetimeSeconds: 60 });
    expect(new X509Certificate(issued.cert.der).subject).toContain('CN=Jos');
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der.writeUInt8(der.readUInt8(der.length - 5) ^ 0xff, der.length - 5);
    expect(() => parseCsr(der.toString('base64'))).toThrow(/signature|DER/);
    expect(() => parseCsr('hello')).toThrow(/PKCS#10/);
  });
});

describe('PKCS#12', () => {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  it('legacy: RC2-40 certificates + 3DES key, readable by openssl -legacy and forge, MAC checks the password', () => {
    const leaf = issueLeafCertificate(cas.sub!, { subject: { cn: 'p12' }, publicKey: k.publicKey, lifetimeSeconds: 3600 });
    const p12 = buildPkcs12(k.privateKey, [leaf.der, cas.sub!.certDer], {
      flavour: 'legacy',
      password: 'pässword',
      friendlyName: 'p12',
    });
    const info = execFileSync('sh', ['-c', 'openssl pkcs12 -legacy -info -noout -passin pass:pässword 2>&1'], {
      input: p12,
    }).toString();
    expect(info).toContain('pbeWithSHA1And40BitRC2-CBC');
    expect(info).toContain('MAC: sha1');
    const back = readPkcs12WithForge(p12, 'pässword');
    expect(back.certsDer[0]!.equals(leaf.der)).toBe(true);
    expect(forge.pki.privateKeyFromPem(back.keyPem)).toBeTruthy();
    expect(() => readPkcs12WithForge(p12, 'wrong')).toThrow();
  });

  it('aes256: Node TLS loads it with the password and refuses another', () => {
    const leaf = issueLeafCertificate(cas.sub!, { subject: { cn: 'p12v2' }, publicKey: k.publicKey, lifetimeSeconds: 3600 });
    const p12 = buildPkcs12(k.privateKey, [leaf.der], { flavour: 'aes256', password: 'secret' });
    expect(() => tls.createSecureContext({ pfx: p12, passphrase: 'secret' })).not.toThrow();
    expect(() => tls.createSecureContext({ pfx: p12, passphrase: 'nope' })).toThrow();
  });
});
