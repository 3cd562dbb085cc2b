import type * as z from 'zod';
import type { ApiContext } from './context.js';

export type { ApiContext } from './context.js';

/** Who may call a route: a user with an API token, a signed webhook, or anyone (health, the document). */
export type RouteAuth = 'user' | 'webhook' | 'none';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/** A handler's answer: the body, and the status when it is not the route's first. */
export interface RouteResult<R> {
  status: number;
  body: R;
}

/**
 * One route of the API as data: no Express or Lambda types. Hosts map method and path to it,
 * authenticate as `auth` says, and call `invokeRoute`; the CLI calls handlers the same way.
 */
export interface Route<P = unknown, Q = unknown, B = unknown, R = unknown> {
  /** The OpenAPI operationId, e.g. `listBooks`. */
  id: string;
  method: HttpMethod;
  /** Express-style, e.g. `/api/series/:query`. */
  path: string;
  auth: RouteAuth;
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Response bodies by status; the first is the usual answer. */
  responses: Record<number, z.ZodType>;
  handler: (ctx: ApiContext, input: RouteInput<P, Q, B>) => Promise<RouteResult<R>>;
}

/** A route of any types, as route tables and routers hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = Route<any, any, any, any>;

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<P = undefined, Q = undefined, B = undefined, R = unknown>(route: Route<P, Q, B, R>): Route<P, Q, B, R> {
  return route;
}

export const ok = <R>(body: R): RouteResult<R> => ({ status: 200, body });
export const accepted = <R>(body: R): RouteResult<R> => ({ status: 202, body });
