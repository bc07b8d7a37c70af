import { browserCommand } from '../mfa/open-browser';
import { psArgs, psQuote } from '../stores/windows-store';
import { processRunner, type CommandRunner, type CommandSpec } from '../system/command-runner';
import { servicePath } from './service-uris';

/**
 * Invoking a service's URIs after issuance (RCDP auth-requirements `service-uris`, cert reply `execute-sync`: "whether
 * the caller should invoke the service URIs synchronously (true) or asynchronously (false)"). A web URI opens in the
 * default browser; a file:// URI (after %VAR%/$VAR expansion, as its digest was computed) is handed to the OS opener,
 * which starts the program. Synchronous means the agent waits until the opener (and, where the OS can tell, the
 * program it started) is done before it reports the enrollment finished.
 */
export function serviceUriCommand(uri: string, wait: boolean, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): CommandSpec {
  if (!/^file:/i.test(uri)) {
    const parsed = new URL(uri);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new Error(`service URI ${uri} is neither a web address nor a file; not opened`);
    return browserCommand(parsed.href, platform);
  }
  const file = servicePath(uri, env);
  // No timeout when waiting: the program runs as long as the user keeps it open.
  const timeoutMs = wait ? 0 : 15_000;
  if (platform === 'win32') {
    // The path goes into the script as a single-quoted literal (no cmd.exe parsing of "&", no PowerShell expansion).
    // Not `-Command 'Start-Process $args[0]' PATH`: powershell.exe joins every argument after -Command into the
    // script, so $args was empty and the path itself ran as code ("C:\Program Files\…" split at its space).
    return {
      command: 'powershell.exe',
      args: psArgs(`Start-Process -FilePath ${psQuote(file)}${wait ? ' -Wait' : ''}`),
      timeoutMs,
    };
  }
  if (platform === 'darwin') return { command: 'open', args: wait ? ['-W', file] : [file], timeoutMs };
  return {
    command: 'sh',
    args: [
      '-c',
      wait
        ? 'command -v xdg-open >/dev/null 2>&1 || exit 127; exec xdg-open "$1" </dev/null >/dev/null 2>&1'
        : 'command -v xdg-open >/dev/null 2>&1 || exit 127; xdg-open "$1" </dev/null >/dev/null 2>&1 & exit 0',
      'keytalk-service-uri',
      file,
    ],
    timeoutMs,
  };
}

export type ServiceUriOpener = (uri: string, wait: boolean) => Promise<void>;

export function serviceUriOpener(
  runner: CommandRunner = processRunner,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): ServiceUriOpener {
  return async (uri, wait) => {
    const r = await runner.run(serviceUriCommand(uri, wait, platform, env));
    if (r.code !== 0)
      throw new Error(
        `could not open service URI ${uri}: ${r.code === 127 ? 'xdg-open is not installed (package xdg-utils)' : `exit code ${r.code} ${r.stderr.trim()}`}`,
      );
  };
}

/** Open every URI, one after the other and awaited (execute-sync) or started without waiting; failures are logged. */
export async function invokeServiceUris(
  uris: string[],
  executeSync: boolean,
  open: ServiceUriOpener,
  warn: (message: string) => void,
): Promise<void> {
  const one = (uri: string) => open(uri, executeSync).catch((err: Error) => warn(err.message));
  if (executeSync) {
    for (const uri of uris) await one(uri);
    return;
  }
  for (const uri of uris) void one(uri);
}
