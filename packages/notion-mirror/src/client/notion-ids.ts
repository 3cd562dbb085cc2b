const COMPACT = /^[0-9a-f]{32}$/i;
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRAILING_COMPACT = /(?:^|-)([0-9a-f]{32})$/i;
const TRAILING_DASHED = /(?:^|-)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const NOTION_HOST = /(^|\.)(notion\.so|notion\.site|notion\.com)$/i;

const dashed = (compact: string): string => {
  const c = compact.toLowerCase();
  return `${c.slice(0, 8)}-${c.slice(8, 12)}-${c.slice(12, 16)}-${c.slice(16, 20)}-${c.slice(20)}`;
};

function fromSegment(segment: string): string | null {
  const decoded = (() => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  })();
  const d = TRAILING_DASHED.exec(decoded);
  if (d) return dashed(d[1]!.replace(/-/g, ''));
  const c = TRAILING_COMPACT.exec(decoded);
  return c ? dashed(c[1]!) : null;
}

/**
 * The page (or database) id a person gives: a bare id, with or without dashes, or the page's
 * Notion URL as the app copies it (`https://www.notion.so/workspace/My-Page-0123…cdef?pvs=4`,
 * the id at the end of the last path segment, dashed or not; `notion.site` public links too).
 * Returns the dashed lower-case id, or null when the text holds no id. Unlike the SDK's
 * `extractNotionId`, it never picks up an id from anywhere else in the text (a view id in `?v=`).
 */
export function parseNotionId(input: string): string | null {
  const text = input.trim();
  if (COMPACT.test(text)) return dashed(text);
  if (DASHED.test(text)) return dashed(text.replace(/-/g, ''));
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol) || !NOTION_HOST.test(url.hostname)) return null;
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  const fromPath = last ? fromSegment(last) : null;
  if (fromPath) return fromPath;
  // Links to a page opened as a peek (`?p=<id>`).
  const p = url.searchParams.get('p');
  return p && COMPACT.test(p) ? dashed(p) : null;
}
