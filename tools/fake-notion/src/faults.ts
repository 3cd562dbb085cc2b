import { NotionHttpError } from './errors.js';

/**
 * The failures the fake can inject. `applied_then_*` run the write first and then answer with an
 * error, as when Notion commits a write but the answer is lost at the edge.
 */
export const FAULT_KINDS = [
  'rate_limited',
  'internal_server_error',
  'bad_gateway_html',
  'service_unavailable',
  'gateway_timeout',
  'conflict',
  'applied_then_500',
  'applied_then_502',
  'applied_then_504',
] as const;
/**
 * Faults only injected on request (never drawn at random): the connection is reset once the
 * request arrived, `applied_then_reset` after the write was applied. fetch sees a dropped
 * connection (a `TypeError`), as when a proxy or the network cuts an answer.
 */
export const SCRIPTED_FAULT_KINDS = ['connection_reset', 'applied_then_reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number] | (typeof SCRIPTED_FAULT_KINDS)[number];

export interface FaultOptions {
  /** Probability (0..1) that a request gets a fault. */
  rate: number;
  /** Kinds drawn from uniformly; default all of them. */
  kinds?: readonly FaultKind[];
  /** Retry-After of injected 429s, in seconds (Notion sends integers). Default 1. */
  retryAfterSeconds?: number;
}

export interface ScriptedFault {
  kind: FaultKind;
  /** Only requests with this method (GET, POST, PATCH). */
  method?: string;
  /** Only requests whose route (e.g. `POST /v1/pages`) or path matches. */
  route?: string | RegExp;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** How many matching requests go through untouched before the fault starts; default 0. */
  skip?: number;
  retryAfterSeconds?: number;
}

export const appliesWriteFirst = (kind: FaultKind): boolean => kind.startsWith('applied_then_');

/** The HTTP answer of a fault: a Notion error, or an HTML page as a CDN edge sends for 502. */
export type FaultAnswer = { kind: 'json'; error: NotionHttpError } | { kind: 'html'; status: number; html: string } | { kind: 'reset' };

export function faultAnswer(kind: FaultKind, retryAfterSeconds: number): FaultAnswer {
  switch (kind) {
    case 'rate_limited':
      return {
        kind: 'json',
        error: new NotionHttpError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', { 'retry-after': String(retryAfterSeconds) }, { rate_limit_reason: 'integration_rate_limit' }),
      };
    case 'internal_server_error':
    case 'applied_then_500':
      return { kind: 'json', error: new NotionHttpError(500, 'internal_server_error', 'Unexpected error occurred.') };
    case 'service_unavailable':
      return { kind: 'json', error: new NotionHttpError(503, 'service_unavailable', 'Notion is unavailable, please try again later.') };
    case 'gateway_timeout':
    case 'applied_then_504':
      return { kind: 'json', error: new NotionHttpError(504, 'gateway_timeout', 'Notion timed out while processing the request.') };
    case 'conflict':
      return { kind: 'json', error: new NotionHttpError(409, 'conflict_error', 'Conflict occurred while saving. Please try again.') };
    case 'connection_reset':
    case 'applied_then_reset':
      return { kind: 'reset' };
    case 'bad_gateway_html':
    case 'applied_then_502':
      return { kind: 'html', status: 502, html: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>' };
  }
}
