import { buildNoticeMessage } from '../blocks/replies';
import { EXAMPLES } from '../command-text/parse';
import type { BotDependencies } from '../dependencies';
import type { Axis, WorkloadInput } from '../floorplan-api';
import { escapeMrkdwn } from '../format/words';
import { type ReplyTarget, replyPrivately } from '../listeners/replies';
import { replyWithWorkloadFailure, savedDecisionRequester } from './decision';

/**
 * "Watch" on a decision message: saves the decision for the Slack user and watches it in the
 * channel the button was clicked in, remembered by the API, which posts each new version there.
 * The confirmation goes in the message's thread, so the channel sees what is being watched.
 */
export async function watchFromMessage(
  dependencies: BotDependencies,
  target: ReplyTarget,
  workload: WorkloadInput,
  keep: readonly Axis[],
  threadTs: string | undefined,
): Promise<void> {
  const channel = target.channelId;
  if (channel === undefined) {
    await replyPrivately(
      target,
      buildNoticeMessage('Watching posts changes to a channel: click Watch on an answer in a channel.'),
    );
    return;
  }
  try {
    const saved = await dependencies.api.saveDecision(
      workload,
      keep,
      savedDecisionRequester(target.userId, workload.model),
    );
    await dependencies.api.watchDecision(saved.id, channel);
    const text = `<@${target.userId}> is watching decision \`${escapeMrkdwn(saved.id)}\` for \`${escapeMrkdwn(workload.model)}\` here: when a price, benchmark result, SLO sweep, quality evaluation or access attempt it rests on changes its answer, I'll post what changed and why in this channel.`;
    await target.client.chat.postMessage({
      channel,
      text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      unfurl_links: false,
    });
  } catch (error) {
    await replyWithWorkloadFailure(dependencies, target, error, workload, EXAMPLES.keep, 'save');
  }
}
