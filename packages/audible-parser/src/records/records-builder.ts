import { parseSequence, seriesKeyFor } from '@sagasync/core';
import { parseNames } from '../values/names.js';
import { Invalid, type Parsed } from '../values/parsed.js';
import { detach } from '../values/text.js';
import { AppendList } from './append-list.js';
import type { LibraryRecords, ProgressReport, SeriesMembership, SeriesPosition, SeriesRecord, TitleRecord } from '@sagasync/core';

const POSITION_CACHE_LIMIT = 10_000;
const INTERN_LIMIT = 100_000;
const NAME_LIST_LIMIT = 20_000;
const NO_NAMES = Object.freeze([]) as unknown as string[];

/**
 * Accumulates what a file says into `LibraryRecords`: one title per ASIN (a repeated ASIN merges
 * its series memberships), one series per key, one progress report per ASIN. Sequences and
 * series keys repeat across rows, so their parsing is cached; the cached position objects are
 * frozen because records share them. Names, series titles and release dates repeat too (every
 * volume of a series), so one copy of each string is kept: with 100,000 titles that is the
 * difference between fitting the memory goal or not.
 */
export class RecordsBuilder {
  private readonly titles = new AppendList<TitleRecord>();
  /**
   * ASIN -> index in `titles`, built only once an ASIN arrives out of order: exports are sorted by
   * ASIN (audible-cli sorts them), so a repeat is then the previous title and no index is needed.
   */
  private titleIndex: Map<string, number> | null = null;
  private readonly seriesByKey = new Map<string, SeriesRecord>();
  private readonly progress = new AppendList<ProgressReport>();
  private readonly seriesByTitle = new Map<string, { key: string; title: string }>();
  private readonly strings = new Map<string, string>();
  private readonly nameLists = new Map<string, string[]>();
  private readonly namesByText = new Map<string, string[]>();

  /** The shared empty name list. */
  readonly noNames = NO_NAMES;

  /**
   * `parseNames` with its result shared by every row spelling the same list: a repeated cell
   * ("Mara Quillfeather, Tobias Wren" on every book of a series) is split once, and its rows hold
   * one frozen array.
   */
  readonly parseNames = (value: unknown): Parsed<string[]> => {
    if (typeof value === 'string') {
      const known = this.namesByText.get(value);
      if (known !== undefined) return known;
    }
    const parsed = parseNames(value);
    if (parsed === null || parsed instanceof Invalid) return parsed;
    if (typeof value !== 'string') return this.shareNames(parsed);
    // The cell text is the key, so the list needs no key of its own (one map and one string less
    // per list in a large file).
    const shared = this.shareNames(parsed, false);
    if (this.namesByText.size < NAME_LIST_LIMIT) this.namesByText.set(detach(value), shared);
    return shared;
  };
  private readonly positions = new Map<string, SeriesPosition>();
  private discarding = false;
  /** Rows whose ASIN was already seen, merged into the first. */
  duplicates = 0;

  /** Strict mode after an invalid row: nothing will be imported, so stop holding records. */
  discard(): void {
    this.discarding = true;
    this.titles.clear();
    this.titleIndex = null;
    this.seriesByKey.clear();
    this.progress.clear();
  }

  /** One shared copy of a string that many records repeat. */
  intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    const copy = detach(text);
    if (this.strings.size < INTERN_LIMIT) this.strings.set(copy, copy);
    return copy;
  }

  /**
   * One shared, frozen copy of a name list that many titles repeat (an author's books, a
   * narrator's series). Frozen so that a consumer mutating one title's list fails loudly instead of
   * changing the others. A single name is its own key; a list of several is kept under a joined
   * key only when `keyed` (cell text has its own cache, see `parseNames`).
   */
  private shareNames(names: string[], keyed = true): string[] {
    if (names.length === 0) return NO_NAMES;
    const key = names.length === 1 ? names[0]! : keyed ? names.join('\u0000') : null;
    if (key !== null) {
      const known = this.nameLists.get(key);
      if (known !== undefined) return known;
    }
    for (let i = 0; i < names.length; i++) names[i] = this.intern(names[i]!);
    Object.freeze(names);
    // A single name is keyed by its interned copy, which the list holds anyway.
    if (key !== null && this.nameLists.size < NAME_LIST_LIMIT) this.nameLists.set(names.length === 1 ? names[0]! : key, names);
    return names;
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
    if (seriesAsin !== null) {
      seriesKey = seriesKeyFor(seriesAsin, seriesTitle);
      seriesTitle = this.intern(seriesTitle);
    } else {
      let known = this.seriesByTitle.get(seriesTitle);
      if (known === undefined) {
        known = { key: seriesKeyFor(null, seriesTitle), title: seriesTitle };
        this.seriesByTitle.set(seriesTitle, known);
      }
      seriesKey = known.key;
      seriesTitle = known.title;
    }
    if (!this.discarding && !this.seriesByKey.has(seriesKey)) {
      this.seriesByKey.set(seriesKey, { key: seriesKey, asin: seriesAsin, title: seriesTitle, catalogueComplete: false });
    }
    // Sequences repeat ("1", "2", "2.5"): keep one copy of each, as the position cache does.
    return { seriesKey, seriesAsin, seriesTitle, sequence: this.intern(sequence), position: this.position(sequence) };
  }

  /** Records a series; a catalogue-complete record replaces one inferred from memberships. */
  addSeries(record: SeriesRecord): void {
    if (this.discarding) return;
    const known = this.seriesByKey.get(record.key);
    if (known === undefined || (record.catalogueComplete && !known.catalogueComplete)) this.seriesByKey.set(record.key, record);
  }

  addTitle(title: TitleRecord, progress: ProgressReport | null = null): void {
    if (this.discarding) return;
    if (!Object.isFrozen(title.authors)) title.authors = this.shareNames(title.authors);
    if (!Object.isFrozen(title.narrators)) title.narrators = this.shareNames(title.narrators);
    if (typeof title.releaseDate === 'string') title.releaseDate = this.intern(title.releaseDate);
    const at = this.indexOf(title.asin);
    if (at === undefined) {
      this.titleIndex?.set(title.asin, this.titles.length);
      this.titles.push(title);
      if (progress !== null) this.progress.push(progress);
    } else {
      // The first row of an ASIN wins, its progress included.
      this.duplicates++;
      this.titles.set(at, mergeTitles(this.titles.get(at)!, title));
    }
  }

  private indexOf(asin: string): number | undefined {
    if (this.titleIndex !== null) return this.titleIndex.get(asin);
    const last = this.titles.length - 1;
    if (last < 0) return undefined;
    const previous = this.titles.get(last)!.asin;
    if (asin === previous) return last;
    if (asin > previous) return undefined;
    const index = new Map<string, number>();
    this.titles.forEach((t, i) => index.set(t.asin, i));
    this.titleIndex = index;
    return this.titleIndex.get(asin);
  }

  get titleCount(): number {
    return this.titles.length;
  }

  build(): LibraryRecords {
    return { titles: this.titles.toArray(), series: [...this.seriesByKey.values()], progress: this.progress.toArray() };
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
