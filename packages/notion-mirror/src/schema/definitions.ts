/**
 * The two databases SagaSync mirrors into. Property names are the contract with the user's
 * workspace (they see and may filter on them); types are what `checkDatabases` enforces.
 */
export type NotionPropertyType = 'title' | 'rich_text' | 'number' | 'select' | 'checkbox' | 'date' | 'files' | 'relation';

export interface PropertyDefinition {
  name: string;
  type: NotionPropertyType;
  /** Options a select must offer. */
  options?: readonly string[];
  /**
   * A select that may instead be Notion's native `status` property (common in personal trackers):
   * then its options must exist already, as Notion's API cannot add status options.
   */
  acceptsStatus?: boolean;
  description?: string;
}

export const BOOK_STATUS_OPTIONS = { not_started: 'Not started', in_progress: 'In progress', finished: 'Finished' } as const;
export const SERIES_STATUS_OPTIONS = { not_started: 'Not started', in_progress: 'In progress', caught_up: 'Caught up', complete: 'Complete' } as const;

export const BOOKS = {
  title: 'Title',
  asin: 'ASIN',
  authors: 'Authors',
  narrators: 'Narrators',
  series: 'Series',
  sequence: 'Sequence',
  position: 'Position',
  status: 'Status',
  owned: 'Owned',
  progress: 'Progress %',
  started: 'Started',
  finished: 'Finished',
  runtime: 'Runtime',
  releaseDate: 'Release date',
  purchaseDate: 'Purchase date',
  cover: 'Cover',
} as const;

export const SERIES = {
  title: 'Title',
  key: 'Key',
  status: 'Status',
  owned: 'Owned',
  finished: 'Finished',
  missing: 'Missing',
  nextUp: 'Next up',
  nextToBuy: 'Next to buy',
  /** The reverse side of the Books' Series relation, created by Notion. */
  books: 'Books',
} as const;

export const BOOKS_PROPERTIES: readonly PropertyDefinition[] = [
  { name: BOOKS.title, type: 'title' },
  { name: BOOKS.asin, type: 'rich_text', description: 'Audible product id; SagaSync finds its pages by it.' },
  { name: BOOKS.authors, type: 'rich_text' },
  { name: BOOKS.narrators, type: 'rich_text' },
  { name: BOOKS.series, type: 'relation' },
  { name: BOOKS.sequence, type: 'rich_text', description: 'Sequence text as Audible gives it.' },
  { name: BOOKS.position, type: 'number' },
  { name: BOOKS.status, type: 'select', options: Object.values(BOOK_STATUS_OPTIONS), acceptsStatus: true },
  { name: BOOKS.owned, type: 'checkbox', description: 'Unticked for series volumes not bought yet.' },
  { name: BOOKS.progress, type: 'number' },
  { name: BOOKS.started, type: 'date' },
  { name: BOOKS.finished, type: 'date' },
  { name: BOOKS.runtime, type: 'number', description: 'Minutes.' },
  { name: BOOKS.releaseDate, type: 'date' },
  { name: BOOKS.purchaseDate, type: 'date' },
  { name: BOOKS.cover, type: 'files' },
];

export const SERIES_PROPERTIES: readonly PropertyDefinition[] = [
  { name: SERIES.title, type: 'title' },
  { name: SERIES.key, type: 'rich_text', description: 'Series ASIN, or title: and the normalised name.' },
  { name: SERIES.status, type: 'select', options: Object.values(SERIES_STATUS_OPTIONS), acceptsStatus: true },
  { name: SERIES.owned, type: 'number' },
  { name: SERIES.finished, type: 'number' },
  { name: SERIES.missing, type: 'number' },
  { name: SERIES.nextUp, type: 'rich_text' },
  { name: SERIES.nextToBuy, type: 'rich_text' },
  { name: SERIES.books, type: 'relation' },
];

export type TableName = 'books' | 'series';

/** The request config that creates one property (relations are built by setup, which knows ids). */
export function propertyConfig(def: PropertyDefinition): Record<string, unknown> {
  const description = def.description ? { description: def.description } : {};
  switch (def.type) {
    case 'number':
      return { number: { format: 'number' }, ...description };
    case 'select':
      return { select: { options: (def.options ?? []).map((name) => ({ name })) }, ...description };
    default:
      return { [def.type]: {}, ...description };
  }
}
