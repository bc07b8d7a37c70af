// Types for scripts/check-structure.mjs (so its test can call it in-process).
export interface StructureAllowlist {
  longFiles?: Array<{ file: string; lines: number; reason: string }>;
  cycles?: Array<{ modules: string[]; reason: string }>;
}
export const MAX_LINES: number;
export function productFiles(root: string): string[];
export function countLines(text: string): number;
export function staticImports(file: string, text: string): string[];
export function importGraph(root: string, files: string[]): Map<string, Set<string>>;
export function importCycles(graph: Map<string, Set<string>>): string[][];
export function exampleLoop(graph: Map<string, Set<string>>, component: string[]): string[];
export function checkStructure(root: string, allowlist?: StructureAllowlist): string[];
