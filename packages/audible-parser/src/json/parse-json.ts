import type { InputIssue } from '@sagasync/core';
import type { Result } from '@sagasync/core';
import { quoteText } from '../values/quote.js';

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * JSON.parse with the syntax error located (line and column) instead of thrown. JSON.parse defines
 * keys such as `__proto__` as own data properties, so parsed objects cannot pollute prototypes.
 */
export function parseJson(text: string, file: string): Result<unknown, InputIssue> {
  try {
    return { success: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
    const position = /at position (\d+)/.exec(message);
    const where = lineCol
      ? { line: Number(lineCol[1]), column: Number(lineCol[2]) }
      : lineAndColumn(text, position ? Number(position[1]) : text.length);
    const offset = position ? Number(position[1]) : text.length;
    return {
      success: false,
      error: {
        file,
        line: where.line,
        column: where.column,
        value: quoteText(text.slice(Math.max(0, offset - 20), offset + 20)),
        // V8 quotes the offending token, raw: a control byte of a binary file included.
        message: quoteText(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '')}`),
      },
    };
  }
}
