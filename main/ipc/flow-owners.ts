import type { WebContents } from 'electron';
import type { RequestChannel } from '../../app/ipc/contract';
import type { RequestHandlers } from '../../app/ipc/dispatcher';

/** The channels whose answer is a flow the calling window then drives (its prompts, its outcome). */
const FLOW_STARTS: readonly RequestChannel[] = ['enroll:start', 'certs:renew', 'password:change'];

export type OwnerContents = Pick<WebContents, 'id' | 'on'>;

/** Electron's did-start-navigation details (Electron >= 25 passes them as the event; older ones positionally). */
interface NavigationDetails {
  isSameDocument?: boolean;
  isMainFrame?: boolean;
}

/**
 * Which window started which flow, so a window that reloads cancels its own flows. A reloaded Electron window is not
 * closed: the core's window count (AgentCore.uiAttached) does not change, and without this the flow it started would
 * wait for an answer from a page that no longer shows it — "Needs attention" forever (issue 19). The browser host
 * needs none of this: a reloaded tab closes its WebSocket, which detaches it.
 *
 * A main-frame, cross-document navigation (reload, or loadURL to another page) starts a new page with an empty
 * store; a same-document one (a `#page=` hash change) keeps the page and its flow. A window that closes is left to
 * the core's count: every window shows every flow's prompts, so another open window can still answer it.
 */
export function flowOwners(cancel: RequestHandlers['flow:cancel'], log: (m: string) => void = () => undefined) {
  const owned = new Map<number, Set<string>>();
  const watched = new Set<number>();

  const cancelOwned = (id: number, why: string) => {
    const flows = owned.get(id);
    owned.delete(id);
    for (const flowId of flows ?? []) {
      log(`window ${why}: cancelling its enrollment ${flowId}`);
      void cancel({ flowId }).catch((err: unknown) => log(`cancel ${flowId}: ${(err as Error).message}`));
    }
  };

  return {
    /** Watch one window's page loads (app.on('web-contents-created')); each WebContents once. */
    watch(contents: OwnerContents): void {
      if (watched.has(contents.id)) return;
      watched.add(contents.id);
      const id = contents.id;
      contents.on('did-start-navigation', ((
        details: NavigationDetails,
        _url?: string,
        inPlace?: boolean,
        mainFrame?: boolean,
      ) => {
        const sameDocument = details?.isSameDocument ?? inPlace ?? false;
        const isMainFrame = details?.isMainFrame ?? mainFrame ?? true;
        if (isMainFrame && !sameDocument) cancelOwned(id, 'reloaded');
      }) as never);
      contents.on('destroyed', () => {
        watched.delete(id);
        owned.delete(id);
      });
    },
    /** A request a window made was answered: a flow it started is now its own. */
    answered(sender: Pick<WebContents, 'id'> | undefined, channel: unknown, value: unknown): void {
      if (!sender || !FLOW_STARTS.includes(channel as RequestChannel)) return;
      const flowId = (value as { flowId?: unknown } | undefined)?.flowId;
      if (typeof flowId !== 'string') return;
      const flows = owned.get(sender.id) ?? new Set<string>();
      flows.add(flowId);
      owned.set(sender.id, flows);
    },
    /** A flow ended (flow:done): nothing left to cancel for it. */
    ended(flowId: string): void {
      for (const [id, flows] of owned) {
        flows.delete(flowId);
        if (!flows.size) owned.delete(id);
      }
    },
    /** The flows each window owns now (for tests and logs). */
    owned: (id: number): string[] => [...(owned.get(id) ?? [])],
  };
}

export type FlowOwners = ReturnType<typeof flowOwners>;
