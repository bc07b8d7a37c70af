import type { RequestHandlers } from '../../app/ipc/dispatcher';

/**
 * The core knows where the logs are but cannot open a desktop folder; main can. shell.openPath resolves with
 * an error string ('' on success), which becomes a clear error instead of a silent no-op.
 */
export function withLogFolder(handlers: RequestHandlers, shell: { openPath(path: string): Promise<string> }): RequestHandlers {
  return {
    ...handlers,
    'logs:open-folder': async (req) => {
      const { path } = await handlers['logs:open-folder'](req);
      const error = await shell.openPath(path);
      if (error) throw new Error(`could not open the log folder ${path}: ${error}`);
      return { path, opened: true };
    },
  };
}
