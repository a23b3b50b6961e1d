import type { Logger } from '@slack/bolt';
import { ErrorCode } from '@slack/web-api';
import { sleep } from './background-tasks';

/**
 * The bot's WebClient is built with `rejectRateLimitedCalls: true`: the SDK's own 429 handling pauses
 * the whole client and retries with extra backoff, while we want the live-run updater to keep only
 * the newest state while it waits. Other calls go through `withRateLimitRetry`.
 */
export function rateLimitRetryAfterMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  if (code !== ErrorCode.RateLimitedError || typeof retryAfter !== 'number') return undefined;
  // Slack's Retry-After is in seconds; never retry sooner than a second, never wait absurdly long.
  return Math.min(Math.max(retryAfter, 1), 120) * 1000;
}

export async function withRateLimitRetry<Result>(
  call: () => Promise<Result>,
  options: { logger: Logger; description: string; maxAttempts?: number; signal?: AbortSignal },
): Promise<Result> {
  const maxAttempts = options.maxAttempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const waitMs = rateLimitRetryAfterMs(error);
      if (waitMs === undefined || attempt >= maxAttempts || options.signal?.aborted) throw error;
      options.logger.warn(`${options.description}: rate limited by Slack, retrying in ${waitMs / 1000}s`);
      await sleep(waitMs, options.signal);
    }
  }
}

/** A Slack platform error code (`not_in_channel`, `channel_not_found`…) if the error carries one. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
