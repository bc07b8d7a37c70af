import { promises as fs } from 'node:fs';
import https from 'node:https';
import type { KeytalkSimulator } from '../../simulators/keytalk/index';
import { homeLayout } from '../../app/config/home';
import { describeCertificate } from '../../app/crypto/cert-info';
import { decodeOne } from '../../app/engine/certificate';
import { enrollments } from '../../app/engine/state';
import { RcdpClient } from '../../app/rcdp/client';
import { importRccd, RccdVersionError } from '../../app/rccd/provider-store';
import { FileStore } from '../../app/stores/file-store';

/**
 * Test support: what an enrollment leaves in an agent home, without the engine's after-issued mail work
 * (which would touch the real user's mail profiles): the provider's RCCD imported, the simulator's S/MIME
 * certificate with its key in the file store, and its enrollment record.
 */
export async function enrollOwnCertificate(
  sim: KeytalkSimulator,
  home: string,
  o: { provider: string; service: string; user: string; password: string },
): Promise<{ sha256Fingerprint: string; certPem: string }> {
  // A second certificate of the same provider: the RCCD is already there.
  await importRccd(home, await fs.readFile(sim.rccds[o.provider]!)).catch((err: unknown) => {
    if (!(err instanceof RccdVersionError)) throw err;
  });
  const agent = new https.Agent({ ca: await fs.readFile(sim.caFile, 'utf8') });
  const client = new RcdpClient({ server: new URL(sim.url).host, agent, retry: { retries: 0, baseMs: 1, maxMs: 1 } });
  try {
    await client.connect();
    await client.authRequirements({ service: o.service });
    await client.authenticate({ service: o.service, USERID: o.user, PASSWD: o.password, 'caller-hw-description': 'test' });
    const reply = await client.cert({ service: o.service, format: 'P12v2' });
    if (reply.status !== 'cert') throw new Error(`no certificate: ${JSON.stringify(reply)}`);
    const b = decodeOne(reply.cert!, 'P12v2', client.keyPassword);
    await client.eoc();
    const stored = await new FileStore(homeLayout(home).certs).add({
      ...b,
      label: `${o.provider} ${o.service}`,
      origin: { provider: o.provider, service: o.service },
    });
    const info = describeCertificate(b.certPem);
    await enrollments.put(home, {
      sha256Fingerprint: stored.sha256Fingerprint,
      provider: o.provider,
      service: o.service,
      format: 'P12v2',
      csr: false,
      subject: info.subject,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      issuedAt: new Date().toISOString(),
      stores: ['file'],
      credentialsRemembered: false,
      extras: {},
      rcdpVersion: client.version,
    });
    return { sha256Fingerprint: stored.sha256Fingerprint, certPem: b.certPem };
  } finally {
    agent.destroy();
  }
}
