import type { CertificateStore } from '../stores/store';
import type { SystemStoreTarget } from '../stores/system-stores';
import { coreText, withText } from '../model/core-text';
import { FlowFailure, expectAnswer, type FlowFrontEnd } from './front-end';

/**
 * Where the new certificate goes. The server decides user or machine store: `store-to-system` in the cert reply
 * (RCDP 2.7.2) and, without a session, the Public API's `should-cert-go-to-system-store` (3.2.4, "identical as
 * store-to-system"). Machine store: the platform's system stores (app/stores/system-stores.ts). When the agent may
 * not write there it says why and asks the user whether to use their own stores instead; it never falls back
 * silently (a service configured for the machine store may not work from the user's store), and an unattended
 * run stops with needs-input rather than guess.
 */
export interface StoreTargetContext {
  frontEnd: FlowFrontEnd;
  unattended: boolean;
  userStores: () => Promise<CertificateStore[]>;
  systemTarget?: () => Promise<SystemStoreTarget | undefined> | SystemStoreTarget | undefined;
  step: (s: string, detail?: string) => void;
}

export interface StoreDecision {
  stores: CertificateStore[];
  /** True when the certificate goes to the machine store. */
  system: boolean;
}

export async function decideStoreTarget(ctx: StoreTargetContext, wantSystem: boolean): Promise<StoreDecision> {
  if (!wantSystem) return { stores: await ctx.userStores(), system: false };
  const target = await ctx.systemTarget?.();
  const missing = target
    ? await target.missingRights()
    : coreText('store.system-none', 'this agent knows no machine certificate store on this platform');
  if (target && !missing) {
    ctx.step('system-store', target.stores.map((s) => s.id).join(', '));
    return { stores: target.stores, system: true };
  }
  const reason = missing!;
  const why = `the server asks to store this certificate in the machine (system) store, but ${reason.message}`;
  if (ctx.unattended)
    throw withText(
      new FlowFailure('needs-input', `${why}; renew interactively, or run the agent with administrator rights`),
      'store.system-unattended',
      { reason },
    );
  const prompt = { kind: 'system-store' as const, reason: reason.message, reasonText: reason };
  const answer = expectAnswer(await ctx.frontEnd.prompt(prompt), 'system-store');
  if (!answer.useUserStore)
    throw withText(
      new FlowFailure(
        'store-failed',
        `${why}; you chose not to use your own certificate store. Run the agent as administrator (root) and enroll again`,
      ),
      'store.system-declined',
      { reason },
    );
  return { stores: await ctx.userStores(), system: false };
}
