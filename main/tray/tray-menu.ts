import type { MenuItemConstructorOptions } from 'electron';
import { englishTexts, type MainTexts } from '../i18n/main-i18n';

export interface TrayActions {
  open(): void;
  enroll(): void;
  renewNow(): void;
  messages(): void;
  /** Write the helpdesk's support bundle into Downloads and show it (main/system/support-bundle.ts). */
  supportBundle(): void;
  quit(): void;
}

export interface TrayMenuState {
  unreadMessages: number;
  busy: boolean;
}

/** The tray's context menu; always attached, since Linux AppIndicator shows nothing but the menu. */
export function trayMenuTemplate(
  state: TrayMenuState,
  actions: TrayActions,
  texts: MainTexts = englishTexts(),
): MenuItemConstructorOptions[] {
  const unread = state.unreadMessages;
  return [
    { id: 'open', label: texts.t('tray.open'), click: () => actions.open() },
    { id: 'enroll', label: texts.t('tray.enroll'), click: () => actions.enroll() },
    { id: 'renew', label: texts.t('tray.renew'), enabled: !state.busy, click: () => actions.renewNow() },
    {
      id: 'messages',
      label: unread > 0 ? texts.t('tray.messagesUnread', { count: unread }) : texts.t('tray.messages'),
      click: () => actions.messages(),
    },
    { id: 'support-bundle', label: texts.t('tray.supportBundle'), click: () => actions.supportBundle() },
    { type: 'separator' },
    { id: 'quit', label: texts.t('tray.quit'), click: () => actions.quit() },
  ];
}
