import { createHash } from 'node:crypto';
import { foldText } from '../normalise/fold.js';

/**
 * A stable id for a row from a source without ids (StoryGraph, generic CSV): a hash of the
 * folded title and authors, so re-exports, status changes and typography changes keep it.
 */
export function deriveTrackerId(prefix: string, title: string, authors: readonly string[]): string {
  const basis = `${foldText(title)}\u0000${authors.map(foldText).join('\u0000')}`;
  return `${prefix}-${createHash('sha256').update(basis).digest('hex').slice(0, 16)}`;
}

/** Keeps ids unique within one file: a repeat gets `-2`, `-3`, ... and the caller warns. */
export class IdRegistry {
  private readonly seen = new Map<string, number>();

  claim(id: string): { id: string; duplicate: boolean } {
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return n === 1 ? { id, duplicate: false } : { id: `${id}-${n}`, duplicate: true };
  }
}
