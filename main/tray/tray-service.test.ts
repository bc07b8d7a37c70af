import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MainTexts } from '../i18n/main-i18n';
import { withLanguage } from '../system/language-settings';
import { TrayService, type TrayLike } from './tray-service';

function setup(texts?: MainTexts) {
  const trays: Array<
    TrayLike<string, MenuItemConstructorOptions[]> & {
      calls: string[];
      image: string;
      menu: MenuItemConstructorOptions[] | null;
      tip: string;
      click?: () => void;
    }
  > = [];
  const actions = { open: vi.fn(), enroll: vi.fn(), renewNow: vi.fn(), messages: vi.fn(), supportBundle: vi.fn(), quit: vi.fn() };
  const service = new TrayService<string, MenuItemConstructorOptions[]>({
    createTray: (image) => {
      let destroyed = false;
      const tray = {
        calls: [] as string[],
        image,
        menu: null as MenuItemConstructorOptions[] | null,
        tip: '',
        click: undefined as (() => void) | undefined,
        setImage(i: string) {
          this.calls.push('setImage');
          this.image = i;
        },
        setToolTip(t: string) {
          this.tip = t;
        },
        setContextMenu(m: MenuItemConstructorOptions[] | null) {
          this.calls.push('setContextMenu');
          this.menu = m;
        },
        on(_e: 'click', fn: () => void) {
          this.click = fn;
        },
        destroy() {
          destroyed = true;
        },
        isDestroyed: () => destroyed,
      };
      trays.push(tray);
      return tray;
    },
    buildMenu: (template) => template,
    icon: (status) => `icon-${status}.png`,
    actions,
    ...(texts ? { texts } : {}),
  });
  return { service, trays, actions };
}

describe('TrayService', () => {
  it('creates the tray with the idle icon and always attaches the full menu', () => {
    const { service, trays } = setup();
    service.setEnabled(true);
    expect(trays).toHaveLength(1);
    expect(trays[0]!.image).toBe('icon-idle.png');
    expect(trays[0]!.menu?.map((i) => i.id ?? i.type)).toEqual([
      'open',
      'enroll',
      'renew',
      'messages',
      'support-bundle',
      'separator',
      'quit',
    ]);
  });

  it('switches icon, tooltip and menu with the state and ignores unchanged state', () => {
    const { service, trays } = setup();
    service.setEnabled(true);
    const tray = trays[0]!;
    service.setState({ status: 'working', unreadMessages: 2, nextRenewal: '2027-01-02T03:04:00Z' });
    expect(tray.image).toBe('icon-working.png');
    expect(tray.tip).toMatch(/next renewal Jan [12], 2027, \d{1,2}:04 [AP]M/); // the user's date format (in their time zone)
    expect(tray.menu?.find((i) => i.id === 'messages')?.label).toBe('Messages (2 unread)');
    expect(tray.menu?.find((i) => i.id === 'renew')?.enabled).toBe(false);
    const before = tray.calls.length;
    service.setState({ status: 'working', unreadMessages: 2, nextRenewal: '2027-01-02T03:04:00Z' });
    expect(tray.calls.length).toBe(before);
    for (const status of ['attention', 'error'] as const) {
      service.setState({ status, unreadMessages: 0 });
      expect(tray.image).toBe(`icon-${status}.png`);
    }
    expect(trays).toHaveLength(1);
  });

  it('routes menu items and a tray click to the actions', () => {
    const { service, trays, actions } = setup();
    service.setEnabled(true);
    const menu = trays[0]!.menu!;
    for (const id of ['open', 'enroll', 'renew', 'messages', 'support-bundle', 'quit']) {
      (menu.find((i) => i.id === id)!.click as () => void)();
    }
    trays[0]!.click!();
    expect(actions.open).toHaveBeenCalledTimes(2);
    expect(actions.enroll).toHaveBeenCalledOnce();
    expect(actions.renewNow).toHaveBeenCalledOnce();
    expect(actions.messages).toHaveBeenCalledOnce();
    expect(actions.supportBundle).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
  });

  it('destroys the tray when quitting and never re-creates it', () => {
    const { service, trays } = setup();
    service.setEnabled(true);
    service.markQuitting();
    expect(trays[0]!.isDestroyed()).toBe(true);
    service.setState({ status: 'error', unreadMessages: 1 });
    service.setEnabled(false);
    service.setEnabled(true);
    expect(trays).toHaveLength(1);
    expect(service.isShown).toBe(false);
  });

  it('menu and tooltip follow the OS language, then the Settings choice as soon as it is saved', async () => {
    const texts = new MainTexts(() => ['nl-NL']);
    const { service, trays } = setup(texts);
    texts.onChange(() => service.refresh()); // as start-main wires it
    service.setEnabled(true);
    service.setState({ status: 'attention', unreadMessages: 1 });
    const tray = trays[0]!;
    const labels = () => tray.menu!.filter((i) => i.id).map((i) => i.label);
    expect(labels()).toEqual([
      'KeyTalk Agent openen',
      'Aanvragen…',
      'Nu vernieuwen',
      'Berichten (1 ongelezen)',
      'Supportbundel maken',
      'Afsluiten',
    ]);
    expect(tray.tip).toBe('KeyTalk Agent — actie nodig — 1 ongelezen bericht');
    // Saving the setting through the wrapped settings:set switches the tray without a state change.
    let stored: Record<string, unknown> = {};
    const handlers = withLanguage(
      { 'settings:set': async (patch: object) => (stored = { ...stored, ...patch }) } as never,
      texts,
    );
    await handlers['settings:set']({ language: 'de' });
    expect(labels()).toEqual([
      'KeyTalk Agent öffnen',
      'Beantragen…',
      'Jetzt erneuern',
      'Nachrichten (1 ungelesen)',
      'Support-Paket erstellen',
      'Beenden',
    ]);
    expect(tray.tip).toBe('KeyTalk Agent — Aktion erforderlich — 1 ungelesene Nachricht');
    await handlers['settings:set']({ language: 'system' });
    expect(labels()[0]).toBe('KeyTalk Agent openen');
    await handlers['settings:set']({ language: 'en' });
    expect(labels()[3]).toBe('Messages (1 unread)');
  });
});
