import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import { cliEngine } from '../services';
import { enrollments } from '../../engine/state';
import { subjectInRfc4514Order } from '../../engine/subject-order';
import type { CertificateSummary } from '../../ipc/contract';
import { addKeyLocation, keyLocationOf } from '../../stores/store';

export const certsCommand: CliCommand = {
  name: 'certs',
  summary: 'list certificates in the configured stores',
  usage: ['certs [--store ID]'],
  options: { store: { value: true, valueName: 'ID', description: 'only this store' } },
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
        const fp = c.sha256Fingerprint.toUpperCase();
        const seen = byFp.get(fp);
        if (seen) {
          seen.stores.push(c.storeId);
          const keys = addKeyLocation(seen.keyLocations, c);
          if (keys) seen.keyLocations = keys;
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
        });
      }
    }
    // Damage the stores found and repaired or set aside while listing (file store): said, never silent.
    for (const s of stores) {
      const problems = (s as { problems?: () => string[] }).problems?.() ?? [];
      for (const p of problems) ctx.stderr.write(`keytalk-agent: ${s.id}: ${p}\n`);
    }
    const list = [...byFp.values()].sort((a, b) => a.notAfter.localeCompare(b.notAfter));
    if (ctx.json) ctx.emitJson(list);
    else if (!list.length) ctx.say('no certificates');
    else
      ctx.say(
        table(
          list.map((c) => [
            c.subject,
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
