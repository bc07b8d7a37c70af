import type { DoctorCheck, DoctorReport } from '../ipc/doctor-contract';
import { currentPolicy, type LoadedPolicy } from '../policy/load-policy';
import { listProviders } from '../rccd/provider-store';
import type { CertificateStore } from '../stores/store';
import type { SecretStore } from '../system/secret-store';
import { checkHome, checkPolicy, checkSecretStore, checkStores } from './local-checks';
import { providerNetworkChecks } from './network-checks';
import { onlineCaNetworkChecks } from './onlineca-checks';
import { listOnlineCaProviders } from '../onlineca/index';
import { said } from './doctor-text';

export interface DoctorOptions {
  home: string;
  /** The configured stores (the engine's `stores()`), the ones a renewal would write to. */
  stores: () => Promise<CertificateStore[]> | CertificateStore[];
  secretStore?: SecretStore;
  /** Only this provider (its name, as `providers` lists it). */
  provider?: string;
  /** Managed policy in force; default: this process's (app/policy). */
  policy?: () => Promise<LoadedPolicy>;
  /** The store check's summary when `stores` is empty (default: enable one in Settings). */
  noStores?: string;
  /** The home check's advice when the home is not writable (default: the window's, without CLI flags). */
  homeFix?: string;
  /** The background service's state (app/service), one line; absent: not checked here. */
  daemon?: () => Promise<DoctorCheck>;
  timeoutMs?: number;
  now?: () => number;
  appVersion?: string;
}

export class UnknownProviderError extends Error {
  constructor(name: string, known: string[]) {
    super(`unknown provider "${name}"; providers: ${known.length ? known.join(', ') : 'none imported (import an RCCD first)'}`);
    // The same kind as the RCCD store's own "not found" (the CLI maps it to exit 2 by this name).
    this.name = 'ProviderNotFoundError';
  }
}

/**
 * The connectivity and set-up check behind `keytalk-agent doctor` and the UI's "Test connection" (`doctor:run`):
 * per KeyTalk provider DNS → TCP → TLS (RCCD trust) → RCDP hello/handshake → clock → Public API version and
 * health, per Online CA provider DNS → TCP → TLS (its accepted CA) → trust roots → certificate service → clock, then this computer's home, stores, secret store, policy and service. Providers are checked one after
 * another so a report reads top to bottom; each step has its own deadline so the whole run stays bounded.
 */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const now = o.now ?? Date.now;
  // Both kinds share one name space (app/onlineca/README.md), so --provider picks from either.
  const [all, onlineCas] = await Promise.all([listProviders(o.home), listOnlineCaProviders(o.home)]);
  const chosen = o.provider ? all.filter((p) => p.name === o.provider) : all;
  const chosenCas = o.provider ? onlineCas.filter((p) => p.name === o.provider) : onlineCas;
  if (o.provider && !chosen.length && !chosenCas.length)
    throw new UnknownProviderError(
      o.provider,
      [...all, ...onlineCas].map((p) => p.name),
    );
  const checks: DoctorCheck[] = [];
  if (!all.length && !onlineCas.length) {
    checks.push({
      id: 'providers',
      scope: 'local',
      status: 'fail',
      ...said('doctor.no-provider', 'no provider imported; import your organisation’s RCCD file (or add an Online CA)'),
    });
  }
  const net = { timeoutMs: o.timeoutMs ?? 8000, now, appVersion: o.appVersion };
  for (const record of chosen) checks.push(...(await providerNetworkChecks(record, net)));
  for (const record of chosenCas) checks.push(...(await onlineCaNetworkChecks(o.home, record, net)));
  checks.push(await checkHome(o.home, o.homeFix));
  try {
    checks.push(...(await checkStores(await o.stores(), o.noStores)));
  } catch (err) {
    checks.push({
      id: 'store',
      scope: 'local',
      status: 'fail',
      ...said('doctor.stores-error', `the certificate stores cannot be opened: ${(err as Error).message}`, {
        problem: (err as Error).message,
      }),
    });
  }
  checks.push(await checkSecretStore(o.secretStore));
  const policy = await (o.policy ?? (() => currentPolicy()))();
  checks.push(...checkPolicy(policy));
  if (o.daemon) checks.push(await o.daemon());
  return { ok: !checks.some((c) => c.status === 'fail'), checkedAt: new Date(now()).toISOString(), checks };
}
