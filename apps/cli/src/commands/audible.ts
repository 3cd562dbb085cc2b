import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AudibleAccounts, AudibleEndpoints, LocaleCode } from '@sagasync/audible-client';
import { SagaSyncError } from '@sagasync/core';
import type { CommandContext } from '../runtime/context.js';
import { choiceOption } from '../runtime/arguments.js';
import { ask, audibleAccounts } from '../runtime/credentials.js';
import { CliError } from '../runtime/env.js';
import { runNotionPush } from './notion.js';

// Spelled out so that `--help` does not load the client; a test keeps it equal to its list.
export const MARKETPLACES = ['us', 'uk', 'de', 'fr', 'ca', 'it', 'au', 'in', 'jp', 'es', 'br'] as const satisfies readonly LocaleCode[];
const LOCALE_CODES = MARKETPLACES;
const client = () => import('@sagasync/audible-client');

const localeOption = (value: string | undefined): LocaleCode | undefined => choiceOption(value, LOCALE_CODES, 'marketplace');

/** Base-URL overrides from the environment (proxies, tests); the marketplace's hosts otherwise. */
function endpointOverrides(ctx: CommandContext): Partial<AudibleEndpoints> {
  return {
    ...(ctx.env.SAGASYNC_AUDIBLE_API_URL ? { apiUrl: ctx.env.SAGASYNC_AUDIBLE_API_URL } : {}),
    ...(ctx.env.SAGASYNC_AMAZON_API_URL ? { amazonUrl: ctx.env.SAGASYNC_AMAZON_API_URL } : {}),
  };
}

async function connect(ctx: CommandContext, accounts: AudibleAccounts, selector: { account?: string; locale?: string }) {
  const locale = localeOption(selector.locale);
  const { AudibleClient } = await client();
  const { name, credentials } = await accounts.resolve({ ...(selector.account ? { name: selector.account } : {}), ...(locale ? { locale } : {}) });
  const audible = new AudibleClient({
    credentials,
    endpoints: endpointOverrides(ctx),
    // A refreshed token is stored again, encrypted, so the next run need not refresh.
    onCredentialsChanged: async (updated) => void (await accounts.save(updated)),
  });
  return { name, client: audible };
}

interface AccountOptions {
  account?: string;
  locale?: string;
  json?: boolean;
}

