/**
 * An inverted trigram index over title strings, so candidates for a tracker book come from the
 * few titles that share rare trigrams with it instead of an all-pairs scan.
 *
 * Lookup uses prefix filtering under a global order (AllPairs / PPJoin): order all trigrams by
 * document frequency, rarest first. If Jaccard(q, e) >= t then q and e share at least
 * ceil(t * |q|) and ceil(t * |e|) trigrams, so the smallest shared trigram lies both in q's first
 * |q| - ceil(t * |q|) + 1 trigrams and in e's first |e| - ceil(t * |e|) + 1. Only those prefixes
 * are indexed and probed, and the prefixes are the rare trigrams, so frequent ones ("the", " of")
 * almost never cost a posting scan. The first time an entry is met, at query position i and
 * entry position j, that is their smallest shared trigram, so they share at most
 * 1 + min(|q| - i - 1, |e| - j - 1) trigrams; entries that cannot reach the overlap Jaccard t
 * needs, t / (1 + t) * (|q| + |e|), are dropped there (PPJoin's positional filter). The rest pass
 * a length filter, then an exact similarity.
 */
import { setSimilarity } from '../similarity/trigram.js';

const EPSILON = 1e-9;

function prefixLength(size: number, threshold: number): number {
  // The epsilon keeps 0.3 * 10 (3.0000000000000004) from rounding up to 4.
  return size - Math.max(1, Math.ceil(threshold * size - EPSILON)) + 1;
}

export class TrigramIndex {
  private readonly sets: Int32Array[] = [];
  private sizes = new Int32Array(0);
  private readonly owners: number[] = [];
  /** Per trigram: (entry, position of the trigram in the entry's order) pairs, interleaved. */
  private postings: Map<number, Int32Array> | null = null;
  private candidates = new Int32Array(0);
  private frequency = new Map<number, number>();
  private stamps = new Int32Array(0);
  private stamp = 0;

  /** Entries at or above `threshold` (0 < threshold <= 1) similarity are what `search` finds. */
  constructor(readonly threshold: number) {
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  }

  /** Adds a trigram set belonging to item `owner` (several entries may share an owner). */
  add(owner: number, set: Int32Array): void {
    if (this.postings) throw new Error('TrigramIndex is frozen');
    if (set.length === 0) return;
    this.sets.push(set);
    this.owners.push(owner);
    for (const key of set) this.frequency.set(key, (this.frequency.get(key) ?? 0) + 1);
  }

  get size(): number {
    return this.sets.length;
  }

  /** Orders a set rarest first (unknown trigrams, frequency 0, lead), ties by key. */
  private ordered(set: Int32Array): number[] {
    const freq = this.frequency;
    return Array.from(set).sort((a, b) => (freq.get(a) ?? 0) - (freq.get(b) ?? 0) || a - b);
  }

  /** Builds the prefix postings; called by the first `search` if not before. */
  freeze(): void {
    if (this.postings) return;
    const lists = new Map<number, number[]>();
    this.sets.forEach((set, entry) => {
      const ordered = this.ordered(set);
      const p = prefixLength(set.length, this.threshold);
      for (let i = 0; i < p; i++) {
        const key = ordered[i]!;
        let list = lists.get(key);
        if (!list) lists.set(key, (list = []));
        list.push(entry, i);
      }
    });
    this.postings = new Map([...lists].map(([key, list]) => [key, Int32Array.from(list)]));
    this.stamps = new Int32Array(this.sets.length);
    this.sizes = Int32Array.from(this.sets, (set) => set.length);
    this.candidates = new Int32Array(this.sets.length);
  }

  /**
   * Adds to `out` the owner of every entry whose similarity with `query` is at least the index
   * threshold, keeping the best similarity per owner.
   */
  search(query: Int32Array, out: Map<number, number> = new Map()): Map<number, number> {
    this.freeze();
    if (query.length === 0 || this.sets.length === 0) return out;
    const t = this.threshold;
    const minSize = t * query.length - EPSILON;
    const maxSize = query.length / t + EPSILON;
    const stamp = ++this.stamp;
    const ordered = this.ordered(query);
    const p = prefixLength(query.length, t);
    const overlapFactor = t / (1 + t);
    const postings = this.postings!;
    const stamps = this.stamps;
    const sizes = this.sizes;
    const candidates = this.candidates;
    const qSize = query.length;
    let found = 0;
    for (let i = 0; i < p; i++) {
      const list = postings.get(ordered[i]!);
      if (!list) continue;
      const qLeft = qSize - i - 1;
      for (let k = 0; k < list.length; k += 2) {
        const entry = list[k]!;
        if (stamps[entry] === stamp) continue;
        stamps[entry] = stamp;
        const size = sizes[entry]!;
        if (size < minSize || size > maxSize) continue;
        const eLeft = size - list[k + 1]! - 1;
        // Overlap needed, t / (1 + t) * (|q| + |e|), against the most still possible.
        if (1 + (qLeft < eLeft ? qLeft : eLeft) >= overlapFactor * (qSize + size) - EPSILON) candidates[found++] = entry;
      }
    }
    for (let c = 0; c < found; c++) {
      const entry = this.candidates[c]!;
      const s = setSimilarity(query, this.sets[entry]!);
      if (s >= t) {
        const owner = this.owners[entry]!;
        const prev = out.get(owner);
        if (prev === undefined || s > prev) out.set(owner, s);
      }
    }
    return out;
  }
}
