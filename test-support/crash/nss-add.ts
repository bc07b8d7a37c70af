/**
 * Child process for the NSS crash test: add the bundle in <bundle.json> to the NSS database in <dbDir> (created
 * when missing). With KEYTALK_AGENT_CRASH_AT=nss-import it is SIGKILLed just before pk12util runs.
 *   node --import tsx test-support/crash/nss-add.ts <dbDir> <bundle.json>
 */
import { readFileSync } from 'node:fs';
import { NssStore } from '../../app/stores/nss-store';
import type { CertificateBundle } from '../../app/stores/store';
import { processRunner } from '../../app/system/command-runner';

const [dbDir, bundleFile] = process.argv.slice(2);
const bundle = JSON.parse(readFileSync(bundleFile!, 'utf8')) as CertificateBundle;
await new NssStore({ id: 'nss', name: 'crash test', dbDir: dbDir!, usedBy: [], runner: processRunner, create: true }).add(bundle);
