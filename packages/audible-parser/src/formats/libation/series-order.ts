/** One series link from Libation's `Series Order` column. */
export interface SeriesOrderEntry {
  /** Audible's sequence text for this series, exactly as written (may be empty). */
  readonly order: string;
  readonly name: string;
}

const SEPARATOR = ' : ';

/**
 * Splits Libation's `Series Order` (`1 : Dune, 12 : Dune Saga`): entries `<order> : <name>` joined
 * with `", "`. Series names and sequences may contain `", "` themselves, so the text is split only
 * where the next piece holds a ` : ` with no `", "` before it; a piece left without ` : ` is glued
 * back (at the start it belongs to the first order, `2, Dramatized Adaptation : X`; later, to the
 * previous name, `Dune, Book : ...`). A series with an empty order is written ` : Name`.
 */
export function splitSeriesOrder(text: string): SeriesOrderEntry[] {
  if (text.trim() === '') return [];
  const pieces: string[] = [];
  let from = 0;
  let searchFrom = 0;
  for (;;) {
    const comma = text.indexOf(', ', searchFrom);
    if (comma === -1) break;
    const rest = text.slice(comma + 2);
    const colon = rest.startsWith(': ') ? 0 : rest.indexOf(SEPARATOR);
    const nextComma = rest.indexOf(', ');
    if (colon !== -1 && (nextComma === -1 || colon < nextComma)) {
      pieces.push(text.slice(from, comma));
      from = comma + 2;
    }
    searchFrom = comma + 2;
  }
  pieces.push(text.slice(from));

  const entries: { order: string; name: string }[] = [];
  let carry = '';
  for (const piece of pieces) {
    const at = separatorIndex(piece);
    if (at === -1) {
      const last = entries[entries.length - 1];
      if (last) last.name += `, ${piece}`;
      else carry = carry === '' ? piece : `${carry}, ${piece}`;
      continue;
    }
    const order = piece.slice(0, at);
    const name = piece.slice(at + (piece.startsWith(': ') && at === 0 ? 2 : SEPARATOR.length));
    entries.push({ order: carry === '' ? order.trim() : `${carry}, ${order.trim()}`, name: name.trim() });
    carry = '';
  }
  if (carry !== '' && entries.length === 0) return [];
  return entries.filter((entry) => entry.name !== '');
}

function separatorIndex(piece: string): number {
  const at = piece.indexOf(SEPARATOR);
  if (at !== -1) return at;
  return piece.startsWith(': ') ? 0 : -1;
}
