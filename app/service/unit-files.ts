/**
 * The service definitions `keytalk-agent daemon install` writes, one per OS, as pure text so tests can assert them
 * byte for byte and validate them with the OS's own tools (systemd-analyze verify, plutil -lint).
 */

export const SERVICE_NAME = 'keytalk-agent';
export const LAUNCHD_LABEL = 'com.keytalk.agent';
export const WINDOWS_TASK_NAME = 'KeyTalk Agent';

export interface ServiceDefinition {
  /** argv that starts the CLI: [node, script] (or the one executable of a packaged build). */
  program: string[];
  home: string;
  /** Machine-wide (system unit, LaunchDaemon, task at boot as SYSTEM) instead of the user's own. */
  system: boolean;
}

/**
 * The daemon's command line: the scheduler for exactly this home (never the environment's default); a system
 * service runs in machine scope (`--system`: the machine stores, app/config/scope.ts).
 */
export function daemonArgv(d: ServiceDefinition): string[] {
  return [...d.program, 'daemon', ...(d.system ? ['--system'] : []), '--home', d.home];
}

/**
 * systemd's quoting (systemd.service "Command lines"): double quotes with C escapes; `$` and `%` are expanded by
 * systemd itself, so they are doubled to stay literal in a path.
 */
function systemdQuote(arg: string): string {
  const escaped = arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%');
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? escaped : `"${escaped}"`;
}

export function systemdUnit(d: ServiceDefinition): string {
  return [
    '[Unit]',
    'Description=KeyTalk Agent certificate renewal daemon',
    // A system unit can wait for the network; a user manager has no network-online.target to order against.
    ...(d.system ? ['Wants=network-online.target', 'After=network-online.target'] : []),
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${daemonArgv(d).map(systemdQuote).join(' ')}`,
    // The daemon exits non-zero only on a real failure: restart then, never after a clean stop.
    'Restart=on-failure',
    'RestartSec=30',
    // SIGTERM stops it between state writes (schedule.json is replaced atomically).
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    // One JSON object per line on stdout: `journalctl -u keytalk-agent -o cat | jq` reads them.
    'StandardOutput=journal',
    'StandardError=journal',
    'NoNewPrivileges=yes',
    'UMask=0077',
    '',
    '[Install]',
    `WantedBy=${d.system ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * launchd: started at load and at login (or boot for a LaunchDaemon), restarted only when it did not exit cleanly.
 * stdout goes nowhere because the daemon already writes the same lines to <home>/logs/daemon.log, rotated; a
 * launchd StandardOutPath would grow without bound. stderr (a crash's stack) is kept.
 */
export function launchdPlist(d: ServiceDefinition): string {
  const args = daemonArgv(d)
    .map((a) => `    <string>${xml(a)}</string>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>30</integer>
  <key>ProcessType</key>
  <string>Background</string>
  <key>StandardOutPath</key>
  <string>/dev/null</string>
  <key>StandardErrorPath</key>
  <string>${xml(`${d.home}/logs/daemon-stderr.log`)}</string>
</dict>
</plist>
`;
}

/** Windows' own command-line quoting (CommandLineToArgvW): quotes around arguments with spaces, inner quotes escaped. */
function windowsQuote(arg: string): string {
  if (arg && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * A Task Scheduler task (schema 1.2, Windows 7+): at logon of this user, or at boot as SYSTEM; restarted on
 * failure, no time limit, not stopped on battery. `/TR` on the schtasks command line is limited to 261
 * characters, too short for real install paths, hence the XML definition.
 */
export function windowsTaskXml(d: ServiceDefinition, userId?: string): string {
  const [command, ...rest] = daemonArgv(d);
  const trigger = d.system
    ? '    <BootTrigger>\n      <Enabled>true</Enabled>\n    </BootTrigger>'
    : `    <LogonTrigger>\n      <Enabled>true</Enabled>${userId ? `\n      <UserId>${xml(userId)}</UserId>` : ''}\n    </LogonTrigger>`;
  const principal = d.system
    ? '      <UserId>S-1-5-18</UserId>\n      <RunLevel>HighestAvailable</RunLevel>'
    : `${userId ? `      <UserId>${xml(userId)}</UserId>\n` : ''}      <LogonType>InteractiveToken</LogonType>\n      <RunLevel>LeastPrivilege</RunLevel>`;
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>KeyTalk Agent certificate renewal daemon</Description>
  </RegistrationInfo>
  <Triggers>
${trigger}
  </Triggers>
  <Principals>
    <Principal id="Author">
${principal}
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
    <StartWhenAvailable>true</StartWhenAvailable>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(command!)}</Command>
      <Arguments>${xml(rest.map(windowsQuote).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}
