import type { Command } from 'commander';
import { cleanupSynthetic } from '@sagasync/core';
import type { CommandContext } from '../runtime/context.js';

export function registerCleanupCommands(program: Command, ctx: CommandContext): void {
  const cleanup = program.command('cleanup').description('Housekeeping');
  cleanup
    .command('synthetic')
    .description('Remove volumes you do not own (from series metadata) that no longer share a series with a title you own')
    .option('--dry-run', 'only list what would be removed')
    .option('--json', 'print JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      const result = await cleanupSynthetic(ctx.deps(), { dryRun: Boolean(options.dryRun) });
      const out = ctx.printer;
      if (options.json) return out.json({ dryRun: Boolean(options.dryRun), removed: result.removed });
      if (result.removed.length === 0) return out.line('Nothing to clean up.');
      out.line(`${options.dryRun ? 'Would remove' : 'Removed'} ${result.removed.length} synthetic volume${result.removed.length === 1 ? '' : 's'}:`);
      for (const asin of result.removed) out.line(`  ${asin}`);
    });
}
