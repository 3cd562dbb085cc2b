import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildLibraryFile, buildSeriesMetadataFile, writeAudibleCliLibrary } from '@sagasync/audible-parser';
import type { CommandContext } from '../runtime/context.js';
import { CliError } from '../runtime/env.js';

/** `2026-11-25T10-00-00Z`: sortable and safe in file names everywhere. */
const stamp = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

export function registerExportCommand(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('Write the library and its series to files that `sagasync import` reads back unchanged')
    .option('--format <format>', 'json: one SagaSync library file, everything kept; csv: an audible-cli compatible library CSV plus the series metadata JSON', 'json')
    .option('--output <dir>', 'folder to write into', '.')
    .option('--json', 'print JSON')
    .action(async (options: { format: string; output: string; json?: boolean }) => {
      if (options.format !== 'json' && options.format !== 'csv') throw new CliError(`unknown format "${options.format}"`, { hint: 'use json or csv' });
      const { storage, ownerId } = ctx.deps();
      const [titles, series, progress] = await Promise.all([storage.listTitles(ownerId).then((page) => page.items), storage.listSeries(ownerId).then((page) => page.items), storage.listProgress(ownerId).then((page) => page.items)]);
      const now = ctx.clock();
      const dir = resolve(ctx.io.cwd, options.output);
      await mkdir(dir, { recursive: true });
      const files: string[] = [];
      const write = async (name: string, content: string) => {
        const path = join(dir, name);
        // Exclusive create: an export never overwrites a file the user has.
        await writeFile(path, content, { encoding: 'utf8', flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
          throw new CliError(error.code === 'EEXIST' ? `${path} exists already; nothing was overwritten` : `cannot write ${path}: ${error.message}`, { hint: 'choose another --output folder' });
        });
        files.push(path);
      };
      if (options.format === 'json') {
        await write(`sagasync-library-${stamp(now)}.json`, JSON.stringify(buildLibraryFile({ titles, series, progress, exportedAt: now.toISOString() }), null, 2) + '\n');
      } else {
        const progressByAsin = new Map(progress.map((p) => [p.asin, p]));
        await write(`sagasync-library-${stamp(now)}.csv`, writeAudibleCliLibrary(titles.filter((t) => t.owned), progressByAsin));
        await write(`audible-series-metadata-${stamp(now)}.json`, JSON.stringify(buildSeriesMetadataFile({ titles, series, generatedAt: now.toISOString() }), null, 2) + '\n');
      }
      if (options.json) return ctx.printer.json({ format: options.format, files, titles: titles.length, series: series.length });
      ctx.printer.line(`Wrote ${files.join(' and ')} (${titles.length} titles, ${series.length} series).`);
    });
}
