import type { AgentState, EventChannel, EventOf, PasswordExpiry } from '../../app/ipc/contract';
import { coreMessage } from '../i18n/core-message';
import { englishTexts, type MainTexts } from '../i18n/main-i18n';

export interface Notice {
  title: string;
  body: string;
}

/** What shows a desktop notification (Electron's Notification in the app, a recorder in tests). */
export type ShowNotice = (notice: Notice) => void;

/**
 * Turn core events into desktop notifications: a certificate issued or renewed (also unattended, by the
 * scheduler), a flow that failed, new server messages, an e-mail disclaimer applied, changed or removed, a
 * password about to expire.
 * Cancellations are the user's own doing and stay quiet. Texts are in the UI's language (`texts` follows Settings);
 * a failure's detail is the core's coded sentence in that language too (main/i18n/core-message.ts), its English
 * (the same the CLI and log show) only for a sentence the core has not coded or this build does not know.
 */
export function notificationsFromEvents(
  subscribe: (listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void) => () => void,
  show: ShowNotice,
  initialUnread = 0,
  texts: MainTexts = englishTexts(),
  initialPasswords: PasswordExpiry[] = [],
): () => void {
  const t = texts.t.bind(texts);
  let unread = initialUnread;
  // A password about to expire (Settings.passwordWarnDays ahead) is announced once per expiry date per run of the
  // app (the window's banner stays): on every state change it would be noise, never would miss a user who does not
  // open the window.
  const announced = new Set<string>();
  const announce = (list: PasswordExpiry[] = []) => {
    for (const p of list) {
      const key = `${p.provider}\u0000${p.service}\u0000${p.userId ?? ''}\u0000${p.expiresAt}`;
      if (announced.has(key)) continue;
      announced.add(key);
      const values = { provider: p.provider, service: p.service, user: p.userId ? ` (${p.userId})` : '' };
      const body =
        p.daysLeft < 0
          ? t('notice.passwordExpiredBody', values)
          : p.daysLeft === 0
            ? t('notice.passwordTodayBody', values)
            : t('notice.passwordSoonBody', { ...values, count: p.daysLeft });
      show({ title: t('notice.passwordTitle'), body });
    }
  };
  announce(initialPasswords);
  return subscribe((channel, payload) => {
    if (channel === 'flow:done') {
      const { outcome } = payload as EventOf<'flow:done'>;
      if (outcome.status === 'issued') {
        const { subject, provider, service } = outcome;
        show({ title: t('notice.issuedTitle'), body: t('notice.issuedBody', { subject, provider, service }) });
      } else if (outcome.status === 'failed' && outcome.code !== 'cancelled') {
        show({ title: t('notice.failedTitle'), body: coreMessage(texts, outcome.text, outcome.message) });
      } else if (outcome.status === 'pending-approval') {
        show({ title: t('notice.pendingTitle'), body: t('notice.pendingBody', { service: outcome.service }) });
      }
    } else if (channel === 'certs:renewed') {
      // The scheduler renewed without a window open: this notice is the only sign the user gets of it.
      const r = payload as EventOf<'certs:renewed'>;
      const until = texts.formatDate(r.notAfter);
      show({
        title: t('notice.renewedTitle'),
        body: t('notice.renewedBody', { what: r.subject ?? r.service, provider: r.provider, service: r.service, until }),
      });
    } else if (channel === 'disclaimer:changed') {
      const d = payload as EventOf<'disclaimer:changed'>;
      const values = { email: d.email, name: d.name, provider: d.provider };
      show(
        d.name
          ? { title: t('notice.disclaimerUpdatedTitle'), body: t('notice.disclaimerUpdatedBody', values) }
          : { title: t('notice.disclaimerRemovedTitle'), body: t('notice.disclaimerRemovedBody', values) },
      );
    } else if (channel === 'agent:state') {
      const state = payload as AgentState;
      if (state.unreadMessages > unread) {
        const n = state.unreadMessages - unread;
        show({ title: t('notice.newMessageTitle'), body: t('notice.newMessageBody', { count: n }) });
      }
      unread = state.unreadMessages;
      announce(state.passwordExpiries);
    }
  });
}
