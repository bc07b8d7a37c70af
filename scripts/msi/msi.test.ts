/**
 * Issue 20, silent install: the MSI's RCCD=/POLICY= properties (scripts/msi/msi-project-created.mjs, the
 * electron-builder msiProjectCreated hook, and keytalk-provision.jscript, its JScript custom actions).
 *
 * 1. electron-builder's own MsiTarget renders its WiX template for this app's msi options; the hook edits that
 *    project; msitools' wixl compiles it into a real MSI and `msiinfo export` reads back the tables.
 *    wixl implements a subset of WiX, so before compiling, wixlCompat() rewrites only template parts it lacks —
 *    none of them the hook's: the WixUI extension (UIRef, UI, WixVariable), ShortcutProperty, CDATA, WiX 4's
 *    generated component GUIDs and file Ids, inline directory names ("APPLICATIONFOLDER:\resources\"), and a
 *    Component's own Directory inside a ComponentGroup (wixl wants ComponentGroups in a Fragment). wixl also drops
 *    Property/@Secure (WiX puts RCCD;POLICY in SecureCustomProperties), so that is asserted on the project.
 * 2. The JScript runs here in Node against a fake Windows Installer Session and a FileSystemObject over real files
 *    (only what cannot run here is faked), then the agent's own Windows policy reader reads what it placed.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { parse as parseJs } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadPolicy } from '../../app/policy/load-policy';
import { importProvisioned } from '../../app/policy/provisioned';
import { listProviders } from '../../app/rccd/provider-store';
import { reportSkip } from '../../test-support/hardware/index';
import { createTestPki, issueCertificate } from '../../test-support/crypto/test-pki';
import { makeRccdV2 } from '../../test-support/rccd/make-rccd';
import { addProvisioning, msiProjectCreated, PROVISION_SCRIPT } from './msi-project-created.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-msi-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const noWixl = await run('sh', ['-c', 'command -v wixl && command -v msiinfo']).then(
  () => undefined,
  () => 'wixl/msiinfo (Debian wixl, msitools) not installed',
);

/** electron-builder's MsiTarget.writeManifest for this app's msi options, over a small unpacked app folder. */
async function renderElectronBuilderProject(appDir: string, msiOptions?: object): Promise<string> {
  const require = createRequire(path.join(root, 'package.json'));
  require('app-builder-lib'); // the package entry first: MsiTarget alone hits a circular import
  const MsiTarget = require('app-builder-lib/out/targets/MsiTarget.js').default;
  const { getEffectiveOptions } = require('app-builder-lib/out/options/CommonWindowsInstallerConfiguration.js');
  const { Arch } = require('builder-util');
  const config = parseYaml(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { msi: object };
  const appInfo = {
    productFilename: 'KeyTalk Agent',
    productName: 'KeyTalk Agent',
    sanitizedProductName: 'KeyTalk Agent',
    sanitizedName: 'keytalk-agent',
    id: 'com.keytalk.agent',
    companyName: 'KeyTalk',
    description: 'KeyTalk Agent',
    getVersionInWeirdWindowsForm: () => '0.1.0.0',
  };
  const packager = {
    appInfo,
    platformSpecificBuildOptions: {},
    config: { msi: msiOptions ?? config.msi },
    getIconPath: async () => null, // wixl takes relative icon paths only; the icon is not what is tested
    compression: 'normal',
    fileAssociations: [],
    expandMacro: (s: string) => s,
  };
  const target = new MsiTarget(packager, tmp);
  return target.writeManifest(appDir, Arch.x64, getEffectiveOptions(target.options, packager));
}

/** Template parts wixl 0.101 lacks, rewritten (see the header); the hook's own elements pass unchanged. */
function wixlCompat(xml: string): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let x = xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, t: string) => esc(t));
  x = x.replace(/<(WixVariable|UIRef|ShortcutProperty) [^>]*\/>/g, '').replace(/<UI>[\s\S]*?<\/UI>/g, '');
  let n = 0;
  x = x.replace(/<Component( Directory="[^"]*")?>/g, (_, d?: string) => `<Component Id="c${n++}" Guid="*"${d ?? ''}>`);
  x = x.replace(/<File (?![^>]*\bId=)/g, () => `<File Id="f${n++}" `);
  const inline: string[] = [];
  x = x.replace(/<Directory Id="([^"]+)" Name="APPLICATIONFOLDER:\\([^"\\]+)\\"\/>/g, (_, id: string, name: string) => {
    inline.push(`<Directory Id="${id}" Name="${name}"/>`);
    return '';
  });
  x = x.replace(/<Directory Id="APPLICATIONFOLDER" Name="([^"]*)"\/>/, (_, name: string) => {
    return `<Directory Id="APPLICATIONFOLDER" Name="${name}">${inline.join('')}</Directory>`;
  });
  const groups: string[] = [];
  x = x.replace(/<ComponentGroup Id="([^"]+)" Directory="([^"]+)">([\s\S]*?)<\/ComponentGroup>/, (_, id, dir, body: string) => {
    const own: string[] = [];
    body = body.replace(/<Component Id="(\w+)" Guid="\*" Directory="([^"]+)">([\s\S]*?)<\/Component>/g, (_m, c, d, b) => {
      own.push(`<ComponentGroup Id="g${c}" Directory="${d}"><Component Id="${c}" Guid="*">${b}</Component></ComponentGroup>`);
      return '';
    });
    groups.push(`<ComponentGroup Id="${id}" Directory="${dir}">${body}</ComponentGroup>`, ...own);
    return '';
  });
  const refs = groups.slice(1).map((g) => `<ComponentGroupRef Id="${/Id="(\w+)"/.exec(g)?.[1]}"/>`);
  x = x.replace(/<ComponentGroupRef Id="ProductComponents"\/>/, (m) => m + refs.join(''));
  return x.replace('</Product>', `</Product><Fragment>${groups.join('\n')}</Fragment>`);
}

