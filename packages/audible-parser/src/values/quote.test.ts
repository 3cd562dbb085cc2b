import { describe, expect, it } from 'vitest';
import { quoteText, safeIssue } from './quote.js';

describe('quoteText', () => {
  it('leaves short printable text alone', () => {
    expect(quoteText('Café 🎧 — größer')).toBe('Café 🎧 — größer');
  });

  it('escapes controls, DEL, C1, bidirectional overrides and lone surrogates; keeps surrogate pairs', () => {
    expect(quoteText('a\u0000b\tc\nd\re\u001b[0m\u007f\u0085\u202e\ud800x🎧')).toBe('a\\x00b\\tc\\nd\\re\\x1b[0m\\x7f\\x85\\u202e\\ud800x🎧');
  });

  it('cuts to the limit, escapes counted, without splitting a pair or an escape', () => {
    expect(quoteText('x'.repeat(50_000_000))).toHaveLength(200);
    expect(quoteText('x'.repeat(300)).endsWith('x…')).toBe(true);
    expect(quoteText('\u0000'.repeat(10), 10)).toBe('\\x00\\x00…');
    expect(quoteText('🎧'.repeat(10), 5)).toBe('🎧🎧…');
    expect(quoteText('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('safeIssue bounds every text field of an issue', () => {
    const issue = safeIssue({ file: 'f\u0007', line: 1, column: 'c'.repeat(500), value: 'v\u0000', message: `m${'\u0001'.repeat(5000)}` });
    expect(issue.file).toBe('f\\x07');
    expect(issue.column).toHaveLength(200);
    expect(issue.value).toBe('v\\x00');
    expect(issue.message.length).toBeLessThanOrEqual(2000);
    expect(issue.message).not.toMatch(/[\u0000-\u001f]/);
  });
});
