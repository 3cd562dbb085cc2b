const CHUNK = 4096;

/**
 * An append-only list kept in chunks of 4,096. A plain array grown by `push` reallocates its backing
 * store as it grows, and past about 16,000 items each old copy is a large object that stays in
 * memory until the next full collection: several megabytes of dead copies at 100,000 titles.
 * Chunks never move, and `toArray` allocates the result once, at its final length.
 */
export class AppendList<T> {
  private readonly full: T[][] = [];
  private last: T[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.last.length === CHUNK) {
      this.full.push(this.last);
      this.last = [];
    }
    this.last.push(item);
    this.count++;
  }

  get(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const chunk = index >>> 12 < this.full.length ? this.full[index >>> 12]! : this.last;
    return chunk[index & (CHUNK - 1)];
  }

  set(index: number, item: T): void {
    if (index < 0 || index >= this.count) throw new RangeError(`index ${index} is outside the list (${this.count})`);
    const chunk = index >>> 12 < this.full.length ? this.full[index >>> 12]! : this.last;
    chunk[index & (CHUNK - 1)] = item;
  }

  /** Calls `fn` with each item and its index, in order. */
  forEach(fn: (item: T, index: number) => void): void {
    let index = 0;
    for (const chunk of this.full) for (const item of chunk) fn(item, index++);
    for (const item of this.last) fn(item, index++);
  }

  clear(): void {
    this.full.length = 0;
    this.last = [];
    this.count = 0;
  }

  /** The items as one array (concat sizes it once). */
  toArray(): T[] {
    return this.full.length === 0 ? this.last : ([] as T[]).concat(...this.full, this.last);
  }
}
