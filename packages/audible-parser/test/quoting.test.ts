import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, type InputIssue } from '@sagasync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportFile, parseExportText } from '../src/index.js';
import { fixture, parseFail } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audible-parser-quoting-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// No NUL, bell, escape or DEL ever reaches a message raw.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function expectPrintable(issues: readonly InputIssue[]): void {
  for (const issue of issues) {
    const text = formatIssue(issue);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(issue.message).not.toMatch(RAW_CONTROL);
    expect(issue.value?.length ?? 0).toBeLessThanOrEqual(200);
    expect(text.length).toBeLessThan(3000);
  }
}

describe('issues quote at most ~200 characters, never raw control bytes', () => {
  it('a huge header line gives a short message', async () => {
    const path = join(dir, 'huge-header.csv');
    await writeFile(path, `${'x'.repeat(20_000_000)}\nB0AAAAAA01\n`);
    const failure = await parseFail(path);
    expectPrintable(failure.issues);
    expect(failure.issues[0]!.message).toMatch(/^unknown format: its header \(x{59}…\) matches none of them/);
    expect(Buffer.byteLength(JSON.stringify(failure))).toBeLessThan(4000);
  });

  it('a huge header that is known otherwise lists its other columns shortened', async () => {
    const path = join(dir, 'wide.tsv');
    await writeFile(path, `title\tseries_title\truntime_length_min\t${'y'.repeat(300_000)}\nT\tS\t10\tz\n`);
    const missing = await parseFail(path);
    expectPrintable(missing.issues);
    expect(missing.issues[0]).toMatchObject({ column: 'asin', message: 'missing required column "asin"' });
  });

  it('a PNG is binary; random bytes are binary; neither is echoed', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61', 'hex');
    const pngPath = join(dir, 'cover.png');
    await writeFile(pngPath, png);
    const pngFailure = await parseFail(pngPath);
    expect(pngFailure.issues[0]!.message).toMatch(/binary/);
    expectPrintable(pngFailure.issues);

    // Deterministic noise without NUL bytes, so only the control-byte count can tell.
    let seed = 12345;
    const noise = Buffer.alloc(4096, 0).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >> 16) % 255 + 1;
    });
    const noisePath = join(dir, 'noise.bin');
    await writeFile(noisePath, noise);
    const noiseFailure = await parseFail(noisePath);
    expect(noiseFailure.issues[0]!.message).toMatch(/binary/);
    expectPrintable(noiseFailure.issues);
  });

  it('control characters inside a cell are escaped in the issue value', async () => {
    // A NUL anywhere in the head makes the file binary; past the head, it is a cell like another.
    const result = await parseExportText('asin\ttitle\tseries_title\tseries_sequence\r\nB0\u0001\u001b[31mBAD\u202e\tT\tS\t1\r\n', 'library.tsv');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues[0]).toMatchObject({ line: 2, column: 'asin', value: 'B0\\x01\\x1b[31mBAD\\u202e' });
    expectPrintable(result.error.issues);
  });

  it('invalid JSON with control bytes is quoted safely', async () => {
    const result = await parseExportText('{"items": [\u0007\u0001]}', 'dump.json');
    expect(result.success).toBe(false);
    if (!result.success) expectPrintable(result.error.issues);
  });
});

describe('a malformed CSV quote', () => {
  it('is refused with its line and column, not imported as a mangled title', async () => {
    const path = fixture('bad', 'broken-quote.csv');
    const failure = await parseFail(path);
    expect(failure.issues).toEqual([
      {
        file: path,
        line: 3,
        column: 'title',
        value: '"Broken Children of Dune,"D',
        message: 'malformed quotes: text follows the closing quote of a quoted field; a field with quotes in it must be quoted whole, each quote inside doubled ("")',
      },
    ]);
    // Structural: skip-invalid does not import around it either.
    const skipping = await parseExportFile(path, { skipInvalid: true });
    expect(skipping.success).toBe(false);
  });
});
