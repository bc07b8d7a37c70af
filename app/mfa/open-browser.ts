import { processRunner, type CommandRunner, type CommandSpec } from '../system/command-runner';

/** The command that hands a URL to the user's default browser on each OS. */
export function browserCommand(url: string, platform: NodeJS.Platform): CommandSpec {
  if (platform === 'darwin') return { command: 'open', args: [url], timeoutMs: 15_000 };
  if (platform === 'win32') {
    // Not `cmd /c start`: cmd would cut the URL at its first "&". url.dll's handler takes it as one argument.
    return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url], timeoutMs: 15_000 };
  }
  // xdg-open can stay in the foreground as long as the browser it started runs, so run it in the background; the
  // URL is passed as "$1", never spliced into the script.
  return {
    command: 'sh',
    args: [
      '-c',
      'command -v xdg-open >/dev/null 2>&1 || exit 127; xdg-open "$1" </dev/null >/dev/null 2>&1 & exit 0',
      'keytalk-open-browser',
      url,
    ],
    timeoutMs: 15_000,
  };
}

/** Opens sign-in pages in the system browser (what Microsoft recommends for desktop apps) through the command runner. */
export function systemBrowserOpener(runner: CommandRunner = processRunner, platform: NodeJS.Platform = process.platform) {
  return async (url: string): Promise<void> => {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new Error(`refusing to open a ${parsed.protocol} URL in the browser`);
    const result = await runner.run(browserCommand(parsed.href, platform));
    if (result.code !== 0) {
      const why =
        result.code === 127
          ? 'xdg-open is not installed (package xdg-utils)'
          : `exit code ${result.code} ${result.stderr.trim()}`;
      // No URL to open by hand here: the sign-in's loopback listener closes with this error.
      throw new Error(
        `could not open the web browser to sign in (${why}); set a default browser (or install xdg-utils on Linux) and try again`,
      );
    }
  };
}
