import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/limits';
import { sleep } from './background-tasks';
import { rateLimitRetryAfterMs } from './slack-calls';

export interface ThrottledMessageUpdaterOptions {
  client: WebClient;
  channel: string;
  ts: string;
  logger: Logger;
  /** At most one `chat.update` per this many ms for this message (Slack: about 1/s). */
  minIntervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  /** What the message shows now (as posted): an update with the same content is not sent. */
  initial?: SlackMessage;
}

function contentOf(message: SlackMessage): string {
  return JSON.stringify([message.text, message.blocks]);
}

/**
 * Keeps one Slack message showing the newest state without flooding `chat.update`. Updates coalesce:
 * while one is in flight, waiting out the interval or a 429 `Retry-After`, a newer state replaces the
 * pending one, so Slack sees at most one update per interval and never a stale state last.
 */
export class ThrottledMessageUpdater {
  private pending: SlackMessage | null = null;
  private loop: Promise<void> | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** The content Slack shows now, so an identical state is never sent again. */
  private shown: string | null;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  updatesSent = 0;

  constructor(private readonly options: ThrottledMessageUpdaterOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.shown = options.initial === undefined ? null : contentOf(options.initial);
    // The posted message counts as the last send: the first edit waits out the interval too.
    if (options.initial !== undefined) this.lastSentAt = this.now();
  }

  update(message: SlackMessage): void {
    if (contentOf(message) === this.shown) {
      // Back to what Slack shows already: drop a pending, different state only if none is newer.
      this.pending = null;
      return;
    }
    this.pending = message;
    if (this.loop === null) {
      this.loop = this.drain().finally(() => {
        this.loop = null;
      });
    }
  }

  /** Sends `message` as the last word (after the pending interval) and resolves once Slack has it. */
  async finish(message: SlackMessage): Promise<void> {
    this.update(message);
    while (this.loop !== null) await this.loop;
  }

  private async drain(): Promise<void> {
    while (this.pending !== null) {
      const waitMs = this.lastSentAt + this.minIntervalMs - this.now();
      if (waitMs > 0) await sleep(waitMs, this.options.signal);
      const message = this.pending;
      if (message === null) return;
      this.pending = null;
      const content = contentOf(message);
      if (content === this.shown) continue;
      this.lastSentAt = this.now();
      try {
        await this.options.client.chat.update({
          channel: this.options.channel,
          ts: this.options.ts,
          text: message.text,
          blocks: message.blocks,
        });
        this.updatesSent += 1;
        this.shown = content;
      } catch (error) {
        const retryAfterMs = rateLimitRetryAfterMs(error);
        if (retryAfterMs === undefined) {
          // A failed update is not fatal: the next state (or the final one) replaces it.
          this.options.logger.warn(
            `chat.update for ${this.options.ts} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          continue;
        }
        this.options.logger.warn(`chat.update rate limited; waiting ${retryAfterMs / 1000}s`);
        // Keep the newest state: a newer update may have arrived while this one was refused.
        this.pending ??= message;
        this.lastSentAt = this.now() + retryAfterMs - this.minIntervalMs;
      }
      if (this.options.signal?.aborted) return;
    }
  }
}
