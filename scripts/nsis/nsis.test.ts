/**
 * Issue 20, silent install: the NSIS installer's /RCCD= and /POLICY= (scripts/nsis/keytalk-provision.nsh, named by
 * electron-builder.yml nsis.include). NSIS installers cannot run here (no Windows), so the include is compiled with
 * makensis as electron-builder compiles it (-WX: a warning is an error), into a small installer that inserts its
 * macros where electron-builder's templates do, and once more as the uninstaller build, which must not see them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { reportSkip } from '../../test-support/hardware/index';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const include = path.join(root, 'scripts/nsis/keytalk-provision.nsh');
const templates = path.join(root, 'node_modules/app-builder-lib/templates/nsis');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kt-nsis-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const noMakensis = await run('sh', ['-c', 'command -v makensis']).then(
  () => undefined,
  () => 'makensis (Debian nsis) not installed',
);

async function makensis(script: string, ...defines: string[]) {
  const file = path.join(tmp, 'installer.nsi');
  writeFileSync(file, script);
  return run('makensis', ['-WX', '-INPUTCHARSET', 'UTF8', '-V2', ...defines.map((d) => `-D${d}`), file], { cwd: tmp });
}

describe('the NSIS include', () => {
  it('is electron-builder.yml nsis.include, whose macros electron-builder inserts in .onInit and the install section', () => {
    const config = parseYaml(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { nsis: { include: string } };
    expect(path.resolve(root, config.nsis.include)).toBe(include);
    // Where the options are read (after the install mode is known) and where the files are copied (after the app's).
    expect(readFileSync(path.join(templates, 'installer.nsi'), 'utf8')).toMatch(
      /!insertmacro initMultiUser\s+!ifmacrodef customInit\s+!insertmacro customInit/,
    );
    expect(readFileSync(path.join(templates, 'installSection.nsh'), 'utf8')).toMatch(
      /!ifmacrodef customInstall\s+!insertmacro customInstall/,
    );
  });

  it('locks %ProgramData%\\KeyTalk Agent with the same icacls steps as the MSI', () => {
    const nsh = readFileSync(include, 'utf8');
    const jscript = readFileSync(path.join(root, 'scripts/msi/keytalk-provision.jscript'), 'utf8');
    const nsisSteps = [...nsh.matchAll(/!insertmacro ktIcacls "([^"]*)" "([^"]+)"/g)].map((m) => [m[1], m[2]]);
    const list = /var LOCK_STEPS = \[([\s\S]*?)\n\];/.exec(jscript)![1]!;
    const msiSteps = [...list.matchAll(/\['([^']*)', '([^']+)'\]/g)].map((m) => [m[1]!.replace(/\\\\/g, '\\'), m[2]]);
    expect(nsisSteps).toHaveLength(4);
    expect(nsisSteps).toEqual(msiSteps);
    expect(nsh).toContain('nsExec::ExecToLog \'"$SYSDIR\\icacls.exe" "$R0" $R1\'');
    expect(nsh).toContain('Push "$ktData${SUBFOLDER}"');
  });

  it.skipIf(reportSkip('NSIS include compiled with makensis', noMakensis))(
    'compiles with -WX, and stays out of the uninstaller',
    async () => {
      await makensis(
        `Unicode true
Var installMode ; electron-builder's (multiUser.nsh)
!include "${include}"
Name "KeyTalk Agent"
OutFile "keytalk-agent.exe"
RequestExecutionLevel admin
Function .onInit
  StrCpy $installMode all
  !insertmacro customInit
FunctionEnd
Section "install"
  !insertmacro customInstall
SectionEnd
`,
      );
      expect(readFileSync(path.join(tmp, 'keytalk-agent.exe')).subarray(0, 2).toString()).toBe('MZ');
      const { stdout } = await makensis(
        `!include "${include}"
!ifmacrodef customInit
  !error "customInit must not reach the uninstaller build"
!endif
Name "KeyTalk Agent"
OutFile "keytalk-agent-un.exe"
Unicode true
Section "main"
SectionEnd
`,
        'BUILD_UNINSTALLER',
      );
      expect(stdout).not.toMatch(/warning/i);
    },
  );
});
