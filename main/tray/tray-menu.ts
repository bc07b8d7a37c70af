import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  open(): void;
  enroll(): void;
  renewNow(): void;
  messages(): void;
  quit(): void;
}

export interface TrayMenuState {
  unreadMessages: number;
  busy: boolean;
}

/** The tray's context menu; always attached, since Linux AppIndicator shows nothing but the menu. */
export function trayMenuTemplate(state: TrayMenuState, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'open', label: 'Open KeyTalk Agent', click: () => actions.open() },
    { id: 'enroll', label: 'Enroll…', click: () => actions.enroll() },
    { id: 'renew', label: 'Renew now', enabled: !state.busy, click: () => actions.renewNow() },
    {
      id: 'messages',
      label: state.unreadMessages > 0 ? `Messages (${state.unreadMessages} unread)` : 'Messages',
      click: () => actions.messages(),
    },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}
