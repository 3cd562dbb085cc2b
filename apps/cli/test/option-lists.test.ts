import { LOCALE_CODES } from '@sagasync/audible-client';
import { ColumnMappingSchema, FILE_SOURCES } from '@sagasync/matcher';
import { describe, expect, it } from 'vitest';
import { MARKETPLACES } from '../src/commands/audible.js';
import { COLUMN_FIELDS, TRACKER_FILE_SOURCES } from '../src/commands/match.js';

// The CLI spells these lists out so that `--help` and unrelated commands do not load the packages
// (start-up time); they must stay what the packages accept.
describe('option lists the CLI shows', () => {
  it('match the packages they stand for', () => {
    expect([...TRACKER_FILE_SOURCES]).toEqual([...FILE_SOURCES]);
    expect([...COLUMN_FIELDS].sort()).toEqual(Object.keys(ColumnMappingSchema.shape).sort());
    expect([...MARKETPLACES].sort()).toEqual([...LOCALE_CODES].sort());
  });
});
