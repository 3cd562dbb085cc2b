import type { ProgressReport, SeriesMembership, TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../../records/records-builder.js';
import { parseAsin } from '../../values/asin.js';
import { splitCredits } from '../../values/credits.js';
import { parseCalendarDate, parseIsoDate } from '../../values/dates.js';
import { parseMinutes, parsePercent } from '../../values/numbers.js';
import { Invalid, type Parsed } from '../../values/parsed.js';
import { contributorNames, coverUrlOf, forSaleOf, podcastFlag } from './product-values.js';
import type { AudibleLibraryItem } from './schema.js';

/** Reports a problem at a path relative to the item (`series[0].asin`), or at the item itself (null). */
export type ItemProblem = (relativePath: string | null, value: unknown, message: string) => void;

/** A title's last heard position (`/1.0/annotations/lastpositions`). */
export interface ItemLastPosition {
  positionMs: number;
}

/** The latest mark-as-finished (or unfinished) event of a title (`/1.0/stats/status/finished`). */
export interface ItemFinishedEvent {
  finished: boolean;
  /** ISO 8601. */
  at: string;
}

/** What a live sync knows beside the items; a dump has none of it. */
export interface ItemContext {
  /** Country code of the marketplace (`us`), stored on every title. Absent: unknown. */
  marketplace?: string | null;
  /** The account the library belongs to, stored on owned titles. Absent: unknown. */
  sourceAccount?: string | null;
  lastPositions?: ReadonlyMap<string, ItemLastPosition>;
  finished?: ReadonlyMap<string, ItemFinishedEvent>;
  /**
   * Titles of series known from the catalogue, by series ASIN. A `series` parent relationship to
   * one of them is a membership even when `series[]` does not list it (without a title, a series
   * cannot be named, so other relationships are not read).
   */
  seriesTitles?: ReadonlyMap<string, string>;
  /** The items were asked for with the `price` response group: an item without a price is not for sale. */
  pricesRequested?: boolean;
}

const NO_CONTEXT: ItemContext = {};

function check<T>(parsed: Parsed<T>, path: string, value: unknown, problem: ItemProblem): T | null {
  if (parsed instanceof Invalid) {
    problem(path, value, parsed.message);
    return null;
  }
  return parsed;
}

const sequenceText = (sequence: string | number | null | undefined): string => (sequence === null || sequence === undefined ? '' : String(sequence));

/**
 * One library item -> a title with every series it lists (keyed by series ASIN), and its listening
 * status. `listening_status` wins over the top-level `is_finished`/`percent_complete`; its
 * `finished_at_timestamp` is kept only for a finished title, since Audible leaves an earlier
 * finish time on titles being listened to again. Revoked (returned) titles are not owned. With a
 * context, a title whose finished flag is null takes it from the latest finished event (and a
 * finished title without a finish time takes the event's), and the last heard position is kept.
 * Any problem leaves the item out (`null`), each reported at its path. Finish times are
 * best-effort (Audible's finished events are not reliable): one that cannot be read is left out
 * of the progress, with a `warn`ing. Authors credited in another role (`X - translator`) become
 * contributors.
 */
export function mapAudibleApiItem(
  item: AudibleLibraryItem,
  builder: RecordsBuilder,
  problem: ItemProblem,
  context: ItemContext = NO_CONTEXT,
  warn: ItemProblem = () => undefined,
): { title: TitleRecord; progress: ProgressReport | null } | null {
  let failed = false;
  const fail: ItemProblem = (path, value, message) => {
    failed = true;
    problem(path, value, message);
  };
  const asin = check(parseAsin(item.asin), 'asin', item.asin, fail);
  if (asin === null && !failed) fail('asin', item.asin, 'missing ASIN');
  const title = item.title?.trim() || null;
  if (title === null) fail('title', item.title, 'missing title');
  const runtimeMinutes = check(parseMinutes(item.runtime_length_min), 'runtime_length_min', item.runtime_length_min, fail);
  const releaseDate = check(parseCalendarDate(item.release_date), 'release_date', item.release_date, fail);
  const purchaseDate = check(parseIsoDate(item.purchase_date), 'purchase_date', item.purchase_date, fail);
  const dateAdded = check(parseIsoDate(item.library_status?.date_added), 'library_status.date_added', item.library_status?.date_added, fail);
  const status = item.listening_status;
  const percent = status?.percent_complete ?? item.percent_complete;
  const percentComplete = check(parsePercent(percent), status?.percent_complete != null ? 'listening_status.percent_complete' : 'percent_complete', percent, fail);
  // Read only for a finished title, and best-effort: a bad one loses the time, not the item.
  const finishedAtText = parseIsoDate(status?.finished_at_timestamp);
  const finishedAt = typeof finishedAtText === 'string' ? finishedAtText : null;

  const series: { asin: string | null; title: string; sequence: string }[] = [];
  (item.series ?? []).forEach((link, i) => {
    const seriesAsin = check(parseAsin(link.asin), `series[${i}].asin`, link.asin, fail);
    const seriesTitle = link.title?.trim() || seriesAsin;
    if (!seriesTitle) {
      fail(`series[${i}]`, link, 'a series needs a title or an ASIN');
      return;
    }
    series.push({ asin: seriesAsin, title: seriesTitle, sequence: sequenceText(link.sequence) });
  });
  if (context.seriesTitles !== undefined) {
    for (const rel of item.relationships ?? []) {
      if (rel.relationship_type !== 'series' || rel.relationship_to_product !== 'parent' || !rel.asin) continue;
      const seriesTitle = context.seriesTitles.get(rel.asin);
      if (seriesTitle !== undefined) series.push({ asin: rel.asin, title: seriesTitle, sequence: sequenceText(rel.sequence) });
    }
  }
  if (failed || asin === null || title === null) return null;

  const memberships: SeriesMembership[] = [];
  const seen = new Set<string>();
  for (const link of series) {
    const membership = builder.membership(link.asin, link.title, link.sequence);
    if (!seen.has(membership.seriesKey)) memberships.push(membership);
    seen.add(membership.seriesKey);
  }
  const isPodcast = podcastFlag(item);
  const names = contributorNames(item.authors);
  const credits = splitCredits(names);
  if (credits?.rolesOnly) warn('authors', names.join(', '), 'every author is credited with a role, none as author: kept as authors (there is no other) and as contributors');
  const forSale = forSaleOf(item, context.pricesRequested);
  const record: TitleRecord = {
    asin,
    title,
    subtitle: item.subtitle?.trim() || null,
    authors: credits?.authors ?? names,
    narrators: contributorNames(item.narrators),
    runtimeMinutes,
    releaseDate,
    purchaseDate: purchaseDate ?? dateAdded,
    coverUrl: coverUrlOf(item),
    language: item.language?.trim() || null,
    owned: item.status !== 'Revoked',
    series: memberships,
  };
  if (context.marketplace !== undefined) record.marketplace = context.marketplace;
  if (context.sourceAccount !== undefined) record.sourceAccount = context.sourceAccount;
  if (isPodcast !== undefined) record.isPodcast = isPodcast;
  if (credits) record.contributors = credits.contributors;
  if (forSale !== undefined) record.forSale = forSale;

  const event = context.finished?.get(asin);
  let isFinished = status?.is_finished ?? item.is_finished ?? null;
  if (isFinished === null && event !== undefined) isFinished = event.finished;
  const position = context.lastPositions?.get(asin)?.positionMs;
  const lastPositionMs = typeof position === 'number' && Number.isFinite(position) && position >= 0 ? Math.floor(position) : null;
  let progress: ProgressReport | null = null;
  if (isFinished !== null || percentComplete !== null || lastPositionMs !== null) {
    progress = { asin };
    if (isFinished !== null) progress.isFinished = isFinished;
    if (percentComplete !== null) progress.percentComplete = percentComplete;
    if (isFinished === true) {
      if (finishedAtText instanceof Invalid) {
        warn('listening_status.finished_at_timestamp', status?.finished_at_timestamp, `${finishedAtText.message}; the progress is kept without a finish time`);
      }
      const eventAt = event?.finished === true && finishedAt === null ? parseIsoDate(event.at) : null;
      if (eventAt instanceof Invalid) warn(null, event?.at, `the time of its finished event: ${eventAt.message}; the progress is kept without a finish time`);
      const at = finishedAt ?? (typeof eventAt === 'string' ? eventAt : null);
      if (at !== null) progress.finishedAt = at.length === 10 ? `${at}T00:00:00.000Z` : at;
    }
    if (lastPositionMs !== null) progress.lastPositionMs = lastPositionMs;
  }
  return { title: record, progress };
}
