import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';
import { importRccd, listProviders, RCCD_LIMITS, RccdFormatError, RccdLimitError } from './index';

// Issue 22, "RCCD trust and size": a legal 8 MiB YAML with 274 000 services was imported with 862 MB RSS.
// Each cap in rccd-limits.ts must refuse with a RccdLimitError that names the limit, before the expensive work.

let cas: RccdCas;
const homes: string[] = [];
function newHome(): string {
  const h = mkdtempSync(path.join(os.tmpdir(), 'kt-rccd-limits-'));
  homes.push(h);
  return h;
}
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

beforeAll(async () => {
  const pki = await createTestPki('RCCD Limits');
  const signing = await issueCertificate(pki.primary, { cn: 'Limits Signing CA', isCa: true, keyPem: pki.server.keyPem });
  const server = await issueCertificate(pki.primary, { cn: 'Limits Server CA', isCa: true, keyPem: pki.root.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing, server };
});

/** A user.yaml written by hand, so its size and shape are exactly what the test says. */
function userYaml(services: string, providerName = 'DemoProvider'): string {
  return `ConfigVersion: "2.0"\nProviders:\n  - Name: ${JSON.stringify(providerName)}\n    ContentVersion: 1\n    Server: "127.0.0.1:8443"\n    Services:\n${services}`;
}

/** An RCCD v2 whose content/user.yaml is replaced by `yaml` (stored uncompressed: the test is about parsing). */
function rccdWithUserYaml(yaml: string, providerName?: string): Promise<Buffer> {
  return makeRccdV2({ cas, providerName }, (zip) => {
    zip.file('content/user.yaml', yaml, { compression: 'STORE' });
  });
}

const serviceLines = (n: number): string =>
  Array.from({ length: n }, (_, i) => `      - Name: SERVICE_${String(i).padStart(6, '0')}\n`).join('');

async function refusal(p: Promise<unknown>): Promise<RccdLimitError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RccdLimitError);
  // Still a format error, so every caller that handles malformed RCCDs handles this too.
  expect(err).toBeInstanceOf(RccdFormatError);
  return err as RccdLimitError;
}

describe('RCCD size limits (issue 22)', () => {
  it('refuses a legal 8 MiB user.yaml with 274 000 services by its size, before parsing it', async () => {
    const yaml = userYaml(serviceLines(274_000));
    // Within the zip guard's 8 MiB per-entry limit, so only the RCCD limit can stop it.
    expect(yaml.length).toBeGreaterThan(7 * 1024 * 1024);
    expect(yaml.length).toBeLessThanOrEqual(8 * 1024 * 1024);
    const home = newHome();
    const err = await refusal(importRccd(home, await rccdWithUserYaml(yaml)));
    expect(err.limit).toBe('configBytes');
    expect(err.message).toContain('content/user.yaml');
    expect(err.message).toContain(`at most ${RCCD_LIMITS.configBytes} bytes`);
    expect(await listProviders(home)).toEqual([]);
  });

  it('refuses more than 1 000 services even when the file is small, and accepts exactly 1 000', async () => {
    const home = newHome();
    const err = await refusal(importRccd(home, await rccdWithUserYaml(userYaml(serviceLines(RCCD_LIMITS.services + 1)))));
    expect(err.limit).toBe('services');
    expect(err.message).toContain(`lists ${RCCD_LIMITS.services + 1} services`);
    expect(err.message).toContain(`at most ${RCCD_LIMITS.services}`);
    expect(await listProviders(home)).toEqual([]);

    const rec = await importRccd(home, await rccdWithUserYaml(userYaml(serviceLines(RCCD_LIMITS.services))));
    expect(rec.services).toHaveLength(RCCD_LIMITS.services);
  });

  it('refuses a service name or provider name longer than 256 characters', async () => {
    const long = 'S'.repeat(RCCD_LIMITS.nameChars + 1);
    const svc = await refusal(importRccd(newHome(), await rccdWithUserYaml(userYaml(`      - Name: ${long}\n`))));
    expect(svc.limit).toBe('nameChars');
    expect(svc.message).toContain('a service name is 257 characters long');

    const provider = await refusal(importRccd(newHome(), await rccdWithUserYaml(userYaml(serviceLines(1), long), long)));
    expect(provider.limit).toBe('nameChars');
    expect(provider.message).toContain('the provider name is 257 characters long');

    const ok = 'P'.repeat(RCCD_LIMITS.nameChars);
    expect((await importRccd(newHome(), await rccdWithUserYaml(userYaml(serviceLines(1), ok), ok))).name).toBe(ok);
  });

  it('refuses more than 100 providers in the user configuration', async () => {
    const providers = Array.from(
      { length: RCCD_LIMITS.providers + 1 },
      (_, i) => `  - Name: "P${i}"\n    Server: "127.0.0.1:8443"\n    Services:\n      - Name: S\n`,
    ).join('');
    const yaml = `ConfigVersion: "2.0"\nProviders:\n  - Name: "DemoProvider"\n    ContentVersion: 1\n    Server: "127.0.0.1:8443"\n    Services:\n      - Name: S\n${providers}`;
    const err = await refusal(importRccd(newHome(), await rccdWithUserYaml(yaml)));
    expect(err.limit).toBe('providers');
  });

  it('refuses a provider.json that YAML aliases would blow up past 4 MiB', async () => {
    // 40 aliases (under the parser's alias budget of 50) of one 200 KB string: a 300 KB file, an 8 MB record.
    const big = 'x'.repeat(200_000);
    const services =
      `      - Name: S0\n        Note: &big "${big}"\n` +
      Array.from({ length: 40 }, (_, i) => `      - Name: S${i + 1}\n        Note: *big\n`).join('');
    const home = newHome();
    const err = await refusal(importRccd(home, await rccdWithUserYaml(userYaml(services))));
    expect(err.limit).toBe('providerJsonBytes');
    expect(err.message).toContain(`at most ${RCCD_LIMITS.providerJsonBytes}`);
    expect(await listProviders(home)).toEqual([]);
  });
});
