import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The product's import graph (issue 16): no import circle, and the provider kinds stay apart. Every edge counts:
// static, type-only, re-exports and dynamic import(), since a lazy import is still a dependency a reader must follow.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRODUCT = ['app', 'main', 'preload', 'renderer', 'browser-host'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.d\.ts$|\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** file (relative to the repository) → the product files it imports. */
function importGraph(): Map<string, string[]> {
  const files = PRODUCT.flatMap((d) => sourceFiles(path.join(root, d)));
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), spec);
    return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => known.has(c));
  };
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps = new Set<string>();
    const add = (spec: ts.Node | undefined) => {
      const target = spec && ts.isStringLiteral(spec) ? resolve(file, spec.text) : undefined;
      if (target) deps.add(path.relative(root, target));
    };
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n.moduleSpecifier);
      else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) add(n.arguments[0]);
      else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) add(n.argument.literal);
      ts.forEachChild(n, visit);
    };
    visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
    graph.set(path.relative(root, file), [...deps]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the import circles. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || graph.get(v)!.includes(v)) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

const graph = importGraph();
const importsOf = (prefix: string) =>
  [...graph].filter(([f]) => f.startsWith(prefix)).flatMap(([f, deps]) => deps.map((d) => `${f} -> ${d}`));

describe('the product import graph', () => {
  it('finds the files (a broken walk would pass every check below)', () => {
    expect(graph.get('app/engine/enroll.ts')).toContain('app/engine/rcdp-enrollment.ts');
    expect(graph.size).toBeGreaterThan(200);
  });

  it('has no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('keeps the provider kinds apart: app/engine never imports app/onlineca, Online CA nothing of the RCDP side', () => {
    expect(importsOf('app/engine/').filter((e) => e.includes('-> app/onlineca/'))).toEqual([]);
    const rcdpSide = /-> app\/(rcdp\/|engine\/(enroll|rcdp-enrollment|keytalk-kind|authenticate|certificate)\.ts)/;
    expect(importsOf('app/onlineca/').filter((e) => rcdpSide.test(e))).toEqual([]);
  });
});
