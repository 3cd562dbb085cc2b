import { applyListeningEvent, buildSeriesReport } from '@sagasync/core';
import type { MirrorRules } from './rules.js';

/** Core's series report and listening-event use case (with its cascade): the rules apps use. */
export const coreRules: MirrorRules = {
  seriesReport: (storage, ownerId) => buildSeriesReport({ storage, ownerId }),
  applyListeningEvent: async (storage, ownerId, event) => {
    await applyListeningEvent({ storage, ownerId }, event);
  },
};
