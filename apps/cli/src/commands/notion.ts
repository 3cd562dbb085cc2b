import type { Command } from 'commander';
import { exitCodeFor, SagaSyncError } from '@sagasync/core';
import type { NotionDeps, PushProgress, PushResult, ResetResult } from '@sagasync/notion-mirror';

// Loaded when a notion command runs, not for every command.
const mirror = () => import('@sagasync/notion-mirror');
import type { CommandContext } from '../runtime/context.js';
import { CliError } from '../runtime/env.js';

/** Notion's documented average rate; `reset` goes slower still, as the issue asks. */
const REQUESTS_PER_SECOND = 3;

function notionDeps(ctx: CommandContext, share = 1): NotionDeps {
  const requestsPerSecond = (ctx.env.SAGASYNC_NOTION_REQUESTS_PER_SECOND ?? REQUESTS_PER_SECOND) * share;
  const token = ctx.env.NOTION_TOKEN;
  if (!token) throw new CliError('NOTION_TOKEN is not set', { hint: 'create an internal integration at notion.so/my-integrations, share your page with it, and export NOTION_TOKEN' });
  return { ...ctx.deps(), notion: { token, requestsPerSecond, ...(ctx.env.NOTION_BASE_URL ? { baseUrl: ctx.env.NOTION_BASE_URL } : {}) } };
}

/** Database ids from NOTION_BOOKS_DB_ID / NOTION_SERIES_DB_ID are checked once and then stored. */
async function ensureDatabases(ctx: CommandContext, deps: NotionDeps): Promise<void> {
  const { checkNotion, loadDatabases } = await mirror();
  const { NOTION_BOOKS_DB_ID: books, NOTION_SERIES_DB_ID: series } = ctx.env;
  if (!books && !series) {
    if (!(await loadDatabases(deps.storage, deps.ownerId))) {
      throw new CliError('no Notion databases are set up for this store', { hint: 'run `sagasync notion setup --parent <page-id>`, or set NOTION_BOOKS_DB_ID and NOTION_SERIES_DB_ID' });
    }
    return;
  }
  if (!books || !series) throw new CliError('set both NOTION_BOOKS_DB_ID and NOTION_SERIES_DB_ID, or neither');
  const stored = await loadDatabases(deps.storage, deps.ownerId);
  if (stored && sameId(stored.books.databaseId, books) && sameId(stored.series.databaseId, series)) return;
  const check = await checkNotion(deps, { databaseIds: { books, series } });
  if (!check.ok) throw new CliError(`the Notion databases do not fit: ${check.issues.map((i) => i.message).join('; ')}`, { hint: 'run `sagasync notion check --repair` to add missing properties' });
}

const sameId = (a: string, b: string) => a.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();

const OTHER_PUSH_WAIT_MS = 45_000;

/** One progress line per phase of a push, labelled as the push names it (`books: creating`). */
function phaseProgress(ctx: CommandContext, quiet: boolean | undefined) {
  let label = 'pushing to Notion';
  let bar = quiet ? null : ctx.printer.progress(label);
  return {
    update(p: PushProgress): void {
      if (!bar) return;
      if (p.label && p.label !== label) {
        bar.done();
        label = p.label;
        bar = ctx.printer.progress(label);
      }
      bar.update(p.done, p.total);
    },
    done(): void {
      bar?.done();
    },
  };
}

/** Used by `notion push` and `audible sync --notion`. */
export async function runNotionPush(ctx: CommandContext, options: { dryRun: boolean; full?: boolean; quiet?: boolean }): Promise<PushResult> {
  const deps = notionDeps(ctx);
  await ensureDatabases(ctx, deps);
  const { pushToNotion, mergePushResults } = await mirror();
  const progress = phaseProgress(ctx, options.quiet);
  try {
    // Another push of this store (another terminal, a scheduled job) finishes first; a push that was
    // killed holds its lease for at most PUSH_LEASE_TTL_MS, so the wait outlasts it.
    const push = (cursor: string | null) =>
      pushToNotion({ ...deps, onProgress: (p) => progress.update(p) }, { dryRun: options.dryRun, full: Boolean(options.full), cursor, waitForOtherPushMs: OTHER_PUSH_WAIT_MS });
    // Without a deadline or a write limit a push runs to the end in one call; the loop keeps it so if that changes.
    let result = await push(null);
    while (!result.done) result = mergePushResults(result, await push(result.cursor));
    return result;
  } catch (error) {
    // The databases changed in Notion since they were checked: say how to see and fix it.
    if (SagaSyncError.isInstance(error) && error.details.reason === 'notion_schema_invalid') {
      throw new CliError(error.message, { exitCode: exitCodeFor(error), hint: 'run `sagasync notion check` to see every problem (`--repair` adds missing properties)', cause: error });
    }
    throw error;
  } finally {
    progress.done();
  }
}

