import { describe, expect, it } from 'vitest';
import { selfSignedCertPem } from '../../test-support/crypto/fixture-certs';
import { describeCertificate } from '../crypto/cert-info';
import { certFactsFromPem } from '../stores/cert-summary';
import { subjectInRfc4514Order } from './subject-order';

/** A real certificate from openssl with the given subject (openssl's "/A=x/B=y" is certificate order). */
const certWith = (subj: string): string => selfSignedCertPem(subj);

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
