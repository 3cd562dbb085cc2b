import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { exportInputKind, parseExportFile } from '@sagasync/audible-parser';
import { formatIssue, SagaSyncError, silentLogger, UserNameInputSchema, type LibraryRecords, type Logger } from '@sagasync/core';
import { createDynamoDirectory, createDynamoStorage, documentClientFor } from '@sagasync/storage-dynamodb';
import { LambdaEnvSchema } from '../runtime/env.js';
import { jsonLogger } from '../runtime/log.js';
import { loadSecrets } from '../runtime/secrets.js';
import { dynamoOwnerPartitions } from './dynamo-partitions.js';
import {
  DEFAULT_NOTION_SECRET_ID,
  defaultSagaSyncSecretId,
  describePlan,
  describeSummary,
  KEPT_DESCRIPTION,
  libraryTableName,
  planReset,
  RESET_STEPS,
  STEP_TITLES,
  type ExportSummary,
  type ResetStep,
} from './plan-reset.js';
import { ResetStepError, runReset, surveyReset, type ResetProgress } from './run-reset.js';

/** Notion requests a second while trashing: slow, as the original advised (Notion's limit is 3). */
const NOTION_REQUESTS_PER_SECOND = 1;

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export const USAGE = `Usage: npm run reset -- --user <name> --file <export> [--stage dev] [--dry-run] [--yes]
                          [--table <name>] [--region <region>] [--notion-rps <n>]

Resets one user's SagaSync library on a deployed stage, as the original's reset workflow did by
hand, in four steps that each pick up where an interrupted run stopped (run it again to finish):

  1. ${STEP_TITLES.notion}: the pages SagaSync created go to the Notion trash (restorable
     there), slowly (--notion-rps, default ${NOTION_REQUESTS_PER_SECOND}); the user's own pages are left alone
  2. ${STEP_TITLES.empty}: titles, series, progress and history, baselines, series aliases,
     tracker books, links, conflicts, Notion mirror records, cached series statuses
  3. ${STEP_TITLES.import}: the Audible export given with --file (any format \`sagasync import\` reads)
  4. ${STEP_TITLES.series}

Kept:
${KEPT_DESCRIPTION.map((line) => `  - ${line}`).join('\n')}

Options:
  --stage <stage>    the stage: part of every resource name, SagaSync-<stage>-... (default dev)
  --user <name>      the user whose library is reset (a name from the directory, or a user id)
  --file <export>    the Audible export to import after emptying
  --dry-run          show what would happen, change nothing
  -y, --yes          go ahead without asking (needed when no one is at a terminal)
  --table <name>     the DynamoDB table (default SagaSync-<stage>-Library)
  --region <region>  the AWS region (default: the SDK's, from AWS_REGION or the profile)
  --notion-rps <n>   Notion requests a second while archiving (default ${NOTION_REQUESTS_PER_SECOND})
  -h, --help         this text

Secrets come from Secrets Manager: the Notion token from SAGASYNC_NOTION_SECRET_ID (default
${DEFAULT_NOTION_SECRET_ID}), read only when the user mirrors into Notion, beside the stage's SagaSync
secret (SAGASYNC_SECRET_ID, default sagasync/<stage>/secret). Local runs point the SDK elsewhere with
AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_SECRETS_MANAGER, and Notion with SAGASYNC_NOTION_API_URL.`;

export interface ResetIo {
  /** A line of the plan or the summary (stdout). */
  out(line: string): void;
  /** Progress and errors (stderr), as given: the caller adds no newline. */
  err(text: string): void;
  /** Someone is at a terminal to be asked (stdin is one). */
  isTTY: boolean;
  /** Asks a question on the terminal; null when there is no answer (input closed). */
  prompt(question: string): Promise<string | null>;
}

export interface ResetCommandDeps {
  env: NodeJS.ProcessEnv;
  io: ResetIo;
}

/** A problem with what was asked: one line, exit code 2, nothing changed. */
class BadInput extends Error {}

