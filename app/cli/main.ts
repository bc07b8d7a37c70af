import { runCli } from './run';

// Entry point of `keytalk-agent` (bundled to dist/cli/keytalk-agent.mjs; `npx tsx app/cli/main.ts` in development).
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
// The command has finished and said so; a socket a server never closed (a hung request already given up on) must
// not keep the process alive after that, or a stopped daemon would linger until a service manager kills it.
setTimeout(() => process.exit(code), 2_000).unref();
