import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RequestHandlers } from '../../app/ipc/dispatcher';
import { writeFileAtomic } from '../../app/system/atomic-write';

export interface SupportBundleDeps {
  handlers: Pick<RequestHandlers, 'diagnostics:bundle'>;
  /** Where it goes: the user's Downloads folder (app.getPath('downloads')). */
  folder: string;
  /** Show the file in the file manager (shell.showItemInFolder): the user's proof it exists and where. */
  showItemInFolder(file: string): void;
}

/**
 * The tray's "Create support bundle": the tray has no window to download into, so main writes the core's zip into
 * Downloads itself (0600: it describes this computer) and shows it in the file manager, ready to attach to a ticket.
 */
export async function saveSupportBundle(d: SupportBundleDeps): Promise<string> {
  const bundle = await d.handlers['diagnostics:bundle']({});
  await fs.mkdir(d.folder, { recursive: true });
  const file = path.join(d.folder, path.basename(bundle.fileName));
  await writeFileAtomic(file, Buffer.from(bundle.dataBase64, 'base64'), { mode: 0o600 });
  d.showItemInFolder(file);
  return file;
}
