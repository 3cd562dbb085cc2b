import type { Command } from 'commander';
import { loadApi } from '../runtime/api.js';
import type { CommandContext } from '../runtime/context.js';

export function registerStatusCommand(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description('What the store holds and the last imports and syncs')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await (await loadApi()).readStatus(await ctx.api(), ctx.storePath);
      const { owned, synthetic, inProgress, finished } = report.titles;
      const seriesByStatus = report.series;
      const runs = report.lastRuns;
      const out = ctx.printer;
      if (options.json) return out.json(report);
      const c = out.color;
      out.line(`${c.bold('Store')}   ${report.store}`);
      out.line(`${c.bold('Titles')}  ${owned} owned, ${synthetic} not owned (from series metadata); ${inProgress} in progress, ${finished} finished`);
      out.line(`${c.bold('Series')}  ${seriesByStatus.total}: ${seriesByStatus.in_progress} in progress, ${seriesByStatus.caught_up} caught up, ${seriesByStatus.complete} complete, ${seriesByStatus.not_started} not started`);
      if (runs.length === 0) return out.line(c.dim('No imports or syncs yet.'));
      out.line(c.bold('Last runs'));
      out.table(
        ['Started', 'Kind', 'Source', 'Status', 'Created', 'Updated', 'Unchanged', 'Failed'],
        runs.map((r) => [r.startedAt, r.kind, r.source ?? '', r.status === 'failed' ? c.red(r.status) : r.status, r.counts.created, r.counts.updated, r.counts.unchanged, r.counts.failed]),
      );
    });
}
