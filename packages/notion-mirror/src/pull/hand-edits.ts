import type { ListeningStatus } from '@sagasync/core';
import type { ListeningEventKind } from '../apply/rules.js';
import { hashValue, optionNameOf, type PropertyValues } from '../plan/property-values.js';
import { BOOK_STATUS_OPTIONS, BOOKS } from '../schema/definitions.js';
import type { MirrorEntry } from '../state/settings.js';

/** The properties a person may edit in Notion and SagaSync reads back. */
export const PULLED_PROPERTIES = [BOOKS.status, BOOKS.progress] as const;

const STATUS_BY_LABEL = new Map<string, ListeningStatus>(Object.entries(BOOK_STATUS_OPTIONS).map(([status, label]) => [label.toLowerCase(), status as ListeningStatus]));

export interface HandEdit {
  kind: ListeningEventKind;
  percent?: number;
}

/** The listening status a Status label names (a select or a native status property), or null. */
export function statusFromLabel(label: string | null): ListeningStatus | null {
  return label === null ? null : (STATUS_BY_LABEL.get(label.trim().toLowerCase()) ?? null);
}

function statusOf(values: PropertyValues): ListeningStatus | null {
  return statusFromLabel(optionNameOf(values[BOOKS.status]));
}

function percentOf(values: PropertyValues): number | null {
  const v = values[BOOKS.progress];
  if (!v || !('number' in v) || v.number === null) return null;
  return Math.min(100, Math.max(0, v.number));
}

/**
 * What a person changed by hand, found by comparing the page's Status and Progress % with the
 * hashes of the values SagaSync last wrote or saw: Finished finishes; Not started resets; In
 * progress (re)starts, with the percent when given; a new percent alone is progress. Null when
 * nothing was edited or the edit cannot be read (an unknown status label).
 */
export function handEditFrom(entry: MirrorEntry, values: PropertyValues): HandEdit | null {
  const changed = (name: string) => values[name] !== undefined && entry.hashes[name] !== hashValue(values[name]!);
  const statusChanged = changed(BOOKS.status);
  const progressChanged = changed(BOOKS.progress);
  if (!statusChanged && !progressChanged) return null;
  const status = statusOf(values);
  const percent = percentOf(values);
  if (statusChanged && status !== null) {
    if (status === 'finished') return { kind: 'finished' };
    if (status === 'not_started') return { kind: 'reset' };
    return percent !== null && percent > 0 && percent < 100 ? { kind: 'started', percent } : { kind: 'started' };
  }
  if (progressChanged && percent !== null) return percent >= 100 ? { kind: 'finished' } : { kind: 'progress', percent };
  return null;
}

/** Marks the pulled properties as seen, so the next push only writes them if the store disagrees. */
export function markSeen(entry: MirrorEntry, values: PropertyValues): void {
  for (const name of PULLED_PROPERTIES) if (values[name]) entry.hashes[name] = hashValue(values[name]!);
}
