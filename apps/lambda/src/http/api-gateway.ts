import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HostRequest, HostResponse } from '@sagasync/host';

/** A query string as the API's schemas take it: one value, or several for a repeated name. */
function queryOf(raw: string | undefined): HostRequest['query'] {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw ?? '')) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/**
 * An API Gateway HTTP API event (payload format 2.0) as the host's request. Header names arrive in
 * lower case; a binary or large body arrives base64-encoded, and the webhook signatures are over its
 * bytes, so they are decoded, never re-serialised.
 */
export function hostRequestOf(event: APIGatewayProxyEventV2): HostRequest {
  const headers: HostRequest['headers'] = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const path = event.rawPath || '/';
  return {
    method: event.requestContext.http.method,
    path,
    url: event.rawQueryString ? `${path}?${event.rawQueryString}` : path,
    query: queryOf(event.rawQueryString),
    headers,
    rawBody: event.body === undefined || event.body === null ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
    origin: `https://${event.requestContext.domainName}`,
  };
}

/** The host's answer as API Gateway returns it: JSON, with the host's headers. */
export function apiGatewayResultOf(response: HostResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: { ...response.headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(response.body),
  };
}
