import path from 'node:path';
import { homeLayout } from '../config/home';
import type { EngineDeps } from '../engine/enroll';
import type { RequestHandlers } from '../ipc/dispatcher';
import { rememberedSettings } from '../mfa/remembered-settings';

type MfaChannels = 'mfa:accounts' | 'mfa:sign-out';

/**
 * MFA sign-ins for Settings: who is signed in at which IdP, and sign-out. MSAL (a large module) is loaded only when
 * there is a remembered sign-in to read, so opening Settings on an agent that never used MFA costs one readdir.
 */
export function mfaHandlers(deps: EngineDeps): Pick<RequestHandlers, MfaChannels> {
  const cacheDir = path.join(homeLayout(deps.home).state, 'mfa');
  return {
    'mfa:accounts': async () => {
      if (!deps.mfa?.accounts || !(await rememberedSettings(cacheDir, () => undefined)).length) return [];
      return deps.mfa.accounts();
    },
    'mfa:sign-out': async ({ authority, clientId, username }) => {
      if (!deps.mfa?.signOutAccount) {
        throw new Error('MFA sign-in is not set up in this agent (it has no secret store), so there is no sign-in to end.');
      }
      await deps.mfa.signOutAccount(authority, clientId, username);
      return { ok: true as const };
    },
  };
}
