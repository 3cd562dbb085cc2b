import type { StoragePort } from '@sagasync/core';
import type { SeriesViewLike } from '../plan/desired-values.js';

/**
 * The domain rules the mirror needs from core: the series report (status, counts, next up, next
 * to buy) pushed to the Series pages, and listening events pulled back from Notion with the
 * cascade. Apps pass core's `buildSeriesReport` and `applyListeningEvent` (see `coreRules`).
 */
export interface MirrorRules {
  seriesReport(storage: StoragePort, ownerId: string): Promise<readonly SeriesViewLike[]>;
  applyListeningEvent(storage: StoragePort, ownerId: string, event: NotionListeningEvent): Promise<void>;
}

/** Core's listening event kinds: `started` and `reset` are a person's word; `progress` cannot un-finish. */
export type ListeningEventKind = 'started' | 'finished' | 'progress' | 'reset';

export interface NotionListeningEvent {
  asin: string;
  kind: ListeningEventKind;
  percent?: number;
  at?: string;
  source: 'notion';
}
