import type { ListeningStatus, Progress, SeriesStatus, Title } from '@sagasync/core';
import { BOOK_STATUS_OPTIONS, BOOKS, SERIES, SERIES_STATUS_OPTIONS } from '../schema/definitions.js';
import { checkboxValue, coverValue, dateValue, numberValue, relationValue, selectValue, textValue, titleValue, type PropertyValues } from './property-values.js';

/** What the Series page shows; built from core's series report (see `seriesRowFrom`). */
export interface SeriesRow {
  key: string;
  title: string;
  status: SeriesStatus;
  ownedCount: number;
  finishedCount: number;
  missingCount: number;
  nextUp: string | null;
  nextToBuy: string | null;
}

/** The subset of core's SeriesView the mirror shows. */
export interface SeriesViewLike {
  key: string;
  title: string;
  status: SeriesStatus;
  ownedCount: number;
  finishedCount: number;
  missing: readonly unknown[];
  nextUp: { title: string; sequence: string } | null;
  nextToBuy: { title: string | null; sequence: string; inferred?: boolean; upcoming?: boolean } | null;
}

const labelled = (sequence: string, title: string | null): string => [sequence ? `#${sequence}` : '', title ?? '(title not known yet)'].filter(Boolean).join(' ');

export function seriesRowFrom(view: SeriesViewLike): SeriesRow {
  return {
    key: view.key,
    title: view.title,
    status: view.status,
    ownedCount: view.ownedCount,
    finishedCount: view.finishedCount,
    missingCount: view.missing.length,
    nextUp: view.nextUp ? labelled(view.nextUp.sequence, view.nextUp.title) : null,
    nextToBuy: view.nextToBuy ? labelled(view.nextToBuy.sequence, view.nextToBuy.title) + (view.nextToBuy.upcoming ? ' (upcoming)' : '') : null,
  };
}

export function seriesValues(row: SeriesRow): PropertyValues {
  return {
    [SERIES.title]: titleValue(row.title),
    [SERIES.key]: textValue(row.key),
    [SERIES.status]: selectValue(SERIES_STATUS_OPTIONS[row.status]),
    [SERIES.owned]: numberValue(row.ownedCount),
    [SERIES.finished]: numberValue(row.finishedCount),
    [SERIES.missing]: numberValue(row.missingCount),
    [SERIES.nextUp]: textValue(row.nextUp),
    [SERIES.nextToBuy]: textValue(row.nextToBuy),
  };
}

export const bookStatusLabel = (status: ListeningStatus): string => BOOK_STATUS_OPTIONS[status];

/** The sequence text shown: the raw text for one series, `Series: seq` pairs for several. */
function sequenceText(title: Title): string {
  if (title.series.length === 1) return title.series[0]!.sequence;
  return title.series.map((m) => `${m.seriesTitle}: ${m.sequence || '?'}`).join('; ');
}

function positionNumber(title: Title): number | null {
  const p = title.series[0]?.position;
  if (!p || p.kind === 'none') return null;
  return p.kind === 'number' ? p.value : p.start;
}

/**
 * A Books page's values. `seriesPageIds` maps series keys to their Notion pages; memberships of
 * series without a page yet are left out of the relation and written once that page exists.
 */
export function bookValues(title: Title, progress: Progress | null, seriesPageIds: ReadonlyMap<string, string>): PropertyValues {
  const related = title.series.flatMap((m) => {
    const id = seriesPageIds.get(m.seriesKey);
    return id ? [id] : [];
  });
  return {
    [BOOKS.title]: titleValue(title.subtitle ? `${title.title}: ${title.subtitle}` : title.title),
    [BOOKS.asin]: textValue(title.asin),
    [BOOKS.authors]: textValue(title.authors.join(', ')),
    [BOOKS.narrators]: textValue(title.narrators.join(', ')),
    [BOOKS.series]: relationValue(related),
    [BOOKS.sequence]: textValue(sequenceText(title)),
    [BOOKS.position]: numberValue(positionNumber(title)),
    [BOOKS.status]: selectValue(bookStatusLabel(progress?.status ?? 'not_started')),
    [BOOKS.owned]: checkboxValue(title.owned),
    [BOOKS.progress]: numberValue(progress ? Math.round(progress.percentComplete * 10) / 10 : 0),
    [BOOKS.started]: dateValue(progress?.startedAt),
    [BOOKS.finished]: dateValue(progress?.finishedAt),
    [BOOKS.runtime]: numberValue(title.runtimeMinutes),
    [BOOKS.releaseDate]: dateValue(title.releaseDate),
    [BOOKS.purchaseDate]: dateValue(title.purchaseDate),
    [BOOKS.cover]: coverValue(title.coverUrl),
  };
}
