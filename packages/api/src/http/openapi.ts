import * as z from 'zod';
import { ErrorBodySchema, ERROR_TABLE } from '../errors/error-table.js';
import type { AnyRoute, Route } from './route.js';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

/** The query or path parameters of an object schema, one OpenAPI parameter each. */
function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const SECURITY: Record<Route['auth'], JsonSchema[]> = {
  user: [{ bearerToken: [] }],
  webhook: [{ webhookSignature: [] }],
  none: [],
};

/**
 * The OpenAPI 3.1 document of a route table, made from its zod schemas (JSON Schema 2020-12 is
 * 3.1's dialect). Committed as `openapi.json`; a test fails when it is stale.
 */
export function buildOpenApiDocument(routes: readonly AnyRoute[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorStatuses = [...new Set(Object.values(ERROR_TABLE).map((entry) => entry.http))].sort();
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {};
    for (const [status, schema] of Object.entries(route.responses)) {
      responses[status] = { description: status === '202' ? 'Accepted: a job' : 'OK', content: { 'application/json': { schema: schemaOf(schema, 'output') } } };
    }
    for (const status of errorStatuses) {
      responses[String(status)] = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      security: SECURITY[route.auth],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'The SagaSync API: every route of @sagasync/api, served by the SagaSync server and the AWS deployment.' },
    paths,
    components: {
      schemas: { Error: schemaOf(ErrorBodySchema, 'output') },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token from `sagasync-server user add` or `token rotate`.' },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-SagaSync-Signature',
          description: "HMAC-SHA256 of the timestamp and body with the user's webhook secret; see the server README.",
        },
      },
    },
  };
}
