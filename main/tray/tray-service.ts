import type { MenuItemConstructorOptions } from 'electron';
import type { AgentState } from '../../app/ipc/contract';
import { englishTexts, type MainTexts } from '../i18n/main-i18n';
import { trayMenuTemplate, type TrayActions } from './tray-menu';

export type TrayStatus = AgentState['status'];

/** The part of Electron's Tray this service uses; tests pass a recording fake. */
export interface TrayLike<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(text: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
  isDestroyed(): boolean;
}

export interface TrayServiceDeps<Image, Menu> {
  createTray(image: Image): TrayLike<Image, Menu>;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  icon(status: TrayStatus): Image;
  actions: TrayActions;
  /** The language of menu and tooltip (follows Settings; call refresh() after it changes). English when absent. */
  texts?: MainTexts;
}

export interface TrayViewState {
  status: TrayStatus;
  unreadMessages: number;
  nextRenewal?: string;
}

export function trayTooltip(state: TrayViewState, texts: MainTexts = englishTexts()): string {
  const parts = ['KeyTalk Agent'];
  if (state.status !== 'idle') parts.push(texts.t(`tooltip.${state.status}`));
  if (state.nextRenewal) parts.push(texts.t('tooltip.nextRenewal', { when: texts.formatDate(state.nextRenewal, true) }));
  if (state.unreadMessages > 0) parts.push(texts.t('tooltip.unread', { count: state.unreadMessages }));
  return parts.join(' — ');
}

/**
 * The tray icon as a function of state (after Signal's SystemTrayService): setters ignore unchanged values,
 * one render() creates, updates or destroys the tray, and Electron is injected so tests run without it.
 * Once quitting, render() never re-creates the tray.
 */
export class TrayService<Image, Menu> {
  private tray: TrayLike<Image, Menu> | undefined;
  private state: TrayViewState = { status: 'idle', unreadMessages: 0 };
  private enabled = false;
  private quitting = false;
  private rendered = '';

  private readonly texts: MainTexts;

  constructor(private readonly deps: TrayServiceDeps<Image, Menu>) {
    this.texts = deps.texts ?? englishTexts();
  }

  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    this.render();
  }

  setState(next: TrayViewState): void {
    const same =
      next.status === this.state.status &&
      next.unreadMessages === this.state.unreadMessages &&
      next.nextRenewal === this.state.nextRenewal;
    if (same) return;
    this.state = { ...next };
    this.render();
  }

  /** Draw again with the same state: the language changed. */
  refresh(): void {
    this.rendered = '';
    this.render();
  }

  /** Called from before-quit: tear down and stay down. */
  markQuitting(): void {
    this.quitting = true;
    this.render();
  }

  get isShown(): boolean {
    return !!this.tray && !this.tray.isDestroyed();
  }

  private render(): void {
    if (!this.enabled || this.quitting) {
      if (this.tray && !this.tray.isDestroyed()) this.tray.destroy();
      this.tray = undefined;
      this.rendered = '';
      return;
    }
    const key = JSON.stringify(this.state);
    if (this.tray && !this.tray.isDestroyed()) {
      if (key === this.rendered) return;
      this.tray.setImage(this.deps.icon(this.state.status));
    } else {
      this.tray = this.deps.createTray(this.deps.icon(this.state.status));
      this.tray.on('click', () => this.deps.actions.open());
    }
    this.tray.setToolTip(trayTooltip(this.state, this.texts));
    const menu = trayMenuTemplate(
      { unreadMessages: this.state.unreadMessages, busy: this.state.status === 'working' },
      this.deps.actions,
      this.texts,
    );
    this.tray.setContextMenu(this.deps.buildMenu(menu));
    this.rendered = key;
  }
}
