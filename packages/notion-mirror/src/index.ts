/**
 * @sagasync/notion-mirror: Notion schema setup and check, mirror planning and applying under
 * Notion's rate limit, pull of hand edits, webhook verification, reset. Every use case takes core's
 * use-case context (store, owner, clock, logger) and connection options; nothing here reads the
 * environment.
 */
export type { NotionDeps } from './context.js';
export { pushToNotion, mergePushResults } from './apply/push.js';
export { PUSH_LEASE, PUSH_LEASE_TTL_MS, withPushLease } from './apply/push-lease.js';
export type { PushDeps, PushOptions, PushProgress, PushResult, PushRun, TableCounts } from './apply/push.js';
export { planPush, mirroredTitles } from './plan/plan-push.js';
export type { PushPlan, PushPlanInput, PushWrite } from './plan/plan-push.js';
export { planAdoption, trackerBookFromPage } from './apply/adoption.js';
export type { MatchOutcome, TrackerMatcherFactory, AdoptionPlan } from './apply/adoption.js';
export { matcherFactory } from './apply/matcher-adapter.js';
export { coreRules } from './apply/core-rules.js';
export type { MirrorRules, NotionListeningEvent, ListeningEventKind } from './apply/rules.js';

export { pullFromNotion, pullNotionPage } from './pull/pull.js';
export type { PullDeps, PullOptions, PullResult } from './pull/pull.js';
export { handEditFrom, statusFromLabel, PULLED_PROPERTIES } from './pull/hand-edits.js';
export type { HandEdit } from './pull/hand-edits.js';

export { createNotionWebhookHandler } from './webhook/handler.js';
export type { NotionWebhookOptions, WebhookRequest, WebhookResponse } from './webhook/handler.js';
export { verifyNotionSignature, signNotionPayload } from './webhook/verify-signature.js';

export { resetNotion } from './reset/reset.js';
export type { ResetDeps, ResetOptions, ResetPage, ResetResult } from './reset/reset.js';

export { setupNotion, checkNotion } from './schema/setup.js';
export type { SetupResult, CheckOptions, CheckResult } from './schema/setup.js';
export { checkDatabases, isBlocking, statusPropertyNames } from './schema/check-databases.js';
export { describeDatabases, replacedProperties } from './schema/schema-changes.js';
export type { SchemaIssue, DataSourceSchema } from './schema/check-databases.js';
export { BOOKS, SERIES, BOOKS_PROPERTIES, SERIES_PROPERTIES, BOOK_STATUS_OPTIONS, SERIES_STATUS_OPTIONS } from './schema/definitions.js';
export type { PropertyDefinition, NotionPropertyType } from './schema/definitions.js';

export { createNotionGateway, AmbiguousCreateError, NOTION_VERSION } from './client/notion-gateway.js';
export { getNotionBotUserId } from './client/pages.js';
export { parseNotionId } from './client/notion-ids.js';
export type { NotionConnectionOptions, NotionGateway, GatewayStats, RequestEvent, CallSafety } from './client/notion-gateway.js';
export { createRateLimiter } from './client/rate-limiter.js';
export type { RateLimiter, RateLimiterOptions } from './client/rate-limiter.js';
export { systemClock, createVirtualClock } from './client/clock.js';
export type { Clock } from './client/clock.js';
export { classifyFailure, parseRetryAfter } from './client/classify-error.js';
export type { Failure, FailureKind } from './client/classify-error.js';

export { planTable } from './plan/plan-table.js';
export type { PlannedWrite, TablePlan } from './plan/plan-table.js';
export { bookValues, seriesValues, seriesRowFrom } from './plan/desired-values.js';
export type { SeriesRow, SeriesViewLike } from './plan/desired-values.js';
export { hashValue, hashValues, valueFromResponse, statusValue, canonicalDate, toSchemaShape } from './plan/property-values.js';
export type { PropertyValue, PropertyValues } from './plan/property-values.js';

export { SETTINGS_KEYS, loadDatabases, saveDatabases } from './state/settings.js';
export type { NotionDatabases, MirrorEntry, MirrorState, MirrorTable } from './state/settings.js';
export { loadMirror, clearMirror, migrateMirrorSettings } from './state/mirror-records.js';
