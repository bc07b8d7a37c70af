import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_ORIGIN } from '../security/trusted-sender';
import { popupSizes, type PopupKind } from './popup-sizes';

export { popupSizes, type PopupKind };
export type MainPage = 'certificates' | 'enroll' | 'messages' | 'settings';

export type WindowLike = Pick<
  BrowserWindow,
  'loadURL' | 'show' | 'focus' | 'restore' | 'isMinimized' | 'isDestroyed' | 'on' | 'once' | 'webContents' | 'close'
>;
export type WindowFactory = (options: BrowserWindowConstructorOptions) => WindowLike;

/** The same locked-down preferences for every window; tests assert them. */
export function secureWebPreferences(preload: string): WebPreferences {
  return { preload, ...lockedDownWebPreferences() };
}

/** Everything in secureWebPreferences() but the preload: for the MFA sign-in window, which has no IPC at all. */
export function lockedDownWebPreferences(): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/**
 * Owns the main window and the popups: creates each at most once, brings an existing one to the front,
 * and lists every live window's WebContents for event fan-out.
 */
export class WindowManager {
  private main: WindowLike | undefined;
  private readonly popups = new Map<PopupKind, WindowLike>();

  constructor(
    private readonly create: WindowFactory,
    private readonly options: {
      preload: string;
      icon?: string;
      origin?: string;
      /** The core's count of UI windows (AgentCore.uiAttached): when the last closes, its waiting flows end. */
      uiAttached?: () => () => void;
    },
  ) {}

  private url(hash: string): string {
    return `${this.options.origin ?? APP_ORIGIN}/index.html${hash}`;
  }

  private reveal(win: WindowLike): void {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  showMain(page?: MainPage): WindowLike {
    if (this.main && !this.main.isDestroyed()) {
      if (page) void this.main.loadURL(this.url(`#page=${page}`));
      this.reveal(this.main);
      return this.main;
    }
    const win = this.create({
      width: 980,
      height: 700,
      minWidth: 640,
      minHeight: 480,
      show: false,
      title: 'KeyTalk Agent',
      ...(this.options.icon ? { icon: this.options.icon } : {}),
      webPreferences: secureWebPreferences(this.options.preload),
    });
    win.once('ready-to-show', () => win.show());
    const detach = this.options.uiAttached?.();
    win.on('closed', () => {
      this.main = undefined;
      detach?.();
    });
    void win.loadURL(this.url(page ? `#page=${page}` : ''));
    this.main = win;
    return win;
  }

  openPopup(kind: PopupKind): WindowLike {
    const existing = this.popups.get(kind);
    if (existing && !existing.isDestroyed()) {
      this.reveal(existing);
      return existing;
    }
    const win = this.create({
      ...popupSizes[kind],
      show: false,
      resizable: false,
      minimizable: kind !== 'unattended-renewal',
      maximizable: false,
      alwaysOnTop: kind === 'unattended-renewal',
      title: 'KeyTalk Agent',
      ...(this.options.icon ? { icon: this.options.icon } : {}),
      webPreferences: secureWebPreferences(this.options.preload),
    });
    win.once('ready-to-show', () => win.show());
    const detach = this.options.uiAttached?.();
    win.on('closed', () => {
      this.popups.delete(kind);
      detach?.();
    });
    void win.loadURL(this.url(`#popup=${kind}`));
    this.popups.set(kind, win);
    return win;
  }

  /** Bring the app to the front (second launch, tray click). */
  focus(): void {
    this.showMain();
  }

  *webContents(): Iterable<WindowLike['webContents']> {
    for (const win of [this.main, ...this.popups.values()]) {
      if (win && !win.isDestroyed()) yield win.webContents;
    }
  }
}
