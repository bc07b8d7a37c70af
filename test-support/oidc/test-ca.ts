import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throw-away CA and one server certificate for 127.0.0.1/localhost, made with the real openssl tool. */
export interface TestTls {
  dir: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** base64 SHA-256 of the server certificate's SubjectPublicKeyInfo, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiSha256: string;
}

/**
 * EC P-256 keys: they are generated in a few milliseconds, where RSA would cost ~200 ms each on a shared core.
 * The files stay in a private temp dir (0700) that `stop()` removes.
 */
export async function makeTestTls(commonName = 'KeyTalk Test IdP CA'): Promise<TestTls> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keytalk-test-idp-'));
  await fs.chmod(dir, 0o700);
  const f = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', ['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  await fs.writeFile(
    f('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n',
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-sha256',
    '-extfile',
    f('server.ext'),
  ]);
  const [caPem, certPem, keyPem] = await Promise.all(
    ['ca.pem', 'server.pem', 'server.key'].map((n) => fs.readFile(f(n), 'utf8')),
  );
  const spki = new X509Certificate(certPem!).publicKey.export({ type: 'spki', format: 'der' });
  return {
    dir,
    caPem: caPem!,
    certPem: certPem!,
    keyPem: keyPem!,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}
