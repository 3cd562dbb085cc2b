import { parseSequence, seriesKeyFor } from '@sagasync/core';
import type { LibraryRecords, ProgressReport, SeriesMembership, SeriesPosition, SeriesRecord, TitleRecord } from '@sagasync/core';

const POSITION_CACHE_LIMIT = 10_000;

/**
 * Accumulates what a file says into `LibraryRecords`: one title per ASIN (a repeated ASIN merges
 * its series memberships), one series per key, one progress report per ASIN. Sequences and
 * series keys repeat across rows, so their parsing is cached; the cached position objects are
 * frozen because records share them.
 */
export class RecordsBuilder {
  private readonly titles: TitleRecord[] = [];
  private readonly titleIndex = new Map<string, number>();
  private readonly seriesByKey = new Map<string, SeriesRecord>();
  private readonly progressByAsin = new Map<string, ProgressReport>();
  private readonly keyByTitle = new Map<string, string>();
  private readonly positions = new Map<string, SeriesPosition>();
  private discarding = false;
  /** Rows whose ASIN was already seen, merged into the first. */
  duplicates = 0;

  /** Strict mode after an invalid row: nothing will be imported, so stop holding records. */
  discard(): void {
    this.discarding = true;
    this.titles.length = 0;
    this.titleIndex.clear();
    this.seriesByKey.clear();
    this.progressByAsin.clear();
  }

  position(sequence: string): SeriesPosition {
    let position = this.positions.get(sequence);
    if (position === undefined) {
      position = Object.freeze(parseSequence(sequence)) as SeriesPosition;
      if (this.positions.size < POSITION_CACHE_LIMIT) this.positions.set(sequence, position);
    }
    return position;
  }

  /** A membership; the series itself is recorded (not catalogue-complete) when first seen. */
  membership(seriesAsin: string | null, seriesTitle: string, sequence: string): SeriesMembership {
    let seriesKey: string;
    if (seriesAsin !== null) seriesKey = seriesKeyFor(seriesAsin, seriesTitle);
    else {
      const cached = this.keyByTitle.get(seriesTitle);
      seriesKey = cached ?? seriesKeyFor(null, seriesTitle);
      if (cached === undefined) this.keyByTitle.set(seriesTitle, seriesKey);
    }
    if (!this.discarding && !this.seriesByKey.has(seriesKey)) {
      this.seriesByKey.set(seriesKey, { key: seriesKey, asin: seriesAsin, title: seriesTitle, catalogueComplete: false });
    }
    return { seriesKey, seriesAsin, seriesTitle, sequence, position: this.position(sequence) };
  }

  /** Records a series; a catalogue-complete record replaces one inferred from memberships. */
  addSeries(record: SeriesRecord): void {
    if (this.discarding) return;
    const known = this.seriesByKey.get(record.key);
    if (known === undefined || (record.catalogueComplete && !known.catalogueComplete)) this.seriesByKey.set(record.key, record);
  }

  addTitle(title: TitleRecord, progress: ProgressReport | null = null): void {
    if (this.discarding) return;
    const at = this.titleIndex.get(title.asin);
    if (at === undefined) {
      this.titleIndex.set(title.asin, this.titles.length);
      this.titles.push(title);
    } else {
      this.duplicates++;
      this.titles[at] = mergeTitles(this.titles[at]!, title);
    }
    if (progress !== null && !this.progressByAsin.has(progress.asin)) this.progressByAsin.set(progress.asin, progress);
  }

  get titleCount(): number {
    return this.titles.length;
  }

  build(): LibraryRecords {
    return { titles: this.titles, series: [...this.seriesByKey.values()], progress: [...this.progressByAsin.values()] };
  }
}

/** The first record wins field by field; memberships are united by series key; owned if either says so. */
function mergeTitles(first: TitleRecord, second: TitleRecord): TitleRecord {
  const merged: TitleRecord = { ...first, owned: first.owned || second.owned };
  for (const key of Object.keys(second) as (keyof TitleRecord)[]) {
    if (merged[key] === undefined && second[key] !== undefined) (merged as Record<string, unknown>)[key] = second[key];
  }
  const keys = new Set(first.series.map((m) => m.seriesKey));
  merged.series = [...first.series, ...second.series.filter((m) => !keys.has(m.seriesKey))];
  return merged;
}