interface Options {
  stage: string;
  user: string;
  file: string;
  dryRun: boolean;
  yes: boolean;
  table: string;
  region: string | null;
  notionRps: number;
}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stage: { type: 'string', default: 'dev' },
        user: { type: 'string' },
        file: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        table: { type: 'string' },
        region: { type: 'string' },
        'notion-rps': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new BadInput(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (values.help) return 'help';
  const stage = LambdaEnvSchema.shape.SAGASYNC_STAGE.safeParse(values.stage);
  if (!stage.success) throw new BadInput(`--stage "${values.stage}": ${stage.error.issues[0]?.message ?? 'not a stage name'}`);
  if (!values.user) throw new BadInput('--user is required: the name of the user whose library is reset');
  if (!values.file) throw new BadInput('--file is required: the Audible export to import after emptying');
  const notionRps = values['notion-rps'] === undefined ? NOTION_REQUESTS_PER_SECOND : Number(values['notion-rps']);
  if (!Number.isFinite(notionRps) || notionRps <= 0) throw new BadInput(`--notion-rps "${values['notion-rps']}": a number of requests a second above 0 (Notion allows 3 on average)`);
  // npm runs the script in apps/lambda; a relative path means where the command was typed.
  const base = env.INIT_CWD ?? process.cwd();
  return {
    stage: stage.data,
    user: values.user,
    file: resolve(base, values.file),
    dryRun: values['dry-run'],
    yes: values.yes,
    table: values.table ?? libraryTableName(stage.data),
    region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? null,
    notionRps,
  };
}

/** The export, parsed before anything else: an unreadable or invalid file changes nothing. */
async function readExport(file: string): Promise<{ records: LibraryRecords; summary: ExportSummary }> {
  const name = basename(file);
  const kind = await exportInputKind(file);
  if (kind === 'missing') throw new BadInput(`--file ${file} does not exist; nothing was changed`);
  if (kind === 'directory') throw new BadInput(`--file ${file} is a folder, not an export file; nothing was changed`);
  if (kind === 'stdin') throw new BadInput('--file - (standard input) is not supported: give the path of the export file');
  const parsed = await parseExportFile(file, { fileName: name });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new BadInput(`${name} is not a valid export${first ? `: ${formatIssue(first)}` : ''}; nothing was changed`);
  }
  const { records, formatLabel, rows, invalidRows } = parsed.value;
  return {
    records: records as LibraryRecords,
    summary: { file: name, formatLabel, rows, titles: records.titles.length, series: records.series.length, progress: records.progress.length, invalidRows },
  };
}

const errorName = (error: unknown) => (error as { name?: unknown } | null)?.name;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Step lines, and on a terminal one live progress line. */
function progressDisplay(io: ResetIo) {
  let live = false;
  let last = 0;
  const clear = () => {
    if (live) io.err('\r\x1b[K');
    live = false;
  };
  return {
    step(event: { step: ResetStep; state: 'started' | 'done' | 'skipped' }) {
      clear();
      const n = RESET_STEPS.indexOf(event.step) + 1;
      io.err(`[${n}/${RESET_STEPS.length}] ${STEP_TITLES[event.step]}: ${event.state === 'started' ? '...' : event.state}\n`);
    },
    update(p: ResetProgress) {
      if (!io.isTTY) return;
      const now = Date.now();
      if (now - last < 100 && p.done !== p.total) return;
      last = now;
      io.err(`\r\x1b[K      ${p.label}: ${p.done.toLocaleString('en-US')}${p.total === null ? '' : ` of ${p.total.toLocaleString('en-US')}`}`);
      live = true;
    },
    done: clear,
  };
}

/**
 * `npm run reset`: checks everything it can before changing anything (options, the export, the
 * table, the user, the Notion token), shows the plan, asks (unless --yes), runs the steps with
 * progress on stderr and prints a summary. Returns the exit code: 0 done (or a dry run), 1 the
 * reset failed or was cancelled, 2 bad input (nothing changed). Never prints a stack trace.
 */
