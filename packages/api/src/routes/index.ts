import type { AnyRoute } from '../http/route.js';
import { audibleAuthRoute } from './audible-auth.js';
import { audibleConfigRoute, audibleConfigUpdateRoute } from './audible-config.js';
import { audibleStatusRoute, audibleSyncRoute, getJobRoute, notionPushRoute, notionStatusRoute, notionWebhookRoute } from './integrations.js';
import { exportRoute, importRoute, listBooksRoute } from './library.js';
import {
  audibleConflictsRoute,
  audibleLinkRoute,
  audibleResolveConflictRoute,
  linkRoute,
  listConflictsRoute,
  matchRoute,
  resolveConflictRoute,
  unlinkRoute,
} from './matching.js';
import { progressEventRoute, progressHistoryRoute, webhookFinishedRoute, webhookStartedRoute } from './progress.js';
import { listSeriesRoute, recomputeSeriesRoute, showSeriesRoute } from './series.js';
import { statusRoute } from './status.js';

export * from './integrations.js';
export * from './library.js';
export * from './matching.js';
export * from './progress.js';
export * from './series.js';
export * from './status.js';
export * from './audible-auth.js';
export * from './audible-config.js';
// What the routes answer with, for hosts and the CLI that call them (the package index re-exports
// this module).
export { namedImportAnswer, type ImportNames } from '../read-models/import-answer.js';
export { HistoryPageSchema, type HistoryPage } from '../read-models/progress.js';
export { resolveTitle, TitleRefSchema, type TitleRef } from '../read-models/titles.js';
export { normaliseTitleText } from '../read-models/names.js';
export {
  AudibleAccountJsonSchema,
  AudibleConfigSchema,
  AudibleConfigUpdateSchema,
  AudibleSignInAnswerSchema,
  AudibleSignInRequestSchema,
  AudibleSyncStateSchema,
  type AudibleAccountJson,
  type AudibleConfig,
  type AudibleConfigUpdate,
  type AudibleSignInAnswer,
  type AudibleSignInFinish,
  type AudibleSignInRequest,
  type AudibleSignInStart,
  type AudibleSyncState,
} from '../read-models/audible.js';

/** Every route of the API, in the order hosts match them (fixed paths before parameters). */
export const routes: readonly AnyRoute[] = [
  importRoute,
  listBooksRoute,
  exportRoute,
  statusRoute,
  recomputeSeriesRoute,
  listSeriesRoute,
  showSeriesRoute,
  progressEventRoute,
  progressHistoryRoute,
  matchRoute,
  listConflictsRoute,
  resolveConflictRoute,
  linkRoute,
  unlinkRoute,
  notionStatusRoute,
  notionPushRoute,
  audibleStatusRoute,
  audibleSyncRoute,
  audibleLinkRoute,
  audibleConflictsRoute,
  audibleResolveConflictRoute,
  getJobRoute,
  webhookStartedRoute,
  webhookFinishedRoute,
  notionWebhookRoute,
  audibleAuthRoute,
  audibleConfigRoute,
  audibleConfigUpdateRoute,
];
