import type { BatchOperation } from '@sagasync/core';
import { canonicalJson, RECORD_KINDS, type OwnerSnapshot, type RecordKind, type StoredRecord } from './record-kinds.js';

/** A target record a copy would overwrite or delete although it may hold a change the source lacks. */
export interface NewerInTarget {
  kind: string;
  key: string;
  /** `newer`: changed later (or at a higher version) than the source's; `only_in_target`: the source has no such record. */
  reason: 'newer' | 'only_in_target';
}

export interface CopyPlan {
  /** Puts of records missing from the target or different there, in `RECORD_KINDS` order. */
  writes: BatchOperation[];
  /** Deletes of records only the target has (planned only with `force`). */
  deletes: BatchOperation[];
  /** Records already the same on both sides. */
  unchanged: number;
  /** What stops the copy unless it is forced. */
  newerInTarget: NewerInTarget[];
  /** Target records the port cannot replace or remove (append-only history, progress and runs without a delete). */
  leftInTarget: { kind: string; key: string }[];
  /** Per kind: records in the source, and writes planned. */
  counts: { kind: string; source: number; writes: number; deletes: number }[];
}

/**
 * Compares the source's records with the target's, kind by kind, and plans the writes that make
 * the target hold what the source holds. Pure: the caller reads both snapshots and applies.
 *
 * Records equal on both sides (owner and version aside) are left alone, so a second copy writes
 * nothing and an interrupted copy, run again, does only what is left. A target record that differs
 * and changed later than the source's (by its own timestamp, or its version where it has none), or
 * that the source does not have at all, is listed in `newerInTarget`: the caller refuses unless
 * forced, and with `force` such records are overwritten, and those only in the target deleted.
 */
export function planCopy(source: OwnerSnapshot, target: OwnerSnapshot, options: { force?: boolean } = {}): CopyPlan {
  const plan: CopyPlan = { writes: [], deletes: [], unchanged: 0, newerInTarget: [], leftInTarget: [], counts: [] };
  for (const kind of RECORD_KINDS) {
    const theirs = new Map((target.get(kind.name) ?? []).map((record) => [kind.key(record.data), record]));
    const ours = source.get(kind.name) ?? [];
    let writes = 0;
    let deletes = 0;
    for (const record of ours) {
      const key = kind.key(record.data);
      const existing = theirs.get(key);
      theirs.delete(key);
      if (existing && canonicalJson(existing.data) === canonicalJson(record.data)) {
        plan.unchanged++;
        continue;
      }
      if (existing && kind.remove(existing.data) === null && kind.name === 'history') {
        // Appending an entry whose id exists is a no-op: the differing entry stays as it is.
        plan.leftInTarget.push({ kind: kind.name, key });
        continue;
      }
      if (existing && isNewer(kind, existing, record)) plan.newerInTarget.push({ kind: kind.name, key, reason: 'newer' });
      plan.writes.push(kind.put(record.data));
      writes++;
    }
    for (const [key, record] of theirs) {
      const remove = kind.remove(record.data);
      if (!remove) {
        plan.leftInTarget.push({ kind: kind.name, key });
        continue;
      }
      plan.newerInTarget.push({ kind: kind.name, key, reason: 'only_in_target' });
      if (options.force) {
        plan.deletes.push(remove);
        deletes++;
      }
    }
    plan.counts.push({ kind: kind.name, source: ours.length, writes, deletes });
  }
  return plan;
}

function isNewer(kind: RecordKind, target: StoredRecord, source: StoredRecord): boolean {
  const theirs = kind.changedAt(target.data);
  const ours = kind.changedAt(source.data);
  if (theirs !== null && ours !== null && theirs !== ours) return Date.parse(theirs) > Date.parse(ours);
  return target.version !== null && source.version !== null && target.version > source.version;
}
