import { defineRoute, ok } from '../http/route.js';
import { service } from '../jobs/job-work.js';
import { AudibleSignInAnswerSchema, AudibleSignInRequestSchema } from '../read-models/audible.js';

/**
 * The external-browser sign-in, in two calls of one route: the first answers the Amazon address
 * to open (the host keeps the pending sign-in, sealed, with an expiry); the second sends back
 * the address the browser ended on, and the host registers the device and stores the account for
 * the caller. The account's tokens never appear in an answer.
 */
export const audibleAuthRoute = defineRoute({
  id: 'audibleAuth',
  method: 'POST',
  path: '/api/audible/auth',
  auth: 'user',
  tag: 'audible',
  summary: 'Sign in to Audible: {locale} starts (answers the URL to open), {signInId, redirectUrl} finishes and stores the account',
  body: AudibleSignInRequestSchema,
  responses: { 200: AudibleSignInAnswerSchema },
  async handler(ctx, { body }) {
    if (body.signInId !== undefined && body.redirectUrl !== undefined) {
      return ok(await service(ctx, 'audibleSignInFinish')(ctx, { signInId: body.signInId, redirectUrl: body.redirectUrl }));
    }
    return ok(await service(ctx, 'audibleSignInStart')(ctx, { locale: body.locale ?? 'us', withUsername: body.withUsername ?? false }));
  },
});
