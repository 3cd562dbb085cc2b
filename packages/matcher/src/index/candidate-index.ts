/**
 * An inverted trigram index over title strings, so candidates for a tracker book come from the
 * few titles that share rare trigrams with it instead of an all-pairs scan.
 *
 * Lookup uses prefix filtering: if similarity(q, e) >= t then q and e share at least ceil(t * |q|)
 * trigrams, so probing the |q| - ceil(t * |q|) + 1 rarest trigrams of q is guaranteed to reach
 * every entry at or above t. Entries are then verified with an exact set similarity.
 */
import { setSimilarity } from '../similarity/trigram.js';

export class TrigramIndex {
  private readonly sets: Int32Array[] = [];
  private readonly owners: number[] = [];
  private postings = new Map<number, number[]>();
  private frozen: Map<number, Int32Array> | null = null;

  /** Adds a trigram set belonging to item `owner` (several entries may share an owner). */
  add(owner: number, set: Int32Array): void {
    if (set.length === 0) return;
    if (this.frozen) throw new Error('TrigramIndex is frozen');
    const entry = this.sets.length;
    this.sets.push(set);
    this.owners.push(owner);
    for (const key of set) {
      let list = this.postings.get(key);
      if (!list) this.postings.set(key, (list = []));
      list.push(entry);
    }
  }

  /** Packs the postings into typed arrays; call once after the last `add`. */
  freeze(): void {
    const frozen = new Map<number, Int32Array>();
    for (const [key, list] of this.postings) frozen.set(key, Int32Array.from(list));
    this.frozen = frozen;
    this.postings = new Map();
  }

  get size(): number {
    return this.sets.length;
  }

  /**
   * Owners of every entry whose similarity with `query` is at least `threshold` (> 0), with the
   * best similarity per owner.
   */
  search(query: Int32Array, threshold: number, out: Map<number, number> = new Map()): Map<number, number> {
    if (!this.frozen) this.freeze();
    const postings = this.frozen!;
    if (query.length === 0) return out;
    const lists: Int32Array[] = [];
    for (const key of query) {
      const list = postings.get(key);
      lists.push(list ?? EMPTY);
    }
    lists.sort((a, b) => a.length - b.length);
    // The epsilon keeps 0.3 * 10 (3.0000000000000004) from rounding up to 4.
    const mustShare = Math.max(1, Math.ceil(threshold * query.length - 1e-9));
    const probe = query.length - mustShare + 1;
    const seen = new Set<number>();
    for (let i = 0; i < probe && i < lists.length; i++) {
      for (const entry of lists[i]!) {
        if (seen.has(entry)) continue;
        seen.add(entry);
        const s = setSimilarity(query, this.sets[entry]!);
        if (s >= threshold) {
          const owner = this.owners[entry]!;
          const prev = out.get(owner);
          if (prev === undefined || s > prev) out.set(owner, s);
        }
      }
    }
    return out;
  }
}

const EMPTY = new Int32Array(0);
