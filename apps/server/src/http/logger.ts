import type { Logger } from '@sagasync/core';
import pino from 'pino';

/** Header and field names whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["webhook-signature"]',
  'req.headers["x-notion-signature"]',
  'req.headers["x-cron-secret"]',
  'res.headers["set-cookie"]',
  'token',
  'webhookSecret',
  'secret',
];

/** The server's pino logger, JSON lines on stdout (or `destination`), secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'sagasync-server' } }, destination);
}

/** Core's logger interface over pino, for use cases and the api package. */
export function useCaseLogger(log: pino.Logger): Logger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}
