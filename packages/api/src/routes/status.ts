import { defineRoute, ok } from '../http/route.js';
import { readStatus, StatusSchema } from '../read-models/status.js';

export const statusRoute = defineRoute({
  id: 'status',
  method: 'GET',
  path: '/api/status',
  auth: 'user',
  tag: 'library',
  summary: 'What the library holds: counts by ownership and status, series by status, the last runs',
  responses: { 200: StatusSchema },
  async handler(ctx) {
    return ok(await readStatus(ctx, null));
  },
});
