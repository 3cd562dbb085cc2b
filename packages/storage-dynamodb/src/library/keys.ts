/**
 * Keys of the library's items. Every partition key is `O#<owner>#<tag>`: one partition per owner
 * and record kind (and one per owner and index for the GSI keys), so the owner is in every key
 * and the directory's `D#` items never meet ours. The tag is the text after the last `#` and no
 * tag contains one, so an owner id with `#` in it still maps to exactly one partition.
 */
export const TAGS = {
  title: 'T',
  series: 'S',
  progress: 'P',
  history: 'H',
  trackerBook: 'TB',
  link: 'LK',
  conflict: 'C',
  decision: 'DC',
  syncRun: 'R',
  setting: 'G',
  credential: 'CR',
  mirrorRecord: 'MR',
  baseline: 'B',
  seriesAlias: 'SA',
  lease: 'L',
  expiring: 'X',
  /** Series-membership hints (see series-hints.ts), ordered by (series, ASIN). */
  membership: 'SM',
  /** The owner's hint sequence counter. */
  hintSequence: 'SEQ',
  // GSI partitions.
  seriesByName: 'SN',
  runsByTime: 'RT',
  runsByKind: 'RK',
  baselinesBySource: 'BS',
  /** One per title (see `titlePartition`), so finding a title's hints reads nothing else. */
  membershipsByTitle: 'SMT',
} as const;

export type Tag = (typeof TAGS)[keyof typeof TAGS];

export interface ItemKey {
  pk: string;
  sk: string;
}

export function partition(owner: string, tag: Tag): string {
  return `O#${owner}#${tag}`;
}

/**
 * A partition of one title: `O#<owner>#<tag>#<asin>`. Still one-to-one: an ASIN (ten letters or
 * digits) after the last `#` is never a tag (at most three letters).
 */
export function titlePartition(owner: string, tag: Tag, asin: string): string {
  return `O#${owner}#${tag}#${asin}`;
}

const SEPARATOR = '\u0000';

/**
 * A sort key of several parts that sorts as the tuple of its parts does (the order the other
 * adapters use): parts are joined by U+0000, which sorts below every other character, and a part's
 * own U+0000 and U+0001 are escaped to two-character sequences starting with U+0001, which keeps
 * both the order and the key one-to-one. DynamoDB compares UTF-8 bytes, the other adapters UTF-16
 * code units; the two agree except between characters above U+FFFF and U+E000..U+FFFF.
 */
export function sortKey(...parts: readonly string[]): string {
  return parts.map(escapePart).join(SEPARATOR);
}

/** The prefix every sort key whose first parts are `parts` starts with. */
export function sortKeyPrefix(...parts: readonly string[]): string {
  return sortKey(...parts) + SEPARATOR;
}

function escapePart(part: string): string {
  return part.replace(/[\u0000\u0001]/g, (c) => (c === '\u0000' ? '\u0001\u0001' : '\u0001\u0002'));
}

/** Offset that makes every valid JavaScript time (±8.64e15 ms) non-negative; in BigInt, as the sum passes 2^53. */
const INSTANT_OFFSET = 8_640_000_000_000_000n;

/** An instant as a fixed-width decimal that sorts as the time does (ISO text of mixed offsets does not). */
export function instantPart(ms: number): string {
  return (BigInt(ms) + INSTANT_OFFSET).toString().padStart(17, '0');
}

/** A key as one string, for maps (pk and sk may both hold any character, so they are not just joined). */
export function keyId(key: ItemKey): string {
  return JSON.stringify([key.pk, key.sk]);
}

/** The ASIN in a title's or progress row's sort key: ASINs are letters and digits, which `sortKey` leaves as they are. */
export function asinOfSortKey(sk: string): string {
  return sk;
}
