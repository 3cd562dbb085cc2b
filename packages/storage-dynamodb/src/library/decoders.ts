import {
  ConflictSchema,
  CredentialBlobSchema,
  ExpiringRecordSchema,
  LeaseSchema,
  LinkSchema,
  MatchDecisionSchema,
  MirrorRecordSchema,
  ProgressHistoryEntrySchema,
  ProgressSchema,
  SeriesAliasSchema,
  SeriesSchema,
  SourceBaselineSchema,
  SyncRunSchema,
  TitleSchema,
  TrackerBookSchema,
} from '@sagasync/core';
import { decoder } from './items.js';

/** Item-to-record decoders of one table, each checking core's schema (see `decoder`). */
export function createDecoders(tableName: string) {
  return {
    title: decoder(TitleSchema, 'title', tableName, true),
    series: decoder(SeriesSchema, 'series', tableName, true),
    progress: decoder(ProgressSchema, 'progress', tableName, true),
    conflict: decoder(ConflictSchema, 'conflict', tableName, true),
    history: decoder(ProgressHistoryEntrySchema, 'history', tableName),
    trackerBook: decoder(TrackerBookSchema, 'tracker book', tableName),
    link: decoder(LinkSchema, 'link', tableName),
    decision: decoder(MatchDecisionSchema, 'decision', tableName),
    syncRun: decoder(SyncRunSchema, 'sync run', tableName),
    credential: decoder(CredentialBlobSchema, 'credential', tableName),
    mirrorRecord: decoder(MirrorRecordSchema, 'mirror record', tableName),
    baseline: decoder(SourceBaselineSchema, 'baseline', tableName),
    seriesAlias: decoder(SeriesAliasSchema, 'series alias', tableName),
    lease: decoder(LeaseSchema, 'lease', tableName),
    expiring: decoder(ExpiringRecordSchema, 'expiring record', tableName),
  };
}

export type Decoders = ReturnType<typeof createDecoders>;
