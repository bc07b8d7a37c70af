import { FlowFailure } from '../engine/front-end';
import { withText } from '../model/core-text';
import { isDue, type RenewalDecision } from '../scheduler/renewal-rule';
import type { StoredCertificate } from '../stores/store';
import { enrollOnlineCa, onlineCaRenewalDecision, type EnrollOnlineCaOptions, type OnlineCaEnrollResult } from './enroll';
import { loadOnlineCaProvider, ONLINECA_SERVICE } from './provider';

/**
 * Renewal for Online CA certificates. The service gives no expiration margin, so the only rule is the provider's
 * percentage of the lifetime (default: the agent's CertValidPercent default), through the shared renewal rule.
 */

export type OnlineCaRenewalResult =
  | { renewed: false; current: StoredCertificate; decision: RenewalDecision }
  | { renewed: true; previous?: StoredCertificate; decision?: RenewalDecision; result: OnlineCaEnrollResult };

/** The newest non-historical certificate this provider issued, as the first store reports it. */
export async function currentOnlineCaCertificate(
  opts: Pick<EnrollOnlineCaOptions, 'stores' | 'name'>,
): Promise<StoredCertificate | undefined> {
  const store = opts.stores[0];
  if (!store)
    throw withText(
      new FlowFailure('bad-input', 'No certificate store selected; enable at least one store in the settings'),
      'store.none-selected',
    );
  const mine = (await store.list()).filter((c) => c.origin?.provider === opts.name && c.origin.service === ONLINECA_SERVICE);
  return mine.sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter))[0];
}

/** Enroll again when the current certificate is due (or there is none); otherwise report when it will be. */
export async function renewOnlineCaIfDue(opts: EnrollOnlineCaOptions): Promise<OnlineCaRenewalResult> {
  const now = (opts.now ?? Date.now)();
  const record = await loadOnlineCaProvider(opts.home, opts.name);
  const current = await currentOnlineCaCertificate(opts);
  if (!current) return { renewed: true, result: await enrollOnlineCa(opts) };
  const decision = onlineCaRenewalDecision(record, current);
  if (!isDue(decision, now)) return { renewed: false, current, decision };
  return { renewed: true, previous: current, decision, result: await enrollOnlineCa(opts) };
}
