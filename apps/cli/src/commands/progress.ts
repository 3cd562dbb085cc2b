import type { Command } from 'commander';
import { SagaSyncError } from '@sagasync/core';
import { loadApi } from '../runtime/api.js';
import type { CommandContext } from '../runtime/context.js';
import { CliError, EXIT } from '../runtime/env.js';
import { listeningLabel, seriesLabel } from '../output/labels.js';

const TITLE_ARGUMENT = 'the title (its ASIN, or its title: the exact one, else a unique start or part, any case)';

export function registerProgressCommands(program: Command, ctx: CommandContext): void {
  const progress = program.command('progress').description('Listening progress: events and history');

  const event = (kind: 'started' | 'finished' | 'reset', description: string) =>
    progress
      .command(kind === 'started' ? 'start' : kind === 'finished' ? 'finish' : 'reset')
      .description(description)
      .argument('<title-or-asin>', TITLE_ARGUMENT)
      .option('--json', 'print JSON')
      .action(async (value: string, options: { json?: boolean }) => {
        const api = await loadApi();
        const { body: result } = await named(value, async () => api.invokeRoute(api.progressEventRoute, await ctx.api(), { params: { asin: value }, body: { kind } }));
        const out = ctx.printer;
        if (options.json) return out.json(result);
        const c = out.color;
        const status = result.progress?.status ?? 'not_started';
        const which = `“${result.title}” (${result.asin})`;
        if (!result.changed) out.line(`${which} was already ${listeningLabel(status, c)}; nothing changed.`);
        else if (kind === 'finished') out.line(`Finished ${which}.`);
        else if (kind === 'started') out.line(`Started ${which}: ${listeningLabel(status, c)}.`);
        else out.line(`Reset ${which}: ${listeningLabel(status, c)}.`);
        for (const view of result.series) {
          const next = view.nextUp ? `; next up: ${view.nextUp.title}` : view.nextToBuy ? `; next to buy: ${view.nextToBuy.title ?? `#${view.nextToBuy.sequence}`}` : '';
          out.fitLine(`  ${view.title}: ${seriesLabel(view.status, c)}${next}`);
        }
      });

  event('started', 'Mark a title as started (also restarts a finished one: a re-listen)');
  event('finished', 'Mark a title as finished');
  event('reset', 'Reset a title to not started');

  progress
    .command('history')
    .description("A title's progress history, oldest first")
    .argument('<title-or-asin>', TITLE_ARGUMENT)
    .option('--json', 'print JSON')
    .action(async (value: string, options: { json?: boolean }) => {
      const api = await loadApi();
      const { body } = await named(value, async () => api.invokeRoute(api.progressHistoryRoute, await ctx.api(), { params: { asin: value } }));
      const history = body.items;
      const out = ctx.printer;
      if (options.json) return out.json(body);
      if (history.length === 0) return out.line(`“${body.title}” (${body.asin}) has no progress history yet.`);
      out.line(out.color.bold(`“${body.title}” (${body.asin})`));
      out.table(
        ['When', 'Event', 'From', 'To', 'Source'],
        history.map((h) => [h.at, h.event, h.fromStatus ? `${h.fromStatus} ${h.fromPercent ?? 0}%` : '', `${h.toStatus} ${h.toPercent}%`, h.source]),
      );
    });
}

/**
 * Runs a route that takes a title by name or ASIN. A name that fits several titles lists them,
 * one a line, and exits 2 (nothing was written); an unknown one says what it might have meant.
 */
async function named<T>(value: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (SagaSyncError.isInstance(error) && error.details.reason === 'ambiguous_title' && Array.isArray(error.details.candidates)) {
      const candidates = error.details.candidates as { asin: string; title: string }[];
      const count = typeof error.details.count === 'number' ? error.details.count : candidates.length;
      const shown = candidates.slice(0, 20).map((c) => `  ${c.asin}  ${c.title}`);
      const more = count > shown.length ? [`  … and ${count - shown.length} more`] : [];
      throw new CliError([`"${value}" matches ${count} titles:`, ...shown, ...more].join('\n'), {
        exitCode: EXIT.invalidInput,
        hint: 'give more of the title, or its ASIN (shown above, and by `sagasync books list`)',
      });
    }
    throw error;
  }
}
