import type { MirrorTable } from '../state/settings.js';
import { hashValue, type PropertyValues } from './property-values.js';

export type PlannedWrite =
  | { kind: 'create'; key: string; values: PropertyValues }
  | { kind: 'update'; key: string; pageId: string; values: PropertyValues; changed: string[]; /** Every value, for a re-create if the page is gone. */ all: PropertyValues };

export interface TablePlan {
  writes: PlannedWrite[];
  unchanged: string[];
  /** Mirrored keys the store no longer has; left in Notion (reset removes them). */
  orphans: string[];
}

/**
 * Plans one table property by property: a key without a mirrored page is created with every
 * value; a mirrored page gets only the properties whose hash differs from the last one written
 * or seen there. Pure: the same inputs always give the same plan.
 */
export function planTable(desired: ReadonlyMap<string, PropertyValues>, mirror: MirrorTable): TablePlan {
  const writes: PlannedWrite[] = [];
  const unchanged: string[] = [];
  for (const [key, values] of desired) {
    const entry = mirror[key];
    if (!entry) {
      writes.push({ kind: 'create', key, values });
      continue;
    }
    const changed = Object.keys(values).filter((name) => entry.hashes[name] !== hashValue(values[name]!));
    if (changed.length === 0) unchanged.push(key);
    else writes.push({ kind: 'update', key, pageId: entry.pageId, values: Object.fromEntries(changed.map((n) => [n, values[n]!])), changed, all: values });
  }
  const orphans = Object.keys(mirror).filter((key) => !desired.has(key));
  return { writes, unchanged, orphans };
}
