import type { WebClient } from '@slack/web-api';
import { buildCostMessage } from '../blocks/cost';
import { EXAMPLES, workloadToArguments } from '../command-text/parse';
import type { BotDependencies } from '../dependencies';
import type { WorkloadInput } from '../floorplan-api';
import { type ReplyTarget, replyPublicly } from '../listeners/replies';
import { costChartPath } from '../live-runs/chart-paths';
import { withRateLimitRetry } from '../live-runs/slack-calls';
import { replyWithWorkloadFailure, savedDecisionRequester } from './decision';

/**
 * `/floorplan cost`: cost per option and break-evens in the channel, then the cost-vs-volume chart
 * as a file. The chart endpoint draws a stored workload, so the workload is saved (for the user who
 * asked, and the message says so); its answer is the one shown. "Compare with cloud" saves nothing.
 */
export async function answerCost(
  dependencies: BotDependencies,
  client: WebClient,
  target: ReplyTarget,
  workload: WorkloadInput,
): Promise<void> {
  let saved: Awaited<ReturnType<typeof dependencies.api.saveDecision>>;
  try {
    saved = await dependencies.api.saveDecision(
      workload,
      [],
      savedDecisionRequester(target.userId, workload.model),
    );
  } catch (error) {
    await replyWithWorkloadFailure(dependencies, target, error, workload, EXAMPLES.cost, 'save');
    return;
  }
  const chartFollows = target.channelId !== undefined;
  await replyPublicly(
    target,
    buildCostMessage(saved.decision, workloadToArguments(workload), chartFollows, saved.id),
  );
  if (target.channelId === undefined) return;
  try {
    const png = await dependencies.api.chartPng(costChartPath(saved.id));
    await withRateLimitRetry(
      () =>
        client.filesUploadV2({
          channel_id: target.channelId,
          file: png,
          filename: 'cost-vs-volume.png',
          title: 'Monthly cost vs volume',
          alt_text: 'Monthly cost of each serving path against requests per month, with break-even points',
        }),
      { logger: dependencies.logger, description: 'files upload (cost chart)' },
    );
  } catch (error) {
    dependencies.logger.warn(
      `Cost chart not attached: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
