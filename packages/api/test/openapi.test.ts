import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openApiDocument, routes } from '../src/index.js';

const committed = fileURLToPath(new URL('../openapi.json', import.meta.url));
const render = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

describe('the OpenAPI document', () => {
  it('is committed and up to date (regenerate: UPDATE_OPENAPI=1 npx vitest run --project api openapi)', () => {
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(committed, render());
    expect(readFileSync(committed, 'utf8'), 'packages/api/openapi.json is stale').toBe(render());
  });

  it('has one operation per route, unique ids, every path parameter declared, and the auth of each route', () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[]; security: object[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations).toHaveLength(routes.length);
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(routes.length);
    for (const { path, op } of operations) {
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(op.parameters.some((p) => p.name === name && p.in === 'path'), `${op.operationId} declares {${name}}`).toBe(true);
      }
    }
    const webhook = operations.find((o) => o.op.operationId === 'webhookFinished')!;
    expect(webhook.op.security).toEqual([{ webhookSignature: [] }]);
    const books = operations.find((o) => o.op.operationId === 'listBooks')!;
    expect(books.op.security).toEqual([{ bearerToken: [] }]);
    expect(books.op.parameters.map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'owned', 'series', 'status']);
  });
});
