import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { SeenKeys } from './seen-keys';

/**
 * Slack redelivers an event (with `X-Slack-Retry-Num`) when our 200 was late or lost, and Bolt does
 * not deduplicate. Events are acknowledged before global middleware runs, so a redelivery is simply
 * not dispatched again. Slack retries for up to about an hour; keep ids for two.
 */
export function createEventDeduplication(
  seen = new SeenKeys(2 * 60 * 60 * 1000),
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, logger, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && seen.checkAndRemember(eventId)) {
      logger.info(
        `Skipping event ${eventId}: already handled (retry ${context.retryNum ?? '?'}, ${context.retryReason ?? 'no reason'})`,
      );
      return;
    }
    await next();
  };
}
