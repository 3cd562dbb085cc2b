import { createPrng, type Prng } from './prng.js';

/** One contributor as Audible lists it. */
export interface FakeContributor {
  asin: string | null;
  name: string;
}

/** A title's place in a series, as the product's `series[]` and `relationships[]` show it. */
export interface FakeMembership {
  seriesAsin: string;
  sequence: string;
  sort: string;
}

export interface FakeProduct {
  asin: string;
  kind: 'book' | 'series' | 'podcast';
  title: string;
  subtitle: string | null;
  authors: FakeContributor[];
  narrators: FakeContributor[];
  runtimeMinutes: number;
  releaseDate: string;
  language: string;
  publisher: string;
  description: string;
  ladders: { id: string; name: string }[][];
  rating: { average: number; count: number };
  memberships: FakeMembership[];
  /** Volumes, for a series parent (`content_delivery_type: BookSeries`). */
  children: { asin: string; sequence: string; sort: string }[];
  /**
   * List price in the account's marketplace (USD), or null when the product is not sold there: the
   * catalogue then sends no `price` (Libation's series view drops such a volume as "not available
   * to the user"). Series parents and podcasts have none.
   */
  listPrice: number | null;
}

/** What the account holds for an owned title: purchase and listening state. */
export interface FakeOwnership {
  asin: string;
  purchaseDate: string;
  percentComplete: number;
  isFinished: boolean;
  finishedAt: string | null;
  positionMs: number | null;
  positionUpdatedAt: string | null;
}

export interface FakeFinishedEvent {
  asin: string;
  isMarkedAsFinished: boolean;
  eventTimestamp: string;
}

export interface FakeLibrary {
  products: Map<string, FakeProduct>;
  /** Owned titles in library order (newest purchase first, as Audible's default). */
  owned: FakeOwnership[];
  seriesAsins: string[];
  finishedEvents: FakeFinishedEvent[];
}

export interface GenerateOptions {
  titles: number;
  series: number;
  seed: number;
  /** "Today" for the fake: upcoming volumes are released after it. */
  now: number;
}

