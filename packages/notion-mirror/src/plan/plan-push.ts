import type { MirrorTableName, Progress, Title } from '@sagasync/core';
import type { MirrorState } from '../state/settings.js';
import { bookValues, seriesRowFrom, seriesValues, type SeriesViewLike } from './desired-values.js';
import { planTable, type PlannedWrite, type TablePlan } from './plan-table.js';
import { toSchemaShape } from './property-values.js';

/** What a push compares: the store's titles, progress and series report, and the mirror records. */
export interface PushPlanInput {
  titles: readonly Title[];
  progress: ReadonlyMap<string, Progress>;
  series: readonly SeriesViewLike[];
  mirror: MirrorState;
  /** Mirror synthetic volumes (series volumes not owned) as pages with Owned unticked. Default true. */
  includeSynthetic?: boolean;
  /** `table:key` of writes Notion refused earlier in the same run: left out, not tried again. */
  skip?: ReadonlySet<string>;
  /**
   * Per table, the select properties (Status) that are Notion's native `status` properties in the
   * user's databases: their values are planned (and hashed) as `{ status: { name } }`.
   */
  statusProperties?: Partial<Record<MirrorTableName, ReadonlySet<string>>>;
}

/** One page write, in the order a push applies them. */
export type PushWrite = PlannedWrite & { table: MirrorTableName };

export interface PushPlan {
  /** Series pages first (a book's Series relation needs them), then books; each table by key. */
  writes: PushWrite[];
  unchanged: Record<MirrorTableName, string[]>;
  /** Mirrored keys the store no longer has; left in Notion (reset removes them). */
  orphans: Record<MirrorTableName, string[]>;
  /** Writes left out because of `skip`. */
  skipped: string[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The titles a push mirrors. */
export function mirroredTitles(titles: readonly Title[], includeSynthetic = true): Title[] {
  return includeSynthetic ? [...titles] : titles.filter((t) => t.owned);
}

/**
 * Plans a push: every page to create and every property to update, from the store and the mirror
 * records alone. Pure and deterministic: the same input gives the same writes in the same order
 * (series by key, then books by ASIN), so a push that stopped plans again from the records it
 * wrote and finds only the writes it had not done.
 *
 * A book's Series relation holds the series pages known in `mirror`; a series page not created
 * yet is left out, so `pushToNotion` plans the books again once the series writes are done.
 */
export function planPush(input: PushPlanInput): PushPlan {
  const shape = input.statusProperties ?? {};
  const seriesDesired = new Map([...input.series].sort((a, b) => byText(a.key, b.key)).map((v) => [v.key, toSchemaShape(seriesValues(seriesRowFrom(v)), shape.series)]));
  const seriesPageIds = new Map(Object.entries(input.mirror.series).map(([key, entry]) => [key, entry.pageId]));
  const titles = mirroredTitles(input.titles, input.includeSynthetic).sort((a, b) => byText(a.asin, b.asin));
  const booksDesired = new Map(titles.map((t) => [t.asin, toSchemaShape(bookValues(t, input.progress.get(t.asin) ?? null, seriesPageIds), shape.books)]));
  const plans: Record<MirrorTableName, TablePlan> = { series: planTable(seriesDesired, input.mirror.series), books: planTable(booksDesired, input.mirror.books) };
  const skip = input.skip ?? new Set<string>();
  const writes: PushWrite[] = [];
  const skipped: string[] = [];
  for (const table of ['series', 'books'] as const) {
    for (const write of plans[table].writes) {
      const id = `${table}:${write.key}`;
      if (skip.has(id)) skipped.push(id);
      else writes.push({ ...write, table });
    }
  }
  return {
    writes,
    unchanged: { series: plans.series.unchanged, books: plans.books.unchanged },
    orphans: { series: plans.series.orphans, books: plans.books.orphans },
    skipped,
  };
}
