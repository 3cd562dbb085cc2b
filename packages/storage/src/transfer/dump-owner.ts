import type { StoragePort } from '@sagasync/core';
import { parseOwnerId } from '../batch/parse-operations.js';
import { canonicalJson, RECORD_KINDS, readOwnerSnapshot, type PlainRecord } from './record-kinds.js';

export interface OwnerDump {
  /** Kind by kind in `RECORD_KINDS` order, each in key order, without owner or version. */
  records: { kind: string; key: string; data: PlainRecord }[];
}

/**
 * Every record of an owner in a canonical order, without what differs between stores holding the
 * same data (owner, versions), so two stores' dumps compare with `diff`.
 */
export async function dumpOwner(store: StoragePort, ownerId: string): Promise<OwnerDump> {
  const snapshot = await readOwnerSnapshot(store, parseOwnerId(ownerId));
  const records: OwnerDump['records'] = [];
  for (const kind of RECORD_KINDS) for (const record of snapshot.get(kind.name) ?? []) records.push({ kind: kind.name, key: kind.key(record.data), data: record.data });
  return { records };
}

/** One line per record: kind, key and the record as canonical JSON, tab-separated. */
export function dumpLines(dump: OwnerDump): string[] {
  return dump.records.map((record) => `${record.kind}\t${record.key}\t${canonicalJson(record.data)}`);
}
