import type { SeriesRecord } from '../model/series.js';
import type { SeriesMembership } from '../model/title.js';
import { normaliseSeriesTitle } from '../sequence/series-key.js';

/**
 * One library, whatever path it came by. A file export names a series only by its title (key
 * `title:<normalised name>`), Audible by its series ASIN. The two are one series when
 * - their normalised names agree and they share at least one title (one ASIN carries both
 *   memberships), or
 * - series metadata names that ASIN for that name (a series record with both), and no other
 *   ASIN-keyed series has the name.
 * The name then becomes an alias of the ASIN-keyed series: memberships and series records under
 * the name are rewritten to the ASIN key, now and on every later import. Two series with one name
 * and no shared title stay two, and a name that fits several ASIN-keyed series joins none of them.
 */

export const NAME_KEY_PREFIX = 'title:';
export const isNameKey = (key: string): boolean => key.startsWith(NAME_KEY_PREFIX);
const nameOfKey = (key: string): string => key.slice(NAME_KEY_PREFIX.length);

export interface SeriesAliasDiscovery {
  /** Every alias in force: the stored ones and the new ones (alias key -> series key). */
  aliases: Map<string, string>;
  /** Aliases found by this plan, ordered by alias. */
  created: { alias: string; seriesKey: string }[];
  /** Names that fit more than one ASIN-keyed series: left apart, worth a note. */
  ambiguous: string[];
  /** True when the ASIN-keyed series `key` goes by the normalised `name`. */
  hasName: (key: string, name: string) => boolean;
}

interface SeriesInfo {
  asin: string | null;
  title: string;
}

/**
 * Finds the aliases a plan supports. Pure. It looks at what the plan will leave, so planning the
 * same records again finds the same aliases:
 * - `memberships`: each title's memberships after the records are merged in (not yet moved);
 * - `seriesTitles`: each series row's title after the plan (a record's, else the stored one).
 * A series' names are its row title and every title its memberships use. Only names in use (a
 * name-keyed row or membership) get an alias.
 */
export function discoverSeriesAliases(input: {
  memberships: Iterable<readonly SeriesMembership[]>;
  seriesTitles: ReadonlyMap<string, string>;
  seriesRecords: readonly SeriesRecord[];
  storedAliases: ReadonlyMap<string, string>;
}): SeriesAliasDiscovery {
  const { seriesTitles, seriesRecords, storedAliases } = input;
  const all = [...input.memberships];
  // Names of each ASIN-keyed series, normalised; each (key, title) pair normalised once.
  const namesOf = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const namesInUse = new Set<string>();
  const addName = (key: string, title: string) => {
    if (isNameKey(key)) {
      namesInUse.add(key);
      return;
    }
    const pair = `${key}\u0000${title}`;
    if (seen.has(pair)) return;
    seen.add(pair);
    const name = normaliseSeriesTitle(title);
    if (!name) return;
    let names = namesOf.get(key);
    if (names === undefined) namesOf.set(key, (names = new Set()));
    names.add(name);
  };
  for (const [key, title] of seriesTitles) addName(key, title);
  for (const memberships of all) for (const m of memberships) addName(m.seriesKey, m.seriesTitle);

  const candidates = new Map<string, Set<string>>();
  const propose = (alias: string, target: string) => {
    if (storedAliases.has(alias)) return;
    let targets = candidates.get(alias);
    if (targets === undefined) candidates.set(alias, (targets = new Set()));
    targets.add(target);
  };
  // A title in both series: an ASIN-keyed membership with a name the name-keyed one has.
  for (const memberships of all) {
    if (memberships.length < 2) continue;
    for (const m of memberships) {
      if (!isNameKey(m.seriesKey)) continue;
      const name = nameOfKey(m.seriesKey);
      for (const other of memberships) if (!isNameKey(other.seriesKey) && namesOf.get(other.seriesKey)?.has(name)) propose(m.seriesKey, other.seriesKey);
    }
  }
  // How many ASIN-keyed series go by each name: a name that fits several joins none of them (the
  // titles that carry both memberships still say which one they mean; see canonicalMemberships).
  const keysByName = new Map<string, number>();
  for (const names of namesOf.values()) for (const n of names) keysByName.set(n, (keysByName.get(n) ?? 0) + 1);
  // Series metadata that names an ASIN for a name in use.
  for (const s of seriesRecords) {
    if (isNameKey(s.key) || s.asin === null) continue;
    const alias = `${NAME_KEY_PREFIX}${normaliseSeriesTitle(s.title)}`;
    if (namesInUse.has(alias)) propose(alias, s.key);
  }

  const aliases = new Map(storedAliases);
  const created: { alias: string; seriesKey: string }[] = [];
  const ambiguous: string[] = [];
  for (const alias of [...candidates.keys()].sort()) {
    const targets = candidates.get(alias)!;
    if (targets.size !== 1 || keysByName.get(nameOfKey(alias)) !== 1) {
      ambiguous.push(nameOfKey(alias));
      continue;
    }
    const seriesKey = [...targets][0]!;
    // An alias never points at another alias: the target is an ASIN key by construction.
    aliases.set(alias, seriesKey);
    created.push({ alias, seriesKey });
  }
  return { aliases, created, ambiguous, hasName: (key, name) => namesOf.get(key)?.has(name) ?? false };
}

