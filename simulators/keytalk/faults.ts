import type { FaultSpec } from './fixture';

export interface ActiveFault extends FaultSpec {
  id: number;
  hits: number;
}

/** Route-matched faults, from the fixture or added at run time through the control endpoint. */
export class FaultTable {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const f: ActiveFault = { ...spec, id: this.nextId++, hits: 0 };
    this.faults.push(f);
    return f;
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return [...this.faults];
  }

  /** Faults that apply to this path, consuming one use of each limited fault. */
  take(path: string): ActiveFault[] {
    const hit = this.faults.filter((f) => matches(f.route, path));
    for (const f of hit) f.hits += 1;
    this.faults = this.faults.filter((f) => f.times === undefined || f.hits < f.times);
    return hit;
  }
}

function matches(route: string, path: string): boolean {
  if (route.length > 2 && route.startsWith('/') && route.endsWith('/')) {
    try {
      return new RegExp(route.slice(1, -1)).test(path);
    } catch {
      return false;
    }
  }
  return path.includes(route);
}
