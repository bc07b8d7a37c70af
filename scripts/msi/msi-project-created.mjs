// electron-builder `msiProjectCreated` hook (electron-builder.yml): adds managed-deployment provisioning to the WiX
// project electron-builder generated from its MSI template, before candle/light compile it. electron-builder's MSI
// has no custom properties or actions of its own.
//
//   msiexec /i keytalk-agent-<version>-win-x64.msi /qn RCCD="\\server\share\company.rccd" POLICY="\\server\share\policy.json"
//
// places the RCCD(s) in %ProgramData%\KeyTalk Agent\rccd\ and the policy as %ProgramData%\KeyTalk Agent\policy.json,
// where the agent's Windows policy reader looks (app/policy/load-policy.ts). RCCD takes a ';'-separated list.
// What is added:
//   - public properties RCCD and POLICY (Secure: they reach the elevated server side of a per-machine install);
//   - the folders CommonAppDataFolder\KeyTalk Agent\rccd (a component creates rccd\, so the folder exists to drop
//     RCCDs in later);
//   - a launch condition: RCCD/POLICY only with a per-machine install (ALLUSERS=1), else the install stops saying so;
//   - keytalk-provision.jscript as JScript custom actions: an immediate check after CostFinalize (a missing or
//     wrong file fails the install with a clear message, nothing changed yet); after InstallFiles, deferred and
//     non-impersonated, the folder locked down (Administrators own it, only SYSTEM and Administrators write: a
//     ProgramData subfolder is user-writable by default, and the agent trusts its policy and RCCDs), then the copy. Script, not the WiX CopyFile/MoveFile table: MoveFile cannot fail on a missing source,
//     needs the folder and file name as separate properties, and no DLL custom action can be built here.
// Nothing is removed at uninstall: the policy and RCCDs are the administrator's machine configuration.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROVISION_SCRIPT = fileURLToPath(new URL('./keytalk-provision.jscript', import.meta.url));
/** Stable across versions: the component only creates the rccd folder. */
const FOLDER_COMPONENT_GUID = '15887FBF-7ACB-45D1-9B23-C0C529956844';
const MARKER = '<!-- KeyTalk provisioning (scripts/msi/msi-project-created.mjs) -->';
// Only when the administrator gave a file, and never on uninstall (the files stay: see above).
const WHEN = '(RCCD OR POLICY) AND NOT REMOVE~="ALL"';
// The folder's ACL on every per-machine install and repair (keytalk-provision.jscript lockFolder says why).
const LOCK_WHEN = 'ALLUSERS = 1 AND NOT REMOVE~="ALL"';

const directories = `
      ${MARKER}
      <Directory Id="CommonAppDataFolder">
        <Directory Id="KEYTALKDATADIR" Name="KeyTalk Agent">
          <Directory Id="KEYTALKRCCDDIR" Name="rccd">
            <Component Id="KeyTalkRccdFolder" Guid="${FOLDER_COMPONENT_GUID}">
              <CreateFolder/>
            </Component>
          </Directory>
        </Directory>
      </Directory>`;

const declarations = `
    ${MARKER}
    <Property Id="RCCD" Secure="yes"/>
    <Property Id="POLICY" Secure="yes"/>
    <Condition Message="KeyTalk Agent: RCCD and POLICY place machine-wide files in %ProgramData%\\KeyTalk Agent and need a per-machine install (ALLUSERS=1): run msiexec elevated and do not change ALLUSERS.">(NOT RCCD AND NOT POLICY) OR ALLUSERS = 1</Condition>
    <Binary Id="KeyTalkProvisionScript" SourceFile="${path.basename(PROVISION_SCRIPT)}"/>
    <CustomAction Id="KeyTalkCheckProvisioning" BinaryKey="KeyTalkProvisionScript" JScriptCall="checkProvisioning" Execute="immediate" Impersonate="yes" Return="check"/>
    <CustomAction Id="KeyTalkSetProvisionData" Property="KeyTalkProvision" Value="[RCCD]|[POLICY]|[KEYTALKDATADIR]" Impersonate="yes"/>
    <CustomAction Id="KeyTalkSetLockData" Property="KeyTalkLockFolder" Value="[KEYTALKDATADIR]" Impersonate="yes"/>
    <CustomAction Id="KeyTalkLockFolder" BinaryKey="KeyTalkProvisionScript" JScriptCall="lockFolder" Execute="deferred" Impersonate="no" Return="check"/>
    <CustomAction Id="KeyTalkProvision" BinaryKey="KeyTalkProvisionScript" JScriptCall="provision" Execute="deferred" Impersonate="no" Return="check"/>
`;

