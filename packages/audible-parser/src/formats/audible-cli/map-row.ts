import type { TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../../records/records-builder.js';
import type { RowReader } from '../../tabular/row-reader.js';
import { parseAsin } from '../../values/asin.js';
import { parseBoolean } from '../../values/booleans.js';
import { parseCalendarDate, parseIsoDate } from '../../values/dates.js';
import { parseMinutes, parsePercent } from '../../values/numbers.js';
import { parseText, parseTextOrDash } from '../../values/text.js';
import { creditsOfRow, progressReport, rawText, type RowFormat, type RowMapper } from '../row-format.js';
import { AUDIBLE_CLI_COLUMNS, AUDIBLE_CLI_FIELD as F } from './columns.js';

/**
 * One audible-cli row -> a title. Library rows are owned; wishlist rows are titles wanted, not
 * owned, and carry no progress. audible-cli keeps only the first of a title's series and has no
 * series ASIN, so the series key comes from the series title.
 */
function createMapper(builder: RecordsBuilder, wishlist: boolean): RowMapper {
  return (row: RowReader) => {
    const asin = row.require(F.asin, parseAsin, 'ASIN');
    const title = row.require(F.title, parseText, 'title');
    const subtitle = row.parse(F.subtitle, parseText);
    const authors = row.parse(F.authors, builder.parseNames);
    const narrators = row.parse(F.narrators, builder.parseNames);
    const seriesTitle = row.parse(F.seriesTitle, parseText);
    const runtimeMinutes = row.parse(F.runtime, parseMinutes);
    const isFinished = row.parse(F.isFinished, parseBoolean);
    const percent = row.parse(F.percent, parsePercent);
    const dateAdded = row.parse(F.dateAdded, parseIsoDate);
    const releaseDate = row.parse(F.releaseDate, parseCalendarDate);
    const purchaseDate = row.parse(F.purchaseDate, parseIsoDate);
    const coverUrl = row.parse(F.coverUrl, parseTextOrDash);
    if (row.failures > 0 || asin === null || title === null) return null;

    const credits = creditsOfRow(row, F.authors, authors, builder);
    const record: TitleRecord = {
      asin,
      title,
      subtitle,
      authors: credits.authors,
      narrators: narrators ?? builder.noNames,
      runtimeMinutes,
      releaseDate,
      // The purchase date; the 16-column layout lacks it, and date_added is the same day then.
      purchaseDate: wishlist ? undefined : purchaseDate ?? dateAdded,
      coverUrl,
      owned: !wishlist,
      series: seriesTitle ? [builder.membership(null, seriesTitle, rawText(row.get(F.seriesSequence)))] : [],
    };
    if (credits.contributors) record.contributors = credits.contributors;
    return { title: record, progress: wishlist ? null : progressReport(asin, isFinished, percent) };
  };
}

export const audibleCliLibrary: RowFormat = {
  columns: AUDIBLE_CLI_COLUMNS,
  createMapper: (builder) => createMapper(builder, false),
};

export const audibleCliWishlist: RowFormat = {
  columns: AUDIBLE_CLI_COLUMNS,
  createMapper: (builder) => createMapper(builder, true),
};