/** `--parent`: a page id (with or without dashes) or the page's Notion URL. */
async function parentPageOption(value: string): Promise<string> {
  const { parseNotionId } = await mirror();
  const id = parseNotionId(value);
  if (!id) {
    throw new CliError(`--parent: "${value}" is not a Notion page id or page URL`, {
      exitCode: 2,
      hint: 'in Notion, open the page, choose Share → Copy link, and pass that link (or the 32-character id at its end)',
    });
  }
  return id;
}

const pagesIn = (r: Pick<ResetResult, 'trashed'>) => `${r.trashed.books} book and ${r.trashed.series} series page${r.trashed.books + r.trashed.series === 1 ? '' : 's'}`;

export function registerNotionCommands(program: Command, ctx: CommandContext): void {
  const notion = program.command('notion').description('Mirror series and books into Notion (token from NOTION_TOKEN)');

  notion
    .command('setup')
    .description('Create the Series and Books databases under a Notion page shared with your integration')
    .requiredOption('--parent <page>', 'the page to create them in: its Notion link, or its id')
    .option('--force', 'create new databases even if this store has some already')
    .option('--json', 'print JSON')
    .action(async (options: { parent: string; force?: boolean; json?: boolean }) => {
      const parentPageId = await parentPageOption(options.parent);
      const { setupNotion } = await mirror();
      const result = await setupNotion(notionDeps(ctx), { parentPageId, force: Boolean(options.force) });
      if (options.json) return ctx.printer.json(result);
      ctx.printer.line(`Created Notion databases: Books ${result.databases.books.databaseId}, Series ${result.databases.series.databaseId}. Next: sagasync notion push`);
    });

  notion
    .command('check')
    .description('Check an existing pair of databases and name every missing or mistyped property')
    .option('--repair', 'add missing properties (never changes existing ones)')
    .option('--json', 'print JSON')
    .action(async (options: { repair?: boolean; json?: boolean }) => {
      const deps = notionDeps(ctx);
      const { NOTION_BOOKS_DB_ID: books, NOTION_SERIES_DB_ID: series } = ctx.env;
      if (Boolean(books) !== Boolean(series)) throw new CliError('set both NOTION_BOOKS_DB_ID and NOTION_SERIES_DB_ID, or neither');
      const { checkNotion } = await mirror();
      const result = await checkNotion(deps, { ...(books && series ? { databaseIds: { books, series } } : {}), repair: Boolean(options.repair) });
      const out = ctx.printer;
      if (options.json) out.json(result);
      else if (result.ok) out.line(`The Notion databases are ready${result.added.length ? ` (added ${result.added.join(', ')})` : ''}.`);
      else {
        out.line(out.color.red(`${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the Notion databases:`));
        for (const issue of result.issues) out.line(`  ${issue.message}`);
      }
      if (!result.ok) throw new CliError('the Notion databases do not fit SagaSync', { exitCode: 2, hint: 'fix them in Notion, or run with --repair to add missing properties' });
    });

  notion
    .command('push')
    .description('Write what changed in the store to Notion, property by property (resumable)')
    .option('--dry-run', 'plan only: show what would be written')
    .option('--full', 'check every page against the store and rewrite whatever differs (after a property was emptied or re-added in Notion)')
    .option('--json', 'print JSON')
    .action(async (options: { dryRun?: boolean; full?: boolean; json?: boolean }) => {
      const result = await runNotionPush(ctx, { dryRun: Boolean(options.dryRun), full: Boolean(options.full), quiet: Boolean(options.json) });
      const out = ctx.printer;
      if (options.json) return out.json(result);
      out.table(
        ['', 'created', 'updated', 'unchanged', 'adopted', 'failed'],
        (['series', 'books'] as const).map((t) => [t, result[t].created, result[t].updated, result[t].unchanged, result[t].adopted, result[t].failed]),
      );
      if (result.conflicts > 0) out.line(out.color.yellow(`${result.conflicts} of your own Notion pages need a decision: sagasync conflicts list`));
      for (const failure of result.failures.slice(0, 10)) out.line(out.color.red(`  ${failure.table} ${failure.key}: ${failure.message}`));
      out.line(`${result.requests} requests in ${(result.elapsedMs / 1000).toFixed(1)} s${result.dryRun ? ' (dry run: nothing was written)' : ''}.`);
      if (result.failures.length > 0) throw new CliError(`${result.failures.length} page${result.failures.length === 1 ? '' : 's'} could not be written`, { hint: 'run `sagasync notion push` again: it resumes where it stopped' });
    });

  notion
    .command('pull')
    .description('Apply Status and Progress edits made by hand in Notion as listening events')
    .option('--full', 'check every page, not only those edited since the last pull')
    .option('--dry-run', 'show the events without applying them')
    .option('--json', 'print JSON')
    .action(async (options: { full?: boolean; dryRun?: boolean; json?: boolean }) => {
      const deps = notionDeps(ctx);
      await ensureDatabases(ctx, deps);
      const { pullFromNotion } = await mirror();
      const result = await pullFromNotion(deps, { full: Boolean(options.full), dryRun: Boolean(options.dryRun) });
      const out = ctx.printer;
      if (options.json) return out.json(result);
      out.line(`Checked ${result.checked} pages: ${result.events.length} edit${result.events.length === 1 ? '' : 's'} ${options.dryRun ? 'to apply' : 'applied'}.`);
      for (const e of result.events.slice(0, 20)) out.line(`  ${JSON.stringify(e)}`);
      for (const s of result.skipped.slice(0, 20)) out.line(out.color.yellow(`  skipped ${JSON.stringify(s.event)}: ${s.reason}`));
    });

  notion
    .command('reset')
    .description("Move SagaSync's pages to the Notion trash, slowly and resumably (your own pages are kept)")
    .option('--synthetic-only', 'only the volumes you do not own')
    .option('--dry-run', 'list the pages it would move to the trash, and change nothing')
    .option('-y, --yes', 'go ahead without asking (needed when no one is at a terminal)')
    .option('--json', 'print JSON')
    .action(async (options: { syntheticOnly?: boolean; dryRun?: boolean; yes?: boolean; json?: boolean }) => {
      const deps = notionDeps(ctx, 1 / 3);
      await ensureDatabases(ctx, deps);
      const { resetNotion } = await mirror();
      const syntheticOnly = Boolean(options.syntheticOnly);
      // What it would do, from the store alone: no Notion request, nothing written.
      const plan = await resetNotion(deps, { syntheticOnly, dryRun: true });
      const out = ctx.printer;
      if (options.dryRun) {
        if (options.json) return out.json(plan);
        out.line(`Would move ${pagesIn(plan)} to the Notion trash; ${plan.released} of your own pages would be left alone. Nothing was changed.`);
        if (plan.pages.length > 0) out.table(['', 'key', 'title'], plan.pages.map((p) => [p.table === 'books' ? 'book' : 'series', p.key, p.title ?? '']));
        return;
      }
      if (!options.yes && plan.trashed.books + plan.trashed.series + plan.released > 0) {
        if (!ctx.io.isTTY) {
          throw new CliError(`notion reset would move ${pagesIn(plan)} to the Notion trash, and asks first; nothing was changed`, {
            hint: 'run it in a terminal to be asked, or pass --yes to go ahead (--dry-run lists the pages)',
          });
        }
        const answer = await ctx.io.prompt(`Move ${pagesIn(plan)} to the Notion trash${plan.released > 0 ? ` (and stop mirroring ${plan.released} of your own)` : ''}? [y/N] `);
        if (answer === null || !/^\s*y(es)?\s*$/i.test(answer)) throw new CliError('reset cancelled: nothing was moved to the trash');
      }
      const bar = options.json ? null : out.progress('moving pages to the trash');
      let result: ResetResult;
      try {
        result = await resetNotion({ ...deps, onProgress: (p: { done: number; total: number }) => bar?.update(p.done, p.total) }, { syntheticOnly });
      } finally {
        bar?.done();
      }
      if (options.json) return out.json(result);
      out.line(`Moved ${pagesIn(result)} to the trash; ${result.released} of your own pages were left alone.`);
    });
}
