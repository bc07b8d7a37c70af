import type { StepDetail } from '../model/flow-types';
import type { CertificateStore } from '../stores/store';
import type { SystemStoreTarget } from '../stores/system-stores';
import { coreText, withText, type CoreText } from '../model/core-text';
import { FlowFailure, expectAnswer, type FlowFrontEnd } from './front-end';

/**
 * Where the new certificate goes. The server decides user or machine store: `store-to-system` in the cert reply
 * (RCDP 2.7.2) and, without a session, the Public API's `should-cert-go-to-system-store` (3.2.4, "identical as
 * store-to-system"). Machine store: the platform's system stores (app/stores/system-stores.ts). When the agent may
 * not write there it says why and asks the user whether to use their own stores instead; it never falls back
 * silently (a service configured for the machine store may not work from the user's store), and an unattended
 * run stops with needs-input rather than guess.
 *
 * The organisation's policy comes before the server's directive: the policy is the administrator's word on this
 * machine, `store-to-system` the KeyTalk server's. When the policy's store keys leave none of the machine stores
 * (app/agent/scope-stores.ts `refusedByPolicy`), the certificate goes to the user's own stores — which the same
 * policy chose — without a question (the user could not answer otherwise) and unattended alike, and the outcome
 * carries a coded notice saying the policy overrode the server.
 */
export interface StoreTargetContext {
  frontEnd: FlowFrontEnd;
  unattended: boolean;
  userStores: () => Promise<CertificateStore[]>;
  systemTarget?: () => Promise<SystemStoreTarget | undefined> | SystemStoreTarget | undefined;
  step: (s: string, detail?: StepDetail) => void;
}

export interface StoreDecision {
  stores: CertificateStore[];
  /** True when the certificate goes to the machine store. */
  system: boolean;
  /** Why the certificate is not where the server asked (the policy refused the machine store). */
  notice?: CoreText;
}

export async function decideStoreTarget(ctx: StoreTargetContext, wantSystem: boolean): Promise<StoreDecision> {
  if (!wantSystem) return { stores: await ctx.userStores(), system: false };
  const target = await ctx.systemTarget?.();
  if (target?.refusedByPolicy && !target.stores.length) {
    const machine = target.refusedByPolicy.machineStoreIds;
    const stores = (await ctx.userStores()).filter((s) => !machine.includes(s.id));
    if (!stores.length)
      throw withText(
        new FlowFailure(
          'store-failed',
          `the server asks for the machine (system) store, but ${target.refusedByPolicy.reason}, and no store of your own is configured`,
        ),
        'store.none-selected',
      );
    const ids = stores.map((s) => s.id).join(', ');
    const notice = coreText(
      'policy.system-store-refused',
      `The server asked to store this certificate in the machine (system) store, but ${target.refusedByPolicy.reason}, so it was stored in your own certificate store (${ids}) instead.`,
      { stores: ids },
    );
    ctx.step('system-store-refused', ids);
    return { stores, system: false, notice };
  }
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
