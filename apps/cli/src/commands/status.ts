import type { Command } from 'commander';
import { buildSeriesReport } from '@sagasync/core';
import type { CommandContext } from '../runtime/context.js';

export function registerStatusCommand(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description('What the store holds and the last imports and syncs')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const deps = ctx.deps();
      const { storage, ownerId } = deps;
      const [owned, synthetic, progress, series, runs] = await Promise.all([
        storage.countTitles(ownerId, { owned: true }),
        storage.countTitles(ownerId, { owned: false }),
        storage.listProgress(ownerId),
        buildSeriesReport(deps),
        storage.listSyncRuns(ownerId, { limit: 5 }),
      ]);
      const listening = { in_progress: 0, finished: 0 };
      for (const p of progress) if (p.status !== 'not_started') listening[p.status] += 1;
      const seriesByStatus = { not_started: 0, in_progress: 0, caught_up: 0, complete: 0 };
      for (const s of series) seriesByStatus[s.status] += 1;
      const report = {
        store: ctx.storePath,
        titles: { owned, synthetic, inProgress: listening.in_progress, finished: listening.finished },
        series: { total: series.length, ...seriesByStatus },
        lastRuns: runs.map(({ ownerId: _o, ...run }) => run),
      };
      const out = ctx.printer;
      if (options.json) return out.json(report);
      const c = out.color;
      out.line(`${c.bold('Store')}   ${report.store}`);
      out.line(`${c.bold('Titles')}  ${owned} owned, ${synthetic} not owned (from series metadata); ${listening.in_progress} in progress, ${listening.finished} finished`);
      out.line(`${c.bold('Series')}  ${series.length}: ${seriesByStatus.in_progress} in progress, ${seriesByStatus.caught_up} caught up, ${seriesByStatus.complete} complete, ${seriesByStatus.not_started} not started`);
      if (runs.length === 0) return out.line(c.dim('No imports or syncs yet.'));
      out.line(c.bold('Last runs'));
      out.table(
        ['Started', 'Kind', 'Source', 'Status', 'Created', 'Updated', 'Unchanged', 'Failed'],
        runs.map((r) => [r.startedAt, r.kind, r.source ?? '', r.status === 'failed' ? c.red(r.status) : r.status, r.counts.created, r.counts.updated, r.counts.unchanged, r.counts.failed]),
      );
    });
}
