import type { RequestHandlers } from '../ipc/dispatcher';
import type { SecretStore } from '../system/secret-store';
import type { AgentContext } from './agent-context';
import { patchSettings, readSettings } from './settings';

type SettingsChannels = 'settings:get' | 'settings:set' | 'stores:list';

/**
 * The Settings page's own data: settings.json (a patch is merged over the current settings and written atomically),
 * and every certificate store this platform offers with whether it is enabled.
 */
export function settingsHandlers(
  ctx: AgentContext,
  secretStore: SecretStore,
  userHome?: string,
): Pick<RequestHandlers, SettingsChannels> {
  return {
    'settings:get': async () => readSettings(ctx.home),
    'settings:set': async (patch) => {
      const next = await patchSettings(ctx.home, patch);
      ctx.sink.emit('agent:state', await ctx.state());
      return next;
    },
    'stores:list': async () => {
      // The store modules load on first use, as in the engine wiring (the idle agent does not need them).
      const { createStores, describeStores, storeCatalog } = await import('../stores/registry');
      const enabled = (await readSettings(ctx.home)).stores;
      const all = createStores({
        home: ctx.home,
        enabled: storeCatalog(process.platform).map((e) => e.id),
        secrets: secretStore,
        userHome,
      });
      // One catalog id can stand for several stores (every Firefox profile: "firefox:<profile>").
      return (await describeStores(all)).map((d) => ({
        ...d,
        enabled: enabled.includes(d.id) || enabled.includes(d.id.split(':')[0]!),
      }));
    },
  };
}
