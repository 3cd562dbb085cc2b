import { SagaSyncError } from '@sagasync/core';
import { errorResponse } from '../errors/error-table.js';
import { parseWith } from './parse.js';
import type { AnyRoute, ApiContext, Route, RouteResult } from './route.js';

/** A request as any host sees it, after its own body parsing. */
export interface ApiRequest {
  method: string;
  /** The path without the query string, e.g. `/api/books`. */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface MatchedRoute {
  route: AnyRoute;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: AnyRoute;
  pattern: RegExp;
  names: string[];
}

/**
 * Finds routes by method and path. `null` route with `allowed` methods: the path exists for
 * other methods (405); both empty: no such path (404).
 */
export function createRouter(routes: readonly AnyRoute[]) {
  const compiled: CompiledRoute[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}/?$`), names };
  });
  return {
    match(method: string, path: string): { found: MatchedRoute | null; allowed: string[] } {
      const allowed: string[] = [];
      for (const { route, pattern, names } of compiled) {
        const m = pattern.exec(path);
        if (!m) continue;
        if (route.method !== method.toUpperCase()) {
          allowed.push(route.method);
          continue;
        }
        const params: Record<string, string> = {};
        names.forEach((name, i) => {
          params[name] = safeDecode(m[i + 1]!);
        });
        return { found: { route, params }, allowed };
      }
      return { found: null, allowed };
    },
  };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SagaSyncError('invalid_input', 'the path is not valid URL encoding', { details: { location: 'path' } });
  }
}

/**
 * Validates a request's parts with the route's schemas and runs its handler. Bad input is
 * `invalid_input` naming the part and field (`query.limit`, `body.records.titles.3.asin`).
 */
export async function invokeRoute<P, Q, B, R>(
  route: Route<P, Q, B, R>,
  ctx: ApiContext,
  input: { params?: unknown; query?: unknown; body?: unknown },
): Promise<RouteResult<R>> {
  // A route without a schema for a part gets undefined for it, which is what its types say.
  const params = (route.params ? parseWith(route.params, input.params ?? {}, 'params') : undefined) as P;
  const query = (route.query ? parseWith(route.query, input.query ?? {}, 'query') : undefined) as Q;
  const body = (route.body ? parseWith(route.body, input.body ?? {}, 'body') : undefined) as B;
  return route.handler(ctx, { params, query, body });
}

/** Like `invokeRoute`, answering errors with their status and JSON body instead of throwing. */
export async function respond(route: AnyRoute, ctx: ApiContext, input: { params?: unknown; query?: unknown; body?: unknown }): Promise<RouteResult<unknown>> {
  try {
    return await invokeRoute(route, ctx, input);
  } catch (error) {
    if (!SagaSyncError.isInstance(error)) ctx.log?.error('route failed', { route: route.id, error: error instanceof Error ? error.message : String(error) });
    return errorResponse(error);
  }
}