export async function resetCommand(argv: string[], deps: ResetCommandDeps): Promise<number> {
  const { io, env } = deps;
  const fail = (message: string, code: number) => {
    io.err(`reset: ${message}\n`);
    return code;
  };
  let options: Options | 'help';
  let exported: Awaited<ReturnType<typeof readExport>>;
  try {
    options = readOptions(argv, env);
    if (options === 'help') {
      io.out(USAGE);
      return EXIT.ok;
    }
    exported = await readExport(options.file);
  } catch (error) {
    if (error instanceof BadInput) return fail(error.message, EXIT.badInput);
    return fail(messageOf(error), EXIT.failed);
  }
  const log: Logger = env.LOG_LEVEL && env.LOG_LEVEL !== 'silent' ? jsonLogger(LambdaEnvSchema.shape.LOG_LEVEL.catch('info').parse(env.LOG_LEVEL), (line) => io.err(`${line}\n`)) : silentLogger;

  const regionConfig = options.region ? { region: options.region } : {};
  const client = new DynamoDBClient(regionConfig);
  const documentClient = documentClientFor(client);
  const storage = createDynamoStorage({ documentClient, tableName: options.table });
  const directory = createDynamoDirectory({ documentClient, tableName: options.table });
  const partitions = dynamoOwnerPartitions(documentClient, options.table);
  const where = `${options.table}${options.region ? ` (${options.region})` : ''}`;
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: options.table }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') {
        throw new BadInput(`there is no table ${where}: is stage "${options.stage}" deployed there? (--table names another table)`);
      }
      if (/region is missing/i.test(messageOf(error))) throw new BadInput('no AWS region: pass --region or set AWS_REGION');
      throw new Error(`could not read the table ${where}: ${messageOf(error)}`);
    }
    // A name as typed (`Alice` is `alice`), else a user id.
    const name = UserNameInputSchema.safeParse(options.user);
    const user = (name.success ? await directory.getUserByName(name.data) : null) ?? (await directory.getUser(options.user).catch(() => null));
    if (!user) throw new BadInput(`there is no user "${options.user}" in ${where}; nothing was changed`);

    const ownerId = user.id;
    const base = { storage, ownerId, log, partitions };
    const survey = await surveyReset({ ...base, notion: null });

    // The Notion token, only when the user mirrors into Notion.
    const notionSecretId = env.SAGASYNC_NOTION_SECRET_ID || DEFAULT_NOTION_SECRET_ID;
    let notionToken: string | null = null;
    if (survey.notion.configured) {
      const secretsClient = new SecretsManagerClient(regionConfig);
      try {
        const secrets = await loadSecrets({ sagasyncSecretId: env.SAGASYNC_SECRET_ID || defaultSagaSyncSecretId(options.stage), notionTokenId: notionSecretId }, secretsClient);
        notionToken = secrets.notionToken;
      } catch (error) {
        throw new BadInput(messageOf(error));
      } finally {
        secretsClient.destroy();
      }
    }

    const plan = planReset({
      target: { stage: options.stage, table: options.table, region: options.region, user: { id: user.id, name: user.name } },
      inventory: survey.inventory,
      notion: survey.notion,
      export: exported.summary,
      notionToken: notionToken !== null,
      notionSecretId,
    });
    for (const line of describePlan(plan)) io.out(line);
    if (plan.blockers.length > 0) return fail(`cannot reset: ${plan.blockers.join('; ')}; nothing was changed`, EXIT.badInput);
    if (options.dryRun) {
      io.out('Dry run: nothing was changed.');
      return EXIT.ok;
    }
    if (!options.yes) {
      if (!io.isTTY) return fail('a reset deletes the library and asks first, but no one is at a terminal; nothing was changed (pass --yes to go ahead)', EXIT.badInput);
      const answer = await io.prompt(`Reset the library of "${user.name}" on stage ${options.stage}? This cannot be undone. [y/N] `);
      if (answer === null || !/^\s*y(es)?\s*$/i.test(answer)) return fail('cancelled; nothing was changed', EXIT.failed);
    }

    const display = progressDisplay(io);
    try {
      const summary = await runReset(
        {
          ...base,
          notion: notionToken
            ? { token: notionToken, requestsPerSecond: options.notionRps, ...(env.SAGASYNC_NOTION_API_URL ? { baseUrl: env.SAGASYNC_NOTION_API_URL } : {}) }
            : null,
          onStep: (event) => display.step(event),
          onProgress: (p) => display.update(p),
        },
        { records: exported.records, source: exported.summary.file },
      );
      display.done();
      for (const line of describeSummary(summary)) io.out(line);
      return EXIT.ok;
    } finally {
      display.done();
    }
  } catch (error) {
    if (error instanceof BadInput) return fail(error.message, EXIT.badInput);
    if (error instanceof ResetStepError) {
      fail(error.message, EXIT.failed);
      io.err('Run the same command again: every step picks up where it stopped.\n');
      return EXIT.failed;
    }
    if (SagaSyncError.isInstance(error)) return fail(error.message, EXIT.failed);
    if (env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return fail(messageOf(error), EXIT.failed);
  } finally {
    await storage.close().catch(() => undefined);
    await directory.close().catch(() => undefined);
    client.destroy();
  }
}
