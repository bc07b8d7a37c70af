/**
 * The app's pages, in nav order. Kept apart from the store (which needs the DOM) so e2e specs can walk every
 * page without a copy of this list.
 */
export type Page = 'certificates' | 'enroll' | 'messages' | 'invite' | 'settings';
export const pages: Page[] = ['certificates', 'enroll', 'messages', 'invite', 'settings'];
