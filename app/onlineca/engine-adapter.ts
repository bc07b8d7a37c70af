import path from 'node:path';
import { homeLayout } from '../config/home';
import { failureOutcome, type EngineDeps, type EnrollRequest } from '../engine/enroll';
import { FlowCancelledError, FlowFailure, MissingInputError, type FlowFrontEnd } from '../engine/front-end';
import type { FlowOutcome } from '../model/flow-types';
import type { ProviderSummary } from '../ipc/contract';
import { readJsonFile } from '../system/atomic-write';
import { enrollOnlineCa } from './enroll';
import { checkProviderName, listOnlineCaProviders, ONLINECA_SERVICE, onlineCaProviderSummary } from './provider';

/**
 * The Online CA seen through the engine's interfaces, so one dispatch on the provider kind in the engine
 * (`if (await isOnlineCaProvider(deps.home, req.provider)) return runOnlineCaEnrollment(req, frontEnd, deps, signal)`)
 * gives `enroll --provider NAME`, the tray UI's flows and the scheduler's silent renewal the Online CA path.
 */

/** True when <home>/providers/<name>/provider.json says kind 'onlineca'. */
export async function isOnlineCaProvider(home: string, name: string): Promise<boolean> {
  try {
    checkProviderName(name);
  } catch {
    return false;
  }
  const raw = await readJsonFile<{ kind?: unknown } | null>(
    path.join(homeLayout(home).providers, name, 'provider.json'),
    null,
  ).catch(() => null);
  return raw?.kind === 'onlineca';
}

/** ProviderSummary rows to list beside the KeyTalk providers. */
export async function onlineCaProviderSummaries(home: string): Promise<ProviderSummary[]> {
  return (await listOnlineCaProviders(home)).map(onlineCaProviderSummary);
}

/** Front-end for unattended runs: any question means the run cannot finish on its own. */
function unattendedFrontEnd(inner: FlowFrontEnd): FlowFrontEnd {
  return {
    progress: (p) => inner.progress(p),
    prompt: async (p) => {
      throw new MissingInputError(
        [p.kind],
        p.kind === 'confirm-trust'
          ? 'the Online CA is not trusted yet; run `keytalk-agent onlineca trust NAME` (or enroll interactively) once'
          : 'the Online CA needs a password that was not remembered; enroll interactively once and tick "remember"',
      );
    },
  };
}

/** Same contract as the engine's runEnrollment: never throws, reports a FlowOutcome. */
export async function runOnlineCaEnrollment(
  req: EnrollRequest,
  frontEnd: FlowFrontEnd,
  deps: EngineDeps,
  signal?: AbortSignal,
): Promise<FlowOutcome> {
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
