import type { Pool, PoolClient } from 'pg';
import { isRetryable, RetryTransaction } from './postgres-errors.js';

/** Attempts of one transaction before its conflict is handed to the caller as `version_conflict`. */
const MAX_ATTEMPTS = 8;

/**
 * Runs `body` in one READ COMMITTED transaction on a client of its own, and runs it again when
 * PostgreSQL aborts it for a deadlock or a serialization failure (or `body` asks, with
 * `RetryTransaction`). Rerunning is safe: an aborted transaction left nothing behind, and every
 * check (an expected version) is made again.
 */
export async function withTransaction<T>(pool: Pool, body: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is gone; do not hand it back to the pool.
        broken = rollbackError as Error;
      }
      const again = error instanceof RetryTransaction || isRetryable(error);
      if (!again || attempt >= MAX_ATTEMPTS) throw error;
    } finally {
      client.release(broken);
    }
    // Jittered backoff, so two transactions that deadlocked do not meet again at once.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
}
