import { basename } from 'node:path';
import type { Command } from 'commander';
import { EXPORT_FORMATS, parseExportFile, type ExportFormat } from '@sagasync/audible-parser';
import { formatIssue, importLibrary, type ImportReport, type InputIssue, type LibraryRecords } from '@sagasync/core';
import type { Printer } from '../output/printer.js';
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
    .argument('<file>', 'the export file')
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
  await checkReadable(file);
  const bar = options.json ? null : out.progress(`reading ${basename(file)}`);
  const parsed = await parseExportFile(file, {
    ...(options.format ? { format: options.format as ExportFormat } : {}),
    skipInvalid: Boolean(options.skipInvalid),
    onProgress: (rows) => bar?.update(rows),
  });
  bar?.done();

  if (!parsed.success) {
    const { issues } = parsed.error;
    if (options.json) {
      out.json({ format: parsed.error.format, rows: 0, committed: false, titles: zero(), series: zero(), progress: zero(), invalid: issues.map(issueJson), notes: [] });
    } else {
      out.note(out.color.red(`${basename(file)} is not a valid export; nothing was imported.`));
      for (const issue of issues) out.note(`  ${formatIssue(issue)}`);
      // --skip-invalid helps only with bad rows of a file whose format was recognised: not with a
      // missing file, a folder or an unknown format.
      if (parsed.error.format !== null) out.note('hint: fix the file, or run with --skip-invalid to import the valid rows only');
      else if (!options.format) out.note(`hint: if it is an export, name its format with --format (${FORMAT_NAMES.join(', ')})`);
    }
    return EXIT.invalidInput;
  }

  const { format, formatLabel, records, rows, invalid, invalidRows, notes } = parsed.value;
  if (invalidRows > 0 && records.titles.length === 0 && records.progress.length === 0 && records.series.length === 0) {
    // --skip-invalid left nothing: that is a file to fix, not an import that succeeded.
    if (options.json) out.json({ format, rows, committed: false, titles: zero(), series: zero(), progress: zero(), invalid: invalid.map(issueJson), notes });
    else {
      out.note(out.color.red(`every row of ${basename(file)} is invalid (${invalidRows} row${invalidRows === 1 ? '' : 's'}); nothing was imported.`));
      for (const issue of invalid.slice(0, 20)) out.note(`  ${formatIssue(issue)}`);
    }
    return EXIT.invalidInput;
  }
  if (options.apiUrl) {
    // Loaded only to send: a local import never loads the API package.
    const { postImport } = await import('../runtime/remote-api.js');
    const answer = await postImport(options.apiUrl, records, { commit: Boolean(options.commit), source: basename(file), token: ctx.env.SAGASYNC_API_TOKEN });
    const { summary } = answer;
    if (options.json) {
      out.json({ format, rows, committed: answer.committed, ...summary, invalid: invalid.map(issueJson), notes: [...notes, ...answer.notes], runId: answer.runId });
      return EXIT.ok;
    }
    out.line(`Sent ${rows} rows (${formatLabel}) to ${options.apiUrl}${answer.committed ? '' : ' as a preview'}.`);
    printSummary(out, summary, answer.committed);
    return EXIT.ok;
  }

  const report = await importLibrary(ctx.deps(), records as LibraryRecords, {
    commit: Boolean(options.commit),
    source: basename(file),
    kind: 'import',
  });
  const summary = report.summary;
  if (options.json) {
    out.json({
      format,
      rows,
      committed: report.committed,
      titles: summary.titles,
      series: summary.series,
      progress: summary.progress,
      invalid: invalid.map(issueJson),
      notes,
    });
    return EXIT.ok;
  }
  const c = out.color;
  out.line(`${c.bold(basename(file))}: ${formatLabel}, ${rows} row${rows === 1 ? '' : 's'}`);
  for (const note of notes) out.line(c.dim(`  note: ${note}`));
  printSummary(out, summary, report.committed);
  if (invalidRows > 0) {
    out.line(c.yellow(`${invalidRows} invalid row${invalidRows === 1 ? '' : 's'} skipped:`));
    for (const issue of invalid.slice(0, 20)) out.line(`  ${formatIssue(issue)}`);
    if (invalid.length > 20) out.line(`  ... and ${invalid.length - 20} more (see --json)`);
  }
  out.line(report.committed ? c.green('Committed.') : c.cyan('Preview only: nothing was written. Run again with --commit to import.'));
  return EXIT.ok;
}

const zero = () => ({ created: 0, updated: 0, unchanged: 0 });

/** A missing path or a folder is said as such, with a hint for that, before any parsing. */
async function checkReadable(file: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? null : undefined));
  if (info === null) throw new CliError(`${file} does not exist; nothing was imported`, { exitCode: EXIT.invalidInput, hint: 'check the path of the export file' });
  if (info?.isDirectory()) {
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
