import type { Logger, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/limits';
import { type AttemptedChange, buildApiErrorMessage, buildNoticeMessage } from '../blocks/replies';
import { GraphqlCallError } from '../floorplan-api';

export interface ReplyTarget {
  respond?: RespondFn | undefined;
  client: WebClient;
  channelId?: string | undefined;
  userId: string;
  logger: Logger;
}

/**
 * Answers only the user who asked: through `response_url` when Slack gave one, else an ephemeral
 * message in the channel, else a direct message (App Home has neither).
 */
export async function replyPrivately(target: ReplyTarget, message: SlackMessage): Promise<void> {
  try {
    if (target.respond !== undefined) {
      await target.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    }
    if (target.channelId !== undefined) {
      await target.client.chat.postEphemeral({
        channel: target.channelId,
        user: target.userId,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    }
    await target.client.chat.postMessage({
      channel: target.userId,
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    target.logger.error(
      `Could not answer ${target.userId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function replyPublicly(target: ReplyTarget, message: SlackMessage): Promise<void> {
  try {
    if (target.respond !== undefined) {
      await target.respond({
        response_type: 'in_channel',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    }
    await target.client.chat.postMessage({
      channel: target.channelId ?? target.userId,
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    target.logger.error(
      `Could not post the answer for ${target.userId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The one place a handler's failure becomes words for the user; nothing is swallowed silently. */
export async function replyWithFailure(
  target: ReplyTarget,
  error: unknown,
  example?: string,
  change: AttemptedChange = 'none',
): Promise<void> {
  if (error instanceof GraphqlCallError) {
    target.logger.warn(`floorplan API ${error.operationName ?? ''} failed (${error.kind}): ${error.message}`);
    await replyPrivately(target, buildApiErrorMessage(error, example, change));
    return;
  }
  target.logger.error(
    `Handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  await replyPrivately(
    target,
    buildNoticeMessage(':warning: Something went wrong on my side; it is logged. Please try again.'),
  );
}
