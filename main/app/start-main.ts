import path from 'node:path';
import { createAgent, type AgentCore } from '../../app/agent/index';
import { homeLayout, resolveHome } from '../../app/config/home';
import { bindIpc, fanOutEvents } from '../ipc/bind-ipc';
import { flowOwners } from '../ipc/flow-owners';
import { hardenWebContents } from '../security/harden-web-contents';
import { APP_SCHEME, isTrustedSender } from '../security/trusted-sender';
import { Autostart } from '../system/autostart';
import { textOf } from '../../app/model/core-text';
import { coreMessage } from '../i18n/core-message';
import { MainTexts } from '../i18n/main-i18n';
import { withAutostart } from '../system/autostart-settings';
import { electronLocales, withLanguage } from '../system/language-settings';
import { withLogFolder } from '../system/log-folder';
import { notificationsFromEvents } from '../system/notifications';
import { forwardPowerEvents, type SystemEventTarget } from '../system/power-events';
import { SafeStorageSecretStore } from '../system/safe-storage-secret-store';
import { saveSupportBundle } from '../system/support-bundle';
import { renewAll } from '../tray/renew-all';
import { TrayService, type TrayStatus } from '../tray/tray-service';
import { createAppProtocolHandler } from '../windows/app-protocol';
import { createSignInWindowOpener, SIGN_IN_PARTITION } from '../windows/sign-in-window';
import { WindowManager } from '../windows/window-manager';
import type { ElectronDeps } from './electron-deps';

export interface MainPaths {
  /** dist/ of the build: holds renderer/ and preload/. */
  distDir: string;
  /** resources/ with the tray and window icons. */
  resourcesDir: string;
}

export interface StartMainOptions {
  paths: MainPaths;
  argv?: string[];
  /** Injected in tests; createAgent() otherwise. */
  createCore?: (opts: Parameters<typeof createAgent>[0]) => AgentCore;
  log?: (message: string) => void;
}

export interface RunningMain {
  core: AgentCore;
  windows: WindowManager;
  tray: TrayService<unknown, unknown>;
}

function homeFromArgv(argv: string[]): string | undefined {
  const i = argv.indexOf('--home');
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--home='))?.slice('--home='.length);
}

/**
 * The Electron main process, wired from injected parts. Order matters: the privileged scheme must be
 * registered before `ready`, the single-instance lock taken before any window exists.
 * Resolves to undefined when another instance already runs (that one is focused instead).
 */
