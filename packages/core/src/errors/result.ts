/** Expected failures (parsing, matching, rules) are values, not throws. */
export type Result<T, E> = { success: true; value: T } | { success: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ success: true, value });
export const err = <E>(error: E): Result<never, E> => ({ success: false, error });

/** A problem found in user input, pointing at where it is. */
export interface InputIssue {
  /** File name or source label. */
  file?: string;
  /** 1-based line, for line-oriented input. */
  line?: number;
  /** Column name (or 1-based index) for tabular input. */
  column?: string | number;
  /** JSON path such as `$[3].series[0].sequence`, for JSON input. */
  path?: string;
  /** The offending value, shortened for display. */
  value?: string;
  message: string;
}

export function formatIssue(issue: InputIssue): string {
  const where = [issue.file, issue.line !== undefined ? `line ${issue.line}` : undefined, issue.column !== undefined ? `column ${issue.column}` : undefined, issue.path]
    .filter(Boolean)
    .join(', ');
  const value = issue.value !== undefined ? ` (value: ${JSON.stringify(issue.value)})` : '';
  return `${where ? `${where}: ` : ''}${issue.message}${value}`;
}
