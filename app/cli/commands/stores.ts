import { patchSettings, readSettings } from '../../agent/settings';
import { homeLayout } from '../../config/home';
import { PolicyLockedError } from '../../policy/apply-settings';
import { enrollments } from '../../engine/state';
import { FileKeySecretStore } from '../../system/file-key-secret-store';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { table } from '../output';
import { checkStoreIds, storesByIds } from '../store-choice';

/**
 * `stores`: every certificate store on this OS (what it is, where, who reads it, enabled, in use by a managed
 * certificate), and `stores enable|disable ID` to change settings.json's `stores` list (the same setting as the
 * UI's Settings page), written atomically.
 */
export const storesCommand: CliCommand = {
  name: 'stores',
  summary: 'list the certificate stores on this computer; enable or disable one for new certificates',
  usage: ['stores', 'stores enable ID', 'stores disable ID'],
  options: {},
  async run(ctx, args) {
    const [sub, id, extra] = args.positionals;
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    const settings = await readSettings(ctx.home);
    if (sub === 'enable' || sub === 'disable') {
      if (!id) throw new UsageError(`stores ${sub} needs a store id (see keytalk-agent stores)`);
      await checkStoreIds([id]);
      if (settings.locked?.stores) throw new PolicyLockedError(settings.locked.stores, 'The enabled stores');
      const others = settings.stores.filter((s) => s !== id);
      const next = sub === 'enable' ? [...others, id] : others;
      if (sub === 'disable' && !next.length)
        throw new UsageError(`"${id}" is the only enabled store; enable another one first (a certificate needs a store)`);
      // patchSettings refuses a store list the policy locks or does not allow (exit 2, naming the policy key).
      await patchSettings(ctx.home, { stores: next });
      // `enabled`, not `stores`: in `stores --json` that key holds the store objects, here only ids.
      if (ctx.json) ctx.emitJson({ status: 'ok', enabled: next });
      else ctx.say(`${id} ${sub}d; enabled stores: ${next.join(', ')}`);
      return EXIT.ok;
    }
    if (sub !== undefined) throw new UsageError(`unknown sub-command "${sub}"; use: stores, stores enable ID, stores disable ID`);
    const { describeStores, storeCatalog } = await import('../../stores/registry');
    const all = await storesByIds(
      ctx,
      storeCatalog(process.platform).map((e) => e.id),
      new FileKeySecretStore(homeLayout(ctx.home).secrets),
    );
    const used = new Set((await enrollments.list(ctx.home)).flatMap((r) => r.stores));
    const rows = (await describeStores(all)).map((d) => ({
      id: d.id,
      name: d.name,
      location: d.location,
      usedBy: d.usedBy,
      available: d.available,
      ...(d.unavailableReason ? { unavailableReason: d.unavailableReason } : {}),
      enabled: settings.stores.includes(d.id) || settings.stores.includes(d.id.split(':')[0]!),
      inUse: used.has(d.id),
    }));
    if (ctx.json) ctx.emitList('stores', rows);
    else
      ctx.say(
        table(
          rows.map((r) => [
            r.id,
            r.enabled ? 'yes' : 'no',
            r.inUse ? 'yes' : 'no',
            r.name,
            r.location,
            r.available ? r.usedBy.join(', ') : `unavailable: ${r.unavailableReason ?? ''}`,
          ]),
          ['ID', 'ENABLED', 'IN USE', 'WHAT', 'WHERE', 'READ BY'],
        ),
      );
    return EXIT.ok;
  },
};
