import type { SeriesPosition } from '../model/sequence.js';
import type { SeriesMembership } from '../model/title.js';

/**
 * Structural equality for the value shapes records hold: primitives, null, arrays and plain
 * objects. Faster than comparing JSON text and independent of key order.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function samePosition(a: SeriesPosition, b: SeriesPosition): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number') return a.value === (b as typeof a).value;
  if (a.kind === 'range') return a.start === (b as typeof a).start && a.end === (b as typeof a).end;
  return true;
}

export function sameMemberships(a: readonly SeriesMembership[], b: readonly SeriesMembership[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.seriesKey !== y.seriesKey || x.seriesAsin !== y.seriesAsin || x.seriesTitle !== y.seriesTitle || x.sequence !== y.sequence || !samePosition(x.position, y.position)) {
      return false;
    }
  }
  return true;
}
