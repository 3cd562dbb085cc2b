import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, EXPORT_FORMAT_IDS, exportFormatLabel, formatContainer, isExportFormat } from './export-format.js';

describe('EXPORT_FORMATS', () => {
  it('is keyed by format id, in help order, with a label each', () => {
    expect(Object.keys(EXPORT_FORMATS)).toEqual([...EXPORT_FORMAT_IDS]);
    for (const id of EXPORT_FORMAT_IDS) {
      expect(EXPORT_FORMATS[id].id).toBe(id);
      expect(exportFormatLabel(id)).toBe(EXPORT_FORMATS[id].label);
    }
    expect(Object.isFrozen(EXPORT_FORMATS)).toBe(true);
  });

  it('tells format ids from other strings, prototype names included', () => {
    expect(isExportFormat('libation-csv')).toBe(true);
    for (const other of ['csv', 'constructor', '__proto__', 'toString', 42]) expect(isExportFormat(other)).toBe(false);
  });

  it('knows which formats are delimited, JSON or either', () => {
    expect(formatContainer('audible-cli-tsv')).toBe('delimited');
    expect(formatContainer('audible-api-json')).toBe('json');
    expect(formatContainer('audible-cli-wishlist')).toBe('either');
  });
});
