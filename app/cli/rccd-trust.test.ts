import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { runCliCaptured } from '../../test-support/cli/run-cli-captured';
import { makeRccdV1, makeRccdV2, type RccdCas } from '../../test-support/rccd/make-rccd';
import { EXIT } from './exit-codes';

// Issue 22, "RCCD trust and size": an unsigned v1 RCCD, one signed by a CA inside itself, or one whose "CA" is not
// a CA imported silently — the warnings were computed and never shown. Now they are printed, and unsigned or
// self-vouched RCCDs need --accept-unsigned (exit 2 naming the flag otherwise).

let cas: RccdCas;
const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kt-rccd-trust-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

beforeAll(async () => {
  const pki = await createTestPki('RCCD Trust');
  const signing = await issueCertificate(pki.primary, { cn: 'Trust Signing CA', isCa: true, keyPem: pki.server.keyPem });
  const server = await issueCertificate(pki.primary, { cn: 'Trust Server CA', isCa: true, keyPem: pki.root.keyPem });
  cas = { root: pki.root, primary: pki.primary, signing, server };
});

function file(dir: string, data: Buffer): string {
  const f = path.join(dir, 'provider.rccd');
  writeFileSync(f, data);
  return f;
}

async function importBoth(rccd: Buffer, warning: RegExp): Promise<void> {
  const dir = tmp();
  const home = path.join(dir, 'home');
  const f = file(dir, rccd);
  const refused = await runCliCaptured(['rccd', 'import', f], { home });
  expect(refused.code).toBe(EXIT.badInput);
  expect(refused.stderr).toContain('--accept-unsigned');
  expect(JSON.parse((await runCliCaptured(['providers', '--json'], { home })).stdout)).toEqual({ providers: [], warnings: [] });

  const accepted = await runCliCaptured(['rccd', 'import', f, '--accept-unsigned'], { home });
  expect(accepted.code).toBe(EXIT.ok);
  expect(accepted.stdout).toContain('imported provider DemoProvider');
  expect(accepted.stderr).toMatch(new RegExp(`^warning: .*${warning.source}`, 'm'));

  // --json: the warnings are part of the import result (the same ProviderSummary the UI gets).
  const json = await runCliCaptured(['rccd', 'import', f, '--accept-unsigned', '--force', '--json'], { home });
  expect(json.code).toBe(EXIT.ok);
  const summary = JSON.parse(json.stdout) as { warnings?: string[] };
  // Once, as a sentence: printed on stderr as `warning: …` and carried in the result, the one object lists it once.
  expect(
    summary.warnings?.filter((w) => warning.test(w)),
    JSON.stringify(summary.warnings),
  ).toHaveLength(1);
  expect(summary.warnings?.filter((w) => w.startsWith('warning: '))).toEqual([]);
  expect(json.stderr).toBe('');
}

describe('keytalk-agent rccd import: trust warnings (issue 22)', () => {
  it('refuses an unsigned v1 RCCD without --accept-unsigned and shows the warning with it', async () => {
    await importBoth(await makeRccdV1({ cas, unsigned: true }), /manifest is not signed/);
  });

  it('refuses a v1 RCCD signed only by a CA inside itself without --accept-unsigned', async () => {
    await importBoth(await makeRccdV1({ cas }), /verifies only against CAs the RCCD itself carries/);
  });

  it('shows a "CA" that is not a CA certificate (RCCD v2: shown, not blocking)', async () => {
    const leaf = await issueCertificate(cas.primary, { cn: 'Not A CA' });
    const dir = tmp();
    const home = path.join(dir, 'home');
    const run = await runCliCaptured(['rccd', 'import', file(dir, await makeRccdV2({ cas: { ...cas, server: leaf } }))], {
      home,
    });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toMatch(/warning: SCA \(server communication CA\) ".*Not A CA.*" is not marked as a CA certificate/);
  });

  it('imports a v2 RCCD with sound CAs silently, as before', async () => {
    const dir = tmp();
    const run = await runCliCaptured(['rccd', 'import', file(dir, await makeRccdV2({ cas }))], { home: path.join(dir, 'h') });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toBe('');
  });

  it('exits 2 naming the limit for an RCCD over the size limits (RccdLimitError is bad input, not internal)', async () => {
    const services = Array.from({ length: 1001 }, (_, i) => ({ Name: `S${i}` }));
    const dir = tmp();
    const run = await runCliCaptured(['rccd', 'import', file(dir, await makeRccdV2({ cas, services }))], {
      home: path.join(dir, 'h'),
    });
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toContain('lists 1001 services; a provider may offer at most 1000');
  });
});