/**
 * Memberships with aliased keys moved to the series they stand for, and a name-keyed membership
 * folded into an ASIN-keyed membership of the same title with that name (the title says which of
 * several same-named series it means, even when the name alone cannot). When a title then has two
 * memberships of one series, the one that came with the ASIN stays; it takes the other's position
 * only when it has none of its own.
 */
export function canonicalMemberships(
  memberships: readonly SeriesMembership[],
  aliases: ReadonlyMap<string, string>,
  seriesOf: (key: string) => SeriesInfo | undefined,
  hasName: (key: string, name: string) => boolean,
): SeriesMembership[] {
  const target = (m: SeriesMembership): string | undefined => {
    if (!isNameKey(m.seriesKey)) return undefined;
    const name = nameOfKey(m.seriesKey);
    // The title's own ASIN-keyed membership of that name beats an alias: it is what Audible says.
    // One the title itself calls by that name first, then one whose series goes by it elsewhere.
    const own =
      memberships.find((o) => !isNameKey(o.seriesKey) && normaliseSeriesTitle(o.seriesTitle) === name) ??
      memberships.find((o) => !isNameKey(o.seriesKey) && hasName(o.seriesKey, name));
    return own?.seriesKey ?? aliases.get(m.seriesKey);
  };
  const seen = new Set<string>();
  let untouched = true;
  for (const m of memberships) {
    if (seen.has(m.seriesKey) || target(m) !== undefined) {
      untouched = false;
      break;
    }
    seen.add(m.seriesKey);
  }
  if (untouched) return memberships as SeriesMembership[];
  const out: SeriesMembership[] = [];
  const moved: SeriesMembership[] = [];
  // One membership per series: the first stays, taking a later one's position only when it has none.
  const add = (m: SeriesMembership) => {
    const i = out.findIndex((x) => x.seriesKey === m.seriesKey);
    if (i < 0) out.push(m);
    else if (out[i]!.position.kind === 'none' && m.position.kind !== 'none') out[i] = { ...out[i]!, sequence: m.sequence, position: m.position };
  };
  for (const m of memberships) {
    const into = target(m);
    if (into === undefined) add(m);
    // The membership keeps the name it came with: the series row holds the series' own title, and a
    // plan made again must move it the same way whatever that row says by then.
    else moved.push({ ...m, seriesKey: into, seriesAsin: seriesOf(into)?.asin ?? into });
  }
  for (const m of moved) add(m);
  return out;
}
