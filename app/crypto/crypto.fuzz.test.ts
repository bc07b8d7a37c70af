import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { opensslPkcs12 } from '../../test-support/crypto/fixture-certs';
import { createTestPki, type TestPki } from '../../test-support/crypto/test-pki';
import { expectReturnsOrTypedError, fuzzParams, fuzzTimeout } from '../../test-support/fuzz/fuzz-config';
import { certificateFingerprint, describeCertificate } from './cert-info';
import { parsePkcs12 } from './p12-read';
import { pemToDer, splitPemBlocks } from './pem';
import { decryptPrivateKeyPem } from './private-key';

/**
 * Issue 22 fuzzing: PKCS#12, PEM and DER input (server replies, RCCD CAs, user files). The crypto module has no
 * error class of its own: its contract is a plain Error with words ("Not a readable X.509 certificate (…)"),
 * never a TypeError/RangeError from deep inside forge or a hang.
 */
let pki: TestPki;
let p12: Buffer;
let certDer: Buffer;
beforeAll(async () => {
  pki = await createTestPki('Crypto Fuzz');
  p12 = opensslPkcs12(
    {
      certPem: pki.server.certPem,
      keyPem: pki.server.keyPem,
      password: 'pw',
      chainPem: [pki.primary.certPem],
      friendlyName: 'fuzz',
    },
    [],
  );
  certDer = pemToDer(pki.server.certPem);
});

/** A plain Error (the crypto module's documented failure), not one of JavaScript's own crash types. */
class PlainError extends Error {
  static override [Symbol.hasInstance](e: unknown): boolean {
    return e instanceof Error && e.constructor === Error;
  }
}

const mutated = (base: () => Buffer) =>
  fc.oneof(
    fc.tuple(fc.nat(4096), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
      const b = Buffer.from(base());
      b[i % b.length] = b[i % b.length]! ^ x;
      return b;
    }),
    fc.nat(4096).map((k) => base().subarray(0, k % base().length)),
    fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  );

describe('fuzz: certificates (PEM and DER)', () => {
  it('describeCertificate / certificateFingerprint: a description or a worded Error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutated(() => certDer),
          mutated(() => Buffer.from(pki.server.certPem)).map((b) => b.toString('latin1')),
          fc.string({ maxLength: 300 }).map((s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`),
        ),
        (input) => {
          const info = expectReturnsOrTypedError(() => describeCertificate(input), PlainError);
          if (info) expect(info.sha256Fingerprint).toBe(certificateFingerprint(input));
        },
      ),
      fuzzParams(300),
    );
  });

  it('regression (found by fuzzing): an impossible notAfter date is a worded Error, not RangeError', () => {
    const der = Buffer.from(certDer);
    // The validity SEQUENCE holds two UTCTimes (tag 0x17, 13 bytes); corrupt the month of the second.
    const second = der.indexOf(Buffer.from([0x17, 0x0d]), der.indexOf(Buffer.from([0x17, 0x0d])) + 1);
    der[second + 2 + 2] = 0xf3;
    expect(() => describeCertificate(der)).toThrow(/Not a readable X\.509 certificate/);
    expect(() => describeCertificate(der)).not.toThrow(RangeError);
  });

  it('splitPemBlocks / pemToDer on any text: blocks, or a worded Error', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constantFrom('-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN X-----', '\n'),
          ),
          {
            maxLength: 12,
          },
        ),
        (parts) => {
          const text = parts.join('');
          expectReturnsOrTypedError(() => splitPemBlocks(text), PlainError);
          expectReturnsOrTypedError(() => pemToDer(text), PlainError);
        },
      ),
      fuzzParams(300),
    );
  });
});

describe('fuzz: PKCS#12 and encrypted keys', () => {
  it(
    'parsePkcs12 on damaged, truncated and random input: contents or a worded Error',
    () => {
      fc.assert(
        fc.property(
          mutated(() => p12),
          fc.constantFrom('pw', '', 'wrong'),
          (bytes, password) => {
            const c = expectReturnsOrTypedError(() => parsePkcs12(bytes, password), PlainError);
            // Whatever survives the damage is still a certificate with its own key.
            if (c) expect(describeCertificate(c.certPem).sha256Fingerprint).toMatch(/^[0-9A-F]{64}$/);
          },
        ),
        fuzzParams(80),
      );
    },
    fuzzTimeout(),
  );

  it('decryptPrivateKeyPem on any PEM-looking text: a key or a worded Error', () => {
    fc.assert(
      fc.property(
        fc
          .string({ maxLength: 200 })
          .map((s) => `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${s}\n-----END ENCRYPTED PRIVATE KEY-----\n`),
        fc.string({ maxLength: 10 }),
        (pem, password) => {
          expectReturnsOrTypedError(() => decryptPrivateKeyPem(pem, password), PlainError);
        },
      ),
      fuzzParams(200),
    );
  });
});
