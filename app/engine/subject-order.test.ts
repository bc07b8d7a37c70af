import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCertificate } from '../crypto/cert-info';
import { certFactsFromPem } from '../stores/cert-summary';
import { subjectInRfc4514Order } from './subject-order';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kt-subject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real certificate from openssl with the given subject (openssl's "/A=x/B=y" is certificate order). */
function certWith(subj: string): string {
  const cert = path.join(dir, `${Math.random().toString(36).slice(2)}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      subj,
      '-days',
      '1',
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return readFileSync(cert, 'utf8');
}

describe('subjectInRfc4514Order', () => {
  it('turns the stores\u2019 certificate-order subject into describeCertificate\u2019s RFC 4514 order', () => {
    const pem = certWith('/C=NL/O=KeyTalk/OU=Dev/OU=Ops/CN=alice/emailAddress=alice@example.com');
    expect(certFactsFromPem(pem).subject).toBe('C=NL, O=KeyTalk, OU=Dev, OU=Ops, CN=alice, emailAddress=alice@example.com');
    expect(subjectInRfc4514Order(certFactsFromPem(pem).subject)).toBe(
      'emailAddress=alice@example.com, CN=alice, OU=Ops, OU=Dev, O=KeyTalk, C=NL',
    );
    expect(subjectInRfc4514Order(certFactsFromPem(pem).subject)).toBe(describeCertificate(pem).subject);
  });

  it('keeps escaped commas inside values and joins multi-valued RDNs with "+"', () => {
    const pem = certWith('/C=NL/O=Key, Talk/CN=alice+UID=a1');
    expect(subjectInRfc4514Order(certFactsFromPem(pem).subject)).toBe(describeCertificate(pem).subject);
    expect(describeCertificate(pem).subject).toBe('CN=alice+UID=a1, O=Key\\, Talk, C=NL');
  });
});
