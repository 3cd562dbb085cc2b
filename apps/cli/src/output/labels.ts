import { formatPosition, type ListeningStatus, type SeriesPosition, type SeriesStatus } from '@sagasync/core';
import type { Colors } from './printer.js';

export function listeningLabel(status: ListeningStatus, c: Colors): string {
  if (status === 'finished') return c.green('finished');
  if (status === 'in_progress') return c.yellow('in progress');
  return c.dim('not started');
}

export function seriesLabel(status: SeriesStatus, c: Colors): string {
  switch (status) {
    case 'complete':
      return c.green('complete');
    case 'caught_up':
      return c.cyan('caught up');
    case 'in_progress':
      return c.yellow('in progress');
    default:
      return c.dim('not started');
  }
}

/** `#2.5`, `#1-3`, or the raw text when it did not parse. */
export function sequenceLabel(sequence: string, position: SeriesPosition | number | null): string {
  if (position === null) return sequence ? `"${sequence}"` : '';
  if (typeof position === 'number') return `#${position}`;
  const formatted = formatPosition(position);
  return formatted ? `#${formatted}` : sequence ? `"${sequence}"` : '';
}

/** `#4` for a plain number or range, the raw text otherwise (`Book 4`, `2, Dramatized Adaptation`). */
export function rawSequenceLabel(sequence: string): string {
  const text = sequence.trim();
  if (text === '') return '';
  return /^[\d.,]+(\s*[-–]\s*[\d.,]+)?$/.test(text) ? `#${text}` : text;
}
