import Table from 'cli-table3';
import pc from 'picocolors';
import type { CliIo } from '../runtime/io.js';

export type Colors = ReturnType<typeof pc.createColors>;

/** Formats command output for the medium: tables and colour on a terminal, plain text in a pipe. */
export class Printer {
  readonly color: Colors;
  readonly rich: boolean;

  constructor(private readonly io: CliIo) {
    const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0';
    this.rich = io.isTTY;
    this.color = pc.createColors((io.isTTY || forced) && io.env.NO_COLOR === undefined);
  }

  line(text = ''): void {
    this.io.stdout.write(text + '\n');
  }

  json(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** Messages about the run (not its result) go to stderr so piped output stays clean. */
  note(text: string): void {
    this.io.stderr.write(text + '\n');
  }

  table(head: string[], rows: (string | number)[][]): void {
    if (this.rich) {
      const table = new Table({ head: head.map((h) => this.color.bold(h)), style: { head: [], border: [] } });
      table.push(...rows.map((r) => r.map(String)));
      this.line(table.toString());
      return;
    }
    // Piped: aligned plain columns, easy to read and to cut/awk.
    const all = [head, ...rows.map((r) => r.map(String))];
    const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
    for (const row of all) this.line(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  }

  /** A progress bar on stderr, on a terminal only; a no-op elsewhere. */
  progress(label: string): { update(done: number, total?: number): void; done(): void } {
    if (!this.rich) return { update: () => undefined, done: () => undefined };
    let last = 0;
    const draw = (done: number, total?: number) => {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      if (total && total > 0) {
        const width = 30;
        const filled = Math.min(width, Math.round((done / total) * width));
        this.io.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
      } else {
        this.io.stderr.write(`\r${label} ${done}`);
      }
    };
    return {
      update: draw,
      done: () => {
        if (last > 0) this.io.stderr.write('\r\x1b[2K');
      },
    };
  }
}
