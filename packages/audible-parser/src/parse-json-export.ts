import { detectJson } from './detect/detect-format.js';
import { exportFormatLabel, formatContainer } from './export-format.js';
import { leftOutItemWarning, mapLibraryItemAt, parseLibraryItem } from './formats/audible-api/map-items.js';
import { readSagasyncLibrary } from './formats/sagasync-library/read-file.js';
import { readSeriesMetadata } from './formats/series-metadata/map-file.js';
import { detectionNote, ROW_FORMATS, unknownFormat } from './formats.js';
import { parseJson } from './json/parse-json.js';
import { failure, Session, type ParseOptions, type ParseResult } from './session.js';
import { shortenList } from './tabular/columns.js';
import { JsonRow } from './tabular/row-reader.js';
import { displayValue } from './values/parsed.js';

/** Reads a JSON export held in memory: detection by shape, then the format's reader. */
export function parseJsonExport(text: string, file: string, options: ParseOptions, encodingNote: string | null = null): ParseResult {
  const parsed = parseJson(text.replace(/^\uFEFF/, ''), file);
  if (!parsed.success) return failure([parsed.error], options.format ?? null);
  const root = parsed.value;
  const explicit = options.format !== undefined;
  const detection = explicit ? { format: options.format!, reason: 'given' } : detectJson(root, file);
  if ('hint' in detection) return unknownFormat(file, detection.hint, { path: '$' });
  const session = new Session(file, detection.format, options, detection.format === 'audible-api-json');
  session.notes.push(detectionNote(detection, explicit));
  if (encodingNote !== null) session.notes.push(encodingNote);

  if (detection.format === 'sagasync-series-metadata') {
    session.duplicateNote = (count) => `${count} ${count === 1 ? 'volume is' : 'volumes are'} listed in more than one series (memberships merged)`;
    const outcome = readSeriesMetadata(root, file, session.builder, session.issues, () => session.row());
    if (outcome.fatal) return failure(session.issues.listed, detection.format, session.issues.omitted);
    for (let i = 0; i < outcome.invalidRows; i++) session.invalid();
    return session.finish();
  }
  if (detection.format === 'sagasync-library') {
    const outcome = readSagasyncLibrary(root, file, session.builder, session.issues, () => session.row());
    if (outcome.fatal) return failure(session.issues.listed, detection.format, session.issues.omitted);
    for (let i = 0; i < outcome.invalidRows; i++) session.invalid();
    return session.finish();
  }
  if (detection.format === 'audible-api-json') return readAudibleApi(root, session);

  const rowFormat = ROW_FORMATS[detection.format];
  if (rowFormat === undefined || formatContainer(detection.format) === 'delimited') {
    return failure([{ file, path: '$', message: `${exportFormatLabel(detection.format)} is delimited text, but the file is JSON` }], detection.format);
  }
  if (!Array.isArray(root)) return failure([{ file, path: '$', message: `expected a JSON array of objects for ${exportFormatLabel(detection.format)}` }], detection.format);
  const aliases = rowFormat.columns.map((c) => c.json ?? c.headers);
  const known = new Set(aliases.flat());
  const unknown = new Set<string>();
  const row = new JsonRow(file, session.issues, aliases, session.warnings);
  const mapper = rowFormat.createMapper(session.builder);
  root.forEach((element: unknown, i) => {
    session.row();
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      session.issues.add({ file, path: `$[${i}]`, value: displayValue(element), message: 'expected an object' });
      session.invalid();
      return;
    }
    for (const key of Object.keys(element)) if (!known.has(key) && unknown.size < 100) unknown.add(key);
    row.start(element as Record<string, unknown>, i);
    session.accept(mapper(row));
  });
  if (unknown.size > 0) session.notes.push(`ignored unknown keys: ${shortenList([...unknown])}`);
  return session.finish();
}

/**
 * A raw `/1.0/library` response, item by item through the mapping a live sync uses
 * (`mapLibraryItemAt`). As in a sync, an item that cannot be read (a wrong JSON type, a bad value,
 * no title) is left out and named in the warnings, and the others are imported, strict mode or not.
 */
function readAudibleApi(root: unknown, session: Session): ParseResult {
  const file = session.file;
  let items: unknown[];
  let base: string;
  if (Array.isArray(root)) [items, base] = [root, '$'];
  else if (typeof root === 'object' && root !== null && Array.isArray((root as Record<string, unknown>)['items'])) {
    [items, base] = [(root as { items: unknown[] }).items, '$.items'];
  } else if (typeof root === 'object' && root !== null && typeof (root as Record<string, unknown>)['item'] === 'object') {
    [items, base] = [[(root as { item: unknown }).item], '$.item'];
  } else {
    return failure([{ file, path: '$', message: 'expected Audible\'s library response: an object with "items" (or "item"), or an array of items' }], session.format);
  }
  session.invalidNote = (count) => `left out ${count} Audible library ${count === 1 ? 'item' : 'items'} that could not be read (see warnings and invalid)`;
  let podcasts = 0;
  let revoked = 0;
  items.forEach((raw, i) => {
    session.row();
    const path = base === '$.item' ? base : `${base}[${i}]`;
    const parsed = parseLibraryItem(raw, { file, path });
    const outcome = parsed.success
      ? mapLibraryItemAt(parsed.value, i, { file, path }, session.builder)
      : { mapped: null, issues: parsed.error, warnings: [leftOutItemWarning(file, path, asinOf(raw), i, parsed.error)] };
    for (const warning of outcome.warnings) session.warnings.add(warning);
    if (outcome.mapped === null) {
      for (const issue of outcome.issues) session.issues.add(issue);
      session.invalid();
      return;
    }
    if (outcome.mapped.title.isPodcast) podcasts++;
    if (!outcome.mapped.title.owned) revoked++;
    session.accept(outcome.mapped);
  });
  if (podcasts > 0) session.notes.push(`flagged ${podcasts} podcast ${podcasts === 1 ? 'title' : 'titles'} (isPodcast)`);
  if (revoked > 0) session.notes.push(`${revoked} revoked (returned) ${revoked === 1 ? 'title is' : 'titles are'} marked not owned`);
  return session.finish();
}

function asinOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'asin') ? (raw as { asin: unknown }).asin : undefined;
}
