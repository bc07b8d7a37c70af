/**
 * `npm run bench`: runs every bench/*.bench.ts. Each exports `run(): Promise<BenchResult[]>`; a result names a
 * measurement, its baseline measured in the same run, the ratio and the target, so numbers are comparable
 * across machines. Benchmarks never fail the test suite; they print.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** value / baseline (lower is better unless stated). */
  ratio: number;
  target: string;
  met: boolean;
}

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchResult[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run: () => Promise<BenchResult[]> };
  console.log(`# ${file}`);
  for (const r of await mod.run()) {
    rows.push(r);
    console.log(
      `${r.met ? 'MET ' : 'MISS'} ${r.name}: ${r.value.toFixed(2)} ${r.unit} vs ${r.baselineName} ${r.baseline.toFixed(2)} ${r.unit} → ratio ${r.ratio.toFixed(2)} (target ${r.target})`,
    );
  }
}
console.log(`\n${rows.filter((r) => r.met).length}/${rows.length} benchmark targets met`);
