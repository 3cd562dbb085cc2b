import type { LibraryRecords } from '../model/library-records.js';
import type { ProgressReport } from '../model/progress.js';
import type { SeriesRecord } from '../model/series.js';
import type { TitleRecord } from '../model/title.js';
import { normaliseSeriesTitle } from '../sequence/series-key.js';
import { isNameKey, NAME_KEY_PREFIX } from './series-aliases.js';

/*
 * Paging a library into self-contained pages: the CLI's `import --api-url` sends a large library
 * in several requests, and the AWS import workflow imports it in chunks, each a page from here.
 */

/** UTF-8 bytes of a string, without encoding it (core runs in browsers too: no Buffer). */
function byteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A record's share of a body: its JSON and a comma. */
const sizeOf = (value: unknown) => byteLength(JSON.stringify(value)) + 1;
const EMPTY_RECORDS_BYTES = byteLength(JSON.stringify({ titles: [], series: [], progress: [] }));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The normalised name a series goes by, as core's alias rule compares them; null for none. */
function seriesName(key: string, title: string): string | null {
  if (isNameKey(key)) return key.slice(NAME_KEY_PREFIX.length);
  const name = normaliseSeriesTitle(title);
  return name === '' ? null : name;
}

/** Every record of one ASIN: its title records and progress reports, in input order. */
interface Unit {
  asin: string;
  titles: TitleRecord[];
  progress: ProgressReport[];
  bytes: number;
}

/** Every series record of one key, in input order. */
interface SeriesGroup {
  key: string;
  records: SeriesRecord[];
  bytes: number;
}

/** Titles and series that belong in one page: see `pageImportRecords`. */
interface Component {
  units: Unit[];
  series: SeriesGroup[];
  bytes: number;
}

/** Union-find over node names. */
function disjointSets() {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = parent.get(x) ?? x;
    if (root === x) {
      parent.set(x, x);
      return x;
    }
    root = find(root);
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(rb, ra);
  };
  return { find, union };
}

/**
 * Splits records into pages whose JSON stays within `maxBytes`, such that importing the pages one
 * after the other leaves the store as importing all the records at once does. Core's import plans
 * one request against the store as it is, so a page must not depend on records of a later page:
 * - every record of one ASIN (duplicate title records fold in order; several progress reports of
 *   a title apply in time order) and the title's progress go together: a progress report whose
 *   title is neither in its page nor in the store is skipped ("no such title");
 * - a title goes with the series records of its series: sent apart, the first page would create
 *   the series from the membership alone (catalogue not complete, the membership's title), and a
 *   name-keyed series record sent without its titles is dropped;
 * - series that may be one series (a key, or a normalised name: an export's `title:<name>` series
 *   and the Audible series of that name) go together, so that core finds the same aliases;
 * so titles, series and progress that share a series form one group, and pages are whole groups
 * in ASIN order. A group larger than a page (one huge series) is split by ASIN, each part with
 * the series records its titles name, relying on the store for what an earlier part wrote
 * (aliases found then are found again from the store, as a later import finds them).
 * Records of a library within `maxBytes` go unchanged, as one page.
 */
export function pageImportRecords(records: LibraryRecords, maxBytes: number): LibraryRecords[] {
  if (byteLength(JSON.stringify(records)) <= maxBytes) return [records];

  const units = new Map<string, Unit>();
  const unitOf = (asin: string) => {
    let unit = units.get(asin);
    if (!unit) units.set(asin, (unit = { asin, titles: [], progress: [], bytes: 0 }));
    return unit;
  };
  for (const t of records.titles) {
    const unit = unitOf(t.asin);
    unit.titles.push(t);
    unit.bytes += sizeOf(t);
  }
  for (const p of records.progress) {
    const unit = unitOf(p.asin);
    unit.progress.push(p);
    unit.bytes += sizeOf(p);
  }
  const groups = new Map<string, SeriesGroup>();
  for (const s of records.series) {
    let group = groups.get(s.key);
    if (!group) groups.set(s.key, (group = { key: s.key, records: [], bytes: 0 }));
    group.records.push(s);
    group.bytes += sizeOf(s);
  }

  const sets = disjointSets();
  for (const unit of units.values()) {
    sets.find(`u:${unit.asin}`);
    for (const t of unit.titles) {
      for (const m of t.series) {
        sets.union(`u:${unit.asin}`, `s:${m.seriesKey}`);
        const name = seriesName(m.seriesKey, m.seriesTitle);
        if (name !== null) sets.union(`s:${m.seriesKey}`, `n:${name}`);
      }
    }
  }
  for (const group of groups.values()) {
    sets.find(`s:${group.key}`);
    for (const s of group.records) {
      const name = seriesName(s.key, s.title);
      if (name !== null) sets.union(`s:${group.key}`, `n:${name}`);
    }
  }

  const components = new Map<string, Component & { first: string }>();
  const componentOf = (node: string, first: string) => {
    const root = sets.find(node);
    let component = components.get(root);
    if (!component) components.set(root, (component = { units: [], series: [], bytes: 0, first }));
    return component;
  };
  // Series-only groups first (keyed ''), then by their first ASIN: the order core plans titles in.
  for (const key of [...groups.keys()].sort(compare)) {
    const component = componentOf(`s:${key}`, '');
    component.series.push(groups.get(key)!);
    component.bytes += groups.get(key)!.bytes;
  }
  for (const asin of [...units.keys()].sort(compare)) {
    const component = componentOf(`u:${asin}`, asin);
    if (component.units.length === 0) component.first = asin;
    component.units.push(units.get(asin)!);
    component.bytes += units.get(asin)!.bytes;
  }
  const ordered = [...components.values()].sort((a, b) => compare(a.first, b.first));

  const pages: LibraryRecords[] = [];
  let page = emptyRecords();
  let bytes = EMPTY_RECORDS_BYTES;
  const flush = () => {
    if (page.titles.length + page.series.length + page.progress.length > 0) pages.push(page);
    page = emptyRecords();
    bytes = EMPTY_RECORDS_BYTES;
  };
  for (const component of ordered) {
    if (EMPTY_RECORDS_BYTES + component.bytes > maxBytes) {
      flush();
      pages.push(...splitComponent(component, maxBytes));
      continue;
    }
    if (bytes + component.bytes > maxBytes) flush();
    addTo(page, component.units, component.series);
    bytes += component.bytes;
  }
  flush();
  return pages.length > 0 ? pages : [emptyRecords()];
}

