#!/usr/bin/env node
// Launcher for the command-line agent: the real code is the bundle built by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/keytalk-agent.mjs', import.meta.url));
if (!existsSync(bundle)) {
  console.error(`keytalk-agent: ${bundle} is missing. Build it first with \`npm run build\` (in the project folder).`);
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
