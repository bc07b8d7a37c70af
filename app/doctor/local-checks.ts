import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { homeLayout } from '../config/home';
import type { DoctorCheck } from '../ipc/doctor-contract';
import type { LoadedPolicy } from '../policy/load-policy';
import type { CertificateStore } from '../stores/store';
import { textOf } from '../model/core-text';
import type { SecretStore } from '../system/secret-store';
import { said } from './doctor-text';

const local = (c: Omit<DoctorCheck, 'scope'>): DoctorCheck => ({ ...c, scope: 'local' });

/**
 * The state folder takes a real write (a probe file created and removed): `access(W_OK)` says yes on a read-only
 * mount and as root, and a full disk only shows when bytes are written.
 */
/**
 * `fix`: what to do about an unwritable home; the CLI adds its --home flag, the window (the default) cannot. The
 * coded line (`doctor.home-fail`) carries the window's own advice, so a CLI-only `fix` never reaches the window's words.
 */
export async function checkHome(home: string, fix = 'fix its permissions or free disk space'): Promise<DoctorCheck> {
  const state = homeLayout(home).state;
  const probe = path.join(state, `.doctor-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(state, { recursive: true, mode: 0o700 });
    await fs.writeFile(probe, 'probe', { mode: 0o600 });
    await fs.rm(probe, { force: true });
    return local({ id: 'home', status: 'pass', ...said('doctor.home-ok', `agent home ${home} is writable`, { home }) });
  } catch (err) {
    await fs.rm(probe, { force: true }).catch(() => undefined);
    return local({
      id: 'home',
      status: 'fail',
      ...said('doctor.home-fail', `cannot write ${state} (${(err as Error).message}); ${fix}`, {
        dir: state,
        problem: (err as Error).message,
      }),
    });
  }
}

const NO_STORES = 'no certificate store is enabled; enable one in Settings';

/** One line per configured store: where it is, or why it cannot take a certificate now. */
export async function checkStores(stores: CertificateStore[], none = NO_STORES): Promise<DoctorCheck[]> {
  // Another sentence (the CLI's machine-scope reason) stays English: only the CLI passes one.
  if (!stores.length)
    return [local({ id: 'store', status: 'fail', ...(none === NO_STORES ? said('doctor.no-stores', none) : { summary: none }) })];
  return Promise.all(
    stores.map(async (s) => {
      try {
        const d = await s.describe();
        return d.available
          ? local({
              id: 'store',
              status: 'pass',
              ...said('doctor.store-ok', `${s.id}: ${d.name} at ${d.location}`, {
                store: s.id,
                name: d.name,
                location: d.location,
              }),
              data: { store: s.id },
            })
          : local({
              id: 'store',
              status: 'fail',
              ...said(
                'doctor.store-unavailable',
                `${s.id}: ${d.name} cannot take a certificate: ${d.unavailableReason ?? 'not available'}`,
                {
                  store: s.id,
                  name: d.name,
                  reason: d.unavailableText ?? d.unavailableReason ?? 'not available',
                },
              ),
              data: { store: s.id },
            });
      } catch (err) {
        const problem = (err as Error).message;
        return local({
          id: 'store',
          status: 'fail',
          ...said('doctor.store-error', `${s.id}: ${problem}`, { store: s.id, problem: textOf(err) ?? problem }),
          data: { store: s.id },
        });
      }
    }),
  );
}

/**
 * A round trip of a throw-away value: remembered passwords (silent renewal) live here, and a locked keyring or an
 * unreadable key file only shows when used. The probe value is random and deleted again.
 */
export async function checkSecretStore(store: SecretStore | undefined): Promise<DoctorCheck> {
  if (!store) {
    return local({
      id: 'secret-store',
      status: 'fail',
      ...said('doctor.secret-none', 'no secret store: remembered passwords cannot be kept'),
    });
  }
  const key = 'doctor-probe';
  const value = randomBytes(8).toString('hex');
  try {
    await store.set(key, value);
    const back = await store.get(key);
    await store.delete(key);
    if (back !== value) throw new Error('a value written could not be read back');
    const how = store.osProtected ? 'protected by the OS' : 'kept in a 0600 key file (weaker than an OS keyring)';
    return local({
      id: 'secret-store',
      status: 'pass',
      ...said(store.osProtected ? 'doctor.secret-ok-os' : 'doctor.secret-ok-file', `secret store ${store.kind} works, ${how}`, {
        kind: store.kind,
      }),
      data: { kind: store.kind },
    });
  } catch (err) {
    return local({
      id: 'secret-store',
      status: 'fail',
      ...said(
        'doctor.secret-fail',
        `secret store ${store.kind} failed: ${(err as Error).message}; unlock the keyring or check the secrets folder's permissions`,
        { kind: store.kind, problem: (err as Error).message },
      ),
    });
  }
}

/** Managed policy: where it came from, and each problem found in it (ignored keys are a warning, not a failure). */
export function checkPolicy(p: LoadedPolicy): DoctorCheck[] {
  if (p.warnings.length) {
    return p.warnings.map((w, i) =>
      local({
        id: 'policy',
        status: 'warn',
        ...said('doctor.policy-warning', `policy: ${w}`, { warning: p.warningTexts?.[i] ?? w }),
      }),
    );
  }
  return [
    local({
      id: 'policy',
      status: 'pass',
      ...(p.sources.length
        ? said('doctor.policy-ok', `managed policy from ${p.sources.join(', ')}, no problems`, { sources: p.sources.join(', ') })
        : said('doctor.policy-none', 'no managed policy')),
    }),
  ];
}
