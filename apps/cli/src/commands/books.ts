import type { Command } from 'commander';
import { loadApi } from '../runtime/api.js';
import { LISTENING_STATUSES, type ListeningStatus } from '@sagasync/core';
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
      const status = statusOption(options.status);
      const api = await loadApi();
      const { body } = await api.invokeRoute(api.listBooksRoute, await ctx.api(), {
        query: { status, series: options.series, owned: options.owned ? 'true' : undefined },
      });
      const rows = body.items;
      const out = ctx.printer;
      if (options.json) {
        out.json(body);
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

/** A status as the tables print it ("in progress", "Not started") or as the JSON spells it. */
function statusOption(value: string | undefined): ListeningStatus | undefined {
  if (value === undefined) return undefined;
  const status = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!(LISTENING_STATUSES as readonly string[]).includes(status)) {
    throw new CliError(`unknown status "${value}"`, { hint: `use one of: ${LISTENING_STATUSES.map((s) => s.replace('_', ' ')).join(', ')}` });
  }
  return status as ListeningStatus;
}
