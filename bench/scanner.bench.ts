/**
 * Cert-scraping scanner: 10 000 certificates (a mix of server, client, S/MIME and CA certificates) in PEM files and
 * in an NSS database.
 * - PEM files: FolderSource + classification (what `keytalk-agent scan` does per certificate) against
 *   (a) `openssl x509` run per file (fingerprint, keyUsage/EKU, end date, subject), timed on a sample and
 *   extrapolated — target ≥ 10× faster; (b) reading each file and constructing Node's X509Certificate, nothing
 *   else — target within 2×.
 * - NSS database: NssSource + classification against one `certutil -L` listing the same database — target ≤ 2×.
 * The certificates are generated once (one RSA key, TBS built by forge once per kind, the serial patched, signed
 * with Node) and cached under .tmp/scanner-bench/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { BenchResult } from './run';
import { derToPem } from '../app/crypto/pem';
import { collectCertificates } from '../app/scanner/collect';
import { FolderSource } from '../app/scanner/folder-source';
import { NssSource } from '../app/scanner/store-sources';
import { makeKey, mintCert } from '../test-support/scanner/test-certs';
import { processRunner } from '../app/system/command-runner';

const N = Number(process.env.BENCH_SCANNER_CERTS ?? 10_000);
const OPENSSL_SAMPLE = 50;
const root = path.resolve('.tmp', 'scanner-bench', String(N));
const pemDir = path.join(root, 'pem');
const nssDir = path.join(root, 'nssdb');

/** DER length header. */
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const seq = (...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0x30]), len(body.length), body]);
};

