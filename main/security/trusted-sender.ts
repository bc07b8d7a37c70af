import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The custom scheme the renderer is served from (see main/windows/app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'keytalk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** What the IPC layer knows about a message's sender; a subset of Electron's WebFrameMain. */
export interface SenderFrame {
  url: string;
  /** null for a top-level frame. */
  parent: unknown;
}

/**
 * Is this frame one of the app's own pages? Only top-level frames of the app origin (app://keytalk) or,
 * when loaded from disk, a file:// URL inside the built renderer folder. Anything else — an iframe, a page
 * that navigated away, a devtools extension — is refused, so a compromised or foreign page cannot drive the core.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, rendererDir: string): boolean {
  if (!frame || frame.parent) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST;
  if (url.protocol === 'file:') {
    const file = path.resolve(fileURLToPath(url));
    const root = path.resolve(rendererDir);
    return file === root || file.startsWith(root + path.sep);
  }
  return false;
}
