/**
 * The app's pages, in nav order. Kept apart from the store (which needs the DOM) so e2e specs can walk every
 * page without a copy of this list.
 */
export type Page = 'certificates' | 'enroll' | 'messages' | 'invite' | 'settings';
export const pages: Page[] = ['certificates', 'enroll', 'messages', 'invite', 'settings'];

/** `#page=messages` (tray menu → main window) selects the first page. */
export function pageFromHash(hash: string): Page | undefined {
  const page = new URLSearchParams(hash.replace(/^#/, '')).get('page');
  return pages.find((p) => p === page);
}
