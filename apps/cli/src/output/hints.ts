import type { SagaSyncError } from '@sagasync/core';

/** What to do next, in terms of this CLI's commands, for each reason a package gives. */
const BY_REASON: Record<string, string> = {
  notion_not_configured: 'run `sagasync notion setup --parent <page-id>`, or set NOTION_BOOKS_DB_ID and NOTION_SERIES_DB_ID and run `sagasync notion check`',
  notion_already_set_up: 'run `sagasync notion check`, or pass --force to create a new pair',
  notion_unauthorized: 'check the Notion integration token (NOTION_TOKEN)',
  notion_not_shared: 'share the page or database with the integration in Notion',
  audible_signed_out: 'sign in again with `sagasync audible login`',
  audible_login_expired: 'run `sagasync audible login` again and paste the new maplanding URL right away',
  device_revoked: 'this device was removed at Amazon; sign in again with `sagasync audible login`',
  store_busy: 'another sagasync command is using the store; wait for it to finish and try again',
  notion_schema_invalid: 'run `sagasync notion check` to see every problem (`--repair` adds missing properties)',
  notion_push_running: 'another `sagasync notion push` (or `audible sync --notion`) is mirroring this store; run it again when that one has finished',
};

const BY_CODE: Partial<Record<SagaSyncError['code'], string>> = {
  store_locked: BY_REASON.store_busy,
  not_found: 'check the ASIN or name with `sagasync books list` or `sagasync series list`',
  version_conflict: 'the store changed while this command ran; run it again',
};

/** The hint printed under an error: by its reason, else a hint the error carries, else by its code. */
export function hintFor(error: SagaSyncError): string | undefined {
  const reason = typeof error.details.reason === 'string' ? BY_REASON[error.details.reason] : undefined;
  return reason ?? (typeof error.details.hint === 'string' ? error.details.hint : BY_CODE[error.code]);
}
