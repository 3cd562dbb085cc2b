import type { StoragePort } from '../ports/storage.port.js';

/** What a use case may say about its work; apps plug in their logger (pino, console, nothing). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything: the default, so libraries are silent unless an app asks. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What every use case of every package is called with: the store, the owner it acts for, a
 * clock and a logger. Flows that need more (a Notion connection, a deadline) take it as named
 * options beside this, never from the environment.
 */
export interface UseCaseContext {
  storage: StoragePort;
  ownerId: string;
  /** Defaults to the system clock; tests and resumable flows pass their own. */
  clock?: () => Date;
  /** Defaults to `silentLogger`. */
  log?: Logger;
}

export const nowOf = (ctx: UseCaseContext): Date => (ctx.clock ? ctx.clock() : new Date());

export const nowIso = (ctx: UseCaseContext): string => nowOf(ctx).toISOString();

export const logOf = (ctx: UseCaseContext): Logger => ctx.log ?? silentLogger;
