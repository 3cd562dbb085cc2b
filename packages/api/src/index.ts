/**
 * @sagasync/api: the SagaSync HTTP API as data and plain functions. A route table (method, path,
 * auth, zod request and response schemas, handler), the read models behind it, the error table
 * (code -> HTTP status and CLI exit code), jobs for long work and the OpenAPI document. The
 * Express server and the Lambda handlers serve it; the CLI calls the same handlers, so its
 * `--json` output is a route's response body.
 */
export { ERROR_TABLE, ErrorBodySchema, errorResponse, exitCodeFor, type ErrorBody } from './errors/error-table.js';
export { accepted, defineRoute, ok, type AnyRoute, type ApiContext, type HttpMethod, type Route, type RouteAuth, type RouteInput, type RouteResult } from './http/route.js';
export type { ApiServices, AudibleScheduleState } from './http/context.js';
export { createRouter, invokeRoute, respond, type ApiRequest, type MatchedRoute } from './http/dispatch.js';
export { parseWith } from './http/parse.js';
export { buildOpenApiDocument } from './http/openapi.js';
export { JOB_KINDS, JobKindSchema, JobSchema, loadJob, saveJob, type Job, type JobKind } from './jobs/job.js';
export { createInlineJobRunner, createInProcessJobRunner, type InProcessJobRunner, type JobRunner } from './jobs/job-runner.js';
export { runJobWork } from './jobs/job-work.js';
export { BookRowSchema, bookRow, listBooks, type BookQuery, type BookRow } from './read-models/books.js';
export { pageOf, PageQuerySchema } from './read-models/page.js';
export { IMPORT_ANSWER_MAX_CHANGES, ImportAnswerSchema, importAnswer, type ImportAnswer } from './read-models/import-answer.js';
export { resolveSeriesKeys, SeriesJsonSchema, seriesJson, seriesReport, showSeries, type SeriesJson } from './read-models/series.js';
export { readStatus, StatusSchema, type Status } from './read-models/status.js';
export { HistoryEntrySchema, listeningEventResponse, ListeningEventResponseSchema, type ListeningEventResponse } from './read-models/progress.js';
export { ConflictJsonSchema, conflictJson, type ConflictJson } from './read-models/conflicts.js';
export * from './routes/index.js';
export { openApiDocument } from './openapi-document.js';
export { matchService } from './services/match.js';
export { createNotionServices, type NotionConnection } from './services/notion.js';
