import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Target = string | { target: string };
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  appId: string;
  productName: string;
  asar: boolean;
  electronFuses: Record<string, boolean>;
  extraResources: Array<{ from: string; to: string }>;
  win: { icon: string; target: Target[] };
  mac: { icon: string; hardenedRuntime: boolean; entitlements: string; target: Target[] };
  linux: { icon: string; target: Target[] };
};
const names = (targets: Target[]) => targets.map((t) => (typeof t === 'string' ? t : t.target));

describe('electron-builder.yml', () => {
  it('names every installer target', () => {
    expect(names(config.win.target).sort()).toEqual(['msi', 'nsis']);
    expect(names(config.mac.target)).toEqual(['dmg']);
    expect(names(config.linux.target).sort()).toEqual(['AppImage', 'deb', 'rpm']);
  });

  it('has the identity, asar, and an entry the build produces', () => {
    expect(config.appId).toBe('com.keytalk.agent');
    expect(config.productName).toBe('KeyTalk Agent');
    expect(config.asar).toBe(true);
    // electron-builder starts package.json "main": it must be the bundle the build writes.
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    const build = readFileSync(path.join(root, 'scripts', 'build.mjs'), 'utf8');
    expect(build).toContain(`outfile: '${pkg.main}'`);
  });

  // Security review (issue 22): the packaged app must not be usable as a Node runtime or debugger target, and must
  // load only its own integrity-checked app.asar. Names as electron-builder's FuseOptionsV1 spells them.
  it('flips the Electron fuses for release builds', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Every key must be one electron-builder knows, or it is silently ignored.
    const dts = readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'out', 'configuration.d.ts'), 'utf8');
    const known = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? '';
    for (const key of Object.keys(config.electronFuses)) expect(known, key).toMatch(new RegExp(`\\b${key}\\?:`));
    // Fuse-dependent assumptions: nothing forks Electron as Node, and the renderer is not loaded over file://.
    const mainSrc = readFileSync(path.join(root, 'main', 'app', 'start-main.ts'), 'utf8');
    expect(mainSrc).toContain('protocol.handle(APP_SCHEME');
    const mainFiles = readdirSync(path.join(root, 'main'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    for (const f of mainFiles) {
      const src = readFileSync(path.join(root, 'main', f), 'utf8');
      expect(src, f).not.toMatch(/ELECTRON_RUN_AS_NODE|\bfork\(|loadFile\(/);
    }
  });

  it('signs macOS with the hardened runtime and a checked-in entitlements file', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const plist = readFileSync(path.join(root, config.mac.entitlements), 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
  });

  it('points at icons that exist and ships the CLI', () => {
    for (const icon of [config.win.icon, config.mac.icon, config.linux.icon])
      expect(existsSync(path.join(root, icon)), icon).toBe(true);
    for (const s of ['idle', 'working', 'attention', 'error'])
      expect(existsSync(path.join(root, 'resources', `tray-${s}.png`))).toBe(true);
    expect(config.extraResources.map((r) => r.to)).toEqual(expect.arrayContaining(['cli', 'bin']));
    const png = readFileSync(path.join(root, config.mac.icon));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
  });
});
