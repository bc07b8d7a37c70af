import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { FlowCancelledError, FlowFailure, MissingInputError } from '../engine/front-end';
import { PublicApiError } from '../public-api/errors';
import { ProviderNotFoundError, RccdFormatError, RccdVersionError, UnsafeZipError } from '../rccd/index';
import { makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';
import { RcdpNetworkError, RcdpTlsError } from '../rcdp/errors';
import { StoreError } from '../stores/store';
import { TlsTrustError } from '../tls/explain-tls-error';
import { UsageError } from './args';
import { classifyError } from './error-exit';
import { EXIT } from './exit-codes';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';

/**
 * Security review (issue 22): app/cli/run.ts classified escaped errors by matching their text, so an RCCD whose
 * message did not happen to contain "rccd" or "zip" exited 1 ("internal") instead of 2 ("bad input").
 */
let dir: string;
let cas: RccdCas;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kt-exit-'));
  const pki = await createTestPki('Exit');
  const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing: await ca('Exit UCA'), server: await ca('Exit SCA') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes by error type', () => {
  it('maps each typed error, whatever its wording', () => {
    const cases: Array<[Error, number]> = [
      [new UsageError('x'), EXIT.badInput],
      [new RccdFormatError('lists no Providers'), EXIT.badInput],
      [new UnsafeZipError('x'), EXIT.badInput],
      [new RccdVersionError(2, 1, 'A'), EXIT.badInput],
      [new ProviderNotFoundError('A'), EXIT.badInput],
      [new MissingInputError(['password'], 'x'), EXIT.badInput],
      [new TlsTrustError('x', 'unknown-ca', 'h', 'CERT_UNTRUSTED', undefined), EXIT.tls],
      [new RcdpTlsError('hello', 'x'), EXIT.tls],
      [new RcdpNetworkError('hello', 'rccd zip not found'), EXIT.network],
      [new FlowFailure('auth-failed', 'x'), EXIT.authFailed],
      [new FlowCancelledError(), EXIT.cancelled],
      [new StoreError('file', 'x'), EXIT.storeFailed],
      [new PublicApiError('rccd', 'x', 'tls'), EXIT.tls],
      [new PublicApiError('rccd', 'x', 'network'), EXIT.network],
      // Wording alone never decides: a plain Error that mentions an RCCD is still internal.
      [new Error('the rccd zip was not found'), EXIT.internal],
    ];
    for (const [err, exit] of cases) expect(classifyError(err).exit, `${err.name}: ${err.message}`).toBe(exit);
  });

  it('a malformed RCCD exits 2 through the real CLI, with the parser’s message', async () => {
    const bad: Array<[string, Buffer, RegExp]> = [
      [
        'no-providers.rccd',
        await makeRccdV2({ cas }, (z) => z.file('content/user.yaml', 'Providers: []\n')),
        /lists no Providers/,
      ],
      ['not-a-mapping.rccd', await makeRccdV2({ cas }, (z) => z.file('content/user.yaml', '- a\n- b\n')), /must hold settings/],
      ['bad-percent.rccd', await makeRccdV2({ cas, services: [{ Name: 'S', CertValidPercent: 300 }] }), /CertValidPercent/],
      ['garbage.rccd', Buffer.from('definitely not a zip'), /zip/i],
    ];
    for (const [name, data, message] of bad) {
      const file = path.join(dir, name);
      writeFileSync(file, data);
      const run = await runCliCaptured(['rccd', 'import', file], { home: path.join(dir, 'home') });
      expect(run.code, `${name}: ${run.stderr}`).toBe(EXIT.badInput);
      expect(run.stderr).toMatch(message);
    }
  });
});
