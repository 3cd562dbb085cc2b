import { basename } from 'node:path';
import type { Command } from 'commander';
import { EXPORT_FORMATS, exportInputKind, parseExportFile, type ExportFormat } from '@sagasync/audible-parser';
import { formatIssue, importLibrary, type ImportReport, type InputIssue, type LibraryRecords } from '@sagasync/core';
import { changesJson, NO_CHANGES, printChanges } from '../output/import-changes.js';
import type { Printer, ProgressDisplay } from '../output/printer.js';
import { NO_PROGRESS } from '../output/progress.js';
import { loadApi } from '../runtime/api.js';
import type { CommandContext } from '../runtime/context.js';
import { CliError, EXIT, ExitWith } from '../runtime/env.js';

interface ImportOptions {
  format?: string;
  commit?: boolean;
  skipInvalid?: boolean;
  apiUrl?: string;
  json?: boolean;
}

const FORMAT_NAMES = Object.keys(EXPORT_FORMATS);

export function registerImportCommand(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .description('Import an Audible export (audible-cli, Libation, OpenAudible, API dump, series metadata). Previews unless --commit.')
    .argument('<file>', 'the export file, or - for standard input')
    .option('--format <format>', `force a format instead of detecting it (${FORMAT_NAMES.join(', ')})`)
    .option('--commit', 'write the changes (default: preview only)')
    .option('--skip-invalid', 'import the valid rows and report the invalid ones (default: reject the whole file)')
    .option('--api-url <url>', 'send the parsed records to a deployed SagaSync API instead of the local store')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: ImportOptions) => {
      const code = await runImport(ctx, file, options);
      if (code !== EXIT.ok) throw new ExitWith(code);
    });
}

async function runImport(ctx: CommandContext, file: string, options: ImportOptions): Promise<number> {
  const out = ctx.printer;
  if (options.format !== undefined && !FORMAT_NAMES.includes(options.format)) {
    throw new CliError(`unknown format "${options.format}"`, { hint: `use one of: ${FORMAT_NAMES.join(', ')}` });
  }
  await checkReadable(file, ctx.io.stdinIsTTY ?? false);
  // One progress line for the whole run (reading, planning, writing), on a terminal only.
  const bar = options.json ? NO_PROGRESS : out.progress(`reading ${sourceName(file)}`);
  try {
    return await importFile(ctx, file, options, bar);
  } finally {
    bar.done();
  }
}

/** What the run log and the messages call the input: the file's name, or `stdin` for `-`. */
const sourceName = (file: string) => (file === '-' ? 'stdin' : basename(file));

