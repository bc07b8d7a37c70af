import { replacedCertificates } from '../engine/replaced-certificates';
import { enrollments } from '../engine/state';
import type { RequestHandlers } from '../ipc/dispatcher';
import { replaceInStores } from '../scheduler/replace-certificate';
import { withRenewalInfo } from '../scheduler/ui-bridge';
import { bundleToPkcs12 } from '../stores/bundle-p12';
import type { AgentContext } from './agent-context';
import type { AgentEvents } from './agent-events';
import type { OnIssued } from './agent-types';
import { listCertificates, readBundle } from './certificate-inventory';
import type { FlowRunner } from './flow-runner';
import { renewalRequest } from './renewal-request';

type CertificateChannels = 'certs:list' | 'certs:renew' | 'certs:remove' | 'certs:export';

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
      return { flowId: flows.start(await renewalRequest(deps, log, oldFp), undefined, undefined, retireOld).flowId };
    },
    'certs:remove': async ({ sha256Fingerprint }) => {
      const fp = sha256Fingerprint.toUpperCase();
      for (const s of await deps.stores()) {
        const found = await s.find({ sha256Fingerprint: fp }).catch(() => []);
        if (found.length) await s.remove(fp);
      }
      await enrollments.remove(home, fp);
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
