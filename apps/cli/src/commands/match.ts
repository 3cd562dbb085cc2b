import { basename } from 'node:path';
import type { Command } from 'commander';
import { TRACKER_SOURCES, formatIssue } from '@sagasync/core';
import type { ColumnMapping } from '@sagasync/matcher';
import { loadApi } from '../runtime/api.js';
import type { CommandContext } from '../runtime/context.js';
import { CliError, EXIT, ExitWith } from '../runtime/env.js';
import { asinArgument, choiceOption } from '../runtime/arguments.js';

// Spelled out so that `--help` does not load the matcher; a test keeps them equal to its own lists.
export const TRACKER_FILE_SOURCES = ['goodreads', 'storygraph', 'csv'] as const;
export const COLUMN_FIELDS = ['id', 'title', 'authors', 'isbn', 'isbn13', 'asin', 'status', 'series', 'seriesIndex', 'rating', 'dateRead'] as const satisfies readonly (keyof ColumnMapping)[];
const matcher = () => import('@sagasync/matcher');

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--openlibrary-url "${value}" is not a URL`, { hint: 'e.g. --openlibrary-url https://openlibrary.org' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--openlibrary-url "${value}" is not an http(s) URL`);
  return url.toString();
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseColumns(pairs: string[]): ColumnMapping | undefined {
  if (pairs.length === 0) return undefined;
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = eq > 0 ? pair.slice(0, eq).trim() : '';
    const header = eq > 0 ? pair.slice(eq + 1).trim() : '';
    if (!(COLUMN_FIELDS as readonly string[]).includes(field) || header === '') {
      throw new CliError(`--column "${pair}" is not field=Header`, { hint: `fields: ${COLUMN_FIELDS.join(', ')}; e.g. --column title="Book Title"` });
    }
    mapping[field] = header;
  }
  return mapping as ColumnMapping;
}

