/**
 * Full chains from every server version. keytalk-api-2.3.2 section 2.8.2/2.8.4: `include-chain` — "Request the
 * entire certificate chain including subordinate and root CAs" (default false); keytalk-api-rcdp-2.8.3 section
 * 2.7.2: the certificate "including CA trust chain, when available". Every store receives leaf + chain: a real
 * file store and a real NSS database (certutil).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureInput } from '../../simulators/keytalk/index';
import { creds, scriptedTestFrontEnd, startSimHarness, type SimHarness } from '../../test-support/engine/sim-harness';
import { describeCertificate } from '../crypto/cert-info';
import { FileStore } from '../stores/file-store';
import { NssStore } from '../stores/nss-store';
import { processRunner } from '../system/command-runner';
import { buildChain } from './chain-completion';
import type { CertFormat } from './certificate';
import { runEnrollment } from './enroll';

const fixture = (server: NonNullable<Exclude<FixtureInput, string>['server']>): FixtureInput => ({
  server,
  providers: [
    {
      name: 'Demo',
      services: [{ name: 'PASSWD', credentials: ['USERID', 'PASSWD'], cert: {} }],
      users: [{ id: 'alice', password: 'secret' }],
    },
  ],
});

const cn = (pem: string) => describeCertificate(pem).commonName;
const pkiPem = (h: SimHarness, name: string) => fs.readFile(path.join(h.tmp, 'sim', 'pki', `${name}.crt.pem`), 'utf8');

async function enrollInto(h: SimHarness, name: string, opts: { format?: CertFormat; csr?: boolean; cas?: string[] }) {
  const file = new FileStore(path.join(h.tmp, `${name}-files`));
  const nssDir = path.join(h.tmp, `${name}-nss`);
  const nss = new NssStore({ id: 'nss', name: 'nss', dbDir: nssDir, usedBy: [], runner: processRunner, create: true });
  const base = h.deps();
  const deps = h.deps({
    stores: () => [file, nss],
    openProvider: async (p) => ({ ...(await base.openProvider(p)), ...(opts.cas ? { cas: opts.cas } : {}) }),
  });
  const t = scriptedTestFrontEnd([() => creds({ USERID: 'alice', PASSWD: 'secret' })]);
  const outcome = await runEnrollment({ provider: 'Demo', service: 'PASSWD', format: opts.format, csr: opts.csr }, t.fe, deps);
  if (outcome.status !== 'issued') expect.fail(JSON.stringify(outcome));
  const bundle = await file.read(outcome.sha256Fingerprint);
  // NSS: every certificate in the database, by subject CN.
  const listed = execFileSync('certutil', ['-L', '-d', `sql:${nssDir}`], { encoding: 'utf8' });
  return { chainCns: bundle.chainPem.map(cn), nssListing: listed };
}

describe('a 2.3-era server (keytalk-api-2.3.2): include-chain is sent and the chain is stored', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimHarness(fixture({ maxRcdpVersion: '2.3.0' }));
  });
  afterAll(async () => h?.stop());

  for (const [label, opts] of [
    ['P12', { format: 'P12' }],
    ['PEM', { format: 'PEM' }],
    ['CSR', { csr: true }],
  ] as const) {
    it(`${label}: the request carries include-chain=True; file store and NSS hold leaf + signing + primary CA`, async () => {
      await h.control('/log', undefined, 'DELETE');
      const { chainCns, nssListing } = await enrollInto(h, `v23-${label}`, opts);
      const log = (await h.control('/log')) as Array<{ action?: string; version?: string; fields: Record<string, string> }>;
      const cert = log.filter((e) => e.action === 'cert');
      expect(cert.length).toBeGreaterThan(0);
      expect(cert.every((e) => e.version === '2.3.0' && e.fields['include-chain'] === 'True')).toBe(true);
      const signing = cn(await pkiPem(h, 'signing'))!;
      const primary = cn(await pkiPem(h, 'primary'))!;
      expect(chainCns.slice(0, 2)).toEqual([signing, primary]);
      expect(nssListing).toContain(signing);
      expect(nssListing).toContain(primary);
    });
  }
});

describe('RCDP 2.7.2 "when available": a reply without the chain is completed', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimHarness(fixture({ chainAvailable: false }));
  });
  afterAll(async () => h?.stop());

  it('from the RCCD CAs: leaf + signing + primary + root in the file store and NSS', async () => {
    const rccdCas = await Promise.all(['signing', 'primary', 'root'].map((n) => pkiPem(h, n)));
    const { chainCns, nssListing } = await enrollInto(h, 'rccd', { format: 'P12', cas: rccdCas });
    expect(chainCns).toEqual(rccdCas.map(cn));
    for (const c of rccdCas) expect(nssListing).toContain(cn(c)!);
  });

  it('from the CA API (section 6) when the RCCD lacks the intermediates', async () => {
    await h.control('/log', undefined, 'DELETE');
    const root = await pkiPem(h, 'root');
    const { chainCns } = await enrollInto(h, 'ca-api', { format: 'PEM', cas: [root] });
    expect(chainCns).toEqual([cn(await pkiPem(h, 'signing')), cn(await pkiPem(h, 'primary')), cn(root)]);
    const log = (await h.control('/log')) as Array<{ path: string }>;
    expect(log.some((e) => e.path.startsWith('/ca/1.0.0/signing'))).toBe(true);
  });

  it('links are checked by issuer and signature: the root alone does not complete the signing CA path', async () => {
    const signing = await pkiPem(h, 'signing');
    const primary = await pkiPem(h, 'primary');
    const leafChain = buildChain(signing, [primary]);
    expect(leafChain.chainPem.map(cn)).toEqual([cn(primary)]);
    // The root does not sign the signing CA directly (primary does): no path from signing via root alone.
    const root = await pkiPem(h, 'root');
    expect(buildChain(signing, [root])).toEqual({ chainPem: [], complete: false });
  });
});
