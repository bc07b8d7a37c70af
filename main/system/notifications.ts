import type { AgentState, EventChannel, EventOf } from '../../app/ipc/contract';

export interface Notice {
  title: string;
  body: string;
}

/** What shows a desktop notification (Electron's Notification in the app, a recorder in tests). */
export type ShowNotice = (notice: Notice) => void;

/**
 * Turn core events into desktop notifications: a certificate issued or renewed (also unattended, by the
 * scheduler), a flow that failed, new server messages, an e-mail disclaimer applied, changed or removed.
 * Cancellations are the user's own doing and stay quiet.
 */
export function notificationsFromEvents(
  subscribe: (listener: <C extends EventChannel>(channel: C, payload: EventOf<C>) => void) => () => void,
  show: ShowNotice,
  initialUnread = 0,
): () => void {
  let unread = initialUnread;
  return subscribe((channel, payload) => {
    if (channel === 'flow:done') {
      const { outcome } = payload as EventOf<'flow:done'>;
      if (outcome.status === 'issued') {
        show({ title: 'Certificate ready', body: `${outcome.subject} (${outcome.provider} / ${outcome.service}) is installed.` });
      } else if (outcome.status === 'failed' && outcome.code !== 'cancelled') {
        show({ title: 'Certificate request failed', body: outcome.message });
      } else if (outcome.status === 'pending-approval') {
        show({
          title: 'Waiting for approval',
          body: `The request for ${outcome.service} needs approval; it is checked again later.`,
        });
      }
    } else if (channel === 'certs:renewed') {
      // The scheduler renewed without a window open: this notice is the only sign the user gets of it.
      const r = payload as EventOf<'certs:renewed'>;
      show({
        title: 'Certificate renewed',
        body: `${r.subject ?? r.service} (${r.provider} / ${r.service}) was renewed; valid until ${r.notAfter.slice(0, 10)}.`,
      });
    } else if (channel === 'disclaimer:changed') {
      const d = payload as EventOf<'disclaimer:changed'>;
      show(
        d.name
          ? { title: 'E-mail disclaimer updated', body: `Mail from ${d.email} now ends with "${d.name}" (set by ${d.provider}).` }
          : {
              title: 'E-mail disclaimer removed',
              body: `${d.provider} no longer sets a disclaimer for ${d.email}; it was taken out of your signature.`,
            },
      );
    } else if (channel === 'agent:state') {
      const state = payload as AgentState;
      if (state.unreadMessages > unread) {
        const n = state.unreadMessages - unread;
        show({ title: 'New message', body: `${n} new message${n === 1 ? '' : 's'} from your certificate provider.` });
      }
      unread = state.unreadMessages;
    }
  });
}
