import { existsSync } from 'node:fs';
import type { ApiContext } from '@sagasync/api';
import { loadApi } from './api.js';
import type { StoragePort } from '@sagasync/core';
import { Printer } from '../output/printer.js';
import type { CliEnv } from './env.js';
import type { CliIo } from './io.js';
import { LOCAL_OWNER, openEmptyStore, openStore, resolveStorePath } from './store.js';

export interface GlobalOptions {
  store?: string;
  verbose?: boolean;
}

/** What every command gets: IO, env, the printer and the store, opened on first use. */
export class CommandContext {
  private storage: StoragePort | null = null;
  readonly printer: Printer;
  globals: GlobalOptions = {};

  constructor(
    readonly io: CliIo,
    readonly env: CliEnv,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.printer = new Printer(io);
  }

  get storePath(): string {
    return resolveStorePath(this.globals.store, this.env, this.io.cwd);
  }

  /** Set for commands that only read: they must not create a store that is not there. */
  readsOnly = false;

  store(): StoragePort {
    // A read of a store that does not exist reads an empty one, and leaves no file behind.
    this.storage ??= this.readsOnly && !existsSync(this.storePath) ? openEmptyStore() : openStore(this.storePath);
    return this.storage;
  }

  /** The use-case dependencies core expects. */
  deps(): { storage: StoragePort; ownerId: string; clock: () => Date } {
    return { storage: this.store(), ownerId: LOCAL_OWNER, clock: this.clock };
  }

  /**
   * The context the API's handlers take: the CLI calls the same route handlers a server does, so
   * a command's `--json` output is its route's response body. Jobs run inline: a command waits.
   */
  async api(): Promise<ApiContext> {
    const { createInlineJobRunner } = await loadApi();
    return { ...this.deps(), jobs: createInlineJobRunner(), services: {} };
  }

  async close(): Promise<void> {
    const storage = this.storage;
    this.storage = null;
    if (storage) await storage.close();
  }
}
