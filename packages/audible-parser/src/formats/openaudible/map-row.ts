import type { TitleRecord } from '@sagasync/core';
import type { RecordsBuilder } from '../../records/records-builder.js';
import type { RowReader } from '../../tabular/row-reader.js';
import { parseAsin } from '../../values/asin.js';
import { parseCultureCalendarDate, parseCultureDate } from '../../values/dates.js';
import { parseDuration } from '../../values/numbers.js';
import { parseText } from '../../values/text.js';
import { creditsOfRow, progressReport, rawText, type RowFormat, type RowMapper } from '../row-format.js';
import { OPENAUDIBLE_COLUMNS, OPENAUDIBLE_FIELD as F } from './columns.js';

// OpenAudible writes US-style dates (MM/dd/yyyy) besides ISO ones.
const purchaseDateOf = (value: unknown) => parseCultureDate(value, 'month-first');
const releaseDateOf = (value: unknown) => parseCultureCalendarDate(value, 'month-first');

/**
 * `Read Status` is OpenAudible's own field (none, read, unread, want to read, did not finish,
 * optionally with a date); only "read" is taken, as finished. The others say nothing reliable
 * about Audible's state, so they report no progress.
 */
function finishedFromReadStatus(value: string | null | undefined): boolean | null {
  if (!value) return null;
  return /^(?:read|finished)\b/i.test(value) ? true : null;
}

function createMapper(builder: RecordsBuilder): RowMapper {
  return (row: RowReader) => {
    const asin = row.require(F.asin, parseAsin, 'ASIN');
    const title = row.require(F.title, parseText, 'title');
    const authors = row.parse(F.author, builder.parseNames);
    const narrators = row.parse(F.narrators, builder.parseNames);
    const purchaseDate = row.parse(F.purchaseDate, purchaseDateOf);
    const runtimeMinutes = row.parse(F.duration, parseDuration);
    const releaseDate = row.parse(F.releaseDate, releaseDateOf);
    const seriesName = row.parse(F.seriesName, parseText);
    const language = row.parse(F.language, parseText);
    const region = row.parse(F.region, parseText);
    const coverUrl = row.parse(F.imageUrl, parseText);
    const readStatus = row.parse(F.readStatus, parseText);
    if (row.failures > 0 || asin === null || title === null) return null;

    const credits = creditsOfRow(row, F.author, authors, builder);
    const record: TitleRecord = {
      asin,
      title,
      authors: credits.authors,
      narrators: narrators ?? builder.noNames,
      runtimeMinutes,
      releaseDate,
      purchaseDate,
      coverUrl,
      language,
      marketplace: region?.toLowerCase(),
      owned: true,
      series: seriesName ? [builder.membership(null, seriesName, rawText(row.get(F.seriesSequence)))] : [],
    };
    if (credits.contributors) record.contributors = credits.contributors;
    return { title: record, progress: progressReport(asin, finishedFromReadStatus(readStatus), undefined) };
  };
}

export const openAudible: RowFormat = { columns: OPENAUDIBLE_COLUMNS, createMapper };
