#!/usr/bin/env node
// Structure check (part of `npm run lint`): the product stays in rooms of at most 400 lines, and its modules do not
// import each other in a circle. `node scripts/check-structure.mjs [--root DIR] [--allowlist FILE]`.
//
// Product = .ts/.tsx under app/ main/ preload/ renderer/ browser-host/, minus tests (*.test.*) and declarations.
//
// Cycles are found over static relative `import … from` / `import '…'` / `export … from`, type-only imports
// included: a type-only circle costs nothing at run time, but it is the same tangle for the reader (two modules
// that each need the other's concepts) and the cure is the same (move the shared part below both). `import()` does
// not count: a lazy edge is how the daemon keeps heavy code out of its start-up, and it cannot deadlock module
// initialisation.
//
// Known violations that someone is fixing are listed in scripts/structure-allowlist.json with the reason. The list
// only shrinks: an entry that no longer violates fails the check (remove it), a listed file may not grow, and a
// listed cycle that got smaller must be re-listed as what is left.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_LINES = 400;
const PRODUCT_DIRS = ['app', 'main', 'preload', 'renderer', 'browser-host'];

/** Product source files, repository-relative with forward slashes, sorted. */
export function productFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push(child);
      }
    }
  };
  for (const dir of PRODUCT_DIRS) if (existsSync(path.join(root, dir))) walk(dir);
  return out.sort();
}

export function countLines(text) {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The static relative specifiers a module imports or re-exports (not `import()`). */
export function staticImports(file, text) {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    false,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const specs = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specs.push(statement.moduleSpecifier.text);
    }
  }
  return specs.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

function resolveRelative(fromFile, spec, known) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec)).replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (known.has(candidate)) return candidate;
  }
  return undefined; // outside the product (a test helper, JSON, CSS): not part of the product graph
}

/** Strongly connected components with more than one module (or a module importing itself), each sorted. */
export function importCycles(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const connect = (v) => {
    // Iterative Tarjan: the product graph is deep enough that recursion is not worth the risk.
    const work = [{ v, edges: [...(graph.get(v) ?? [])], i: 0 }];
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const w = frame.edges[frame.i++];
        if (!indexOf.has(w)) {
          indexOf.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, edges: [...(graph.get(w) ?? [])], i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v), indexOf.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent), low.get(frame.v)));
      }
      if (low.get(frame.v) === indexOf.get(frame.v)) {
        const component = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        if (component.length > 1 || graph.get(frame.v)?.has(frame.v)) cycles.push(component.sort());
      }
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) connect(v);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One concrete loop inside a component (breadth-first from its first module back to itself), for the message. */
export function exampleLoop(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const loop = [start];
        for (let u = v; u !== start; u = previous.get(u)) loop.splice(1, 0, u);
        return [...loop, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

export function importGraph(root, files) {
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const edges = new Set();
    for (const spec of staticImports(file, readFileSync(path.join(root, file), 'utf8'))) {
      const target = resolveRelative(file, spec, known);
      if (target) edges.add(target);
    }
    graph.set(file, edges);
  }
  return graph;
}

/**
 * Every problem as a line of text (empty = the structure holds). `allowlist`: `{ longFiles: [{ file, lines, reason }],
 * cycles: [{ modules: [...], reason }] }`.
 */
export function checkStructure(root, allowlist = {}) {
  const problems = [];
  const files = productFiles(root);

  const allowedLong = new Map((allowlist.longFiles ?? []).map((e) => [e.file, e]));
  const long = new Map();
  for (const file of files) {
    const lines = countLines(readFileSync(path.join(root, file), 'utf8'));
    if (lines > MAX_LINES) long.set(file, lines);
  }
  for (const [file, lines] of long) {
    const entry = allowedLong.get(file);
    if (!entry) {
      problems.push(
        `${file}: ${lines} lines (limit ${MAX_LINES}). Fix: split it by concept into modules whose names say what they hold.`,
      );
    } else if (lines > entry.lines) {
      problems.push(
        `${file}: grew from ${entry.lines} to ${lines} lines while allow-listed (${entry.reason}). Fix: split it instead of adding to it.`,
      );
    }
  }
  for (const file of allowedLong.keys()) {
    if (!long.has(file)) {
      problems.push(
        `${file}: allow-listed as over ${MAX_LINES} lines but ${existsSync(path.join(root, file)) ? 'is not any more' : 'no longer exists'}. ` +
          'Fix: remove its entry from the structure allow-list (the list only shrinks).',
      );
    }
  }

  const graph = importGraph(root, files);
  const key = (modules) => [...modules].sort().join(' ');
  const allowedCycles = new Map((allowlist.cycles ?? []).map((e) => [key(e.modules), e]));
  const found = importCycles(graph);
  const foundKeys = new Set(found.map(key));
  for (const component of found) {
    if (allowedCycles.has(key(component))) continue;
    const loop = exampleLoop(graph, component);
    const widerEntry = (allowlist.cycles ?? []).find((e) => component.every((m) => e.modules.includes(m)));
    const modules = component.length > 2 ? `\n    modules in the circle: ${component.join(', ')}` : '';
    problems.push(
      `import cycle: ${loop.join(' → ')}${modules}\n    Fix: move what both sides need into a module below both ` +
        '(or invert the dependency by passing it in), so the imports point one way.' +
        (widerEntry
          ? `\n    (It is what is left of an allow-listed cycle — ${widerEntry.reason}: replace that entry's modules with the ones above.)`
          : ''),
    );
  }
  for (const [k, entry] of allowedCycles) {
    if (!foundKeys.has(k) && !found.some((c) => c.every((m) => entry.modules.includes(m)))) {
      problems.push(
        `cycle ${entry.modules.join(' ↔ ')}: allow-listed but gone. Fix: remove its entry from the structure allow-list (the list only shrinks).`,
      );
    }
  }
  return problems;
}

function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(option('--root', path.join(here, '..')));
  const allowlistFile = path.resolve(option('--allowlist', path.join(here, 'structure-allowlist.json')));
  let allowlist = {};
  if (existsSync(allowlistFile)) {
    try {
      allowlist = JSON.parse(readFileSync(allowlistFile, 'utf8'));
    } catch (err) {
      console.error(`${allowlistFile}: not valid JSON (${err.message}). Fix the file; it lists known structure violations.`);
      process.exit(2);
    }
  }
  const problems = checkStructure(root, allowlist);
  if (problems.length === 0) {
    const listed = (allowlist.longFiles?.length ?? 0) + (allowlist.cycles?.length ?? 0);
    console.log(
      `structure: ok (${listed} allow-listed violation(s) left in ${path.relative(process.cwd(), allowlistFile) || allowlistFile})`,
    );
    return;
  }
  console.error(`structure: ${problems.length} problem(s)\n`);
  for (const p of problems) console.error(`- ${p}\n`);
  console.error(
    `Known violations that are being fixed belong in ${path.relative(process.cwd(), allowlistFile)} with the reason.`,
  );
  process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
