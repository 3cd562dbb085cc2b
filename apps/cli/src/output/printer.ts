import pc from 'picocolors';
import type { CliIo } from '../runtime/io.js';
import { NO_PROGRESS, progressLine, type ProgressDisplay } from './progress.js';
import { renderTable, truncate } from './table.js';

export type Colors = ReturnType<typeof pc.createColors>;
export type { ProgressDisplay } from './progress.js';

/** A terminal whose width nobody told us. */
const DEFAULT_COLUMNS = 80;

/** Formats command output for the medium: tables and colour on a terminal, plain text in a pipe. */
export class Printer {
  readonly color: Colors;
  readonly rich: boolean;

  constructor(private readonly io: CliIo) {
    const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0';
    this.rich = io.isTTY;
    this.color = pc.createColors((io.isTTY || forced) && io.env.NO_COLOR === undefined);
  }

  /**
   * The widest a line of output may be, in cells. A terminal's own width (else `$COLUMNS`, else
   * 80); in a pipe `$COLUMNS` when it is set, else no limit: a file or `grep` gets whole rows.
   */
  get width(): number {
    const fromEnv = positive(this.io.env.COLUMNS);
    if (this.rich) return positive(this.io.columns) ?? fromEnv ?? DEFAULT_COLUMNS;
    return fromEnv ?? Number.POSITIVE_INFINITY;
  }

  line(text = ''): void {
    this.io.stdout.write(text + '\n');
  }

  /** A line cut to the output's width (with "…"): for listings whose every line is one item. */
  fitLine(text: string): void {
    this.line(truncate(text, this.width));
  }

  json(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** Messages about the run (not its result) go to stderr so piped output stays clean. */
  note(text: string): void {
    this.io.stderr.write(text + '\n');
  }

  /**
   * A table as wide as the output allows (see `width`): boxed on a terminal, aligned plain
   * columns in a pipe. Wide characters count as two cells; columns that do not fit shrink, widest
   * first, and cut their text with "…".
   */
  table(head: string[], rows: (string | number)[][]): void {
    const lines = renderTable(head, rows, { boxed: this.rich, width: this.width, header: (h) => this.color.bold(h) });
    for (const line of lines) this.line(line);
  }

  /**
   * A progress line on stderr while a long step runs, only when stderr is a terminal; a no-op
   * elsewhere (a pipe, a log file, CI).
   */
  progress(label: string): ProgressDisplay {
    if (!(this.io.stderrIsTTY ?? this.io.isTTY)) return NO_PROGRESS;
    const width = positive(this.io.stderrColumns) ?? positive(this.io.columns) ?? positive(this.io.env.COLUMNS) ?? DEFAULT_COLUMNS;
    return progressLine((chunk) => this.io.stderr.write(chunk), label, width);
  }
}

function positive(value: string | number | undefined): number | undefined {
  const n = typeof value === 'number' ? value : value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
