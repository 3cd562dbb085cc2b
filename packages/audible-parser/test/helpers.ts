import { join } from 'node:path';
import { LibraryRecordsSchema } from '@sagasync/core';
import type { InputIssue } from '@sagasync/core';
import { expect } from 'vitest';
import { parseExportFile, type ParseOptions, type ParsedExport, type ParseFailure } from '../src/index.js';

export const fixture = (...parts: string[]) => join(import.meta.dirname, 'fixtures', ...parts);

/** Parses a fixture that must succeed; the records must satisfy core's schema. */
export async function parseOk(path: string, options?: ParseOptions): Promise<ParsedExport> {
  const result = await parseExportFile(path, options);
  if (!result.success) throw new Error(`expected success, got ${JSON.stringify(result.error.issues, null, 2)}`);
  LibraryRecordsSchema.parse(result.value.records);
  return result.value;
}

export async function parseFail(path: string, options?: ParseOptions): Promise<ParseFailure> {
  const result = await parseExportFile(path, options);
  if (result.success) throw new Error(`expected failure, got ${result.value.records.titles.length} titles`);
  return result.error;
}

/** Every problem must say where it is: the file, and a line or a JSON path. */
export function expectLocated(issue: InputIssue): void {
  expect(issue.file).toBeTruthy();
  expect(issue.line !== undefined || issue.path !== undefined).toBe(true);
  expect(issue.message.length).toBeGreaterThan(0);
}
