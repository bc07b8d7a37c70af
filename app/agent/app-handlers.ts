import type { RequestHandlers } from '../ipc/dispatcher';
import { SUPPORTED_VERSIONS } from '../rcdp/versions';
import packageJson from '../../package.json';
import type { AgentContext } from './agent-context';
import type { AgentEvents } from './agent-events';

type AppChannels = 'agent:get-state' | 'app:about' | 'logs:open-folder' | 'popup:current';

/** What the tray and windows ask about the agent itself: its state, the About box, its logs, a pending popup. */
export function appHandlers(ctx: AgentContext, events: AgentEvents, version: string): Pick<RequestHandlers, AppChannels> {
  return {
    'agent:get-state': async () => ctx.state(),
    'app:about': async () => ({
      agent: version,
      node: process.versions.node,
      // Only inside Electron's main process; the browser host runs on plain Node.
      ...(process.versions.electron ? { electron: process.versions.electron } : {}),
      ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
      rcdpVersions: [...SUPPORTED_VERSIONS],
      license: packageJson.license,
    }),
    // The core cannot open a folder on the desktop; Electron main wraps this with shell.openPath.
    'logs:open-folder': async () => ({ path: ctx.layout.logs, opened: false }),
    // A popup window loads after its popup:open event; it asks for what to show.
    'popup:current': async () => {
      const popup = events.currentPopup();
      return popup ? { popup } : {};
    },
  };
}
