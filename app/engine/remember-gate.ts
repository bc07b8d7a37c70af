import type { SecretStore } from '../system/secret-store';

/**
 * Whether "Remember" may keep a secret here, and how well it would be kept (issue 22, "Remember without real
 * protection"). The user is told before agreeing, and the organisation may forbid it.
 *
 * - 'os': the OS secret store protects it (Keychain, DPAPI, a running Linux keyring through Electron safeStorage).
 * - 'weak': a key file beside the secrets, readable by this user only (the CLI's and daemon's file store).
 * - 'none': stored with a fixed key, i.e. readable by anything that can read the file (Electron's `basic_text`
 *   backend on Linux without a keyring), or not kept at all.
 */
export type SecretStorageProtection = 'os' | 'weak' | 'none';

export function secretStorageProtection(store: Pick<SecretStore, 'kind' | 'osProtected'> | undefined): SecretStorageProtection {
  if (!store) return 'none';
  if (store.osProtected) return 'os';
  return store.kind === 'file-key' ? 'weak' : 'none';
}

/**
 * Policy `lockedRememberSecrets: false` forbids remembering passwords (docs/deployment.md); `true` or unset leaves
 * it to the user. Read per flow, as the policy watcher may change it. The policy module loads only here.
 */
export async function rememberForbidden(): Promise<boolean> {
  const { currentPolicy } = await import('../policy/load-policy');
  return (await currentPolicy()).policy.lockedRememberSecrets === false;
}
