import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportInputKind, parseExportFile, STDIN_PATH } from '../src/index.js';
import { fixture } from './helpers.js';

let dir: string;
let spoolDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audible-parser-streams-'));
  spoolDir = join(dir, 'spool');
  await mkdir(spoolDir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `bytes` into a FIFO once a reader opens it, in chunks, as a producing process would. */
function feedFifo(path: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    out.on('finish', () => resolve());
    for (let at = 0; at < bytes.length; at += 1000) out.write(bytes.subarray(at, at + 1000));
    out.end();
  });
}

describe('reading from streams', () => {
  it('a FIFO (mkfifo) is read once, as a stream: not "the file is empty", no hang', async () => {
    const path = join(dir, 'library.fifo');
    execFileSync('mkfifo', [path]);
    expect(await exportInputKind(path)).toBe('stream');
    const bytes = await readFile(fixture('audible-cli', 'library.tsv'));
    const [result] = await Promise.all([parseExportFile(path, { tempDirectory: spoolDir }), feedFifo(path, bytes)]);
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    expect(result.value.format).toBe('audible-cli-tsv');
    expect(result.value.records.titles).toHaveLength(6);
    expect(result.value.records.titles[0]).toMatchObject({ asin: '1094100846' });
    // The private copy is gone.
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('`-` reads the stdin given (a Readable), named "stdin" in issues', async () => {
    const text = await readFile(fixture('audible-cli', 'library.tsv'), 'utf8');
    const stdin = Readable.from([Buffer.from(text.slice(0, 500)), Buffer.from(text.slice(500))]);
    const result = await parseExportFile(STDIN_PATH, { stdin, tempDirectory: spoolDir });
    if (!result.success) throw new Error(JSON.stringify(result.error.issues));
    expect(result.value.records.titles).toHaveLength(6);
    expect(await exportInputKind('-')).toBe('stdin');

    const broken = await parseExportFile('-', { stdin: Readable.from([text.replace('B0AAAAAA04', 'B0SHORT')]), tempDirectory: spoolDir });
    expect(broken.success).toBe(false);
    if (!broken.success) expect(broken.error.issues[0]).toMatchObject({ file: 'stdin', column: 'asin', value: 'B0SHORT' });
    const named = await parseExportFile('-', { stdin: Readable.from(['']), fileName: 'my-wishlist.tsv', tempDirectory: spoolDir });
    expect(named.success).toBe(false);
    if (!named.success) expect(named.error.issues[0]).toMatchObject({ file: 'my-wishlist.tsv', message: 'the file is empty' });
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('what needs a second read works from a stream too: Libation dates, a Latin-1 file, JSON', async () => {
    const libation = await parseExportFile('-', { stdin: Readable.from([await readFile(fixture('libation', 'libation-export-invariant.csv'))]), tempDirectory: spoolDir });
    if (!libation.success) throw new Error(JSON.stringify(libation.error.issues));
    expect(libation.value.records.titles[0]!.purchaseDate).toBe('2020-01-02T09:15:00.000Z');

    const latin1 = Buffer.from('asin\ttitle\tseries_title\tseries_sequence\r\nB0LATIN001\tCaf\xe9\tS\t1\r\n', 'latin1');
    const decoded = await parseExportFile('-', { stdin: Readable.from([latin1]), tempDirectory: spoolDir });
    if (!decoded.success) throw new Error(JSON.stringify(decoded.error.issues));
    expect(decoded.value.records.titles[0]!.title).toBe('Café');

    const json = await parseExportFile('-', { stdin: Readable.from([await readFile(fixture('audible-api', 'library-response.json'))]), tempDirectory: spoolDir });
    expect(json.success && json.value.format).toBe('audible-api-json');
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('exportInputKind tells files, folders and missing paths apart without opening them', async () => {
    expect(await exportInputKind(fixture('audible-cli', 'library.tsv'))).toBe('file');
    expect(await exportInputKind(fixture('audible-cli'))).toBe('directory');
    expect(await exportInputKind(join(dir, 'nope.tsv'))).toBe('missing');
  });
});
