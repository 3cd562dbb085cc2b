import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExportText } from '@sagasync/audible-parser';
import type { LibraryRecords, StoragePort } from '@sagasync/core';
import { createMemoryStorage } from '@sagasync/storage';
import { expect } from 'vitest';
import { createInlineJobRunner, createRouter, respond, routes, type ApiContext, type ApiServices, type JobRunner } from '../src/index.js';

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url)), 'utf8');

/** The demo library (examples/library.tsv), parsed as the CLI parses it. */
export async function exampleRecords(): Promise<LibraryRecords> {
  const parsed = await parseExportText(example('library.tsv'), 'library.tsv');
  if (!parsed.success) throw new Error('the example library does not parse');
  return parsed.value.records;
}

export const CLOCK = () => new Date('2026-12-01T12:00:00.000Z');

export function context(options: { storage?: StoragePort; ownerId?: string; services?: ApiServices; jobs?: JobRunner } = {}): ApiContext {
  return {
    storage: options.storage ?? createMemoryStorage(),
    ownerId: options.ownerId ?? 'alice',
    clock: CLOCK,
    jobs: options.jobs ?? createInlineJobRunner(),
    services: options.services ?? {},
  };
}

const router = createRouter(routes);

/** Calls the API as a host would: method and path through the router, then the route. */
export async function call(ctx: ApiContext, method: string, path: string, input: { query?: Record<string, string>; body?: unknown } = {}) {
  const { found, allowed } = router.match(method, path);
  if (!found) return { status: allowed.length ? 405 : 404, body: null as unknown };
  return respond(found.route, ctx, { params: found.params, query: input.query, body: input.body });
}

/** A call that must succeed with `status`; its body, typed loosely for assertions. */
export async function expectOk(ctx: ApiContext, method: string, path: string, input: { query?: Record<string, string>; body?: unknown } = {}, status = 200) {
  const response = await call(ctx, method, path, input);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const { found } = router.match(method, path);
  // The body is what the route's schema for that status says.
  const parsed = found!.route.responses[status]!.safeParse(response.body);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  return response.body as any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
