import type { LibraryRecords } from '@sagasync/core';
import { CliError } from './env.js';

/**
 * Sends parsed records to a deployed SagaSync API (the server or the Lambda app), as the
 * original SagaSync's importer did. The API plans and applies them itself.
 */
export async function postImport(url: string, records: LibraryRecords, options: { commit: boolean; source: string }): Promise<unknown> {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new CliError(`--api-url "${url}" is not a URL`, { hint: 'for example https://sagasync.example.com/import' });
  }
  let response: Response;
  try {
    response = await fetch(parsedUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ commit: options.commit, source: options.source, records }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new CliError(`could not reach ${parsedUrl.origin}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new CliError(`the API at ${parsedUrl.origin} answered ${response.status}: ${text.slice(0, 300)}`, {
      hint: response.status === 401 || response.status === 403 ? 'check the API key or credentials' : undefined,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`the API at ${parsedUrl.origin} did not answer with JSON`);
  }
}
