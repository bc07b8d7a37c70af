import type { LazyCommand } from '../command';

export type { LazyCommand } from '../command';

/**
 * Every keytalk-agent command, in help order. To add one: write commands/<name>.ts exporting a CliCommand and
 * add an entry here. The modules are imported on use, not up front, so a long-running `daemon` does not carry
 * the RCCD importer, the stores' tools, MSAL or the S/MIME code it never calls (issue 7's < 60 MB idle target);
 * scripts/build.mjs splits the bundle (esbuild `splitting: true`), so each command's code is its own chunk.
 */
export const commands: LazyCommand[] = [
  { name: 'rccd', load: async () => (await import('./providers')).rccdCommand },
  { name: 'providers', load: async () => (await import('./providers')).providersCommand },
  { name: 'onlineca', load: async () => (await import('./onlineca')).onlineCaCommand },
  { name: 'enroll', load: async () => (await import('./enroll')).enrollCommand },
  { name: 'stores', load: async () => (await import('./stores')).storesCommand },
  { name: 'certs', load: async () => (await import('./certs')).certsCommand },
  { name: 'messages', load: async () => (await import('./messages')).messagesCommand },
  { name: 'renew', load: async () => (await import('./renew')).renewCommand },
  { name: 'scan', load: async () => (await import('./scan')).scanCommand },
  { name: 'smime', load: async () => (await import('./smime')).smimeCommand },
  { name: 'password', load: async () => (await import('./password')).passwordCommand },
  { name: 'status', load: async () => (await import('./status')).statusCommand },
  { name: 'hooks', load: async () => (await import('./hooks')).hooksCommand },
  { name: 'completion', load: async () => (await import('./completion')).completionCommand(commands) },
  { name: 'daemon', load: async () => (await import('./daemon')).daemonCommand },
  { name: 'diagnostics', load: async () => (await import('./diagnostics')).diagnosticsCommand },
  { name: 'doctor', load: async () => (await import('./doctor')).doctorCommand },
  { name: 'version', load: async () => (await import('./version')).versionCommand },
];
