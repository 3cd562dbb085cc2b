/**
 * Ordering rules every adapter shares. Timestamps are compared as instants, not as text: ISO
 * strings with different precision or offsets (`...00Z` vs `...00.500Z`) do not sort as text.
 */
export function instantMs(iso: string): number {
  return Date.parse(iso);
}

/** Plain code-unit order, the same for every key (ASINs, series keys, ids). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares tuples element by element; numbers numerically, strings by `compareText`. */
export function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    if (order !== 0) return order;
  }
  return 0;
}
