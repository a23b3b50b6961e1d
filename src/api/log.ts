import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

export type { Logger };

/**
 * The API's structured log: one JSON object per line on stdout (pino), at FLOORPLAN_LOG_LEVEL.
 * Request lines carry `requestId`. Nothing that could hold a credential is logged: no headers, no
 * query strings, no variables; the redaction below is a second guard should one ever be passed.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'floorplan-api', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'authorization',
          'token',
          'headers.authorization',
          'req.headers.authorization',
          '*.authorization',
          '*.token',
          'variables',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A logger that drops everything (tests and tools that start the API without one). */
export const silentLogger: Logger = pino({ level: 'silent' });

/** An incoming x-request-id is honoured when it looks like an id; otherwise a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:@/+=-]{1,128}$/.test(value) ? value : randomUUID();
}
