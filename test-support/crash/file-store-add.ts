/**
 * Child process for the file store's crash tests: add the bundle in <bundle.json> to the file store at <dir>.
 * Run with KEYTALK_AGENT_CRASH_AT=<point> it is SIGKILLed at that point (app/system/crash-point.ts).
 *   node --import tsx test-support/crash/file-store-add.ts <dir> <bundle.json>
 */
import { readFileSync } from 'node:fs';
import { FileStore } from '../../app/stores/file-store';
import type { CertificateBundle } from '../../app/stores/store';

const [dir, bundleFile] = process.argv.slice(2);
const bundle = JSON.parse(readFileSync(bundleFile!, 'utf8')) as CertificateBundle;
await new FileStore(dir!).add(bundle, { replace: true });
