import type { ProviderRegistry } from '../engine/providers';
import { RccdTrustError } from '../rccd/rccd-trust';
import { codedImportError } from './rccd-import-text';
import type { RequestHandlers } from '../ipc/dispatcher';
import { addOnlineCaProvider, onlineCaProviderSummary } from '../onlineca/provider';
import type { AgentContext } from './agent-context';

type ProviderChannels = 'providers:import-rccd' | 'providers:add-onlineca' | 'providers:remove';

/**
 * Adding and removing providers: a KeyTalk provider comes as an RCCD file, an Online CA provider as a name and URL
 * (with an optional pinned certificate). The provider list itself is part of `agent:get-state`, so every change
 * publishes the state and the windows redraw.
 */
export function providerHandlers(ctx: AgentContext, providers: ProviderRegistry): Pick<RequestHandlers, ProviderChannels> {
  return {
    'providers:import-rccd': async ({ fileName, dataBase64, acceptUnsigned }) => {
      try {
        const summary = await providers.import(fileName, Buffer.from(dataBase64, 'base64'), { acceptUnsigned });
        ctx.publishState();
        return summary;
      } catch (err) {
        // Not a failure but a question: the window shows why the RCCD vouches for itself and asks the user to
        // confirm, as the CLI does with --accept-unsigned. Nothing was stored.
        if (err instanceof RccdTrustError) return { needsConfirmation: err.reasons, needsConfirmationTexts: err.texts };
        throw codedImportError(err, fileName);
      }
    },
    'providers:add-onlineca': async ({ name, url, pinSha256, renewPercent }) => {
      const record = await addOnlineCaProvider(ctx.home, name, url, { pinnedFingerprint: pinSha256, renewPercent });
      ctx.publishState();
      return onlineCaProviderSummary(record);
    },
    'providers:remove': async ({ name }) => {
      await providers.remove(name);
      ctx.publishState();
      return { ok: true };
    },
  };
}