const FIRST = ['Ada', 'Ben', 'Cora', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kira', 'Liam', 'Mara', 'Nils', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoe'];
const LAST = ['Abbott', 'Brandt', 'Castillo', 'Dubois', 'Eriksen', 'Fontaine', 'Garcia', 'Holm', 'Ivanova', 'Jansen', 'Kowalski', 'Lindqvist', 'Moreau', 'Novak', "O'Hara", 'Petrov', 'Quist', 'Rossi', 'Sato', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Young'];
const ADJ = ['Crimson', 'Silent', 'Broken', 'Hidden', 'Iron', 'Last', 'Hollow', 'Burning', 'Frozen', 'Golden', 'Shattered', 'Endless', 'Distant', 'Wild', 'Sunken'];
const NOUN = ['Gate', 'Crown', 'Sea', 'Empire', 'Oath', 'Forest', 'Tower', 'Star', 'River', 'Throne', 'Archive', 'Harbor', 'Signal', 'Orchard', 'Engine'];
const SERIES_NOUN = ['Chronicles', 'Saga', 'Cycle', 'Sequence', 'Trilogy', 'Archives', 'Legacy', 'Expanse', 'Codex', 'Annals'];
const GENRES: { id: string; name: string }[][] = [
  [{ id: '18580606011', name: 'Science Fiction & Fantasy' }, { id: '18580628011', name: 'Science Fiction' }],
  [{ id: '18580606011', name: 'Science Fiction & Fantasy' }, { id: '18580607011', name: 'Fantasy' }],
  [{ id: '18574426011', name: 'Mystery, Thriller & Suspense' }, { id: '18574484011', name: 'Thriller & Suspense' }],
  [{ id: '18574597011', name: 'Literature & Fiction' }],
];

const DAY = 86_400_000;

function asin(prefix: string, n: number): string {
  return prefix + String(n).padStart(10 - prefix.length, '0');
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoMillis(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

function person(rng: Prng, prefix: string, n: number): FakeContributor {
  // A rare name with a comma, as Audible has ("…, Jr."), to exercise the CSV's joined columns.
  const suffix = rng.chance(0.02) ? ', Jr.' : '';
  return { asin: rng.chance(0.8) ? asin(prefix, n) : null, name: `${rng.pick(FIRST)} ${rng.pick(LAST)}${suffix}` };
}

function baseBook(rng: Prng, id: string, title: string, releaseMs: number): FakeProduct {
  return {
    asin: id,
    kind: 'book',
    title,
    subtitle: rng.chance(0.3) ? `A Novel` : null,
    authors: [person(rng, 'B00A', rng.int(1, 400))],
    narrators: [{ asin: null, name: `${rng.pick(FIRST)} ${rng.pick(LAST)}` }],
    runtimeMinutes: rng.int(90, 2400),
    releaseDate: isoDate(releaseMs),
    language: 'english',
    publisher: rng.pick(['Podium Audio', 'Tantor Audio', 'Recorded Books', 'Audible Studios']),
    description: `<p>A story about the ${rng.pick(ADJ).toLowerCase()} ${rng.pick(NOUN).toLowerCase()}, "told" in ${rng.int(2, 40)} chapters.</p>`,
    ladders: [rng.pick(GENRES)],
    rating: { average: Math.round((3 + rng.next() * 2) * 10) / 10, count: rng.int(0, 90_000) },
    memberships: [],
    children: [],
    listPrice: null,
  };
}

/**
 * A deterministic account: `titles` owned products, `series` series (about one in twenty a
 * "universe" that groups the first volumes of other series, so titles sit in two series), with
 * unowned volumes, upcoming releases, novellas (`2.5`), omnibus ranges (`1-3`) and companions
 * with an empty sequence. A few owned titles are podcasts.
 */
export function generateLibrary(options: GenerateOptions): FakeLibrary {
  const rng = createPrng(options.seed);
  const { now } = options;
  const products = new Map<string, FakeProduct>();
  const ownedAsins: string[] = [];
  const seriesAsins: string[] = [];
  const universes = Math.floor(options.series / 20);
  const regular = Math.max(0, options.series - universes);
  let bookNo = 0;
  const firstVolumes: string[] = [];

  for (let s = 0; s < regular; s++) {
    const seriesAsin = asin('B0S', s + 1);
    const seriesTitle = `The ${rng.pick(ADJ)} ${rng.pick(SERIES_NOUN)}${s >= ADJ.length * SERIES_NOUN.length ? ` ${s}` : ''}`;
    const author = person(rng, 'B00A', rng.int(1, 400));
    const volumes = rng.int(3, 12);
    const series: FakeProduct = {
      ...baseBook(rng, seriesAsin, seriesTitle, now),
      kind: 'series',
      authors: [author],
      runtimeMinutes: 0,
    };
    // Releases run from some years ago; the last volumes of some series are still to come.
    let release = now - rng.int(5, 15) * 365 * DAY;
    const upcoming = rng.chance(0.3) ? rng.int(1, 2) : 0;
    const entries: { sequence: string; owned: boolean }[] = [];
    for (let v = 1; v <= volumes; v++) {
      entries.push({ sequence: String(v), owned: false });
      if (v < volumes && rng.chance(0.12)) entries.push({ sequence: `${v}.5`, owned: false });
    }
    if (volumes >= 3 && rng.chance(0.08)) entries.push({ sequence: '1-3', owned: false });
    if (rng.chance(0.05)) entries.push({ sequence: '', owned: false });
    // Owned: always the first volume (the series reached the library through it), then a prefix
    // with holes, as people buy.
    const ownedUpTo = rng.int(1, volumes);
    entries.forEach((entry, i) => {
      const whole = /^\d+$/.test(entry.sequence) ? Number(entry.sequence) : null;
      entry.owned = i === 0 || (whole !== null && whole <= ownedUpTo && rng.chance(0.85)) || (whole === null && rng.chance(0.2));
    });
    entries.forEach((entry, i) => {
      bookNo++;
      const id = asin('B0T', bookNo);
      const isUpcoming = i >= entries.length - upcoming && entry.sequence !== '' && entry.sequence !== '1-3';
      release = isUpcoming ? now + rng.int(10, 300) * DAY : Math.min(release + rng.int(60, 500) * DAY, now - DAY);
      const title = entry.sequence === '1-3' ? `${seriesTitle}: Books 1-3` : `${rng.pick(ADJ)} ${rng.pick(NOUN)}`;
      const book = baseBook(rng, id, title, release);
      book.authors = [author];
      if (entry.sequence !== '' && rng.chance(0.2)) book.subtitle = `${seriesTitle}, Book ${entry.sequence}`;
      const sort = String(i + 1);
      book.memberships.push({ seriesAsin, sequence: entry.sequence, sort });
      series.children.push({ asin: id, sequence: entry.sequence, sort });
      products.set(id, book);
      if (entry.owned && !isUpcoming) ownedAsins.push(id);
      if (i === 0) firstVolumes.push(id);
    });
    products.set(seriesAsin, series);
    seriesAsins.push(seriesAsin);
  }

  for (let u = 0; u < universes; u++) {
    const uAsin = asin('B0U', u + 1);
    const universe: FakeProduct = { ...baseBook(rng, uAsin, `The ${rng.pick(NOUN)} Universe ${u + 1}`, now), kind: 'series', runtimeMinutes: 0 };
    const members = firstVolumes.slice(u * 20, u * 20 + 20);
    members.forEach((member, i) => {
      const sequence = String(i + 1);
      products.get(member)!.memberships.push({ seriesAsin: uAsin, sequence, sort: sequence });
      universe.children.push({ asin: member, sequence, sort: sequence });
    });
    products.set(uAsin, universe);
    seriesAsins.push(uAsin);
  }

  // Trim or fill to the requested number of owned titles. Trimming keeps each series' first
  // volume when it can, so every series still reaches the library.
  const firstSet = new Set(firstVolumes);
  if (ownedAsins.length > options.titles) {
    const keep = new Set(ownedAsins.filter((a) => firstSet.has(a)).slice(0, options.titles));
    for (const a of ownedAsins) if (keep.size < options.titles) keep.add(a);
    ownedAsins.splice(0, ownedAsins.length, ...ownedAsins.filter((a) => keep.has(a)));
  }
  let standalone = 0;
  while (ownedAsins.length < options.titles) {
    standalone++;
    const podcast = standalone % 40 === 0;
    const id = asin(podcast ? 'B0P' : 'B0N', standalone);
    const book = baseBook(rng, id, `${rng.pick(ADJ)} ${rng.pick(NOUN)}`, now - rng.int(30, 4000) * DAY);
    if (podcast) {
      book.kind = 'podcast';
      book.title = `The ${rng.pick(NOUN)} Podcast`;
      book.runtimeMinutes = 0;
    }
    products.set(id, book);
    ownedAsins.push(id);
  }

  assignPrices(products, new Set(ownedAsins), options.seed);

  const owned: FakeOwnership[] = [];
  const finishedEvents: FakeFinishedEvent[] = [];
  for (const id of ownedAsins) {
    const product = products.get(id)!;
    const releaseMs = Date.parse(product.releaseDate);
    const purchaseMs = Math.min(now - DAY, releaseMs + rng.int(0, 900) * DAY) + rng.int(0, 86_399) * 1000;
    const roll = rng.next();
    const state: FakeOwnership = {
      asin: id,
      purchaseDate: new Date(purchaseMs).toISOString(),
      percentComplete: 0,
      isFinished: false,
      finishedAt: null,
      positionMs: null,
      positionUpdatedAt: null,
    };
    if (product.kind !== 'podcast' && roll < 0.45) {
      const finishedMs = Math.min(now - 1000, purchaseMs + rng.int(1, 200) * DAY);
      state.percentComplete = 100;
      state.isFinished = true;
      state.finishedAt = isoMillis(finishedMs);
      state.positionMs = product.runtimeMinutes * 60_000;
      state.positionUpdatedAt = state.finishedAt;
      // Some titles were marked finished, unmarked and marked again: the latest event wins.
      if (rng.chance(0.1)) {
        finishedEvents.push({ asin: id, isMarkedAsFinished: true, eventTimestamp: isoMillis(finishedMs - 5 * DAY) });
        finishedEvents.push({ asin: id, isMarkedAsFinished: false, eventTimestamp: isoMillis(finishedMs - 4 * DAY) });
      }
      finishedEvents.push({ asin: id, isMarkedAsFinished: true, eventTimestamp: state.finishedAt });
    } else if (product.kind !== 'podcast' && roll < 0.65) {
      state.percentComplete = Math.round(rng.next() * 990) / 10;
      state.positionMs = Math.floor((product.runtimeMinutes * 60_000 * state.percentComplete) / 100);
      state.positionUpdatedAt = isoMillis(Math.min(now - 1000, purchaseMs + rng.int(1, 100) * DAY));
    }
    owned.push(state);
  }
  owned.sort((a, b) => (a.purchaseDate < b.purchaseDate ? 1 : a.purchaseDate > b.purchaseDate ? -1 : a.asin.localeCompare(b.asin)));
  finishedEvents.sort((a, b) => a.eventTimestamp.localeCompare(b.eventTimestamp) || a.asin.localeCompare(b.asin));
  return { products, owned, seriesAsins, finishedEvents };
}

/**
 * Prices, from a PRNG of their own so the rest of the library does not change with them: every
 * book has a list price, except about one in seven volumes the account does not own, which the
 * marketplace does not sell (at least one when any volume is not owned).
 */
function assignPrices(products: Map<string, FakeProduct>, owned: ReadonlySet<string>, seed: number): void {
  const rng = createPrng(seed ^ 0x9e1ce);
  let unsold = 0;
  let firstNotOwned: FakeProduct | null = null;
  for (const product of products.values()) {
    if (product.kind !== 'book') continue;
    product.listPrice = rng.int(8, 40) - 0.01;
    if (owned.has(product.asin)) continue;
    firstNotOwned ??= product;
    if (rng.chance(0.15)) {
      product.listPrice = null;
      unsold++;
    }
  }
  if (unsold === 0 && firstNotOwned) firstNotOwned.listPrice = null;
}