export function registerMatchCommands(program: Command, ctx: CommandContext): void {
  program
    .command('match')
    .description('Link your Audible titles to the books in a tracker export (Goodreads, StoryGraph, or any CSV). Previews unless --commit.')
    .argument('<tracker-file>', 'the tracker export (CSV)')
    .option('--source <source>', `the tracker (${TRACKER_FILE_SOURCES.join(', ')}); detected from the header when absent`)
    .option('--column <field=header>', `for a generic CSV: which column holds a field (${COLUMN_FIELDS.join(', ')}); repeatable`, collect, [])
    .option('--commit', 'store the tracker books, links and conflicts (default: preview only)')
    .option('--online', 'ask Open Library about what stays ambiguous (other titles of a work, authors in another script); 1 request a second, answers cached for 30 days; without it no request is made')
    .option('--openlibrary-url <url>', 'Open Library base URL, with --online (default https://openlibrary.org; for a mirror or a test server)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { source?: string; column: string[]; commit?: boolean; online?: boolean; openlibraryUrl?: string; json?: boolean }) => {
      const source = choiceOption(options.source, TRACKER_FILE_SOURCES, '--source');
      const columns = parseColumns(options.column);
      if (options.openlibraryUrl !== undefined && !options.online) throw new CliError('--openlibrary-url is only used with --online');
      const baseUrl = options.openlibraryUrl === undefined ? undefined : httpUrl(options.openlibraryUrl);
      const { readTrackerFile, runMatch, toMatchJson, createOpenLibraryClient, storeAnswerCache } = await matcher();
      const read = await readTrackerFile(file, { ...(source ? { source } : {}), ...(columns ? { columns } : {}) });
      const out = ctx.printer;
      if (!read.success) {
        out.note(out.color.red(`${basename(file)} could not be read as a tracker export; nothing was stored.`));
        for (const issue of read.error.issues.slice(0, 50)) out.note(`  ${formatIssue(issue)}`);
        throw new ExitWith(EXIT.invalidInput);
      }
      const { books, warnings, variant } = read.value;
      // The client (and with it any request) exists only with --online.
      const online = options.online
        ? { client: createOpenLibraryClient({ ...(baseUrl ? { baseUrl } : {}), cache: storeAnswerCache(ctx.deps()), onProblem: (message) => out.note(out.color.dim(`  note: ${message}`)) }) }
        : undefined;
      const report = await runMatch(ctx.deps(), books, { commit: Boolean(options.commit), source: read.value.source, ...(online ? { online } : {}) });
      if (options.json) return out.json({ source: report.source, committed: report.committed, ...toMatchJson(report), ...(report.online ? { online: report.online } : {}) });
      const c = out.color;
      out.line(`${c.bold(basename(file))}: ${read.value.source} export (${variant}), ${books.length} books`);
      for (const warning of warnings.slice(0, 10)) out.line(c.dim(`  note: ${formatIssue(warning)}`));
      if (warnings.length > 10) out.line(c.dim(`  ... and ${warnings.length - 10} more notes`));
      const created = report.links.filter((l) => l.change !== 'unchanged');
      out.line(`${report.links.length} linked (${created.length} new or changed), ${report.conflicts.length} to decide, ${report.unmatched.length} not in your library`);
      if (report.online) {
        const o = report.online;
        out.line(c.dim(`Open Library: asked about ${o.asked} book${o.asked === 1 ? '' : 's'}, ${o.requests} request${o.requests === 1 ? '' : 's'}, ${o.cached} answered from the store${o.failed ? `, ${o.failed} without an answer` : ''}`));
      }
      if (created.length > 0) {
        out.table(['Tracker id', 'ASIN', 'How', 'Score'], created.slice(0, 50).map((l) => [l.trackerId, l.asin, l.method, l.score.toFixed(2)]));
        if (created.length > 50) out.line(c.dim(`... and ${created.length - 50} more (see --json)`));
      }
      if (report.conflicts.length > 0) out.line(c.yellow(`Decide the ambiguous ones with: sagasync conflicts list`));
      out.line(report.committed ? c.green('Committed.') : c.cyan('Preview only: nothing was stored. Run again with --commit.'));
    });

  const conflicts = program.command('conflicts').description('Ambiguous matches waiting for you; your decisions are remembered');
  conflicts
    .command('list')
    .description('Open conflicts with their ranked candidates')
    .option('--all', 'include resolved conflicts')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const api = await loadApi();
      const { body } = await api.invokeRoute(api.listConflictsRoute, await ctx.api(), { query: { status: options.all ? 'all' : 'open' } });
      const out = ctx.printer;
      if (options.json) return out.json(body);
      const views = body.items;
      if (views.length === 0) return out.line('No conflicts to decide.');
      const c = out.color;
      for (const v of views) {
        out.line(`${c.bold(v.id)}  ${v.book ? `"${v.book.title}" by ${v.book.authors.join(', ') || 'unknown'}` : ''}  ${c.dim(v.reason)}`);
        v.candidates.forEach((cand, i) => out.line(`  ${i + 1}. ${cand.asin}  ${cand.score.toFixed(2)}  ${cand.title ?? '?'}${cand.authors.length ? ` by ${cand.authors.join(', ')}` : ''}  ${c.dim(cand.reason)}`));
      }
      out.line(c.dim(`Resolve with: sagasync conflicts resolve <id> --link <asin>   or   --none`));
    });
  conflicts
    .command('resolve')
    .description('Decide a conflict: link one candidate, or none of them; remembered on every later match')
    .argument('<id>', 'the conflict id (from `conflicts list`)')
    .option('--link <asin>', 'the title this book is')
    .option('--none', 'none of the candidates is this book')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { link?: string; none?: boolean; json?: boolean }) => {
      const api = await loadApi();
      if (Boolean(options.link) === Boolean(options.none)) throw new CliError('give exactly one of --link <asin> or --none');
      const { body: outcome } = await api.invokeRoute(api.resolveConflictRoute, await ctx.api(), { params: { id }, body: options.link ? { link: asinArgument(options.link) } : { none: true } });
      const out = ctx.printer;
      if (options.json) return out.json(outcome);
      out.line(outcome.link ? `Linked ${outcome.link.trackerId} to ${outcome.link.asin}; remembered.` : `Marked ${id} as none of these; remembered.`);
    });

  program
    .command('link')
    .description('Link a title to a tracker book by hand; the link wins on every later match')
    .argument('<asin>', 'the Audible title')
    .argument('<trackerId>', 'the tracker book id (Goodreads Book Id, ...)')
    .option('--source <source>', `the tracker, when the id exists in several (${TRACKER_SOURCES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (asin: string, trackerId: string, options: { source?: string; json?: boolean }) => {
      const api = await loadApi();
      const source = choiceOption(options.source, TRACKER_SOURCES, '--source');
      const { body: outcome } = await api.invokeRoute(api.linkRoute, await ctx.api(), { body: { asin: asinArgument(asin), trackerId, source } });
      if (options.json) return ctx.printer.json(outcome);
      ctx.printer.line(`Linked ${outcome.asin} to ${outcome.source} ${outcome.trackerId}${outcome.replaced ? ` (was ${outcome.replaced})` : ''}.`);
    });

  program
    .command('unlink')
    .description('Remove the link of a title (and remember that it is not that book)')
    .argument('<asin>', 'the Audible title')
    .option('--source <source>', `only the link to this tracker (${TRACKER_SOURCES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (asin: string, options: { source?: string; json?: boolean }) => {
      const api = await loadApi();
      const source = choiceOption(options.source, TRACKER_SOURCES, '--source');
      const { body: outcome } = await api.invokeRoute(api.unlinkRoute, await ctx.api(), { params: { asin: asinArgument(asin) }, query: { source } });
      if (options.json) return ctx.printer.json(outcome);
      ctx.printer.line(outcome.removed.length === 0 ? `${asin} had no link.` : `Removed ${outcome.removed.length} link${outcome.removed.length === 1 ? '' : 's'} of ${asin}.`);
    });
}
