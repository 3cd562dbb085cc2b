import { matchService, type ApiServices } from '@sagasync/api';
import type { User } from '@sagasync/core';
import type { AudibleDeps } from '../audible/audible-deps.js';
import { createAudibleConfig } from '../audible/config.js';
import { createAudibleFetch } from '../audible/library-fetch.js';
import { createAudibleSchedule } from '../audible/schedule.js';
import { createAudibleSignIn } from '../audible/sign-in.js';
import { createHostNotionServices, type NotionServiceOptions } from './notion.js';

/**
 * The services the API's routes call, for any user: each reads the caller's records and
 * directory entries through the context's `ownerId`, so one set serves every request, the
 * scheduler's included. Built once; `createApp` asks for them per request.
 */
export function createUserServices(deps: { audible: AudibleDeps; notion: NotionServiceOptions }): (user: User) => ApiServices {
  const signIn = createAudibleSignIn(deps.audible);
  const services: ApiServices = {
    match: matchService,
    audibleFetch: createAudibleFetch(deps.audible),
    audibleSchedule: createAudibleSchedule(deps.audible),
    audibleSignInStart: signIn.start,
    audibleSignInFinish: signIn.finish,
    audibleConfig: createAudibleConfig(deps.audible),
    ...createHostNotionServices(deps.notion),
  };
  return () => services;
}