export async function startMain(electron: ElectronDeps, options: StartMainOptions): Promise<RunningMain | undefined> {
  const { app, protocol } = electron;
  const argv = options.argv ?? process.argv;
  const log = options.log ?? ((m: string) => console.error(`[main] ${m}`));
  const rendererDir = path.join(options.paths.distDir, 'renderer');
  const preload = path.join(options.paths.distDir, 'preload', 'index.cjs');

  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }

  await app.whenReady();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  // The app asks for no browser permission (camera, notifications via web API, geolocation ...); nor do IdP pages.
  const signInSession = electron.session.fromPartition(SIGN_IN_PARTITION);
  for (const s of [electron.session.defaultSession, signInSession])
    s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // A window that reloads cancels the flows it started (its new page cannot answer them; main/ipc/flow-owners.ts).
  // The core is made below; no window (and so no cancel) exists before it.
  const owners = flowOwners((req) => core.handlers['flow:cancel'](req), log);
  app.on('web-contents-created', (_event, contents) => {
    // The MFA sign-in window (its own session, no preload, no IPC) gets its navigation rules from sign-in-window.ts;
    // every other WebContents gets the app's: no navigation at all.
    if (contents.session === signInSession) return;
    hardenWebContents(contents, electron.shell);
    owners.watch(contents);
  });

  const icon = (name: string) => path.join(options.paths.resourcesDir, name);
  const home = resolveHome(homeFromArgv(argv));
  // The OS's language until the settings are read below; then the Settings choice, kept up to date by withLanguage.
  const texts = new MainTexts(() => electronLocales(app));
  const secretStore = new SafeStorageSecretStore(electron.safeStorage, homeLayout(home).secrets);
  const core = (options.createCore ?? createAgent)({
    home,
    secretStore,
    version: app.getVersion(),
    // mfa-popups sign-ins show the IdP in a window of ours instead of the system browser.
    signInWindow: createSignInWindowOpener((opts) => new electron.BrowserWindow(opts), {
      icon: icon('icon.png'),
      title: () => texts.t('signIn.title'),
    }),
  });
  await core.start();
  texts.apply((await core.handlers['settings:get']({})).language);

  core.onEvent((channel, payload) => {
    if (channel === 'flow:done') owners.ended((payload as { flowId: string }).flowId);
  });
  const autostart = new Autostart({ platform: process.platform, app, execPath: process.execPath, env: process.env });
  bindIpc({
    ipcMain: electron.ipcMain,
    handlers: withLanguage(withLogFolder(withAutostart(core.handlers, autostart), electron.shell), texts),
    isTrustedSender: (frame) => isTrustedSender(frame, rendererDir),
    onAnswered: owners.answered,
  });

  const windows = new WindowManager((opts) => new electron.BrowserWindow(opts), {
    preload,
    icon: icon('icon.png'),
    // A flow waiting on a window that closed is cancelled once no window is left to answer it.
    ...(core.uiAttached ? { uiAttached: core.uiAttached } : {}),
  });
  fanOutEvents(core.onEvent, () => windows.webContents());

  const tray = new TrayService<unknown, unknown>({
    createTray: (image) => new electron.Tray(image as Electron.NativeImage) as never,
    buildMenu: (template) => electron.Menu.buildFromTemplate(template),
    icon: (status: TrayStatus) => electron.nativeImage.createFromPath(icon(`tray-${status}.png`)),
    actions: {
      open: () => windows.showMain(),
      enroll: () => windows.showMain('enroll'),
      renewNow: () => {
        windows.showMain('certificates');
        void renewAll(core, log).catch((err: unknown) => log(`renew now: ${(err as Error).message}`));
      },
      messages: () => windows.showMain('messages'),
      supportBundle: () =>
        void saveSupportBundle({
          handlers: core.handlers,
          folder: app.getPath('downloads'),
          showItemInFolder: (f) => electron.shell.showItemInFolder(f),
        }).catch((err: unknown) => {
          log(`support bundle: ${(err as Error).message}`);
          // The tray has no window for the error: say it where the user looks after clicking.
          if (electron.Notification.isSupported())
            new electron.Notification({
              title: texts.t('tray.supportBundle'),
              body: coreMessage(texts, textOf(err), (err as Error).message),
            }).show();
        }),
      quit: () => app.quit(),
    },
    texts,
  });
  texts.onChange(() => tray.refresh());
  tray.setEnabled(true);
  const initial = await core.handlers['agent:get-state']({});
  tray.setState({ status: initial.status, unreadMessages: initial.unreadMessages, nextRenewal: initial.nextRenewal });
  core.onEvent((channel, payload) => {
    if (channel === 'agent:state') {
      const s = payload as typeof initial;
      tray.setState({ status: s.status, unreadMessages: s.unreadMessages, nextRenewal: s.nextRenewal });
    } else if (channel === 'popup:open') {
      windows.openPopup((payload as { popup: Parameters<WindowManager['openPopup']>[0] }).popup);
    }
  });

  if (electron.Notification.isSupported()) {
    notificationsFromEvents(
      core.onEvent,
      ({ title, body }) => new electron.Notification({ title, body, icon: icon('icon.png') }).show(),
      initial.unreadMessages,
      texts,
      initial.passwordExpiries,
    );
  }

  forwardPowerEvents(electron.powerMonitor, core as AgentCore & SystemEventTarget, log);

  app.on('second-instance', () => windows.focus());
  // A tray agent keeps running with no window open; Quit in the tray menu ends it.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    tray.markQuitting();
    void core.stop();
  });

  // Self-update where the policy allows it (main/app/updater.ts); never in the way of starting.
  void import('./updater')
    .then((u) =>
      u.startUpdates({ home, version: app.getVersion(), isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, log }),
    )
    .catch((err: unknown) => log(`updates: ${(err as Error).message}`));

  if (!argv.includes('--hidden')) windows.showMain();
  return { core, windows, tray };
}
