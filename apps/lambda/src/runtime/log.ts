import type { Logger } from '@sagasync/core';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** Field names whose values never reach a log line, at any depth. */
const SECRET_FIELD = /token|secret|password|authorization|cookie|signature|key$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

/**
 * One JSON line per message on stdout, which Lambda sends to CloudWatch Logs as it is; fields
 * that name a secret are redacted.
 */
export function jsonLogger(level: keyof typeof LEVELS, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const min = LEVELS[level];
  const at =
    (name: Exclude<keyof typeof LEVELS, 'silent'>) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[name] < min) return;
      write(JSON.stringify({ level: name, time: new Date().toISOString(), msg: message, ...(fields ? (redact(fields) as object) : {}) }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
