/**
 * Finds Firefox and Thunderbird profiles (each has its own NSS database) from profiles.ini, in every place
 * the apps are installed from: distribution packages, Snap, Flatpak, the XDG location newer Firefox uses,
 * Windows %APPDATA% and macOS Application Support.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type MozillaApp = 'firefox' | 'thunderbird';

export interface MozillaProfile {
  app: MozillaApp;
  /** Profile name from profiles.ini ("default-release"). */
  name: string;
  /** Absolute profile folder (holds cert9.db). */
  dir: string;
  /** The install's default profile ([Install...] Default=, else the [Profile] with Default=1). */
  isDefault: boolean;
  /** Which installation this came from, shown in the UI ("deb", "snap", "flatpak", ...). */
  flavour: string;
  /** The folder holding profiles.ini. */
  root: string;
  /** cert9.db present (sql: database). Profiles never started, or very old ones (cert8.db), have none. */
  hasSqlDb: boolean;
}

export interface ProfileSearch {
  platform?: NodeJS.Platform;
  /** The user's home directory; tests point it at a temp tree. */
  userHome: string;
  env?: NodeJS.ProcessEnv;
  apps?: MozillaApp[];
}

/** Candidate folders holding profiles.ini, per app and platform. */
export function profileRoots(
  app: MozillaApp,
  platform: NodeJS.Platform,
  userHome: string,
  env: NodeJS.ProcessEnv = {},
): { flavour: string; dir: string }[] {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.win32.join(userHome, 'AppData', 'Roaming');
    return [
      { flavour: 'windows', dir: path.win32.join(appData, ...(app === 'firefox' ? ['Mozilla', 'Firefox'] : ['Thunderbird'])) },
    ];
  }
  if (platform === 'darwin') {
    return [
      {
        flavour: 'macos',
        dir: path.join(userHome, 'Library', ...(app === 'firefox' ? ['Application Support', 'Firefox'] : ['Thunderbird'])),
      },
    ];
  }
  if (app === 'firefox') {
    const xdg =
      env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(userHome, '.config');
    return [
      { flavour: 'deb', dir: path.join(userHome, '.mozilla', 'firefox') },
      { flavour: 'xdg', dir: path.join(xdg, 'mozilla', 'firefox') },
      { flavour: 'snap', dir: path.join(userHome, 'snap', 'firefox', 'common', '.mozilla', 'firefox') },
      { flavour: 'flatpak', dir: path.join(userHome, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox') },
    ];
  }
  return [
    { flavour: 'deb', dir: path.join(userHome, '.thunderbird') },
    { flavour: 'snap', dir: path.join(userHome, 'snap', 'thunderbird', 'common', '.thunderbird') },
    { flavour: 'flatpak', dir: path.join(userHome, '.var', 'app', 'org.mozilla.Thunderbird', '.thunderbird') },
  ];
}

type Ini = Map<string, Map<string, string>>;

/** Minimal INI reader for profiles.ini: [Section], key=value, ; and # comments, BOM and CRLF tolerated. */
export function parseIni(text: string): Ini {
  const sections: Ini = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!.trim(), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** Profiles described by one profiles.ini (paths resolved, not yet checked on disk). */
export function profilesFromIni(
  text: string,
  root: string,
  platform: NodeJS.Platform,
): { name: string; dir: string; isDefault: boolean }[] {
  const ini = parseIni(text);
  const p = platform === 'win32' ? path.win32 : path.posix;
  const installDefaults = new Set<string>();
  for (const [name, section] of ini) {
    const d = section.get('Default');
    if (name.startsWith('Install') && d) installDefaults.add(d);
  }
  const out: { name: string; dir: string; isDefault: boolean }[] = [];
  for (const [name, section] of ini) {
    if (!/^Profile\d+$/.test(name)) continue;
    const rel = section.get('Path');
    if (!rel) continue;
    const isRelative = section.get('IsRelative') !== '0';
    // profiles.ini always uses "/" in relative paths, also on Windows.
    const dir = isRelative ? p.join(root, ...rel.split('/')) : rel;
    const isDefault =
      installDefaults.size > 0 ? installDefaults.has(rel) || installDefaults.has(dir) : section.get('Default') === '1';
    out.push({ name: section.get('Name') ?? rel, dir, isDefault });
  }
  return out;
}

/** Synchronous on purpose: it runs once when the stores are built from configuration (a few small files). */
export function findMozillaProfiles(search: ProfileSearch): MozillaProfile[] {
  const platform = search.platform ?? process.platform;
  const found: MozillaProfile[] = [];
  for (const app of search.apps ?? (['firefox', 'thunderbird'] as const)) {
    for (const { flavour, dir: root } of profileRoots(app, platform, search.userHome, search.env)) {
      let text: string;
      try {
        text = readFileSync(path.join(root, 'profiles.ini'), 'utf8');
      } catch {
        continue;
      }
      for (const prof of profilesFromIni(text, root, platform)) {
        found.push({ app, flavour, root, hasSqlDb: existsSync(path.join(prof.dir, 'cert9.db')), ...prof });
      }
    }
  }
  return found;
}
