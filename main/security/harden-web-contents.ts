import type { Event, HandlerDetails, Shell, WebContents } from 'electron';

type Hardenable = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Only https links leave the app, and only to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * Applied to every WebContents the app creates: no navigation away from the app, no new windows (https
 * links go to the system browser instead), no <webview>. Pages change by state, never by URL, so any
 * navigation attempt is either a bug or an attack.
 */
export function hardenWebContents(contents: Hardenable, shell: Pick<Shell, 'openExternal'>): void {
  const deny = (event: Event) => event.preventDefault();
  contents.on('will-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isSafeExternalUrl(details.url)) void shell.openExternal(details.url);
    return { action: 'deny' };
  });
}
