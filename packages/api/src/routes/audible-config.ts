import { defineRoute, ok } from '../http/route.js';
import { service } from '../jobs/job-work.js';
import { AudibleConfigSchema, AudibleConfigUpdateSchema } from '../read-models/audible.js';

export const audibleConfigRoute = defineRoute({
  id: 'audibleConfig',
  method: 'GET',
  path: '/api/audible/config',
  auth: 'user',
  tag: 'audible',
  summary: "The caller's Audible sync settings (automatic syncs, marketplace, interval, daily cap), the host's limits and how syncs are doing",
  responses: { 200: AudibleConfigSchema },
  async handler(ctx) {
    return ok(await service(ctx, 'audibleConfig')(ctx, null));
  },
});

export const audibleConfigUpdateRoute = defineRoute({
  id: 'audibleConfigUpdate',
  method: 'PUT',
  path: '/api/audible/config',
  auth: 'user',
  tag: 'audible',
  summary: 'Change the Audible sync settings; the interval and the cap stay within what the host allows (400 naming the field otherwise)',
  body: AudibleConfigUpdateSchema,
  responses: { 200: AudibleConfigSchema },
  async handler(ctx, { body }) {
    return ok(await service(ctx, 'audibleConfig')(ctx, body));
  },
});
