/**
 * Something a fetch left out and went on without: one malformed item, an event that could not be
 * read, finish dates that could not be fetched. Named by ASIN when there is one. Never holds a
 * token or a raw value, only where and why.
 */
export interface FetchWarning {
  /** The call it came from. */
  source: 'library' | 'catalogue' | 'finished' | 'lastpositions';
  /** The title or product concerned, when known. */
  asin: string | null;
  /** `GET /1.0/stats/status/finished: $.mark_as_finished_status_list[3].event_timestamp: ...`. */
  message: string;
}

export type OnFetchWarning = (warning: FetchWarning) => void;

/** One line for a person: `B0XXXXXXXX: GET /1.0/library?page=2, $.items[3].title: ...`. */
export function formatFetchWarning(warning: FetchWarning): string {
  return warning.asin ? `${warning.asin}: ${warning.message}` : warning.message;
}
