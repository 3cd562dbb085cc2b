import type { Command } from 'commander';
import { loadApi } from '../runtime/api.js';
import { asinArgument } from '../runtime/arguments.js';
import type { CommandContext } from '../runtime/context.js';
import { CliError } from '../runtime/env.js';
import { listeningLabel, seriesLabel } from '../output/labels.js';
import { LOCAL_OWNER } from '../runtime/store.js';

export function registerProgressCommands(program: Command, ctx: CommandContext): void {
  const progress = program.command('progress').description('Listening progress: events and history');

  const event = (kind: 'started' | 'finished' | 'reset', description: string) =>
    progress
      .command(kind === 'started' ? 'start' : kind === 'finished' ? 'finish' : 'reset')
      .description(description)
      .argument('<asin>', 'the title')
      .option('--json', 'print JSON')
      .action(async (value: string, options: { json?: boolean }) => {
        const api = await loadApi();
        const asin = asinArgument(value);
        const { body: result } = await api.invokeRoute(api.progressEventRoute, await ctx.api(), { params: { asin }, body: { kind } });
        const out = ctx.printer;
        if (options.json) return out.json(result);
        const c = out.color;
        const status = result.progress?.status ?? 'not_started';
        out.line(result.changed ? `${asin} is now ${listeningLabel(status, c)}.` : `${asin} was already ${listeningLabel(status, c)}; nothing changed.`);
        for (const view of result.series) {
          const next = view.nextUp ? `; next up: ${view.nextUp.title}` : view.nextToBuy ? `; next to buy: ${view.nextToBuy.title ?? `#${view.nextToBuy.sequence}`}` : '';
          out.line(`  ${view.title}: ${seriesLabel(view.status, c)}${next}`);
        }
      });

  event('started', 'Mark a title as started (also restarts a finished one: a re-listen)');
  event('finished', 'Mark a title as finished');
  event('reset', 'Reset a title to not started');

  progress
    .command('history')
    .description("A title's progress history, oldest first")
    .argument('<asin>', 'the title')
    .option('--json', 'print JSON')
    .action(async (value: string, options: { json?: boolean }) => {
      const api = await loadApi();
      const asin = asinArgument(value);
      const title = await ctx.store().getTitle(LOCAL_OWNER, asin);
      if (!title) throw new CliError(`no title ${asin} in the store`, { hint: 'find ASINs with `sagasync books list`' });
      const { body } = await api.invokeRoute(api.progressHistoryRoute, await ctx.api(), { params: { asin } });
      const history = body.items;
      const out = ctx.printer;
      if (options.json) return out.json(body);
      if (history.length === 0) return out.line(`${title.title} (${asin}) has no progress history yet.`);
      out.line(out.color.bold(`${title.title} (${asin})`));
      out.table(
        ['When', 'Event', 'From', 'To', 'Source'],
        history.map((h) => [h.at, h.event, h.fromStatus ? `${h.fromStatus} ${h.fromPercent ?? 0}%` : '', `${h.toStatus} ${h.toPercent}%`, h.source]),
      );
    });
}
