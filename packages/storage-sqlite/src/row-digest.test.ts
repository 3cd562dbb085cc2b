import { ProgressSchema, SagaSyncError, TitleSchema } from '@sagasync/core';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { rowDecoder, type RowSchema } from './row-decoder.js';
import { RowDigest } from './row-digest.js';

const data = JSON.stringify({ asin: 'B000000001', status: 'finished', percentComplete: 100 });

describe('RowDigest', () => {
  it('is the same for the same data and schema, and differs when either changes', () => {
    const a = new RowDigest(ProgressSchema);
    const b = new RowDigest(ProgressSchema);
    expect(a.of(data)).toBe(b.of(data));
    expect(a.of(data)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.of(data.replace('100', '99'))).not.toBe(a.of(data));
    // Another schema (here one that gained a field) makes other digests: rows written under the
    // old one are validated again.
    expect(new RowDigest(TitleSchema).of(data)).not.toBe(a.of(data));
    expect(new RowDigest(ProgressSchema.extend({ rating: z.number() })).of(data)).not.toBe(a.of(data));
  });

  it('matches only the digest made from the data', () => {
    const digest = new RowDigest(ProgressSchema);
    expect(digest.matches(data, digest.of(data))).toBe(true);
    expect(digest.matches(data, null)).toBe(false);
    expect(digest.matches(data, undefined)).toBe(false);
    expect(digest.matches(data, '')).toBe(false);
    expect(digest.matches(`${data} `, digest.of(data))).toBe(false);
  });
});

describe('rowDecoder', () => {
  /** A schema that counts how often it is asked, and accepts records with a string `title`. */
  function countingSchema() {
    const schema = {
      calls: 0,
      safeParse(value: unknown) {
        schema.calls++;
        const ok = typeof (value as { title?: unknown }).title === 'string';
        return ok
          ? { success: true as const, data: value as { title: string } }
          : { success: false as const, error: { issues: [{ path: ['title'], message: 'expected a string' }] } };
      },
    };
    return schema;
  }
  const digest = new RowDigest(z.object({ title: z.string() }));

  it('skips the schema for a row whose digest matches, and checks every other row', () => {
    const schema = countingSchema();
    const decode = rowDecoder(schema as RowSchema<{ title: string }>, 'things', 'store.db', true, digest);
    const row = JSON.stringify({ title: 'Dune' });
    expect(decode('local', row, 3, digest.of(row))).toEqual({ title: 'Dune', ownerId: 'local', version: 3 });
    expect(schema.calls).toBe(0);
    expect(decode('local', row, 3, null)).toEqual({ title: 'Dune', ownerId: 'local', version: 3 });
    expect(decode('local', row, 3, digest.of('{"title":"Other"}'))).toEqual({ title: 'Dune', ownerId: 'local', version: 3 });
    expect(schema.calls).toBe(2);
  });

  it('rejects an edited row that no longer fits the schema, though its old digest is still there', () => {
    const schema = countingSchema();
    const decode = rowDecoder(schema as RowSchema<{ title: string }>, 'things', 'store.db', true, digest);
    const written = JSON.stringify({ title: 'Dune' });
    const edited = JSON.stringify({ title: 42 });
    let error: unknown;
    try {
      decode('local', edited, 1, digest.of(written));
    } catch (caught) {
      error = caught;
    }
    expect(SagaSyncError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('the SagaSync store store.db holds an invalid things row (?: title: expected a string)');
  });

  it('checks nothing with validation off', () => {
    const schema = countingSchema();
    const decode = rowDecoder(schema as RowSchema<{ title: string }>, 'things', 'store.db', false, digest);
    expect(decode('local', JSON.stringify({ title: 42 }), undefined, null)).toEqual({ title: 42, ownerId: 'local' });
    expect(schema.calls).toBe(0);
  });
});
