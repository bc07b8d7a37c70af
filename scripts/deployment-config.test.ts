import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Issue 20: the packaging settings a managed deployment depends on, checked against the names electron-builder's
 * own type definitions know (an unknown key is silently ignored by electron-builder, so a typo would ship).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  publish: Record<string, unknown>;
};
const dts = (file: string) => readFileSync(path.join(root, 'node_modules', file), 'utf8');
const keysOf = (text: string, iface: string) => {
  const body = new RegExp(`export interface ${iface}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? '';
  return [...body.matchAll(/readonly (\w+)\?*:/g)].map((m) => m[1]);
};

describe('deployment packaging (electron-builder.yml)', () => {
  it('NSIS: assisted, per-machine by default, elevation allowed, so "/S /allusers" installs for every user', () => {
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      selectPerMachineByDefault: true,
      allowElevation: true,
    });
    const known = keysOf(dts('app-builder-lib/out/targets/nsis/nsisOptions.d.ts'), 'NsisOptions');
    for (const key of Object.keys(config.nsis)) expect(known, key).toContain(key);
    // electron-builder's generator declares the /allusers flag (variable isForAllUsers), and its multi-user script
    // installs per machine (elevating when needed) when the flag is given.
    expect(dts('app-builder-lib/out/targets/nsis/NsisTarget.js')).toMatch(/flags\(\[[^\]]*"allusers"/);
    expect(dts('app-builder-lib/templates/nsis/multiUserUi.nsh')).toMatch(/\$\{OrIf\} \$\{isForAllUsers\}[\s\S]*UAC_RunElevated/);
  });

  it('MSI: always per machine', () => {
    expect(config.msi).toMatchObject({ perMachine: true, oneClick: false });
  });

  it('publishes to a generic feed (electron-updater), stable channel "latest"', () => {
    expect(config.publish).toMatchObject({ provider: 'generic', channel: 'latest' });
    expect(String(config.publish.url)).toMatch(/^https:\/\//);
    const known = keysOf(dts('builder-util-runtime/out/publishOptions.d.ts'), 'GenericServerOptions');
    for (const key of Object.keys(config.publish)) expect(known, key).toContain(key);
  });

  it('never switches update signature verification off', () => {
    const updater = readFileSync(path.join(root, 'main', 'app', 'updater.ts'), 'utf8');
    expect(updater).not.toMatch(/verifyUpdateCodeSignature\s*=/);
  });
});