/** `msiinfo export` of one table: its rows as objects keyed by column name. */
async function table(msi: string, name: string): Promise<Array<Record<string, string>>> {
  const { stdout } = await run('msiinfo', ['export', msi, name]);
  const [head, , , ...rows] = stdout.split(/\r?\n/).filter((l, i) => i < 3 || l !== '');
  const cols = (head ?? '').split('\t');
  return rows.map((r) => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])));
}

describe('the MSI project hook', () => {
  let project: string;
  beforeAll(async () => {
    const app = path.join(tmp, 'stage', 'app');
    mkdirSync(path.join(app, 'resources'), { recursive: true });
    writeFileSync(path.join(app, 'KeyTalk Agent.exe'), 'MZ');
    writeFileSync(path.join(app, 'ffmpeg.dll'), 'MZ');
    writeFileSync(path.join(app, 'resources', 'app.asar'), 'asar');
    project = path.join(tmp, 'stage', 'project.wxs');
    writeFileSync(project, await renderElectronBuilderProject(app));
  });

  it('is the msiProjectCreated hook of electron-builder.yml and refuses a project it cannot place itself in', async () => {
    const config = parseYaml(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    expect(config.msiProjectCreated).toBe('./scripts/msi/msi-project-created.mjs');
    // electron-builder's own resolver (relative to the project folder, where electron-builder runs) finds this function.
    const { resolveFunction } = createRequire(path.join(root, 'package.json'))('app-builder-lib/out/util/resolve.js');
    expect(process.cwd()).toBe(root);
    const hook = await resolveFunction('module', config.msiProjectCreated, 'msiProjectCreated', root);
    const copy = path.join(tmp, 'resolved', 'project.wxs');
    mkdirSync(path.dirname(copy));
    writeFileSync(copy, readFileSync(project));
    await hook(copy);
    expect(readFileSync(copy, 'utf8')).toContain('<Property Id="RCCD" Secure="yes"/>');
    expect(() => addProvisioning('<Wix><Product></Product></Wix>')).toThrow(/TARGETDIR directory not found.*template changed/);
    const once = addProvisioning(readFileSync(project, 'utf8'));
    expect(() => addProvisioning(once)).toThrow(/already has KeyTalk provisioning/);
    // Secure: public properties reach the elevated server side of the install (WiX writes SecureCustomProperties).
    expect(once).toContain('<Property Id="RCCD" Secure="yes"/>');
    expect(once).toContain('<Property Id="POLICY" Secure="yes"/>');
  });

  it.skipIf(reportSkip('MSI built with wixl', noWixl))("joins the one-click template's own InstallExecuteSequence", async () => {
    const stage = path.join(tmp, 'one-click');
    mkdirSync(stage);
    cpSync(path.join(tmp, 'stage', 'app'), path.join(stage, 'app'), { recursive: true });
    const xml = await renderElectronBuilderProject(path.join(stage, 'app'), { oneClick: true, perMachine: true });
    expect(xml.match(/<InstallExecuteSequence>/g)).toHaveLength(1); // runAfterFinish
    writeFileSync(path.join(stage, 'project.wxs'), xml);
    await msiProjectCreated(path.join(stage, 'project.wxs'));
    const edited = readFileSync(path.join(stage, 'project.wxs'), 'utf8');
    expect(edited.match(/<InstallExecuteSequence>/g)).toHaveLength(1);
    writeFileSync(path.join(stage, 'wixl.wxs'), wixlCompat(edited));
    await run('wixl', ['-a', 'x64', '-D', 'appDir=app', '-o', 'agent.msi', 'wixl.wxs'], { cwd: stage });
    const seq = (await table(path.join(stage, 'agent.msi'), 'InstallExecuteSequence')).map((r) => r.Action);
    expect(seq).toEqual(expect.arrayContaining(['runAfterFinish', 'KeyTalkCheckProvisioning', 'KeyTalkProvision']));
  });

  it.skipIf(reportSkip('MSI built with wixl', noWixl))('builds an MSI whose tables provision per machine', async () => {
    const stage = path.dirname(project);
    await msiProjectCreated(project);
    expect(readFileSync(path.join(stage, 'keytalk-provision.jscript'))).toEqual(readFileSync(PROVISION_SCRIPT));
    writeFileSync(path.join(stage, 'wixl.wxs'), wixlCompat(readFileSync(project, 'utf8')));
    await run('wixl', ['-a', 'x64', '-D', 'appDir=app', '-o', 'agent.msi', 'wixl.wxs'], { cwd: stage });
    const msi = path.join(stage, 'agent.msi');

    const props = Object.fromEntries((await table(msi, 'Property')).map((r) => [r.Property, r.Value]));
    expect(props.ALLUSERS).toBe('1'); // per machine (electron-builder.yml msi.perMachine)
    expect(props.RCCD).toBeUndefined(); // no default: nothing is placed unless the administrator names a file

    // Target folders: CommonAppDataFolder (%ProgramData%) \ KeyTalk Agent \ rccd, as app/policy/load-policy.ts reads.
    const dirs = new Map((await table(msi, 'Directory')).map((r) => [r.Directory, r]));
    const pathOf = (id: string): string[] => {
      const d = dirs.get(id);
      if (!d) throw new Error(`no Directory ${id}`);
      const name = d.DefaultDir === '.' ? id : String(d.DefaultDir);
      return d.Directory_Parent ? [...pathOf(d.Directory_Parent), name] : [];
    };
    expect(pathOf('KEYTALKDATADIR')).toEqual(['CommonAppDataFolder', 'KeyTalk Agent']);
    expect(pathOf('KEYTALKRCCDDIR')).toEqual(['CommonAppDataFolder', 'KeyTalk Agent', 'rccd']);
    expect(await table(msi, 'Component')).toContainEqual(
      expect.objectContaining({ Component: 'KeyTalkRccdFolder', Directory_: 'KEYTALKRCCDDIR' }),
    );
    expect(await table(msi, 'CreateFolder')).toEqual([{ Directory_: 'KEYTALKRCCDDIR', Component_: 'KeyTalkRccdFolder' }]);
    expect(await table(msi, 'FeatureComponents')).toContainEqual({ Feature_: 'ProductFeature', Component_: 'KeyTalkRccdFolder' });

    // Custom actions: 5 = JScript from the Binary table (immediate), 51 = set a property, 5 + 1024 (in script:
    // deferred) + 2048 (no impersonation: LocalSystem) = 3077.
    const actions = Object.fromEntries((await table(msi, 'CustomAction')).map((r) => [r.Action, r]));
    expect(actions.KeyTalkCheckProvisioning).toMatchObject({
      Type: '5',
      Source: 'KeyTalkProvisionScript',
      Target: 'checkProvisioning',
    });
    expect(actions.KeyTalkSetProvisionData).toMatchObject({
      Type: '51',
      Source: 'KeyTalkProvision',
      Target: '[RCCD]|[POLICY]|[KEYTALKDATADIR]',
    });
    expect(actions.KeyTalkProvision).toMatchObject({ Type: '3077', Source: 'KeyTalkProvisionScript', Target: 'provision' });
    expect(actions.KeyTalkSetLockData).toMatchObject({ Type: '51', Source: 'KeyTalkLockFolder', Target: '[KEYTALKDATADIR]' });
    expect(actions.KeyTalkLockFolder).toMatchObject({ Type: '3077', Source: 'KeyTalkProvisionScript', Target: 'lockFolder' });
    await run('msiinfo', ['extract', msi, 'Binary.KeyTalkProvisionScript'], { encoding: 'buffer' }).then(({ stdout }) =>
      expect(stdout).toEqual(readFileSync(PROVISION_SCRIPT)),
    );

    // Per machine only: a launch condition stops RCCD/POLICY on a per-user install, with the reason.
    expect(await table(msi, 'LaunchCondition')).toContainEqual({
      Condition: '(NOT RCCD AND NOT POLICY) OR ALLUSERS = 1',
      Description: expect.stringMatching(/per-machine install \(ALLUSERS=1\)/),
    });

    // Order: the check after the launch conditions and costing (directories resolved) and before InstallInitialize
    // (nothing changed yet); the CustomActionData set once directories are resolved; the copy inside the script,
    // after the files, before InstallFinalize.
    const seq = new Map((await table(msi, 'InstallExecuteSequence')).map((r) => [r.Action, r]));
    const at = (a: string) => Number(seq.get(a)?.Sequence);
    const when = '(RCCD OR POLICY) AND NOT REMOVE~="ALL"';
    for (const a of ['KeyTalkCheckProvisioning', 'KeyTalkSetProvisionData', 'KeyTalkProvision'])
      expect(seq.get(a)?.Condition, a).toBe(when);
    expect(at('LaunchConditions')).toBeLessThan(at('KeyTalkCheckProvisioning'));
    expect(at('CostFinalize')).toBeLessThan(at('KeyTalkCheckProvisioning'));
    expect(at('KeyTalkCheckProvisioning')).toBeLessThan(at('InstallInitialize'));
    expect(at('CostFinalize')).toBeLessThan(at('KeyTalkSetProvisionData')); // [KEYTALKDATADIR] is resolved
    expect(at('KeyTalkSetProvisionData')).toBeLessThan(at('KeyTalkProvision'));
    // The folder is locked on every per-machine install, before anything is copied into it.
    for (const a of ['KeyTalkSetLockData', 'KeyTalkLockFolder'])
      expect(seq.get(a)?.Condition, a).toBe('ALLUSERS = 1 AND NOT REMOVE~="ALL"');
    expect(at('CostFinalize')).toBeLessThan(at('KeyTalkSetLockData'));
    expect(at('KeyTalkSetLockData')).toBeLessThan(at('KeyTalkLockFolder'));
    expect(at('InstallInitialize')).toBeLessThan(at('KeyTalkLockFolder'));
    expect(at('CreateFolders')).toBeLessThan(at('KeyTalkLockFolder'));
    expect(at('InstallFiles')).toBeLessThan(at('KeyTalkLockFolder'));
    expect(at('KeyTalkLockFolder')).toBeLessThan(at('KeyTalkProvision'));
    expect(at('KeyTalkProvision')).toBeLessThan(at('InstallFinalize'));
  });
});

/**
 * keytalk-provision.jscript in a Node sandbox. Windows paths map onto `disk`: "C:\x" → disk/C/x, "\\srv\share\x" →
 * disk/UNC/srv/share/x. The FileSystemObject keeps the semantics the script relies on (MoveFile and CopyFile without
 * overwrite fail on an existing target, CreateFolder needs the parent).
 */
const disk = path.join(tmp, 'disk');
const host = (p: string) =>
  path.join(disk, p.startsWith('\\\\') ? `UNC/${p.slice(2)}` : p.replace(/^([A-Z]):\\/, '$1/')).replace(/\\/g, '/');

function fileSystemObject() {
  const isFile = (p: string) => existsSync(host(p)) && statSync(host(p)).isFile();
  const fail = (what: string) => {
    throw new Error(what);
  };
  return {
    FileExists: isFile,
    FolderExists: (p: string) => existsSync(host(p)) && statSync(host(p)).isDirectory(),
    CreateFolder: (p: string) => (existsSync(host(p)) ? fail(`exists: ${p}`) : mkdirSync(host(p))),
    GetFile: (p: string) => (isFile(p) ? { Size: statSync(host(p)).size } : fail(`File not found: ${p}`)),
    CopyFile: (from: string, to: string, overwrite: boolean) =>
      !overwrite && existsSync(host(to)) ? fail(`File already exists: ${to}`) : cpSync(host(from), host(to)),
    DeleteFile: (p: string) => rmSync(host(p)),
    MoveFile: (from: string, to: string) =>
      existsSync(host(to)) ? fail(`File already exists: ${to}`) : renameSync(host(from), host(to)),
  };
}

/** ADODB.Stream in text mode: the charset decodes the file, a UTF-8 byte-order mark dropped (as TextDecoder does). */
function adodbStream() {
  let text: string | undefined;
  const stream = {
    Type: 0,
    Charset: '',
    Open: () => undefined,
    LoadFromFile: (p: string) => {
      expect([stream.Type, stream.Charset]).toEqual([2, 'utf-8']);
      text = new TextDecoder('utf-8').decode(readFileSync(host(p)));
    },
    ReadText: (n: number) => (text ?? '').slice(0, n),
    Close: () => undefined,
  };
  return stream;
}

/** Runs one entry point with these properties; returns its result and the messages it sent to the installer. */
function runAction(
  entry: 'checkProvisioning' | 'provision' | 'lockFolder',
  properties: Record<string, string>,
  exitCodes: number[] = [],
) {
  const messages: Array<{ type: number; text: string }> = [];
  const commands: string[] = [];
  const shell = {
    ExpandEnvironmentStrings: (s: string) => s.replace('%SystemRoot%', 'C:\\WINDOWS'),
    Run: (command: string, windowStyle: number, wait: boolean) => {
      expect([windowStyle, wait]).toEqual([0, true]); // hidden, and its exit code awaited
      commands.push(command);
      return exitCodes.shift() ?? 0;
    },
  };
  const Session = {
    Property: (name: string) => properties[name] ?? '',
    Installer: {
      CreateRecord: () => {
        const fields: string[] = [];
        return { StringData: (i: number, v: string) => (fields[i] = v), fields };
      },
    },
    Message: (type: number, record: { fields: string[] }) => {
      expect(record.fields[0]).toBe('[1]');
      messages.push({ type, text: String(record.fields[1]) });
    },
  };
  const ActiveXObject = function (progId: string) {
    if (progId === 'WScript.Shell') return shell;
    if (progId === 'ADODB.Stream') return adodbStream();
    expect(progId).toBe('Scripting.FileSystemObject');
    return fileSystemObject();
  };
  const context = vm.createContext({ Session, ActiveXObject });
  vm.runInContext(`${nodeSource}\n;result = ${entry}();`, context);
  return { result: context.result as number, messages, commands };
}

// JScript's COM property put `rec.StringData(i) = v` becomes the fake's call `rec.StringData(i, v)`; nothing else.
const scriptSource = readFileSync(PROVISION_SCRIPT, 'utf8');
const puts = /^(\s*\w+)\.StringData\(([^()\n]*)\) = ([^;\n]+);$/gm;
const nodeSource = scriptSource.replace(puts, '$1.StringData($2, $3);');
const ERROR = 0x01000000;
const dataDir = 'C:\\ProgramData\\KeyTalk Agent\\';

describe('keytalk-provision.jscript (the custom actions)', () => {
  let rccd: Buffer;
  beforeAll(async () => {
    const pki = await createTestPki('Msi');
    const ca = (cn: string) => issueCertificate(pki.primary, { cn, isCa: true, keyPem: pki.server.keyPem });
    const cas = { root: pki.root, primary: pki.primary, signing: await ca('Msi UCA'), server: await ca('Msi SCA') };
    rccd = await makeRccdV2({ cas, providerName: 'Acme' });
    mkdirSync(host('C:\\ProgramData'), { recursive: true });
    mkdirSync(host('\\\\fs\\deploy\\keytalk'), { recursive: true });
    writeFileSync(host('\\\\fs\\deploy\\keytalk\\acme.rccd'), rccd);
    writeFileSync(host('\\\\fs\\deploy\\keytalk\\policy.json'), '{ "lockedAutostart": true, "supportContact": "x1234" }\n');
  });

  it('is ES3 JScript, as msiexec runs it', () => {
    expect(scriptSource.match(puts)).toHaveLength(2);
    expect(scriptSource).not.toMatch(/[^\t\n\r\x20-\x7e]/); // ASCII only: the script engine reads it in the ANSI code page
    expect(() => parseJs(nodeSource, { ecmaVersion: 3 })).not.toThrow(); // no trailing commas, let, arrows, ...
  });

  it('places RCCD and POLICY where the agent reads them on Windows, and the agent imports them', async () => {
    const share = '\\\\fs\\deploy\\keytalk\\';
    const props = { RCCD: `${share}acme.rccd`, POLICY: `${share}policy.json`, KEYTALKDATADIR: dataDir };
    expect(runAction('checkProvisioning', props)).toEqual({ result: 1, messages: [], commands: [] });
    expect(existsSync(host(dataDir))).toBe(false); // the check changes nothing
    // The deferred action gets only CustomActionData, as KeyTalkSetProvisionData formats it.
    const data = `${props.RCCD}|${props.POLICY}|${dataDir}`;
    const placed = runAction('provision', { CustomActionData: data });
    expect(placed.result).toBe(1);
    expect(placed.messages.map((m) => m.text)).toEqual([
      `KeyTalk Agent: placed ${props.RCCD} as ${dataDir}rccd\\acme.rccd`,
      `KeyTalk Agent: placed ${props.POLICY} as ${dataDir}policy.json`,
    ]);
    expect(readdirSync(host(`${dataDir}rccd`))).toEqual(['acme.rccd']);

    // The agent's Windows branch (%ProgramData%\KeyTalk Agent; the registry empty) reads what was placed.
    const noRegistry = {
      run: async () => ({ code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key' }),
    };
    const loaded = await loadPolicy({ platform: 'win32', env: { ProgramData: host('C:\\ProgramData') }, runner: noRegistry });
    expect(loaded.policy).toEqual({ lockedAutostart: true, supportContact: 'x1234' });
    expect(loaded.warnings).toEqual([]);
    const home = path.join(tmp, 'home');
    await importProvisioned(home, loaded);
    expect((await listProviders(home)).map((p) => p.name)).toEqual(['Acme']);

    // Again with a new policy, saved the way Windows PowerShell 5.1 does (a UTF-8 byte-order mark): replaced, read
    // by the agent, no temporary file left behind.
    writeFileSync(host(`${share}policy.json`), '\ufeff{"updatesDisabled": true}\r\n');
    expect(runAction('checkProvisioning', { POLICY: props.POLICY, KEYTALKDATADIR: dataDir }).result).toBe(1);
    expect(runAction('provision', { CustomActionData: `|${props.POLICY}|${dataDir}` }).result).toBe(1);
    const again = await loadPolicy({ platform: 'win32', env: { ProgramData: host('C:\\ProgramData') }, runner: noRegistry });
    expect(again.policy).toEqual({ updatesDisabled: true });
    expect(readdirSync(host(dataDir)).sort()).toEqual(['policy.json', 'rccd']);
  });

  it('locks the folder with icacls: Administrators own it, only SYSTEM and Administrators write, Users read little', () => {
    const icacls = '"C:\\WINDOWS\\System32\\icacls.exe" "C:\\ProgramData\\KeyTalk Agent';
    const locked = runAction('lockFolder', { CustomActionData: dataDir });
    expect(locked.result).toBe(1);
    expect(locked.commands).toEqual([
      `${icacls}" /setowner *S-1-5-32-544 /T /C /Q`, // a folder a user made before the install is theirs no more
      `${icacls}" /reset /T /C /Q`, // no explicit entries left anywhere below
      // Users (S-1-5-32-545): this folder and its files (policy.json), not the machine daemon's subfolders: (NP), since
      // an (OI) ACE alone reaches subfolders as inherit-only and so every file below (state, certs and its keys)
      `${icacls}" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(NP)RX /Q`,
      `${icacls}\\rccd" /grant:r *S-1-5-32-545:(OI)(CI)RX /Q`, // ... and the RCCDs
    ]);
    expect(existsSync(host(`${dataDir}rccd`))).toBe(true); // made if missing, so its grant has a target
    const failed = runAction('lockFolder', { CustomActionData: dataDir }, [0, 5]);
    expect(failed.result).toBe(3);
    expect(failed.commands).toHaveLength(2); // stops at the first failure
    expect(failed.messages).toEqual([
      {
        type: ERROR,
        text: 'KeyTalk Agent: could not secure C:\\ProgramData\\KeyTalk Agent: icacls /reset /T /C /Q exited with 5',
      },
    ]);
    expect(runAction('lockFolder', { CustomActionData: '' }).result).toBe(3);
  });

  it('fails the install with a message naming the property and the fix, and places nothing', () => {
    const share = '\\\\fs\\deploy\\keytalk\\';
    writeFileSync(host(`${share}utf16.json`), Buffer.from('\ufeff{"a":1}', 'utf16le'));
    writeFileSync(host(`${share}utf16be.json`), Buffer.from('{"a":1}', 'utf16le').swap16());
    writeFileSync(host(`${share}list.json`), '["a"]');
    writeFileSync(host(`${share}empty.rccd`), '');
    writeFileSync(host(`${share}text.rccd`), 'not a zip');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { RCCD: `${share}missing.rccd` },
        /^KeyTalk Agent: RCCD=\\\\fs\\deploy\\keytalk\\missing\.rccd was not found\. .*computer account/,
      ],
      [{ RCCD: 'https://keytalk.example.com/company.rccd' }, /RCCD=https:.* is a URL; .*"providers"/],
      [{ POLICY: '.\\policy.json' }, /POLICY=\.\\policy\.json is not a full path; give one like C:\\Deploy\\file or \\\\server/],
      [{ RCCD: `${share}policy.json` }, /RCCD=.*policy\.json does not end in \.rccd/],
      [{ RCCD: `${share}empty.rccd` }, /RCCD=.*empty\.rccd is empty\./],
      [{ RCCD: `${share}text.rccd` }, /RCCD=.*text\.rccd is not an RCCD \(an RCCD is a zip file\)/],
      [{ RCCD: `${share}acme.rccd; \\\\other\\x\\ACME.rccd` }, /RCCD names ACME\.rccd twice/],
      [{ POLICY: `${share}nope.json` }, /POLICY=.*nope\.json was not found/],
      [{ POLICY: `${share}utf16.json` }, /POLICY=.*utf16\.json looks like UTF-16 text; save it as UTF-8/],
      [{ POLICY: `${share}utf16be.json` }, /POLICY=.*utf16be\.json looks like UTF-16 text/],
      [{ POLICY: `${share}list.json` }, /POLICY=.*list\.json is not a JSON object: it must start with "\{"/],
      [{ POLICY: `${share}acme.rccd` }, /POLICY=.*acme\.rccd is not a JSON object/],
    ];
    const fresh = 'C:\\ProgramData\\Fresh\\';
    for (const [props, expected] of cases) {
      const check = runAction('checkProvisioning', { ...props, KEYTALKDATADIR: fresh });
      expect(check.result, JSON.stringify(props)).toBe(3);
      expect(check.messages, JSON.stringify(props)).toEqual([{ type: ERROR, text: expect.stringMatching(expected) }]);
      const data = `${props.RCCD ?? ''}|${props.POLICY ?? ''}|${fresh}`;
      expect(runAction('provision', { CustomActionData: data }).result).toBe(3);
    }
    // One bad file in a list stops the whole list: nothing was placed.
    const mixed = `${share}acme.rccd;${share}missing.rccd|${share}policy.json|${fresh}`;
    expect(runAction('provision', { CustomActionData: mixed }).result).toBe(3);
    expect(existsSync(host(fresh))).toBe(false);
  });
});