/** A group larger than a page, by ASIN, each part with the series records its titles name. */
function splitComponent(component: Component, maxBytes: number): LibraryRecords[] {
  const byKey = new Map(component.series.map((g) => [g.key, g]));
  const byName = new Map<string, SeriesGroup[]>();
  for (const group of component.series) {
    for (const s of group.records) {
      const name = seriesName(s.key, s.title);
      if (name === null) continue;
      const list = byName.get(name) ?? [];
      if (!list.includes(group)) list.push(group);
      byName.set(name, list);
    }
  }
  /** The series records a unit's titles name, by key or by the name of a name-keyed series. */
  const named = (unit: Unit): SeriesGroup[] => {
    const out = new Set<SeriesGroup>();
    for (const t of unit.titles) {
      for (const m of t.series) {
        const group = byKey.get(m.seriesKey);
        if (group) out.add(group);
        const name = seriesName(m.seriesKey, m.seriesTitle);
        for (const g of name === null ? [] : (byName.get(name) ?? [])) out.add(g);
      }
    }
    return [...out];
  };
  const used = new Set<SeriesGroup>(component.units.flatMap(named));
  const parts: LibraryRecords[] = [];
  let units: Unit[] = [];
  // Series no title of the group names go with the first part.
  let series = new Set<SeriesGroup>(component.series.filter((g) => !used.has(g)));
  let bytes = EMPTY_RECORDS_BYTES + [...series].reduce((sum, g) => sum + g.bytes, 0);
  for (const unit of component.units) {
    const extra = named(unit).filter((g) => !series.has(g));
    const more = unit.bytes + extra.reduce((sum, g) => sum + g.bytes, 0);
    if (units.length > 0 && bytes + more > maxBytes) {
      parts.push(addTo(emptyRecords(), units, [...series]));
      units = [];
      series = new Set();
      bytes = EMPTY_RECORDS_BYTES;
      const all = named(unit);
      units.push(unit);
      for (const g of all) series.add(g);
      bytes += unit.bytes + all.reduce((sum, g) => sum + g.bytes, 0);
      continue;
    }
    units.push(unit);
    for (const g of extra) series.add(g);
    bytes += more;
  }
  if (units.length > 0 || series.size > 0) parts.push(addTo(emptyRecords(), units, [...series]));
  return parts;
}

function emptyRecords(): LibraryRecords {
  return { titles: [], series: [], progress: [] };
}

function addTo(page: LibraryRecords, units: readonly Unit[], series: readonly SeriesGroup[]): LibraryRecords {
  for (const group of series) page.series.push(...group.records);
  for (const unit of units) {
    page.titles.push(...unit.titles);
    page.progress.push(...unit.progress);
  }
  return page;
}

/** Pages back into one set of records; a series record repeated across parts of a group once. */
export function concatImportPages(pages: readonly LibraryRecords[]): LibraryRecords {
  const out = emptyRecords();
  const seen = new Set<string>();
  for (const page of pages) {
    out.titles.push(...page.titles);
    out.progress.push(...page.progress);
    for (const s of page.series) {
      const text = JSON.stringify(s);
      if (!seen.has(text)) out.series.push(s);
      seen.add(text);
    }
  }
  return out;
}

/**
 * Series keys of a page that an earlier page planned already (the page's records name them).
 * A name-keyed series beside an Audible series of its name is left out: core folds it into that
 * series, which is the one counted.
 */
export function repeatedSeriesKeys(page: LibraryRecords, seen: Set<string>): string[] {
  const keys = new Set<string>();
  const audibleNames = new Set<string>();
  const note = (key: string, title: string) => {
    keys.add(key);
    const name = isNameKey(key) ? null : seriesName(key, title);
    if (name !== null) audibleNames.add(name);
  };
  for (const t of page.titles) for (const m of t.series) note(m.seriesKey, m.seriesTitle);
  for (const s of page.series) note(s.key, s.title);
  const repeated = [...keys].filter((key) => seen.has(key) && !(isNameKey(key) && audibleNames.has(key.slice(NAME_KEY_PREFIX.length))));
  for (const key of keys) seen.add(key);
  return repeated;
}
