import type { SeriesMembership, TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../../records/records-builder.js';
import type { RowReader } from '../../tabular/row-reader.js';
import { parseAsin } from '../../values/asin.js';
import { parseBoolean } from '../../values/booleans.js';
import { MONTH_FIRST_BY_DEFAULT, parseCalendarDateInOrder, parseDateInOrder } from '../../values/date-order.js';
import { parseMinutes } from '../../values/numbers.js';
import { Invalid, type Parsed } from '../../values/parsed.js';
import { parseText } from '../../values/text.js';
import { creditsOfRow, progressReport, type MapperOptions, type RowFormat, type RowMapper } from '../row-format.js';
import { LIBATION_COLUMNS, LIBATION_FIELD as F } from './columns.js';
import { splitSeriesOrder } from './series-order.js';

/** Libation's locale names (AudibleApi Localization.cs) -> Audible marketplace country codes. */
const MARKETPLACE_BY_LOCALE = new Map<string, string>([
  ['us', 'us'], ['uk', 'uk'], ['australia', 'au'], ['brazil', 'br'], ['canada', 'ca'], ['france', 'fr'],
  ['germany', 'de'], ['india', 'in'], ['italy', 'it'], ['japan', 'jp'], ['spain', 'es'],
  ['pre-amazon - us', 'us'], ['pre-amazon - uk', 'uk'], ['pre-amazon - germany', 'de'],
]);

function parseLocale(value: unknown): Parsed<string> {
  const text = parseText(value);
  if (text === null || text instanceof Invalid) return text;
  return MARKETPLACE_BY_LOCALE.get(text.toLowerCase()) ?? text.toLowerCase();
}

/** Libation's `Content Type`: podcast parents and episodes are not books. */
const NOT_BOOKS = new Map<string, string>([
  ['parent', 'podcast or series parent'],
  ['episode', 'podcast episode'],
]);

/**
 * Libation writes dates in the Windows culture of the machine that exported (`08/15/2026 10:30:00`
 * invariant, `15.08.2026 10:30:00` German, `15/08/2026` British); the reader settles the file's
 * day/month order from its dates first (`probeDateOrder`). The JSON export writes ISO dates.
 */
export const LIBATION_DATE_COLUMNS = ['date added to library', 'date published', 'last downloaded', 'lastdownloaded', 'included until'];

function createMapper(builder: RecordsBuilder, options: MapperOptions = {}): RowMapper {
  const order = options.dateOrder ?? MONTH_FIRST_BY_DEFAULT;
  const parseDate = (value: unknown) => parseDateInOrder(value, order);
  const parseCalendarDate = (value: unknown) => parseCalendarDateInOrder(value, order);
  return (row: RowReader) => {
    const contentType = row.parse(F.contentType, parseText);
    const notBook = contentType ? NOT_BOOKS.get(contentType.toLowerCase()) : undefined;
    if (notBook !== undefined) return { skipped: notBook };

    const asin = row.require(F.asin, parseAsin, 'Audible Product Id');
    const title = row.require(F.title, parseText, 'title');
    const subtitle = row.parse(F.subtitle, parseText);
    const account = row.parse(F.account, parseText);
    const dateAdded = row.parse(F.dateAdded, parseDate);
    const marketplace = row.parse(F.locale, parseLocale);
    const authors = row.parse(F.authors, builder.parseNames);
    const narrators = row.parse(F.narrators, builder.parseNames);
    const runtimeMinutes = row.parse(F.length, parseMinutes);
    const seriesOrder = row.parse(F.seriesOrder, parseText);
    const releaseDate = row.parse(F.datePublished, parseCalendarDate);
    const language = row.parse(F.language, parseText);
    const isFinished = row.parse(F.isFinished, parseBoolean);
    if (row.failures > 0 || asin === null || title === null) return null;

    const series: SeriesMembership[] = [];
    if (seriesOrder) {
      for (const entry of splitSeriesOrder(seriesOrder)) series.push(builder.membership(null, entry.name, entry.order));
    }
    const credits = creditsOfRow(row, F.authors, authors, builder);
    const record: TitleRecord = {
      asin,
      title,
      subtitle,
      authors: credits.authors,
      narrators: narrators ?? builder.noNames,
      // Libation writes 0 for an unknown length.
      runtimeMinutes: runtimeMinutes === 0 ? null : runtimeMinutes,
      releaseDate,
      purchaseDate: dateAdded,
      language,
      marketplace,
      sourceAccount: account,
      owned: true,
      series,
    };
    if (contentType !== undefined) record.isPodcast = false;
    if (credits.contributors) record.contributors = credits.contributors;
    return { title: record, progress: progressReport(asin, isFinished, undefined) };
  };
}

export const libation: RowFormat = { columns: LIBATION_COLUMNS, dateOrderColumns: LIBATION_DATE_COLUMNS, createMapper };
