import type { ListeningEventKind, StoragePort } from '@sagasync/core';
import type { SeriesViewLike } from '../plan/desired-values.js';

/**
 * The domain rules the mirror needs from core: the series report (status, counts, next up, next
 * to buy) pushed to the Series pages, and listening events pulled back from Notion with the
 * cascade. Defaults to core's `buildSeriesReport` and `applyListeningEvent` (`coreRules`).
 */
export interface MirrorRules {
  seriesReport(storage: StoragePort, ownerId: string): Promise<readonly SeriesViewLike[]>;
  applyListeningEvent(storage: StoragePort, ownerId: string, event: NotionListeningEvent): Promise<void>;
}

export interface NotionListeningEvent {
  asin: string;
  kind: ListeningEventKind;
  percent?: number;
  at?: string;
  source: 'notion';
}

export type { ListeningEventKind };
