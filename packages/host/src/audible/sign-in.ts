import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiContext, AudibleAccountJson, AudibleSignInAnswer, AudibleSignInFinish, AudibleSignInStart } from '@sagasync/api';
import { SagaSyncError, type AudibleAccount } from '@sagasync/core';
import * as z from 'zod';
import type { AudibleDeps } from './audible-deps.js';
import { sealCredentials } from './account-credentials.js';
import { recordSignIn } from './sync-health.js';
import { readPreferences, writePreferences } from './sync-preferences.js';

const client = () => import('@sagasync/audible-client');

/**
 * The pending sign-in's directory id: the owner's id and the handle the client holds. A caller
 * can only ever name its own sign-ins, so another user's handle can neither finish nor spoil one.
 */
const pendingId = (ownerId: string, handle: string) => `${ownerId}:${handle}`;
const pendingSecretName = (id: string) => `audible-sign-in:${id}`;

/** What a sign-in keeps between its two calls (sealed): the PKCE verifier and the device the URL was made for. */
const LoginRequestSchema = z.object({
  locale: z.string(),
  withUsername: z.boolean(),
  url: z.string(),
  codeVerifier: z.string(),
  deviceSerial: z.string(),
  deviceType: z.string(),
  clientId: z.string(),
});

export function accountJson(account: AudibleAccount): AudibleAccountJson {
  return { id: account.id, locale: account.locale, marketplace: account.marketplace, label: account.label, connectedAt: account.createdAt, updatedAt: account.updatedAt };
}

const now = (ctx: ApiContext) => (ctx.clock ? ctx.clock() : new Date());

/**
 * The external-browser sign-in of `POST /api/audible/auth`, as the CLI's `audible login` does it,
 * split over two requests: the Amazon URL is answered and the pending sign-in kept in the
 * directory (sealed, expiring); the pasted redirect URL then registers the device, and the
 * account is stored as a directory record owned by the caller, its credentials sealed.
 */
export function createAudibleSignIn(deps: AudibleDeps) {
  async function start(ctx: ApiContext, input: AudibleSignInStart): Promise<AudibleSignInAnswer> {
    const { createLoginRequest, LOCALE_CODES, LocaleCodeSchema } = await client();
    const locale = LocaleCodeSchema.safeParse(input.locale);
    if (!locale.success) {
      throw new SagaSyncError('invalid_input', `body.locale: "${input.locale}" is not an Audible marketplace; use one of ${LOCALE_CODES.join(', ')}`, { details: { location: 'body.locale' } });
    }
    let login;
    try {
      login = createLoginRequest({ locale: locale.data, withUsername: input.withUsername, endpoints: deps.endpoints });
    } catch (error) {
      // Only a username account on a marketplace that never had them gets here.
      throw new SagaSyncError('invalid_input', `body.withUsername: ${error instanceof Error ? error.message : String(error)}`, { details: { location: 'body.withUsername' } });
    }
    const handle = randomBytes(18).toString('base64url');
    const id = pendingId(ctx.ownerId, handle);
    const at = now(ctx);
    const expiresAt = new Date(at.getTime() + deps.signInTtlMs).toISOString();
    await deps.directory.putPendingSignIn({
      id,
      userId: ctx.ownerId,
      locale: login.locale,
      ciphertext: await deps.sealer.seal(pendingSecretName(id), login),
      createdAt: at.toISOString(),
      expiresAt,
    });
    return {
      state: 'pending',
      signInId: handle,
      url: login.url,
      locale: login.locale,
      expiresAt,
      instructions:
        'Open url in a browser and sign in to Audible. The browser then shows a "page not found" (or blank) page: copy its whole address, ' +
        `and send it back as {"signInId": "${handle}", "redirectUrl": "<that address>"} before ${expiresAt}.`,
    };
  }

  async function finish(ctx: ApiContext, input: AudibleSignInFinish): Promise<AudibleSignInAnswer> {
    const { marketplaceFor, parseMaplandingUrl, registerDevice, LocaleCodeSchema } = await client();
    // The address is read before the sign-in is taken, so a wrong paste can be corrected.
    let code: string;
    try {
      code = parseMaplandingUrl(input.redirectUrl);
    } catch (error) {
      throw relocated(error, 'body.redirectUrl');
    }
    const pending = await deps.directory.takePendingSignIn(pendingId(ctx.ownerId, input.signInId), now(ctx));
    if (!pending) {
      throw new SagaSyncError('not_found', 'no sign-in with that signInId is waiting: it expired, was finished already, or was never started; start again with POST /api/audible/auth', {
        details: { location: 'body.signInId' },
      });
    }
    const stored = LoginRequestSchema.safeParse(await deps.sealer.open(pendingSecretName(pending.id), pending.ciphertext));
    const locale = LocaleCodeSchema.safeParse(stored.success ? stored.data.locale : null);
    if (!stored.success || !locale.success) throw new SagaSyncError('internal', 'the pending sign-in is unreadable; start again with POST /api/audible/auth');
    let credentials;
    try {
      credentials = await registerDevice({ ...stored.data, locale: locale.data }, code, { endpoints: deps.endpoints });
    } catch (error) {
      // Amazon refused the code (old, used, or from another sign-in): the person starts again.
      if (SagaSyncError.isInstance(error) && error.code === 'auth_failed') {
        throw new SagaSyncError('invalid_input', 'Amazon refused this sign-in: the address may be old or already used; start again with POST /api/audible/auth', {
          details: { location: 'body.redirectUrl', reason: 'audible_login_expired' },
        });
      }
      throw error;
    }

    // One account per marketplace per owner: signing in again (after a revoked device) replaces it.
    const at = now(ctx).toISOString();
    const existing = (await deps.directory.listAudibleAccounts(ctx.ownerId)).find((a) => a.locale === locale.data) ?? null;
    const id = existing?.id ?? randomUUID();
    const account = await deps.directory.putAudibleAccount(
      {
        id,
        userId: ctx.ownerId,
        sharedWith: existing?.sharedWith ?? [],
        locale: locale.data,
        marketplace: marketplaceFor(locale.data).marketplaceId,
        label: credentials.customerName ?? `Audible ${locale.data}`,
        ciphertext: await sealCredentials(deps.sealer, id, credentials),
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      },
      existing ? existing.version : null,
    );
    await recordSignIn(ctx.storage, ctx.ownerId);
    const preferences = await readPreferences(ctx.storage, ctx.ownerId);
    if (preferences.locale === null) await writePreferences(ctx.storage, ctx.ownerId, { ...preferences, locale: account.locale });
    // A first sign-in turns automatic syncs on; a user who turned them off keeps them off.
    const schedule =
      (await deps.directory.getSchedule(ctx.ownerId)) ??
      (await deps.directory.setScheduleEnabled(ctx.ownerId, true, { minIntervalMs: deps.limits.minIntervalMs, dailyCap: deps.limits.dailyCap }));
    ctx.log?.info('Audible account connected', { account: account.id, locale: account.locale, replaced: existing !== null });
    return { state: 'connected', account: accountJson(account), replaced: existing !== null, sync: { enabled: schedule.enabled } };
  }

  return { start, finish };
}

/** The client's error, naming the request field instead of its own wording of the place. */
function relocated(error: unknown, location: string): unknown {
  if (!SagaSyncError.isInstance(error)) return error;
  return new SagaSyncError(error.code, error.message, { cause: error, details: { ...error.details, location } });
}
