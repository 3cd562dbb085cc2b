import type { Command } from 'commander';
import { createCredentialSealer, copyOwner, dumpLines, dumpOwner, type CopyOwnerResult, type CredentialKey } from '@sagasync/storage';
import type { CommandContext } from '../runtime/context.js';
import { CliError, type CliEnv } from '../runtime/env.js';
import { LOCAL_OWNER } from '../runtime/store.js';
import { describeStore, openStoreSpec, parseStoreSpec, type OpenedStore } from '../runtime/store-spec.js';

const STORE_FORMS = 'a SQLite file path, a postgres:// URL, or dynamodb:<table> (AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB apply)';

export function registerStoreCommands(program: Command, ctx: CommandContext): void {
  const store = program.command('store').description('Move a whole store to another database, or print it to compare two');

  store
    .command('copy')
    .description(
      'Copy one owner\'s whole store (titles, series, progress and its history, baselines, aliases, links, conflicts, decisions, settings, credentials, Notion mirror records) into another store. Records already equal are skipped, so running it again resumes or does nothing.',
    )
    .requiredOption('--to <store>', `where to copy to: ${STORE_FORMS}; a missing SQLite file or DynamoDB table is created`)
    .option('--from <store>', 'where to copy from (default: this CLI\'s store)')
    .option('--from-owner <id>', 'the owner to copy (the CLI\'s own is "local")', LOCAL_OWNER)
    .option('--to-owner <id>', 'the owner to copy into, e.g. a server user\'s id', LOCAL_OWNER)
    .option('--reencrypt', 'open credentials with SAGASYNC_SECRET (or SAGASYNC_PASSPHRASE) and seal them with SAGASYNC_TARGET_SECRET (or SAGASYNC_TARGET_PASSPHRASE); without it they are copied sealed as they are')
    .option('--force', 'overwrite target records changed after the source\'s, and delete those only the target has')
    .option('--dry-run', 'compare and report; write nothing')
    .option('--json', 'print JSON')
    .action(async (options: { to: string; from?: string; fromOwner: string; toOwner: string; reencrypt?: boolean; force?: boolean; dryRun?: boolean; json?: boolean }) => {
      const fromSpec = parseStoreSpec(options.from ?? ctx.storePath, ctx.io.cwd, '--from');
      const toSpec = parseStoreSpec(options.to, ctx.io.cwd, '--to');
      if (describeStore(fromSpec) === describeStore(toSpec) && options.fromOwner === options.toOwner) {
        throw new CliError('--from and --to name the same store and owner; there is nothing to copy', { hint: 'give another --to, or another --to-owner' });
      }
      const reencrypt = options.reencrypt ? sealers(ctx.env) : undefined;
      const opened: OpenedStore[] = [];
      try {
        const from = await openStoreSpec(fromSpec, ctx.env, { create: false, flag: '--from' });
        opened.push(from);
        const to = await openStoreSpec(toSpec, ctx.env, { create: !options.dryRun, flag: '--to' });
        opened.push(to);
        const progress = options.json ? null : ctx.printer.progress('Copying');
        let result: CopyOwnerResult;
        try {
          result = await copyOwner({
            from: from.storage,
            fromOwner: options.fromOwner,
            to: to.storage,
            toOwner: options.toOwner,
            force: Boolean(options.force),
            dryRun: Boolean(options.dryRun),
            ...(reencrypt ? { reencrypt } : {}),
            onProgress: (done, total) => progress?.update(done, total),
          });
        } finally {
          progress?.done();
        }
        printResult(ctx, result, `${describeStore(fromSpec)} (owner ${options.fromOwner})`, `${describeStore(toSpec)} (owner ${options.toOwner})`, Boolean(options.json));
      } finally {
        for (const store of opened.reverse()) await store.close();
      }
    });

  store
    .command('dump')
    .description('Print every record of an owner in a canonical order, without owner or versions, so two stores compare with diff')
    .argument('[store]', `the store to print: ${STORE_FORMS} (default: this CLI's store)`)
    .option('--owner <id>', 'whose records', LOCAL_OWNER)
    .option('--json', 'print JSON: {"owner", "records": [{"kind", "key", "data"}]}')
    .action(async (storeArg: string | undefined, options: { owner: string; json?: boolean }) => {
      const spec = parseStoreSpec(storeArg ?? ctx.storePath, ctx.io.cwd, 'store');
      const opened = await openStoreSpec(spec, ctx.env, { create: false, flag: 'store' });
      try {
        const dump = await dumpOwner(opened.storage, options.owner);
        if (options.json) return ctx.printer.json({ owner: options.owner, records: dump.records });
        for (const line of dumpLines(dump)) ctx.printer.line(line);
      } finally {
        await opened.close();
      }
    });
}

/** The keys `--reencrypt` opens and seals with; both must be given, and never leave the process. */
function sealers(env: CliEnv) {
  const source: CredentialKey | null = env.SAGASYNC_SECRET ? { secret: env.SAGASYNC_SECRET } : env.SAGASYNC_PASSPHRASE ? { passphrase: env.SAGASYNC_PASSPHRASE } : null;
  const target: CredentialKey | null = env.SAGASYNC_TARGET_SECRET
    ? { secret: env.SAGASYNC_TARGET_SECRET }
    : env.SAGASYNC_TARGET_PASSPHRASE
      ? { passphrase: env.SAGASYNC_TARGET_PASSPHRASE }
      : null;
  if (!source) throw new CliError('--reencrypt needs the key the source\'s credentials were saved with', { hint: 'set SAGASYNC_SECRET or SAGASYNC_PASSPHRASE' });
  if (!target) throw new CliError('--reencrypt needs the key to save them with in the target', { hint: 'set SAGASYNC_TARGET_SECRET (e.g. the server\'s SAGASYNC_SECRET) or SAGASYNC_TARGET_PASSPHRASE' });
  return { source: createCredentialSealer(source), target: createCredentialSealer(target) };
}

const count = (n: number) => n.toLocaleString('en-US');

function printResult(ctx: CommandContext, result: CopyOwnerResult, from: string, to: string, json: boolean): void {
  const out = ctx.printer;
  if (json) return out.json({ from, to, ...result });
  const verb = result.dryRun ? 'Would copy' : 'Copied';
  const writes = result.dryRun ? result.counts.reduce((sum, c) => sum + c.writes, 0) : result.written;
  const deletes = result.dryRun ? result.counts.reduce((sum, c) => sum + c.deletes, 0) : result.deleted;
  out.line(`${verb} ${count(writes)} record${writes === 1 ? '' : 's'} from ${from} to ${to}; ${count(result.unchanged)} already the same${deletes ? `, ${count(deletes)} deleted from the target` : ''}.`);
  const rows = result.counts.filter((c) => c.source > 0 || c.writes > 0 || c.deletes > 0).map((c) => [c.kind, count(c.source), count(c.writes), count(c.deletes)]);
  if (rows.length > 0) out.table(['records', 'in source', result.dryRun ? 'to write' : 'written', result.dryRun ? 'to delete' : 'deleted'], rows);
  if (result.newerInTarget.length > 0) out.line(`${result.dryRun ? 'Would overwrite or delete' : 'Overwrote or deleted'} ${count(result.newerInTarget.length)} target record${result.newerInTarget.length === 1 ? '' : 's'} newer than the source's (--force).`);
  if (result.leftInTarget.length > 0) {
    out.line(`Left ${count(result.leftInTarget.length)} target record${result.leftInTarget.length === 1 ? '' : 's'} the source lacks that a store cannot remove (append-only history, progress, runs).`);
  }
}
