import { homeLayout } from '../config/home';
import { replacedCertificates } from '../engine/replaced-certificates';
import { enrollments } from '../engine/state';
import type { RequestHandlers } from '../ipc/dispatcher';
import { replaceInStores } from '../scheduler/replace-certificate';
import { withRenewalInfo } from '../scheduler/ui-bridge';
import { bundleToPkcs12 } from '../stores/bundle-p12';
import { lockWaitMs, withRenewalLock } from '../system/home-lock';
import type { AgentContext } from './agent-context';
import type { AgentEvents } from './agent-events';
import type { OnIssued, StartedFlow } from './agent-types';
import { listCertificates, readBundle } from './certificate-inventory';
import type { FlowRunner } from './flow-runner';
import { renewalRequest } from './renewal-request';

type CertificateChannels = 'certs:list' | 'certs:renew' | 'certs:remove' | 'certs:export';

/**
 * How long "Renew now" or "Remove" waits for a daemon or CLI renewing the same certificate: a person is watching, so
 * a few seconds, then a sentence saying who is busy (the scheduler's own jobs wait the full lock time).
 */
const UI_LOCK_WAIT_MS = 3_000;

/**
 * The Certificates page: the list (with the scheduler's renewal dates while it runs), renew now, remove from
 * every store, and export as PKCS#12. Fingerprints arrive in any case; stores and records use upper case.
 */
export function certificateHandlers(
  ctx: AgentContext,
  flows: FlowRunner,
  events: AgentEvents,
): Pick<RequestHandlers, CertificateChannels> {
  const { deps, home, log } = ctx;
  return {
    'certs:list': async () => {
      const scheduler = ctx.scheduler();
      const [list, schedule] = await Promise.all([
        listCertificates(deps, log),
        scheduler ? scheduler.status().catch(() => undefined) : undefined,
      ]);
      return schedule ? withRenewalInfo(list, schedule) : list;
    },
    'certs:renew': async ({ sha256Fingerprint }) => {
      const oldFp = sha256Fingerprint.toUpperCase();
      // The renewal popup for this certificate is answered by this request; a window opened later must not show it.
      events.dismissPopupFor(oldFp);
      // The old certificate leaves its stores only once the new one is verified in each (app/stores/replace.ts).
      const retireOld: OnIssued = async (issued) => {
        const old = (await listCertificates(deps, log)).find((c) => c.sha256Fingerprint === oldFp);
        if (!old) return;
        await replaceInStores(await deps.stores(), { sha256Fingerprint: oldFp, stores: old.stores }, issued.sha256Fingerprint);
        // The old record becomes history ("Previous certificates"); without one there is nothing to keep.
        const record = await enrollments.get(home, oldFp);
        if (record) await replacedCertificates.retire(home, record, old, issued.sha256Fingerprint);
        else await enrollments.remove(home, oldFp);
      };
      // The certificate's renewal lock is held for the whole flow (issue 22): a daemon or CLI renewing it at the
      // same time waits and then finds it renewed, instead of enrolling a second certificate — and if one of them is
      // renewing it now, the user is told so rather than getting a duplicate.
      const stateDir = homeLayout(home).state;
      let started!: (flow: StartedFlow) => void;
      const flowStarted = new Promise<StartedFlow>((resolve) => (started = resolve));
      const whileLocked = withRenewalLock(
        stateDir,
        oldFp,
        async () => {
          const current = (await listCertificates(deps, log)).find((c) => c.sha256Fingerprint === oldFp);
          if (!current || current.stores.length === 0)
            throw new Error(
              'this certificate was renewed or removed by another KeyTalk Agent process meanwhile; the Certificates page now shows what replaced it',
            );
          const flow = flows.start(await renewalRequest(deps, log, oldFp), undefined, undefined, retireOld);
          started(flow);
          await flow.done;
        },
        { waitMs: Math.min(lockWaitMs(), UI_LOCK_WAIT_MS) },
      );
      const first = await Promise.race([flowStarted, whileLocked.then(() => undefined)]);
      // After the start, the flow reports its own outcome (flow:done); only the lock's release is left here.
      whileLocked.catch((err: Error) => log.warn('renewal lock', { error: err.message }));
      return { flowId: first!.flowId };
    },
    'certs:remove': async ({ sha256Fingerprint }) => {
      const fp = sha256Fingerprint.toUpperCase();
      // Not while another process renews it: that renewal would retire a certificate the user just removed and
      // leave its successor behind.
      await withRenewalLock(
        homeLayout(home).state,
        fp,
        async () => {
          for (const s of await deps.stores()) {
            const found = await s.find({ sha256Fingerprint: fp }).catch(() => []);
            if (found.length) await s.remove(fp);
          }
          await enrollments.remove(home, fp);
        },
        { waitMs: Math.min(lockWaitMs(), UI_LOCK_WAIT_MS) },
      );
      return { ok: true };
    },
    'certs:export': async ({ sha256Fingerprint, password }) => {
      const fp = sha256Fingerprint.toUpperCase();
      const bundle = await readBundle(deps, fp);
      if (!bundle)
        throw new Error(
          `certificate ${fp} is in no store that can export it (only the file store keeps the private key for export)`,
        );
      if (!bundle.keyPem)
        throw new Error(`certificate ${fp} has no private key in the file store; there is nothing to export as P12`);
      const p12 = await bundleToPkcs12(bundle, { password });
      // The label becomes the suggested file name: only characters every file system accepts.
      const base = (bundle.label || fp.slice(0, 16)).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'certificate';
      return { fileName: `${base}.p12`, dataBase64: p12.toString('base64') };
    },
  };
}
