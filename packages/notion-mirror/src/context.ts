import type { UseCaseContext } from '@sagasync/core';
import type { NotionConnectionOptions } from './client/notion-gateway.js';

/**
 * What every Notion use case is called with: core's use-case context (store, owner, clock, logger)
 * and how to reach Notion. Flows add their own named options (`PushDeps`, `PullDeps`, `ResetDeps`).
 */
export type NotionDeps = UseCaseContext & {
  notion: NotionConnectionOptions;
};
