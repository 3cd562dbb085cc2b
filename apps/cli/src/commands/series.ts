import type { Command } from 'commander';
import { loadApi } from '../runtime/api.js';
import type { SeriesJson } from '@sagasync/api';
import { SagaSyncError } from '@sagasync/core';
import type { CommandContext } from '../runtime/context.js';
import { CliError, EXIT } from '../runtime/env.js';
import type { Printer } from '../output/printer.js';
import { listeningLabel, rawSequenceLabel, sequenceLabel, seriesLabel } from '../output/labels.js';

export function registerSeriesCommands(program: Command, ctx: CommandContext): void {
  const series = program.command('series').description('Series: status, gaps and what comes next');

  series
    .command('list')
    .description('Every series with its status, counts, next up and next to buy')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const api = await loadApi();
      const { body } = await api.invokeRoute(api.listSeriesRoute, await ctx.api(), {});
      const views = body.items;
      const out = ctx.printer;
      if (options.json) return out.json(body);
      if (views.length === 0) return out.line('No series yet. Import a library first: sagasync import <file> --commit');
      const c = out.color;
      out.table(
        ['Series', 'Status', 'Owned', 'Finished', 'Missing', 'Next up', 'Next to buy'],
        views.map((v) => [
          v.title,
          seriesLabel(v.status, c),
          v.ownedCount,
          v.finishedCount,
          v.missing.length,
          v.nextUp ? `${rawSequenceLabel(v.nextUp.sequence)} ${v.nextUp.title}` : '',
          v.nextToBuy ? `${rawSequenceLabel(v.nextToBuy.sequence)} ${v.nextToBuy.title ?? '(unknown title)'}${v.nextToBuy.upcoming ? ' (upcoming)' : ''}`.trim() : '',
        ]),
      );
      out.line(c.dim(`${views.length} series. Details: sagasync series show <name>`));
    });

  series
    .command('show')
    .description('One series in detail: every volume, the gaps and what comes next')
    .argument('<name-or-asin>', 'series name (any case, with or without "The"; a unique start or word of it), series ASIN, or the ASIN of a title in it')
    .option('--json', 'print JSON')
    .action(async (query: string, options: { json?: boolean }) => {
      const api = await loadApi();
      const matches = await api.invokeRoute(api.showSeriesRoute, await ctx.api(), { params: { query } }).then(
        ({ body }) => body.items,
        (error: unknown) => {
          if (SagaSyncError.isInstance(error) && error.code === 'not_found') throw new CliError(error.message, { hint: 'list them with `sagasync series list`' });
          if (SagaSyncError.isInstance(error) && error.details.reason === 'ambiguous_series' && Array.isArray(error.details.candidates)) {
            const candidates = error.details.candidates as { key: string; title: string }[];
            const lines = candidates.slice(0, 20).map((c) => `  ${c.title}`);
            // The message is `"<query>" matches N series: <names>`; the names go one a line here.
            const head = error.message.slice(0, error.message.indexOf(' series: ', query.length + 2) + ' series:'.length);
            throw new CliError([head, ...lines].join('\n'), {
              exitCode: EXIT.invalidInput,
              hint: 'give more of the name, or the series ASIN (`sagasync series list` shows them)',
            });
          }
          throw error;
        },
      );
      if (options.json) return ctx.printer.json({ items: matches });
      matches.forEach((view, i) => {
        if (i > 0) ctx.printer.line();
        printSeries(ctx.printer, view);
      });
    });

  series
    .command('recompute')
    .description('Rebuild series records from the titles (after edits or a partial import)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const api = await loadApi();
      const { body: result } = await api.invokeRoute(api.recomputeSeriesRoute, await ctx.api(), {});
      if (options.json) return ctx.printer.json(result);
      ctx.printer.line(`Series recomputed: ${result.created} created, ${result.updated} updated, ${result.removed} removed; ${result.series.length} series in all.`);
      if (result.merged > 0) ctx.printer.line(`${result.merged} series named only by title joined the Audible series of the same name.`);
    });
}

type VolumeJson = SeriesJson['volumes'][number];

/** The volume's own status; a book in progress with how far along it is. */
function volumeStatus(v: VolumeJson, c: Printer['color']): string {
  if (!v.owned) return v.forSale === false ? c.dim('not for sale') : c.red('not owned');
  const label = listeningLabel(v.status, c);
  return v.status === 'in_progress' && v.percentComplete > 0 ? `${label} ${Math.floor(v.percentComplete)} %` : label;
}

/** Novellas (which block nothing), pre-orders and volumes Audible cannot sell in the account's marketplace. */
function volumeNotes(v: VolumeJson, c: Printer['color'], unavailable: SeriesJson['unavailable']): string {
  const notes: string[] = [];
  if (v.novella) notes.push(c.dim('novella'));
  if (v.upcoming) notes.push(c.magenta(`upcoming ${v.releaseDate ?? ''}`.trim()));
  const gone = unavailable.find((u) => u.asin === v.asin);
  if (gone) notes.push(c.dim(`not available in ${gone.marketplace ?? 'your marketplace'}`));
  return notes.join(', ');
}

function printSeries(out: Printer, view: SeriesJson): void {
  const c = out.color;
  out.fitLine(`${c.bold(view.title)}  ${seriesLabel(view.status, c)}  ${c.dim(`${view.finishedCount}/${view.ownedCount} owned finished, ${view.missing.length} missing`)}`);
  type Row = { sort: number; cells: string[] };
  const rows: Row[] = view.volumes.map((v) => ({
    sort: v.position.kind === 'number' ? v.position.value : v.position.kind === 'range' ? v.position.start : Number.MAX_SAFE_INTEGER,
    cells: [sequenceLabel(v.sequence, v.position), v.title, volumeStatus(v, c), volumeNotes(v, c, view.unavailable)],
  }));
  for (const m of view.missing.filter((m) => m.inferred)) {
    rows.push({ sort: m.position ?? Number.MAX_SAFE_INTEGER, cells: [rawSequenceLabel(m.sequence), c.dim('(not in your library; title unknown)'), c.red('missing'), c.dim('inferred from a gap')] });
  }
  rows.sort((a, b) => a.sort - b.sort);
  out.table(['#', 'Title', 'Status', ''], rows.map((r) => r.cells));
  if (view.nextUp) out.fitLine(`  next up:     ${rawSequenceLabel(view.nextUp.sequence)} ${view.nextUp.title} (${view.nextUp.asin})`);
  if (view.nextToBuy) {
    const n = view.nextToBuy;
    out.fitLine(`  next to buy: ${rawSequenceLabel(n.sequence)} ${n.title ?? '(title unknown)'}${n.asin ? ` (${n.asin})` : ''}${n.upcoming ? c.magenta(' upcoming') : ''}${n.inferred ? c.dim(' inferred') : ''}`);
  }
}
