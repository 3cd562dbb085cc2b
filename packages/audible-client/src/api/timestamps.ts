/**
 * Audible timestamps come as ISO with `Z` (with or without milliseconds) and, on annotations,
 * as `2026-09-30 12:33:04.122` meaning UTC. Returns ISO 8601 UTC with milliseconds, or null.
 */
export function normaliseTimestamp(value: string | null | undefined): string | null {
  if (!value) return null;
  let text = value.trim();
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)) text = text.replace(' ', 'T');
  // No zone at all means UTC here, not local time.
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** `YYYY-MM-DD` when the text is a real calendar date, else null. */
export function normaliseDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  if (!match) return null;
  const ms = Date.parse(`${match[1]}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(match[1]!) ? match[1]! : null;
}
