import path from 'node:path';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Environment, validated once at boot. A bad value stops the process with a message that names the
 * variable and what it should look like, instead of failing later somewhere less obvious.
 */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ message: 'PORT must be a port number, e.g. PORT=4000' })
    .int()
    .min(0)
    .max(65535, 'PORT must be between 0 and 65535')
    .default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  FLOORPLAN_DATA_DIR: z
    .string()
    .min(1)
    .default(path.join(process.cwd(), '.floorplan', 'pglite')),
  /** Comma-separated origins allowed to call the API from a browser; empty means same-origin only. */
  FLOORPLAN_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^https?:\/\/[^/\s]+$/,
            'FLOORPLAN_CORS_ORIGINS must list origins like https://app.example.com (scheme and host, no path), separated by commas',
          ),
      ),
    ),
  /** Seconds a client may take to send a request's headers (slow-loris bound). */
  FLOORPLAN_HEADERS_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(10),
  /** Seconds a client may take to send a whole request, body included. */
  FLOORPLAN_REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /**
   * On SIGTERM, how long in-flight requests may take to finish before their connections are cut
   * and the process exits (RELIABILITY promise 17). Below Kubernetes' default 30 s grace period.
   */
  FLOORPLAN_SHUTDOWN_DEADLINE_SECONDS: z.coerce.number().min(0.1).max(600).default(25),
  /** Seconds a runner's lease lasts without a heartbeat. Short, so a dead runner is noticed fast. */
  FLOORPLAN_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /**
   * Seconds between sweeps for expired leases. A run whose runner died leaves LEASED within
   * lease + this interval (RELIABILITY promise 16). Fractions allowed, for tests.
   */
  FLOORPLAN_SWEEP_INTERVAL_SECONDS: z.coerce
    .number({ message: 'FLOORPLAN_SWEEP_INTERVAL_SECONDS must be a number of seconds, e.g. 5' })
    .min(0.1)
    .max(3600)
    .default(5),
  /** Expired leases (lost runners) a new run survives before it fails as "runner lost". */
  /** The API's log level (pino): fatal, error, warn, info, debug, trace or silent. */
  FLOORPLAN_LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      message: `FLOORPLAN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, e.g. FLOORPLAN_LOG_LEVEL=info`,
    })
    .default('info'),
  FLOORPLAN_RUN_MAX_ATTEMPTS: z.coerce
    .number({ message: 'FLOORPLAN_RUN_MAX_ATTEMPTS must be a whole number, e.g. 3' })
    .int()
    .min(1)
    .max(100)
    .default(3),
});

export type AppConfig = z.infer<typeof environmentSchema> & { isProduction: boolean };

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, isProduction: parsed.data.NODE_ENV === 'production' };
}
