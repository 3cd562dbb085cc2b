import type { Command } from 'commander';
import { LISTENING_STATUSES, normaliseSeriesTitle, positionStart, type ListeningStatus, type Progress } from '@sagasync/core';
import type { CommandContext } from '../runtime/context.js';
import { CliError } from '../runtime/env.js';
import { listeningLabel, sequenceLabel } from '../output/labels.js';

interface ListOptions {
  status?: string;
  series?: string;
  owned?: boolean;
  json?: boolean;
}

export function registerBooksCommands(program: Command, ctx: CommandContext): void {
  const books = program.command('books').description('Titles in the store');
  books
    .command('list')
    .description('List titles with their series and listening status (synthetic volumes you do not own included)')
    .option('--status <status>', `only titles with this status (${LISTENING_STATUSES.join(', ')})`)
    .option('--series <name>', 'only titles in this series (name or series ASIN)')
    .option('--owned', 'only titles you own')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions) => {
      if (options.status !== undefined && !(LISTENING_STATUSES as readonly string[]).includes(options.status)) {
        throw new CliError(`unknown status "${options.status}"`, { hint: `use one of: ${LISTENING_STATUSES.join(', ')}` });
      }
      const { storage, ownerId } = ctx.deps();
      const [titles, progress] = await Promise.all([storage.listTitles(ownerId, options.owned ? { owned: true } : undefined), storage.listProgress(ownerId)]);
      const progressByAsin = new Map<string, Progress>(progress.map((p) => [p.asin, p]));
      const seriesFilter = options.series === undefined ? null : normaliseSeriesTitle(options.series);
      const rows = titles
        .map((title) => {
          const p = progressByAsin.get(title.asin);
          return {
            asin: title.asin,
            title: title.title,
            subtitle: title.subtitle,
            authors: title.authors,
            narrators: title.narrators,
            series: title.series.map((m) => ({
              title: m.seriesTitle,
              sequence: m.sequence,
              position: positionStart(m.position),
              ...(m.position.kind === 'range' ? { positionEnd: m.position.end } : {}),
              key: m.seriesKey,
            })),
            status: (p?.status ?? 'not_started') as ListeningStatus,
            percentComplete: p?.percentComplete ?? 0,
            owned: title.owned,
          };
        })
        .filter((row) => options.status === undefined || row.status === options.status)
        .filter(
          (row) =>
            seriesFilter === null ||
            row.series.some((s) => normaliseSeriesTitle(s.title) === seriesFilter || s.key === options.series),
        );

      const out = ctx.printer;
      if (options.json) {
        out.json(rows.map(({ series, ...rest }) => ({ ...rest, series: series.map(({ key: _key, ...s }) => s) })));
        return;
      }
      if (rows.length === 0) {
        out.line('No titles match. Import a library first: sagasync import <file> --commit');
        return;
      }
      const c = out.color;
      out.table(
        ['ASIN', 'Title', 'Author', 'Series', 'Status', '%', 'Owned'],
        rows.map((r) => [
          r.asin,
          r.title,
          r.authors.join(', '),
          r.series.map((s) => `${s.title} ${sequenceLabel(s.sequence, s.position === null ? null : s.positionEnd !== undefined ? { kind: 'range', start: s.position, end: s.positionEnd } : s.position)}`.trim()).join('; '),
          listeningLabel(r.status, c),
          Math.round(r.percentComplete),
          r.owned ? 'yes' : c.dim('no'),
        ]),
      );
      out.line(c.dim(`${rows.length} title${rows.length === 1 ? '' : 's'}`));
    });
}
