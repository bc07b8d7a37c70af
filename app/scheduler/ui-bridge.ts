import type { CertificateSummary, EventChannel, EventOf } from '../ipc/contract';
import type { AgentNotifier, SchedulerStatus } from './agent-scheduler';

/**
 * What the agent core needs to show the scheduler in the tray UI through the existing IPC contract:
 *  - `uiNotifier(emit)`: renewal notices as `popup:open` events (the unattended auto-renewal popup; a locked
 *    account, repeated failures and a failing renewal hook use the same popup with `data.kind`); unattended renewals and disclaimer
 *    changes as `certs:renewed` / `disclaimer:changed` events (desktop notifications), messages as state refreshes;
 *  - `withRenewalInfo(certs, status)`: fills CertificateSummary.renewAt / renewReason / renewErrorText for `certs:list`;
 *  - `nextRenewal(status)`: AgentState.nextRenewal.
 */
export type Emit = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

export function uiNotifier(emit: Emit, onChange: () => void = () => {}): AgentNotifier {
  return {
    userActionNeeded: (n) => emit('popup:open', { popup: 'unattended-renewal', data: { kind: 'sign-in-needed', ...n } }),
    locked: (n) => emit('popup:open', { popup: 'unattended-renewal', data: { kind: 'locked', ...n } }),
    failing: (n) => emit('popup:open', { popup: 'unattended-renewal', data: { kind: 'failing', ...n } }),
    renewed: (n) => {
      emit('certs:renewed', {
        provider: n.provider,
        service: n.service,
        ...(n.subject ? { subject: n.subject } : {}),
        sha256Fingerprint: n.newSha256Fingerprint,
        notAfter: n.newNotAfter,
      });
      onChange();
    },
    // A failing renewal hook: the renewal notice popup with its own kind and no fingerprint (nothing to renew).
    hookFailed: (n) => {
      const message = `The command set to run for ${n.service} around its renewal did not succeed: ${n.message}. The renewed certificate is in place; see the log and 'keytalk-agent status'.`;
      emit('popup:open', {
        popup: 'unattended-renewal',
        data: {
          kind: 'hook-failed',
          provider: n.provider,
          service: n.service,
          hookCertificate: n.sha256Fingerprint,
          message,
          ...(n.text
            ? {
                text: {
                  code: 'renewal.popup-hook-failed',
                  params: { service: n.service, problem: { ...n.text, message: n.message } },
                  message,
                },
              }
            : {}),
        },
      });
      onChange();
    },
    newMessages: () => onChange(),
    disclaimerChanged: (c) => {
      emit('disclaimer:changed', {
        provider: c.provider,
        service: c.service,
        email: c.email,
        ...(c.disclaimer ? { name: c.disclaimer.name } : {}),
      });
      onChange();
    },
  };
}

export function withRenewalInfo(certs: CertificateSummary[], status: SchedulerStatus): CertificateSummary[] {
  const byFp = new Map(status.certificates.map((c) => [c.sha256Fingerprint.toUpperCase(), c]));
  return certs.map((c) => {
    const s = byFp.get(c.sha256Fingerprint.toUpperCase());
    if (!s) return c;
    const info = {
      ...c,
      renewAt: s.renewAt,
      renewReason: s.reason,
      ...(s.reasonText ? { renewReasonText: { ...s.reasonText, message: s.reason } } : {}),
    };
    // The last attempt's error beside the reason, coded when the core's sentence was ('uncoded': the UI shows the
    // English as it is).
    if (s.state === 'scheduled' || !s.lastError) return info;
    return { ...info, renewErrorText: { ...(s.lastErrorText ?? { code: 'uncoded' }), message: s.lastError } };
  });
}

export function nextRenewal(status: SchedulerStatus): string | undefined {
  return status.certificates.map((c) => c.renewAt).sort()[0];
}
