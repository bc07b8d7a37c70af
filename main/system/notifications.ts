import type { AgentState, EventChannel, EventOf } from '../../app/ipc/contract';

export interface Notice {
  title: string;
  body: string;
}

/** What shows a desktop notification (Electron's Notification in the app, a recorder in tests). */
export type ShowNotice = (notice: Notice) => void;

/**
 * Turn core events into desktop notifications: a certificate issued or renewed, a flow that failed, new
 * server messages. Cancellations are the user's own doing and stay quiet.
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