// The check and the deferred actions' data right after CostFinalize (1000: directories resolved), before
// InstallValidate (1400) and InstallInitialize (1500: nothing changed yet) — fixed numbers, because wixl (the test's
// compiler) sequences an After= action late and a Before= one at the very start.
const scheduled = `
      <Custom Action="KeyTalkCheckProvisioning" Sequence="1001">${escape(WHEN)}</Custom>
      <Custom Action="KeyTalkSetProvisionData" Sequence="1003">${escape(WHEN)}</Custom>
      <Custom Action="KeyTalkSetLockData" Sequence="1002">${escape(LOCK_WHEN)}</Custom>
      <Custom Action="KeyTalkLockFolder" After="InstallFiles">${escape(LOCK_WHEN)}</Custom>
      <Custom Action="KeyTalkProvision" After="KeyTalkLockFolder">${escape(WHEN)}</Custom>`;

function escape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Insert `text` after the first match of `anchor`; a template without it fails the build instead of shipping an MSI without provisioning. */
function insertAfter(xml, anchor, text, what) {
  const m = anchor.exec(xml);
  if (!m)
    throw new Error(
      `msiProjectCreated: ${what} not found in electron-builder's MSI project; its template changed — update scripts/msi/msi-project-created.mjs`,
    );
  return xml.slice(0, m.index + m[0].length) + text + xml.slice(m.index + m[0].length);
}

/** The WiX project with the provisioning added (pure: the hook and the test use it). */
export function addProvisioning(xml) {
  if (xml.includes(MARKER)) throw new Error('msiProjectCreated: the MSI project already has KeyTalk provisioning');
  let out = insertAfter(xml, /<Directory Id="TARGETDIR" Name="SourceDir">/, directories, 'the TARGETDIR directory');
  out = insertAfter(
    out,
    /<Feature Id="ProductFeature"[^>]*>/,
    '\n      <ComponentRef Id="KeyTalkRccdFolder"/>',
    'the ProductFeature',
  );
  // electron-builder's one-click template has an InstallExecuteSequence of its own (run after finish): join it.
  if (/<InstallExecuteSequence>/.test(out)) out = insertAfter(out, /<InstallExecuteSequence>/, scheduled, 'the sequence');
  else out = insertBefore(out, /<\/Product>/, `    <InstallExecuteSequence>${scheduled}\n    </InstallExecuteSequence>\n  `);
  return insertBefore(out, /<\/Product>/, `${declarations}  `);
}

function insertBefore(xml, anchor, text) {
  const m = anchor.exec(xml);
  if (!m) throw new Error('msiProjectCreated: </Product> not found in the MSI project');
  return xml.slice(0, m.index) + text + xml.slice(m.index);
}

/** The hook: electron-builder passes the path of project.wxs; candle runs in its folder, so the script goes beside it. */
export async function msiProjectCreated(projectFile) {
  const xml = await readFile(projectFile, 'utf8');
  await writeFile(projectFile, addProvisioning(xml));
  await copyFile(PROVISION_SCRIPT, path.join(path.dirname(projectFile), path.basename(PROVISION_SCRIPT)));
}

export default msiProjectCreated;
