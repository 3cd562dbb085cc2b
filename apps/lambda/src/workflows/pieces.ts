import type { StoragePort } from '@sagasync/core';
import * as z from 'zod';

/** Staged workflow data lives a day: long enough for any run and its retries, then DynamoDB's TTL removes it. */
export const STAGING_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The most JSON text one piece holds, counted as it is stored (the text is a JSON string inside
 * the record, so quotes and backslashes count twice): an item stays well under DynamoDB's 400 KB.
 */
export const PIECE_BYTES = 300_000;

/** Pieces written at once. */
const WRITE_CONCURRENCY = 4;

export interface StagingDeps {
  storage: StoragePort;
  clock: () => Date;
}

const PieceSchema = z.object({ of: z.number().int().positive(), text: z.string() });

/** Bytes `text` takes inside a JSON string: UTF-8, with JSON's escapes. */
function escapedBytes(code: number, next: number): number {
  if (code === 0x22 || code === 0x5c) return 2;
  if (code < 0x20) return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) return (next & 0xfc00) === 0xdc00 ? 4 : 6;
  if (code >= 0xdc00 && code <= 0xdfff) return 6;
  return 3;
}

/** `text` cut into pieces of at most `maxBytes` stored bytes each, never inside a surrogate pair. */
export function splitText(text: string, maxBytes = PIECE_BYTES): string[] {
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const cost = escapedBytes(code, next);
    const pair = cost === 4;
    if (bytes + cost > maxBytes && i > start) {
      pieces.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += cost;
    if (pair) i++;
  }
  if (start < text.length || pieces.length === 0) pieces.push(text.slice(start));
  return pieces;
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}

/**
 * Stores `value` as JSON under `<key>/0` ... `<key>/<n-1>` (expiring records of `kind`, a day),
 * each piece saying how many there are. Writing the same value again writes the same pieces.
 * Returns the number of pieces.
 */
export async function putPieces(deps: StagingDeps, ownerId: string, kind: string, key: string, value: unknown): Promise<number> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${kind} ${key}: nothing to store`);
  const pieces = splitText(text);
  const now = deps.clock();
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + STAGING_TTL_MS).toISOString();
  await forEachLimited(pieces, WRITE_CONCURRENCY, async (piece, index) => {
    await deps.storage.putExpiring(ownerId, { kind, key: `${key}/${index}`, value: { of: pieces.length, text: piece }, createdAt, expiresAt }, { now });
  });
  return pieces.length;
}

/** The value `putPieces` stored under `key`, or null when it is not there (never staged, or expired). */
export async function getPieces(deps: StagingDeps, ownerId: string, kind: string, key: string): Promise<unknown> {
  const now = deps.clock();
  const read = async (index: number) => {
    const record = await deps.storage.getExpiring(ownerId, kind, `${key}/${index}`, now);
    const parsed = record ? PieceSchema.safeParse(record.value) : null;
    return parsed?.success ? parsed.data : null;
  };
  const first = await read(0);
  if (!first) return null;
  const rest = await Promise.all(Array.from({ length: first.of - 1 }, (_, i) => read(i + 1)));
  if (rest.some((piece) => piece === null || piece.of !== first.of)) return null;
  return JSON.parse([first, ...rest].map((piece) => piece!.text).join('')) as unknown;
}
