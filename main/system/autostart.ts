import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';
import { writeFileAtomic } from '../../app/system/atomic-write';

export interface AutostartDeps {
  platform: NodeJS.Platform;
  app: Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  /** The command to start: the AppImage when running from one, else the Electron executable. */
  execPath: string;
  env?: NodeJS.ProcessEnv;
}

export const DESKTOP_FILE_NAME = 'keytalk-agent.desktop';

/** XDG autostart folder: $XDG_CONFIG_HOME/autostart or ~/.config/autostart. */
export function xdgAutostartDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'autostart');
}

/** Quote an Exec argument per the Desktop Entry spec (double quotes; escape " ` $ \). */
function desktopQuote(arg: string): string {
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function desktopEntry(execPath: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=KeyTalk Agent',
    'Comment=Enrolls and renews your certificates',
    `Exec=${desktopQuote(execPath)} --hidden`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Start at login: on Linux a .desktop file in the XDG autostart folder (what every desktop environment
 * reads), on Windows and macOS Electron's login item. Starts hidden, in the tray.
 */
export class Autostart {
  constructor(private readonly deps: AutostartDeps) {}

  private get execPath(): string {
    return this.deps.env?.APPIMAGE ?? this.deps.execPath;
  }

  private get desktopFile(): string {
    return path.join(xdgAutostartDir(this.deps.env), DESKTOP_FILE_NAME);
  }

  async set(enabled: boolean): Promise<void> {
    if (this.deps.platform === 'linux') {
      if (enabled) await writeFileAtomic(this.desktopFile, desktopEntry(this.execPath), { mode: 0o644 });
      else await fs.rm(this.desktopFile, { force: true });
      return;
    }
    this.deps.app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: ['--hidden'] });
  }

  async isEnabled(): Promise<boolean> {
    if (this.deps.platform === 'linux') {
      return fs.access(this.desktopFile).then(
        () => true,
        () => false,
      );
    }
    return this.deps.app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin;
  }
}
