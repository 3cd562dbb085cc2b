import stringWidth from 'string-width';

/** The SGR escape codes picocolors writes; kept whole when text is cut. */
const SGR = /(\x1b\[[0-9;]*m)/;
const RESET = '\x1b[0m';
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cells a string takes on a terminal: wide characters (CJK, emoji) two, combining marks none, colour codes none. */
export const cellWidth = (text: string): number => stringWidth(text);

/**
 * `text` cut to at most `width` cells, ending in "…" when it was cut. Whole graphemes only (an
 * emoji with its modifiers, a letter with its accents); colour codes are kept and closed.
 */
export function truncate(text: string, width: number): string {
  if (cellWidth(text) <= width) return text;
  if (width <= 0) return '';
  const budget = width - 1;
  let out = '';
  let used = 0;
  let styled = false;
  outer: for (const part of text.split(SGR)) {
    if (part === '') continue;
    if (SGR.test(part)) {
      out += part;
      styled = true;
      continue;
    }
    for (const { segment } of segmenter.segment(part)) {
      const w = cellWidth(segment);
      if (used + w > budget) break outer;
      out += segment;
      used += w;
    }
  }
  return `${out}…${styled ? RESET : ''}`;
}

/** `text` padded with spaces to `width` cells. */
export const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - cellWidth(text)));

/** One line per cell: tabs and line breaks would break the columns. */
const clean = (cell: string | number): string => String(cell).replace(/[\t\r\n]+/g, ' ');

/** Columns this wide or narrower (ASINs, statuses, numbers) are cut only when cutting the wide ones is not enough. */
const NARROW = 12;

/**
 * Widths that fit `natural` widths into `budget` cells: the widest columns shrink first, to a
 * common width (short columns keep theirs), first those wider than `NARROW`, then all; no column
 * goes below 1. When even that does not fit, it returns the narrowest it can.
 */
export function fitWidths(natural: readonly number[], budget: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= budget) return [...natural];
  const wide = natural.map((w) => w > NARROW);
  const fitted = level(natural, budget, wide);
  if (fitted) return fitted;
  return level(natural, budget, natural.map(() => true)) ?? natural.map(() => 1);
}

/** Caps the `shrinkable` columns at the widest common width that fits, sharing what is left over; null if none fits. */
function level(natural: readonly number[], budget: number, shrinkable: readonly boolean[]): number[] | null {
  const fixed = natural.reduce((sum, w, i) => sum + (shrinkable[i] ? 0 : w), 0);
  const flexible = natural.filter((_, i) => shrinkable[i]);
  if (flexible.length === 0) return null;
  const room = budget - fixed;
  const sumAt = (cap: number) => flexible.reduce((sum, w) => sum + Math.min(w, cap), 0);
  if (sumAt(1) > room) return null;
  let cap = 1;
  for (let hi = Math.max(...flexible); cap < hi; ) {
    const mid = Math.ceil((cap + hi) / 2);
    if (sumAt(mid) <= room) cap = mid;
    else hi = mid - 1;
  }
  let spare = room - sumAt(cap);
  return natural.map((w, i) => {
    if (!shrinkable[i] || w <= cap) return shrinkable[i] ? Math.min(w, cap) : w;
    if (spare > 0) {
      spare--;
      return cap + 1;
    }
    return cap;
  });
}

export interface TableStyle {
  /** Box-drawing borders (a terminal) or aligned plain columns (a pipe, easy to cut and awk). */
  boxed: boolean;
  /** The widest a line may be, in cells; `Infinity` for no limit. */
  width: number;
  /** Styles the header cells (bold on a terminal). */
  header?: (text: string) => string;
}

/** The lines of a table that fits `style.width`: columns shrink, and cells too long for theirs end in "…". */
export function renderTable(head: readonly string[], rows: readonly (readonly (string | number)[])[], style: TableStyle): string[] {
  // A column with no header and nothing in it takes no room.
  const shown = head.map((h, i) => h !== '' || rows.some((row) => clean(row[i] ?? '') !== '')).flatMap((keep, i) => (keep ? [i] : []));
  const columns = shown.length;
  if (columns === 0) return [];
  const cells = [shown.map((i) => clean(head[i]!)), ...rows.map((row) => shown.map((i) => clean(row[i] ?? '')))];
  const natural = shown.map((_, i) => Math.max(...cells.map((row) => cellWidth(row[i]!))));
  const overhead = style.boxed ? 3 * columns + 1 : 2 * (columns - 1);
  const widths = fitWidths(natural, style.width - overhead);
  const fit = (row: string[], styleCell: (text: string) => string = (t) => t) => row.map((cell, i) => pad(styleCell(truncate(cell, widths[i]!)), widths[i]!));
  const [header, ...body] = cells;
  if (!style.boxed) {
    return [fit(header!), ...body.map((row) => fit(row))].map((row) => row.join('  ').trimEnd());
  }
  const rule = (left: string, middle: string, right: string) => left + widths.map((w) => '─'.repeat(w + 2)).join(middle) + right;
  const line = (row: string[]) => `│ ${row.join(' │ ')} │`;
  return [rule('┌', '┬', '┐'), line(fit(header!, style.header)), rule('├', '┼', '┤'), ...body.map((row) => line(fit(row))), rule('└', '┴', '┘')];
}
