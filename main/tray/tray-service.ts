import type { MenuItemConstructorOptions } from 'electron';
import type { AgentState } from '../../app/ipc/contract';
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
  /** Localised tooltip; defaults to an English one. */
  tooltip?: (state: TrayViewState) => string;
}

export interface TrayViewState {
  status: TrayStatus;
  unreadMessages: number;
  nextRenewal?: string;
}

export function defaultTooltip(state: TrayViewState): string {
  const parts = ['KeyTalk Agent'];
  if (state.status === 'working') parts.push('working…');
  if (state.status === 'attention') parts.push('needs attention');
  if (state.status === 'error') parts.push('error');
  if (state.nextRenewal) parts.push(`next renewal ${state.nextRenewal.slice(0, 16).replace('T', ' ')}`);
  if (state.unreadMessages > 0) parts.push(`${state.unreadMessages} unread message${state.unreadMessages === 1 ? '' : 's'}`);
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

  constructor(private readonly deps: TrayServiceDeps<Image, Menu>) {}

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
    this.tray.setToolTip((this.deps.tooltip ?? defaultTooltip)(this.state));
    const menu = trayMenuTemplate(
      { unreadMessages: this.state.unreadMessages, busy: this.state.status === 'working' },
      this.deps.actions,
    );
    this.tray.setContextMenu(this.deps.buildMenu(menu));
    this.rendered = key;
  }
}
