import { runCli } from './run';

// Entry point of `keytalk-agent` (bundled to dist/cli/keytalk-agent.mjs; `npx tsx app/cli/main.ts` in development).
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
