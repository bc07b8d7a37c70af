#!/usr/bin/env node
// Copy the page screenshots the e2e run keeps (e2e/artifacts/*.png) to docs/screenshots/ for the README.
// Run after `npm run test:e2e`: `node scripts/copy-screenshots.mjs`.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, 'e2e', 'artifacts');
const to = path.join(root, 'docs', 'screenshots');
if (!existsSync(from)) {
  console.error(`${from} does not exist: run the e2e tests first (npm run build && npm run test:e2e)`);
  process.exit(1);
}
const pngs = readdirSync(from).filter((f) => f.endsWith('.png'));
if (pngs.length === 0) {
  console.error(`no screenshots in ${from}: the e2e page tests did not run`);
  process.exit(1);
}
mkdirSync(to, { recursive: true });
for (const f of pngs) copyFileSync(path.join(from, f), path.join(to, f));
console.log(`copied ${pngs.length} screenshots to ${path.relative(root, to)}/: ${pngs.join(', ')}`);
