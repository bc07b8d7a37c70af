import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectReturnsOrTypedError, fuzzParams } from '../../test-support/fuzz/fuzz-config';
import { parseTrustRoots, TrustRootsError } from './trust-roots-parse';

/** Issue 22 fuzzing: Online CA trust-root replies (online-ca-web-service.txt, "trust roots") from a hostile server. */
const PEM_HEAD = '-----BEGIN CERTIFICATE-----';
const line = fc.oneof(
  fc.string(),
  fc.constantFrom(PEM_HEAD, '-----END CERTIFICATE-----', 'ca.pem', '../x.pem', 'MIIB', '=', ''),
  fc.base64String(),
  fc.tuple(fc.string({ maxLength: 20 }), fc.base64String()).map(([n, b]) => `${n} ${b}`),
);

describe('fuzz: Online CA trust-root replies', () => {
  it('any text: a parsed list or TrustRootsError', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 30 }).map((ls) => ls.join('\n')),
        (text) => {
          expectReturnsOrTypedError(() => parseTrustRoots(text), TrustRootsError);
        },
      ),
      fuzzParams(300),
    );
  });

  it('any bytes: a parsed list or TrustRootsError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expectReturnsOrTypedError(() => parseTrustRoots(Buffer.from(bytes)), TrustRootsError);
      }),
      fuzzParams(200),
    );
  });
});
