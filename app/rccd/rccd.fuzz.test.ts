import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import JSZip from 'jszip';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import {
  expectResolvesOrTypedError,
  expectReturnsOrTypedError,
  fuzzParams,
  fuzzTimeout,
} from '../../test-support/fuzz/fuzz-config';
import { makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';
import { importRccd, RccdFormatError, RccdVersionError, UnsafeZipError } from './index';
import { LibconfigError, parseLibconfig } from './libconfig';
import { readZipSafely } from './zip-guard';

/**
 * Issue 22 fuzzing: RCCD files (zip entries, names, sizes, YAML and libconfig bodies). Property: importRccd
 * returns a provider or throws UnsafeZipError / RccdFormatError / RccdVersionError with a message — never a raw
 * TypeError or a schema library's error — and writes nothing outside <home>/providers.
 */
let cas: RccdCas;
let good: Buffer;
const root = mkdtempSync(path.join(os.tmpdir(), 'kt-rccd-fuzz-'));
beforeAll(async () => {
  const pki = await createTestPki('Fuzz');
  const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing: await ca('Fuzz UCA'), server: await ca('Fuzz SCA') };
  good = await makeRccdV2({ cas });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TYPED = [UnsafeZipError, RccdFormatError, RccdVersionError] as const;
let n = 0;
async function importInFreshHome(bytes: Uint8Array): Promise<void> {
  const home = path.join(root, `h${n++}`);
  await expectResolvesOrTypedError(() => importRccd(home, bytes, { force: true }), ...TYPED);
  // Nothing outside <home>/providers: the fuzz root holds only homes, each holding at most providers/ and the
  // inter-process lock the import takes (state/home.lock*, released: only its owner note may be left).
  for (const h of readdirSync(root)) expect(h).toMatch(/^h\d+$/);
  expect(existsSync(home) ? readdirSync(home).filter((e) => e !== 'providers' && e !== 'state') : []).toEqual([]);
  const state = path.join(home, 'state');
  if (existsSync(state)) for (const e of readdirSync(state)) expect(e).toMatch(/^home\.lock(\.owner)?$/);
}

const yamlValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('Name', 'Server', 'Services', 'CertValidPercent', 'ContentVersion', 'Providers', 'x'),
      tie('v'),
      { maxKeys: 4 },
    ),
  ),
})).v;

const services = fc.array(
  fc.dictionary(fc.constantFrom('Name', 'CertValidPercent', 'CertFormat', 'Uri', 'Users', 'CertChain'), yamlValue, {
    maxKeys: 4,
  }),
  { maxLength: 4 },
);

describe('fuzz: RCCD import', () => {
  it(
    'any bytes, truncated or bit-flipped RCCDs: a typed error',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 1024 }),
            fc.nat(good.length).map((k) => good.subarray(0, k)),
            fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
              const b = Buffer.from(good);
              b[i] = b[i]! ^ x;
              return b;
            }),
          ),
          importInFreshHome,
        ),
        fuzzParams(150),
      );
    },
    fuzzTimeout(),
  );

  it(
    'valid zips with hostile user.yaml / index.yaml bodies, services and servers',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({
              kind: fc.constant('user'),
              body: fc.oneof(
                fc.string({ maxLength: 300 }),
                yamlValue.map((v) => YAML.stringify(v)),
              ),
            }),
            fc.record({
              kind: fc.constant('index'),
              body: fc.oneof(
                fc.string({ maxLength: 300 }),
                yamlValue.map((v) => YAML.stringify(v)),
              ),
            }),
            fc.record({
              kind: fc.constant('services'),
              services,
              server: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('127.0.0.1:8443')),
            }),
          ),
          async (c) => {
            const rccd = await (c.kind === 'services'
              ? makeRccdV2({ cas, services: c.services as Array<Record<string, unknown>>, server: c.server as string })
              : makeRccdV2({ cas }, (z: JSZip) =>
                  z.file(c.kind === 'user' ? 'content/user.yaml' : 'index.yaml', c.body as string),
                ));
            await importInFreshHome(rccd);
          },
        ),
        fuzzParams(30),
      );
    },
    fuzzTimeout(30_000),
  );

  it('libconfig bodies: parsed settings or LibconfigError', () => {
    const token = fc.constantFrom(
      'a',
      '=',
      ':',
      ';',
      ',',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '"x"',
      '"\\',
      '1',
      '0x1F',
      '-2.5e3',
      'true',
      '@include "x"',
      '/*',
      '*/',
      '//',
      '#',
      '\n',
      ' ',
      'L',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(token, { maxLength: 60 }).map((t) => t.join('')),
        ),
        (text) => {
          expectReturnsOrTypedError(() => parseLibconfig(text, 'user.ini'), LibconfigError);
        },
      ),
      fuzzParams(400),
    );
  });

  it(
    'zip entries with hostile names and sizes: map of safe names or UnsafeZipError',
    async () => {
      const name = fc.oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom('../x', '..\\x', '/etc/passwd', 'C:\\x', 'a/../../b', 'a\u0000b', 'dup', 'index.yaml', 'a//b', './a'),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(name, fc.uint8Array({ maxLength: 200 })), { maxLength: 6 }), async (entries) => {
          const zip = new JSZip();
          for (const [nm, data] of entries) zip.file(nm, data, { createFolders: false });
          const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
          const files = expectReturnsOrTypedError(() => readZipSafely(bytes), UnsafeZipError);
          for (const k of files?.keys() ?? []) {
            expect(k).not.toMatch(/(^|\/)\.\.(\/|$)|^\/|\\|^[a-z]:/i);
          }
        }),
        fuzzParams(200),
      );
    },
    fuzzTimeout(),
  );
});
