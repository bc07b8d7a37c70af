import type { EngineDeps } from '../engine/enroll-deps';
import type { EnrollRequest } from '../engine/enroll-request';
import type { EnrollOutcome } from '../model/flow-types';
import { FlowCancelledError, FlowFailure, MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import { failureOutcome } from '../engine/outcome';
import { withText } from '../model/core-text';
import type { ProviderKind } from '../engine/provider-kind';
import {
  listOnlineCaProviders,
  loadOnlineCaProvider,
  ONLINECA_SERVICE,
  onlineCaProviderSummary,
  removeOnlineCaProvider,
} from './provider';

/** What an Online CA enrollment needs of the engine wiring. */
export type OnlineCaDeps = Pick<EngineDeps, 'home' | 'stores' | 'secretStore'>;

/**
 * The Online CA as a provider kind (app/engine/provider-kind.ts), registered by the agent core beside KeyTalk
 * (app/agent/provider-wiring.ts): `enroll --provider NAME`, the tray UI's flows and the scheduler's silent renewal
 * reach it through the same registry. Its renewal rule is the provider's lifetime percentage (no server margin).
 */
export function createOnlineCaKind(home: string): ProviderKind<OnlineCaDeps> {
  return {
    kind: 'onlineca',
    list: async () => (await listOnlineCaProviders(home)).map(onlineCaProviderSummary),
    remove: (name) => removeOnlineCaProvider(home, name),
    enroll: runOnlineCaEnrollment,
    // renewPercent undefined: the shared default percentage of app/scheduler/renewal-rule.ts.
    renewalPolicy: async (name) => ({ certValidPercent: (await loadOnlineCaProvider(home, name)).renewPercent }),
  };
}

/** Front-end for unattended runs: any question means the run cannot finish on its own. */
function unattendedFrontEnd(inner: FlowFrontEnd): FlowFrontEnd {
  return {
    progress: (p) => inner.progress(p),
    prompt: async (p) => {
      const trust = p.kind === 'confirm-trust';
      throw withText(
        new MissingInputError(
          [p.kind],
          trust
            ? 'the Online CA is not trusted yet; run `keytalk-agent onlineca trust NAME` (or enroll interactively) once'
            : 'the Online CA needs a password that was not remembered; enroll interactively once and tick "remember"',
        ),
        trust ? 'onlineca.needs-trust' : 'onlineca.needs-password',
      );
    },
  };
}

/** Same contract as the engine's runEnrollment: never throws, reports a FlowOutcome. */
export async function runOnlineCaEnrollment(
  req: EnrollRequest,
  frontEnd: FlowFrontEnd,
  deps: OnlineCaDeps,
  signal?: AbortSignal,
): Promise<EnrollOutcome> {
  try {
    if (signal?.aborted) throw new FlowCancelledError();
    if (req.service && req.service !== ONLINECA_SERVICE) {
      throw new FlowFailure(
        'bad-input',
        `provider ${req.provider} is an Online CA; its only service is "${ONLINECA_SERVICE}", not ${JSON.stringify(req.service)}`,
      );
    }
    const all = await deps.stores();
    const stores = req.storeIds ? all.filter((s) => req.storeIds!.includes(s.id)) : all;
    if (req.storeIds && stores.length !== req.storeIds.length) {
      throw new FlowFailure(
        'bad-input',
        `unknown store in ${req.storeIds.join(', ')}; configured: ${all.map((s) => s.id).join(', ')}`,
      );
    }
    const user = req.credentials?.USERID;
    const password = req.credentials?.PASSWD;
    // The enrollment (key generation, CSR, HTTP, chain checks) loads on the first enrollment, not for a listing.
    const { enrollOnlineCa } = await import('./enroll');
    const result = await enrollOnlineCa({
      home: deps.home,
      name: req.provider,
      frontEnd: req.unattended ? unattendedFrontEnd(frontEnd) : frontEnd,
      stores,
      credentials: user && password !== undefined ? { username: user, password } : undefined,
      secretStore: deps.secretStore,
    });
    if (signal?.aborted) throw new FlowCancelledError();
    return result.outcome;
  } catch (err) {
    return failureOutcome(err, signal);
  }
}
