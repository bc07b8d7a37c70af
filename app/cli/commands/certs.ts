import { UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import { cliEngine } from '../services';
import { enrollments } from '../../engine/state';
import { subjectInRfc4514Order } from '../../engine/subject-order';
import type { CertificateSummary } from '../../ipc/contract';
import { addKeyLocation, addPkcs11Token, keyLocationOf } from '../../stores/store';

/**
 * `certs --expiring DAYS`, for Nagios/cron checks: exit 1 when a certificate this agent manages (enrolled here, so
 * it has a provider) expires within DAYS — renewal has not happened in time — naming each; 0 otherwise. CA
 * certificates and certificates other programs put into the same stores are not the agent's to renew: not counted.
 */
function expiringCheck(ctx: CliContext, list: CertificateSummary[], value: unknown): number {
  const days = Number(value);
  if (!Number.isFinite(days) || days < 0)
    throw new UsageError(`--expiring needs a number of days (0 or more), not ${JSON.stringify(value)}`);
  const limit = Date.now() + days * 86_400_000;
  const watched = renewedByTheAgent(list);
  const expiring = watched.filter((c) => Date.parse(c.notAfter) <= limit);
  const managed = watched.length;
  if (ctx.json)
    ctx.emitJson({
      status: expiring.length ? 'expiring' : 'ok',
      days,
      managed,
      expiring: expiring.map((c) => ({
        subject: c.subject,
        provider: c.provider,
        service: c.service,
        notAfter: c.notAfter,
        sha256Fingerprint: c.sha256Fingerprint,
      })),
    });
  else if (!expiring.length) ctx.say(`OK: none of the ${managed} managed certificate(s) expires within ${days} day(s)`);
  else
    for (const c of expiring)
      ctx.say(
        `EXPIRING: ${c.subject} (${c.provider}/${c.service}) expires ${c.notAfter} — sha-256 ${c.sha256Fingerprint.slice(0, 16)}`,
      );
  return expiring.length ? 1 : EXIT.ok;
}

/**
 * The certificates whose expiry means renewal failed: enrolled here (a provider), not a historical S/MIME certificate
 * (kept to read old mail; expired by nature, never renewed), and of a shared mailbox only its newest certificate: each
 * enrollment of the seat brings a new one and the older ones stay in the store, so a year later the superseded
 * one expiring is no alarm while the current one is valid.
 */
function renewedByTheAgent(list: CertificateSummary[]): CertificateSummary[] {
  const mailbox = (c: CertificateSummary) => `${c.provider}\n${c.service}\n${c.sharedMailbox}`;
  const newest = new Map<string, string>();
  for (const c of list) {
    if (!c.provider || !c.sharedMailbox || c.historical) continue;
    if ((newest.get(mailbox(c)) ?? '') < c.notAfter) newest.set(mailbox(c), c.notAfter);
  }
  return list.filter((c) => c.provider && !c.historical && (!c.sharedMailbox || newest.get(mailbox(c)) === c.notAfter));
}

export const certsCommand: CliCommand = {
  name: 'certs',
  summary: 'list certificates in the configured stores',
  usage: ['certs [--store ID]', 'certs --expiring DAYS'],
  options: {
    store: { value: true, valueName: 'ID', description: 'only this store' },
    expiring: {
      value: true,
      valueName: 'DAYS',
      description: 'monitoring check: exit 1 and name them when managed certificates expire within DAYS, else 0',
    },
  },
  async run(ctx, args) {
    const deps = cliEngine(ctx);
    const wanted = args.options.store as string | undefined;
    const stores = (await deps.stores()).filter((s) => !wanted || s.id === wanted);
    if (wanted && !stores.length) {
      const enabled = (await deps.stores()).map((s) => s.id);
      throw new UsageError(
        `store "${wanted}" is not enabled; enabled stores: ${enabled.join(', ') || 'none'} (all stores: keytalk-agent stores)`,
      );
    }
    const records = new Map((await enrollments.list(ctx.home)).map((r) => [r.sha256Fingerprint.toUpperCase(), r]));
    const byFp = new Map<string, CertificateSummary>();
    for (const s of stores) {
      for (const c of await s.list()) {
        // The chain's CA certificates a store holds (NSS) are not the user's certificates; same as the UI's list.
        if (c.ca) continue;
        const fp = c.sha256Fingerprint.toUpperCase();
        const seen = byFp.get(fp);
        if (seen) {
          seen.stores.push(c.storeId);
          const keys = addKeyLocation(seen.keyLocations, c);
          if (keys) seen.keyLocations = keys;
          const tokens = addPkcs11Token(seen.pkcs11Tokens, c);
          if (tokens) seen.pkcs11Tokens = tokens;
          // Only the file store knows a certificate is historical (as the UI's list, agent/certificate-inventory.ts).
          if (c.historical) seen.historical = true;
          continue;
        }
        const rec = records.get(fp);
        const origin = c.origin ?? (rec ? { provider: rec.provider, service: rec.service } : undefined);
        byFp.set(fp, {
          sha256Fingerprint: fp,
          serialNumber: c.serialNumber,
          // Same order as `enroll` and `status` report (RFC 4514), not the stores' certificate order.
          subject: subjectInRfc4514Order(c.subject),
          issuer: c.issuer,
          notBefore: c.notBefore,
          notAfter: c.notAfter,
          ...(origin ? { provider: origin.provider, service: origin.service } : {}),
          stores: [c.storeId],
          ...(keyLocationOf(c) ? { keyLocations: [keyLocationOf(c)!] } : {}),
          ...(c.pkcs11Token ? { pkcs11Tokens: [c.pkcs11Token] } : {}),
          ...(c.origin?.sharedMailbox ? { sharedMailbox: c.origin.sharedMailbox } : {}),
          ...(c.historical ? { historical: true } : {}),
          // The server's is-cert-tpm-attested answer, asked when the TPM-bound certificate was issued.
          ...(rec?.tpmAttested !== undefined ? { tpmAttested: rec.tpmAttested } : {}),
        });
      }
    }
    // Damage the stores found and repaired or set aside while listing (file store): said, never silent.
    for (const s of stores) {
      const problems = (s as { problems?: () => string[] }).problems?.() ?? [];
      for (const p of problems) ctx.stderr.write(`keytalk-agent: ${s.id}: ${p}\n`);
    }
    // Historical S/MIME certificates (kept with their keys to read old mail) after the current ones, as in the UI.
    const list = [...byFp.values()].sort(
      (a, b) => Number(!!a.historical) - Number(!!b.historical) || a.notAfter.localeCompare(b.notAfter),
    );
    if (args.options.expiring !== undefined) return expiringCheck(ctx, list, args.options.expiring);
    if (ctx.json) ctx.emitList('certificates', list);
    else if (!list.length) ctx.say('no certificates');
    else
      ctx.say(
        table(
          list.map((c) => [
            c.historical ? `${c.subject} (historical)` : c.subject,
            c.notAfter,
            c.provider ? `${c.provider}/${c.service}` : '',
            c.stores.join(','),
            c.sha256Fingerprint.slice(0, 16),
          ]),
          ['SUBJECT', 'EXPIRES', 'FROM', 'STORES', 'SHA-256'],
        ),
      );
    return EXIT.ok;
  },
};