function generate(): void {
  if (existsSync(path.join(root, 'done'))) return;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(pemDir, { recursive: true });
  const key = makeKey();
  const issuer = { key, cn: 'Bench CA' };
  const tls = { digitalSignature: true, keyEncipherment: true };
  const templates = [
    mintCert({ cn: 'bench-server-00000000', key, issuer, keyUsage: tls, extKeyUsage: { serverAuth: true } }),
    mintCert({ cn: 'bench-client-00000000', key, issuer, keyUsage: tls, extKeyUsage: { clientAuth: true } }),
    mintCert({
      cn: 'bench-smime-00000000',
      key,
      issuer,
      keyUsage: { digitalSignature: true },
      extKeyUsage: { emailProtection: true },
      email: 'b@bench.test',
    }),
    mintCert({ cn: 'bench-ca-00000000', key, ca: true, keyUsage: { keyCertSign: true, cRLSign: true } }),
  ].map((t) => {
    // Split each template into TBS and signature algorithm (raw DER slices, lengths in long form 0x82 as these
    // certificates are 256..65535 bytes); find the 13-byte serial (INTEGER 0x0D, first byte 01) to patch.
    const der = t.der;
    const hdr = (at: number) => (der[at + 1]! < 0x80 ? 2 : 2 + (der[at + 1]! & 0x7f));
    const size = (at: number) => {
      const h = hdr(at);
      return h === 2 ? der[at + 1]! : der.readUIntBE(at + 2, h - 2);
    };
    const tbsAt = hdr(0);
    const tbsEnd = tbsAt + hdr(tbsAt) + size(tbsAt);
    const tbs = der.subarray(tbsAt, tbsEnd);
    const alg = der.subarray(tbsEnd, tbsEnd + hdr(tbsEnd) + size(tbsEnd));
    const serialAt = tbs.indexOf(Buffer.from([0x02, 0x0d, 0x01])) + 3;
    // Distinct subjects too: NSS looks certificates up by subject on import, which is quadratic with one subject.
    const cnAt = tbs.lastIndexOf(Buffer.from('-00000000'));
    return { tbs, alg, serialAt, cnAt };
  });
  const p12Certs: forge.pki.Certificate[] = [];
  for (let i = 0; i < N; i++) {
    const t = templates[i % templates.length]!;
    const tbs = Buffer.from(t.tbs);
    tbs.writeUInt32BE(i, t.serialAt + 8);
    tbs.write(String(i).padStart(8, '0'), t.cnAt + 1, 'latin1');
    const sig = sign('sha256', tbs, key.privateKey);
    const der = seq(tbs, t.alg, Buffer.concat([Buffer.from([0x03]), len(sig.length + 1), Buffer.from([0]), sig]));
    const pem = derToPem(der, 'CERTIFICATE');
    const sub = path.join(pemDir, String(Math.floor(i / 1000)));
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `c${i}.pem`), pem);
    p12Certs.push(forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))));
  }
  // PKCS#12 files of 1000 certificates each, imported with pk12util (certutil -A per certificate takes minutes;
  // one P12 with all of them makes pk12util's import slow down with the file size).
  mkdirSync(nssDir);
  execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  writeFileSync(path.join(root, 'pw'), 'bench\n');
  for (let from = 0; from < p12Certs.length; from += 1000) {
    const p12 = forge.pkcs12.toPkcs12Asn1(null, p12Certs.slice(from, from + 1000), 'bench', { algorithm: '3des', useMac: true });
    const p12File = path.join(root, `part${from}.p12`);
    writeFileSync(p12File, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
    execFileSync('pk12util', ['-i', p12File, '-d', `sql:${nssDir}`, '-w', path.join(root, 'pw'), '-K', ''], { stdio: 'pipe' });
    rmSync(p12File);
  }
  writeFileSync(path.join(root, 'done'), new Date().toISOString());
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function run(): Promise<BenchResult[]> {
  generate();
  const files = listFiles(pemDir);
  const all = {
    purposes: ['smime', 'client-auth', 'server-auth'] as const,
    storeTypes: ['personal'] as const,
    includeExpired: false,
    wantKeys: false,
  };

  // warm-up (JIT, file cache) on both paths
  for (const f of files.slice(0, 200)) new X509Certificate(readFileSync(f));
  await collectCertificates({
    ...all,
    purposes: [...all.purposes],
    storeTypes: [...all.storeTypes],
    sources: [new FolderSource({ folders: [path.join(pemDir, '0')] })],
  });

  let t0 = process.hrtime.bigint();
  const scanned = await collectCertificates({
    ...all,
    purposes: [...all.purposes],
    storeTypes: [...all.storeTypes],
    sources: [new FolderSource({ folders: [pemDir] })],
  });
  const scanMs = ms(t0);
  const seen = scanned.candidates.length + scanned.excluded.purpose + scanned.excluded.duplicate + scanned.excluded.expired;
  if (seen !== N) throw new Error(`scanner saw ${seen} certificates, expected ${N}`);

  t0 = process.hrtime.bigint();
  for (const f of files) new X509Certificate(readFileSync(f));
  const x509Ms = ms(t0);

  const sample = files.filter((_, i) => i % Math.floor(files.length / OPENSSL_SAMPLE) === 0).slice(0, OPENSSL_SAMPLE);
  t0 = process.hrtime.bigint();
  for (const f of sample) {
    const r = spawnSync('openssl', [
      'x509',
      '-in',
      f,
      '-noout',
      '-fingerprint',
      '-sha256',
      '-enddate',
      '-subject',
      '-ext',
      'keyUsage,extendedKeyUsage',
    ]);
    if (r.status !== 0) throw new Error(`openssl x509 failed on ${f}: ${r.stderr}`);
  }
  const opensslMs = (ms(t0) / sample.length) * files.length;

  t0 = process.hrtime.bigint();
  const nss = await collectCertificates({
    ...all,
    purposes: [...all.purposes],
    storeTypes: [...all.storeTypes],
    sources: [new NssSource({ dbDir: nssDir, runner: processRunner })],
  });
  const nssMs = ms(t0);
  const nssSeen = nss.candidates.length + nss.excluded.purpose + nss.excluded.duplicate + nss.excluded.expired;
  t0 = process.hrtime.bigint();
  const listed = spawnSync('certutil', ['-L', '-d', `sql:${nssDir}`], { maxBuffer: 64 * 1024 * 1024 });
  const certutilMs = ms(t0);
  if (listed.status !== 0) throw new Error(`certutil -L failed: ${listed.stderr}`);

  return [
    {
      name: `scan ${N} PEM files (read, parse, classify, dedupe)`,
      value: scanMs,
      unit: 'ms',
      baselineName: `openssl x509 per file (${sample.length} timed, extrapolated)`,
      baseline: opensslMs,
      ratio: scanMs / opensslMs,
      target: '≤ 0.10 (≥ 10× faster)',
      met: scanMs * 10 <= opensslMs,
    },
    {
      name: `scan ${N} PEM files (read, parse, classify, dedupe)`,
      value: scanMs,
      unit: 'ms',
      baselineName: 'readFileSync + new X509Certificate per file',
      baseline: x509Ms,
      ratio: scanMs / x509Ms,
      target: '≤ 2',
      met: scanMs <= 2 * x509Ms,
    },
    {
      name: `scan NSS database with ${nssSeen} certificates (sqlite3 read, parse, classify)`,
      value: nssMs,
      unit: 'ms',
      baselineName: 'one certutil -L over the same database',
      baseline: certutilMs,
      ratio: nssMs / certutilMs,
      target: '≤ 2',
      met: nssMs <= 2 * certutilMs && nssSeen === N,
    },
  ];
}
