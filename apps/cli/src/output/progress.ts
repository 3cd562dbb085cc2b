import { truncate } from './table.js';

/** What a long step shows while it runs: a count, or a bar when the total is known. */
export interface ProgressDisplay {
  /** `done` of `total` (or of an unknown total) in the current step. */
  update(done: number, total?: number): void;
  /** Starts another step under a new label; `total` when known up front. Always drawn at once. */
  step(label: string, total?: number): void;
  /** Clears the line; nothing stays behind on the terminal. */
  done(): void;
}

const BAR = 30;
/** Redraws at most this often: a terminal is slow to write to, and the eye no faster. */
const EVERY_MS = 80;

export const NO_PROGRESS: ProgressDisplay = { update: () => undefined, step: () => undefined, done: () => undefined };

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A progress line on a terminal's stderr: `label [#####-----] 1,234/5,000`, redrawn in place
 * and cleared when done. Fit to the terminal's width so it never wraps into a second line.
 */
export function progressLine(write: (chunk: string) => unknown, label: string, width: number, now: () => number = Date.now): ProgressDisplay {
  let current = label;
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let lastTotal: number | undefined;
  const draw = (done: number, total: number | undefined, force: boolean) => {
    const at = now();
    if (!force && at - last < EVERY_MS) return;
    last = at;
    let text: string;
    if (total !== undefined && total > 0) {
      const filled = Math.max(0, Math.min(BAR, Math.round((done / total) * BAR)));
      text = `${current} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${count(done)}/${count(total)}`;
    } else {
      text = done > 0 ? `${current} ${count(done)}` : `${current}…`;
    }
    write(`\r\x1b[2K${truncate(text, Math.max(1, width - 1))}`);
    drawn = true;
  };
  return {
    update: (done, total) => {
      lastTotal = total ?? lastTotal;
      // The end of a step is always drawn: a bar left at 90 % looks like a hang.
      draw(done, total ?? lastTotal, lastTotal !== undefined && done >= lastTotal);
    },
    step: (next, total) => {
      current = next;
      lastTotal = total;
      draw(0, total, true);
    },
    done: () => {
      if (drawn) write('\r\x1b[2K');
      drawn = false;
    },
  };
}