export function registerAudibleCommands(program: Command, ctx: CommandContext): void {
  const audible = program.command('audible').description('Sign in to Audible and sync your library, series and progress');

  audible
    .command('login')
    .description('Sign in through your browser (or import an audible-cli / Libation auth file); credentials are stored encrypted')
    .option('--locale <code>', `marketplace (${LOCALE_CODES.join(', ')})`, 'us')
    .option('--with-username', 'a pre-Amazon Audible username account (us, uk, de only)')
    .option('--auth-file <path>', 'import an existing audible-cli or Libation auth file instead of signing in')
    .option('--password <password>', "the auth file's password, when audible-cli encrypted it")
    .option('--json', 'print JSON')
    .action(async (options: { locale: string; withUsername?: boolean; authFile?: string; password?: string; json?: boolean }) => {
      const locale = localeOption(options.locale)!;
      const { createLoginRequest, importAuthFile, parseMaplandingUrl, registerDevice } = await client();
      const out = ctx.printer;
      const accounts = await audibleAccounts(ctx, { unlockNow: true });
      if (options.authFile) {
        const path = resolve(ctx.io.cwd, options.authFile);
        const content = await readFile(path).catch((error: NodeJS.ErrnoException) => {
          throw new CliError(`cannot read ${options.authFile}: ${error.code === 'ENOENT' ? 'file not found' : error.message}`, { exitCode: 2 });
        });
        const imported = importAuthFile(content, { fileName: options.authFile, defaultLocale: locale, ...(options.password ? { password: options.password } : {}) });
        const names = [];
        for (const credentials of imported) names.push(await accounts.save(credentials));
        if (options.json) return out.json({ imported: names });
        return out.line(`Imported ${names.length} account${names.length === 1 ? '' : 's'}: ${names.join(', ')}`);
      }
      const login = createLoginRequest({ locale, withUsername: Boolean(options.withUsername), endpoints: endpointOverrides(ctx) });
      ctx.io.stderr.write(`Open this address in your browser and sign in to Audible (${locale}):\n\n  ${login.url}\n\n`);
      ctx.io.stderr.write('After signing in, the browser shows an error page or a blank page: that is expected.\n');
      const pasted = await ask(ctx, 'Paste the full address of that page (it contains /ap/maplanding) and press Enter:\n> ');
      if (!pasted) throw new CliError('no address was pasted; nothing was stored', { hint: 'run `sagasync audible login` again on a terminal' });
      let code: string;
      try {
        code = parseMaplandingUrl(pasted);
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), { exitCode: 2, hint: 'copy the whole address from the browser after signing in' });
      }
      const credentials = await registerDevice(login, code, { endpoints: endpointOverrides(ctx) });
      const name = await accounts.save(credentials);
      if (options.json) return out.json({ account: name, locale });
      out.line(`Signed in: ${credentials.customerName ?? name} (${locale}); this device is registered as ${credentials.deviceName ?? 'SagaSync'}.`);
    });

  audible
    .command('logout')
    .description('Deregister this device at Audible and delete its stored credentials')
    .option('--account <name>', 'which account (see `sagasync audible accounts`)')
    .option('--locale <code>', 'the account of this marketplace')
    .option('--json', 'print JSON')
    .action(async (options: AccountOptions) => {
      const accounts = await audibleAccounts(ctx);
      const { name, client: audible } = await connect(ctx, accounts, options);
      let deregistered = true;
      try {
        await audible.deregister();
      } catch (error) {
        // Already removed at Amazon (or the password changed): the local copy goes anyway.
        if (!(SagaSyncError.isInstance(error) && error.code === 'auth_failed')) throw error;
        deregistered = false;
      }
      await accounts.remove(name);
      if (options.json) return ctx.printer.json({ account: name, deregistered, removed: true });
      ctx.printer.line(`Signed out of ${name}${deregistered ? '' : ' (the device was already removed at Audible)'}; its credentials are deleted.`);
    });

  audible
    .command('accounts')
    .description('The Audible accounts signed in (no secrets shown)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await (await audibleAccounts(ctx)).list();
      const out = ctx.printer;
      if (options.json) return out.json(list);
      if (list.length === 0) return out.line('No Audible account yet: sagasync audible login');
      out.table(['Account', 'Marketplace', 'Name', 'Device', 'Signed requests'], list.map((a) => [a.name, a.locale, a.customerName ?? '', a.deviceName ?? '', a.signed ? 'yes' : 'no (token only)']));
    });

  audible
    .command('export')
    .description('Write an audible-cli compatible library CSV and the series metadata JSON (owned and missing volumes); both import back')
    .option('--output <dir>', 'folder to write into', '.')
    .option('--account <name>', 'which account')
    .option('--locale <code>', 'the account of this marketplace')
    .option('--json', 'print JSON')
    .action(async (options: AccountOptions & { output: string }) => {
      const { buildAudibleExport, createStorageSeriesCache, fetchAccountSnapshot, writeAudibleExport } = await client();
      const accounts = await audibleAccounts(ctx);
      const { client: audible } = await connect(ctx, accounts, options);
      const { storage, ownerId } = ctx.deps();
      const seriesCache = createStorageSeriesCache({ storage, ownerId });
      const snapshot = await fetchAccountSnapshot(audible, { seriesCache });
      await seriesCache.flush?.();
      const files = buildAudibleExport(snapshot, { now: ctx.clock() });
      const written = await writeAudibleExport(resolve(ctx.io.cwd, options.output), files);
      if (options.json) return ctx.printer.json({ ...written, titles: snapshot.items.length, series: snapshot.catalogues.length });
      ctx.printer.line(`Wrote ${written.libraryPath} (${snapshot.items.length} titles) and ${written.seriesMetadataPath} (${snapshot.catalogues.length} series).`);
      ctx.printer.line(`Import them with: sagasync import ${written.libraryPath} --commit && sagasync import ${written.seriesMetadataPath} --commit`);
    });

  audible
    .command('sync')
    .description('Fetch library, series and progress from Audible and import them into the store (one logged sync run)')
    .option('--account <name>', 'which account')
    .option('--locale <code>', 'the account of this marketplace')
    .option('--preview', 'fetch and plan, write nothing')
    .option('--notion', 'then push the store to Notion')
    .option('--json', 'print JSON')
    .action(async (options: AccountOptions & { preview?: boolean; notion?: boolean }) => {
      const { createStorageSeriesCache, syncLibrary } = await client();
      const accounts = await audibleAccounts(ctx);
      const { client: audible } = await connect(ctx, accounts, options);
      const { storage, ownerId, clock } = ctx.deps();
      const report = await syncLibrary({ client: audible, storage, ownerId, clock, seriesCache: createStorageSeriesCache({ storage, ownerId }), commit: !options.preview });
      const notion = options.notion && !options.preview ? await runNotionPush(ctx, { dryRun: false, quiet: Boolean(options.json) }) : null;
      const out = ctx.printer;
      if (options.json) return out.json({ ...report, ...(notion ? { notion } : {}) });
      const s = report.import;
      out.line(`Synced ${report.account} (${report.marketplace}) in ${(report.durationMs / 1000).toFixed(1)} s: ${report.fetched.ownedTitles} titles, ${report.fetched.syntheticTitles} volumes not owned, ${report.fetched.progressReports} progress reports.`);
      out.table(
        ['', 'created', 'updated', 'unchanged'],
        (['titles', 'series', 'progress'] as const).map((k) => [k, s[k].created, s[k].updated, s[k].unchanged]),
      );
      for (const note of report.notes) out.line(out.color.dim(`note: ${note}`));
      // What was left out (a malformed item, finish dates Audible would not give), on stderr.
      for (const warning of report.warnings.slice(0, 20)) out.note(out.color.yellow(`warning: ${warning}`));
      if (report.warnings.length > 20) out.note(out.color.yellow(`warning: ... and ${report.warnings.length - 20} more (see --json)`));
      out.line(report.committed ? (report.writes === 0 ? 'Nothing changed at Audible.' : out.color.green('Committed.')) : out.color.cyan('Preview only: nothing was written.'));
    });
}