async function importFile(ctx: CommandContext, file: string, options: ImportOptions, bar: ProgressDisplay): Promise<number> {
  const out = ctx.printer;
  const name = sourceName(file);
  const parsed = await parseExportFile(file, {
    ...(options.format ? { format: options.format as ExportFormat } : {}),
    skipInvalid: Boolean(options.skipInvalid),
    onProgress: (rows) => bar.update(rows),
  });
  // Whatever is printed next must not land on the progress line.
  const finish = () => bar.done();

  if (!parsed.success) {
    finish();
    const { issues } = parsed.error;
    if (options.json) {
      out.json({ format: parsed.error.format, rows: 0, committed: false, titles: zero(), series: zero(), progress: zero(), changes: NO_CHANGES, invalid: issues.map(issueJson), notes: [] });
    } else {
      out.note(out.color.red(`${name} is not a valid export; nothing was imported.`));
      for (const issue of issues) out.note(`  ${formatIssue(issue)}`);
      // --skip-invalid helps only with bad rows of a file whose format was recognised: not with a
      // missing file, a folder or an unknown format.
      if (parsed.error.format !== null) out.note('hint: fix the file, or run with --skip-invalid to import the valid rows only');
      else if (!options.format) out.note(`hint: if it is an export, name its format with --format (${FORMAT_NAMES.join(', ')})`);
    }
    return EXIT.invalidInput;
  }

  const { format, formatLabel, records, rows, invalid, invalidRows, warnings } = parsed.value;
  const notes = parsed.value.notes.slice();
  if (invalidRows > 0 && records.titles.length === 0 && records.progress.length === 0 && records.series.length === 0) {
    // --skip-invalid left nothing: that is a file to fix, not an import that succeeded.
    finish();
    if (options.json) out.json({ format, rows, committed: false, titles: zero(), series: zero(), progress: zero(), changes: NO_CHANGES, invalid: invalid.map(issueJson), notes });
    else {
      out.note(out.color.red(`every row of ${name} is invalid (${invalidRows} row${invalidRows === 1 ? '' : 's'}); nothing was imported.`));
      for (const issue of invalid.slice(0, 20)) out.note(`  ${formatIssue(issue)}`);
    }
    return EXIT.invalidInput;
  }
  if (options.apiUrl) {
    // Loaded only to send.
    const { postImport } = await import('../runtime/remote-api.js');
    bar.step(`sending ${count(records.titles.length)} titles to ${options.apiUrl}`);
    // A library larger than a request goes in pages, one after the other (see postImport).
    const onPage = ({ page, pages, titles }: { page: number; pages: number; titles: number }) => {
      if (pages > 1) bar.step(`sending page ${page} of ${pages} (${count(titles)} titles) to ${options.apiUrl}`);
    };
    const answer = await postImport(options.apiUrl, records, { commit: Boolean(options.commit), source: name, token: ctx.env.SAGASYNC_API_TOKEN, onPage });
    finish();
    const { summary } = answer;
    if (options.json) {
      out.json({
        format,
        rows,
        committed: answer.committed,
        ...summary,
        changes: changesJson(answer),
        invalid: invalid.map(issueJson),
        notes: [...notes, ...answer.notes],
        runId: answer.runId,
        pages: answer.pages,
      });
      return EXIT.ok;
    }
    const inPages = answer.pages > 1 ? ` in ${answer.pages} requests` : '';
    out.line(`Sent ${rows} rows (${formatLabel}) to ${options.apiUrl}${inPages}${answer.committed ? '' : ' as a preview'}.`);
    printSummary(out, summary, answer.committed);
    printChanges(out, answer, answer.committed);
    return EXIT.ok;
  }

  const deps = ctx.deps();
  const commit = Boolean(options.commit);
  // A bar with its total while planning, then while writing: each phase starts its own.
  let phase: string | null = null;
  const onProgress = (p: { phase: 'planning' | 'writing'; done: number; total: number }) => {
    if (p.phase !== phase) {
      phase = p.phase;
      bar.step(p.phase === 'planning' ? 'planning titles' : 'writing records', p.total);
    }
    bar.update(p.done, p.total);
  };
  const api = await loadApi();
  const report = await importLibrary(deps, records as LibraryRecords, { commit, source: name, kind: 'import', onProgress, listLimit: api.IMPORT_ANSWER_MAX_CHANGES });
  bar.step('listing the changes');
  // The API's answer lists what changed, named: the same lists `POST /api/import` answers with.
  const answer = await api.namedImportAnswer(deps, report, records as LibraryRecords);
  finish();
  const summary = report.summary;
  // What the plan found worth saying (series joined, reports left alone) beside what the parser did.
  notes.push(...report.notes);
  if (options.json) {
    out.json({
      format,
      rows,
      committed: report.committed,
      titles: summary.titles,
      series: summary.series,
      progress: summary.progress,
      changes: changesJson(answer),
      invalid: invalid.map(issueJson),
      warnings: warnings.map(issueJson),
      notes,
    });
    return EXIT.ok;
  }
  const c = out.color;
  out.line(`${c.bold(name)}: ${formatLabel}, ${rows} row${rows === 1 ? '' : 's'}`);
  for (const note of notes) out.line(c.dim(`  note: ${note}`));
  for (const warning of warnings.slice(0, 20)) out.line(c.yellow(`  warning: ${formatIssue(warning)}`));
  if (warnings.length > 20) out.line(c.yellow(`  ... and ${warnings.length - 20} more warnings (see --json)`));
  printSummary(out, summary, report.committed);
  printChanges(out, answer, report.committed);
  if (invalidRows > 0) {
    out.line(c.yellow(`${invalidRows} invalid row${invalidRows === 1 ? '' : 's'} skipped:`));
    for (const issue of invalid.slice(0, 20)) out.line(`  ${formatIssue(issue)}`);
    if (invalid.length > 20) out.line(`  ... and ${invalid.length - 20} more (see --json)`);
  }
  out.line(report.committed ? c.green('Committed.') : c.cyan('Preview only: nothing was written. Run again with --commit to import.'));
  return EXIT.ok;
}

const zero = () => ({ created: 0, updated: 0, unchanged: 0 });
const count = (n: number) => n.toLocaleString('en-US');

/**
 * A missing path or a folder is said as such, with a hint for that, before any parsing. `-` is
 * standard input, and a path that is not a regular file (a FIFO, `/dev/stdin`, a process
 * substitution's `/dev/fd/N`) is read as a stream: the parser says what is wrong with either.
 */
async function checkReadable(file: string, stdinIsTTY: boolean): Promise<void> {
  // Only stat: opening a FIFO here would leave the parser a stream already half read (or a hang).
  const kind = await exportInputKind(file);
  if (kind === 'stdin' && stdinIsTTY) {
    throw new CliError('`import -` reads an export from standard input, but nothing is piped in; nothing was imported', {
      exitCode: EXIT.invalidInput,
      hint: 'pipe a file in (`cat library.tsv | sagasync import -`) or give its path',
    });
  }
  if (kind === 'missing') throw new CliError(`${file} does not exist; nothing was imported`, { exitCode: EXIT.invalidInput, hint: 'check the path of the export file' });
  if (kind === 'directory') {
    throw new CliError(`${file} is a folder, not an export file; nothing was imported`, { exitCode: EXIT.invalidInput, hint: 'give the path of the export file in it' });
  }
}

function printSummary(out: Printer, summary: ImportReport['summary'], committed: boolean): void {
  const verb = committed ? ['created', 'updated', 'unchanged'] : ['to create', 'to update', 'unchanged'];
  out.table(
    ['', verb[0]!, verb[1]!, verb[2]!],
    (['titles', 'series', 'progress'] as const).map((k) => [k, summary[k].created, summary[k].updated, summary[k].unchanged]),
  );
}

function issueJson(issue: InputIssue) {
  return { line: issue.line ?? null, column: issue.column ?? issue.path ?? null, message: issue.message, ...(issue.value !== undefined ? { value: issue.value } : {}) };
}
