/** An error the fake answers with, in Notion's body shape `{object:"error", status, code, message}`. */
export class NotionHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly additionalData?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'NotionHttpError';
  }
}

export const validationError = (message: string) => new NotionHttpError(400, 'validation_error', message);
export const notFound = (kind: string, id: string) =>
  new NotionHttpError(404, 'object_not_found', `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
