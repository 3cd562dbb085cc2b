import type { InputIssue } from '@sagasync/core';

/** The most characters of one quoted piece of a file (a value, a header) an issue shows. */
export const MAX_QUOTED_CHARS = 200;
/** A message quotes a few such pieces; it never grows past this. */
export const MAX_MESSAGE_CHARS = 2000;

// C0 and C1 controls, DEL, soft hyphen, zero-width and bidirectional controls (a right-to-left
// override can make a message read backwards), line and paragraph separators, BOM, interlinear
// annotations, and surrogates (checked one by one, so a lone half is escaped and a pair kept).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]/;

const NAMED: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };

function escapeUnit(code: number): string {
  const named = NAMED[code];
  if (named !== undefined) return named;
  const hex = code.toString(16);
  return code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * Text from a file, made fit to print in a message: control and invisible characters escaped
 * (`\x00`, `\n`, `\u202e`), so a binary file cannot garble a terminal, and cut to `max`
 * characters (`…` marks the cut), so a 50 MB header line does not become a 50 MB message. Only
 * the start of a long text is looked at. Every place that quotes file content goes through here.
 */
export function quoteText(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max && !UNSAFE.test(text)) return text;
  let out = '';
  // Length of `out` at the last piece boundary that still leaves room for the `…`.
  let cut = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let piece: string;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      piece = text.slice(i, i + 2);
      i++;
    } else if (code < 0x20 || (code >= 0x7f && UNSAFE.test(text[i]!))) piece = escapeUnit(code);
    else piece = text[i]!;
    out += piece;
    if (out.length > max) return `${out.slice(0, cut)}…`;
    if (out.length <= max - 1) cut = out.length;
  }
  return out;
}

/** An issue with every text field passed through `quoteText` (the last guard before a user sees it). */
export function safeIssue(issue: InputIssue): InputIssue {
  const safe: InputIssue = { ...issue, message: quoteText(issue.message, MAX_MESSAGE_CHARS) };
  if (issue.file !== undefined) safe.file = quoteText(issue.file, MAX_MESSAGE_CHARS);
  if (typeof issue.column === 'string') safe.column = quoteText(issue.column);
  if (issue.path !== undefined) safe.path = quoteText(issue.path, MAX_MESSAGE_CHARS);
  if (issue.value !== undefined) safe.value = quoteText(issue.value);
  return safe;
}
