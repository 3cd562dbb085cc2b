import type { ProgressReport, SeriesMembership, TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../../records/records-builder.js';
import { parseAsin } from '../../values/asin.js';
import { parseCalendarDate, parseIsoDate } from '../../values/dates.js';
import { parseMinutes, parsePercent } from '../../values/numbers.js';
import { Invalid, type Parsed } from '../../values/parsed.js';
import type { AudibleApiItem } from './schema.js';

/** Reports a problem at a path relative to the item (`series[0].asin`). */
export type ItemProblem = (relativePath: string, value: unknown, message: string) => void;

const PODCAST_DELIVERY = new Set(['PodcastParent', 'PodcastEpisode', 'PodcastSeason']);
const PODCAST_CONTENT = new Set(['Podcast', 'Episode', 'Show']);

function check<T>(parsed: Parsed<T>, path: string, value: unknown, problem: ItemProblem): T | null {
  if (parsed instanceof Invalid) {
    problem(path, value, parsed.message);
    return null;
  }
  return parsed;
}

function names(contributors: AudibleApiItem['authors']): string[] {
  const out: string[] = [];
  for (const c of contributors ?? []) {
    const name = c.name?.trim();
    if (name) out.push(name);
  }
  return out;
}

/**
 * One library item -> a title with every series it lists (keyed by series ASIN), and its listening
 * status. `listening_status` wins over the top-level `is_finished`/`percent_complete`; its
 * `finished_at_timestamp` is kept only for a finished title, since Audible leaves an earlier
 * finish time on titles being listened to again. Revoked (returned) titles are not owned.
 */
export function mapAudibleApiItem(item: AudibleApiItem, builder: RecordsBuilder, problem: ItemProblem): { title: TitleRecord; progress: ProgressReport | null } | null {
  let failed = false;
  const fail: ItemProblem = (path, value, message) => {
    failed = true;
    problem(path, value, message);
  };
  const asin = check(parseAsin(item.asin), 'asin', item.asin, fail);
  const title = item.title?.trim() || null;
  if (title === null) fail('title', item.title, 'missing title');
  const runtimeMinutes = check(parseMinutes(item.runtime_length_min), 'runtime_length_min', item.runtime_length_min, fail);
  const releaseDate = check(parseCalendarDate(item.release_date), 'release_date', item.release_date, fail);
  const purchaseDate = check(parseIsoDate(item.purchase_date), 'purchase_date', item.purchase_date, fail);
  const dateAdded = check(parseIsoDate(item.library_status?.date_added), 'library_status.date_added', item.library_status?.date_added, fail);
  const status = item.listening_status;
  const percent = status?.percent_complete ?? item.percent_complete;
  const percentComplete = check(parsePercent(percent), status?.percent_complete != null ? 'listening_status.percent_complete' : 'percent_complete', percent, fail);
  const finishedAt = check(parseIsoDate(status?.finished_at_timestamp), 'listening_status.finished_at_timestamp', status?.finished_at_timestamp, fail);

  const series: { asin: string | null; title: string; sequence: string }[] = [];
  (item.series ?? []).forEach((link, i) => {
    const seriesAsin = check(parseAsin(link.asin), `series[${i}].asin`, link.asin, fail);
    const seriesTitle = link.title?.trim() || seriesAsin;
    if (!seriesTitle) {
      fail(`series[${i}]`, link, 'a series needs a title or an ASIN');
      return;
    }
    series.push({ asin: seriesAsin, title: seriesTitle, sequence: link.sequence === null || link.sequence === undefined ? '' : String(link.sequence) });
  });
  if (failed || asin === null || title === null) return null;

  const memberships: SeriesMembership[] = [];
  const seen = new Set<string>();
  for (const link of series) {
    const membership = builder.membership(link.asin, link.title, link.sequence);
    if (!seen.has(membership.seriesKey)) memberships.push(membership);
    seen.add(membership.seriesKey);
  }
  const isPodcast =
    item.content_delivery_type == null && item.content_type == null
      ? undefined
      : PODCAST_DELIVERY.has(item.content_delivery_type ?? '') || PODCAST_CONTENT.has(item.content_type ?? '');
  const images = item.product_images;
  const record: TitleRecord = {
    asin,
    title,
    subtitle: item.subtitle?.trim() || null,
    authors: names(item.authors),
    narrators: names(item.narrators),
    runtimeMinutes,
    releaseDate,
    purchaseDate: purchaseDate ?? dateAdded,
    coverUrl: images?.['500'] ?? images?.['1215'] ?? images?.['252'] ?? null,
    language: item.language?.trim() || null,
    owned: item.status !== 'Revoked',
    series: memberships,
  };
  if (isPodcast !== undefined) record.isPodcast = isPodcast;

  const isFinished = status?.is_finished ?? item.is_finished ?? null;
  let progress: ProgressReport | null = null;
  if (isFinished !== null || percentComplete !== null) {
    progress = { asin };
    if (isFinished !== null) progress.isFinished = isFinished;
    if (percentComplete !== null) progress.percentComplete = percentComplete;
    if (isFinished === true && finishedAt !== null) progress.finishedAt = finishedAt.length === 10 ? `${finishedAt}T00:00:00.000Z` : finishedAt;
  }
  return { title: record, progress };
}
