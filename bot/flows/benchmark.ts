import type { WebClient } from '@slack/web-api';
import { buildNoticeMessage, buildRefusalMessage } from '../blocks/replies';
import type { BenchmarkProfileInput } from '../command-text/parse';
import { EXAMPLES, SLO_SEARCH_EXAMPLE } from '../command-text/parse';
import type { BotDependencies } from '../dependencies';
import type { BenchmarkRun } from '../floorplan-api';
import { escapeMrkdwn, RUN_STATUS_WORDS } from '../format/words';
import { type ReplyTarget, replyPrivately, replyWithFailure } from '../listeners/replies';
import { startLiveRun } from '../live-runs/live-run';
import { slackErrorCode } from '../live-runs/slack-calls';
import { replyIfUnknownModel } from './decision';

export interface BenchmarkRequest {
  box: string;
  modelVariant: string;
  profile: BenchmarkProfileInput;
  idempotencyKey: string;
  channelId: string;
}

/**
 * The API answers a repeated idempotency key with the run it already made, without saying so. A run
 * created well before this request was made by an earlier delivery (perhaps on another replica).
 */
const REPLAY_AGE_MS = 60_000;

function isEarlierRun(run: BenchmarkRun, requestedAtMs: number): boolean {
  const createdAtMs = Date.parse(run.createdAt);
  return Number.isFinite(createdAtMs) && createdAtMs < requestedAtMs - REPLAY_AGE_MS;
}

/** Operators only: anyone else is told, privately, who can `what`. True when refused. */
export async function refusedUnlessOperator(
  dependencies: BotDependencies,
  target: ReplyTarget,
  what: string,
): Promise<boolean> {
  if (dependencies.roles.canOperate(target.userId)) return false;
  await replyPrivately(target, buildRefusalMessage(what, dependencies.roles.whoCanOperate()));
  return true;
}

/** Queues a run (operators only), posts its live message and starts following it. */
export async function queueBenchmarkRun(
  dependencies: BotDependencies,
  client: WebClient,
  target: ReplyTarget,
  request: BenchmarkRequest,
): Promise<void> {
  if (await refusedUnlessOperator(dependencies, target, 'start benchmark runs')) return;
  // Claimed before the API call, so two concurrent deliveries of one click cannot both post.
  if (dependencies.claimedRunKeys.checkAndRemember(request.idempotencyKey)) {
    await replyPrivately(
      target,
      buildNoticeMessage('That request is already queued (a retry or a double click); not queuing it twice.'),
    );
    return;
  }
  const requestedAtMs = Date.now();
  let run: BenchmarkRun;
  try {
    run = await dependencies.api.createBenchmarkRun({
      box: request.box,
      variant: request.modelVariant,
      endpointKind: 'CHAT',
      idempotencyKey: request.idempotencyKey,
      onBehalfOf: `slack:${target.userId}`,
      spec: {
        profile:
          request.profile.sloSearch === undefined
            ? { kind: 'CONCURRENCY', concurrency: request.profile.concurrency }
            : {
                kind: 'SLO_SEARCH',
                slos: request.profile.sloSearch.slos,
                maxConcurrency: request.profile.sloSearch.maxConcurrency,
              },
        numPrompts: request.profile.prompts,
        inputTokens: request.profile.inputTokens,
        outputTokens: request.profile.outputTokens,
      },
    });
  } catch (error) {
    // Nothing was queued: let the same button or command be tried again.
    dependencies.claimedRunKeys.forget(request.idempotencyKey);
    // A model the catalog does not have gets the closest slugs, as in `keep`.
    const example = request.profile.sloSearch === undefined ? EXAMPLES.bench : SLO_SEARCH_EXAMPLE;
    if (await replyIfUnknownModel(dependencies, target, error, request.modelVariant, example)) return;
    await replyWithFailure(
      target,
      error,
      request.profile.sloSearch === undefined ? EXAMPLES.bench : SLO_SEARCH_EXAMPLE,
      'queue',
    );
    return;
  }
  if (isEarlierRun(run, requestedAtMs)) {
    await replyPrivately(
      target,
      buildNoticeMessage(
        `That request already queued run \`${escapeMrkdwn(run.id)}\` (${RUN_STATUS_WORDS[run.status]}); not queuing it twice.`,
      ),
    );
    return;
  }
  try {
    await startLiveRun(
      { ...dependencies, client, options: dependencies.liveRunOptions },
      run,
      request.channelId,
      target.userId,
    );
  } catch (error) {
    const code = slackErrorCode(error);
    dependencies.logger.warn(
      `Run ${run.id} queued but its message could not be posted: ${code ?? String(error)}`,
    );
    const hint =
      code === 'not_in_channel' || code === 'channel_not_found'
        ? 'I am not in this channel, so I cannot post its progress here: `/invite` me, then follow it with'
        : 'I could not post its progress message; follow it with';
    await replyPrivately(
      target,
      buildNoticeMessage(`Queued run \`${escapeMrkdwn(run.id)}\`. ${hint} \`/floorplan run ${run.id}\`.`),
    );
  }
}

export async function cancelBenchmarkRun(
  dependencies: BotDependencies,
  target: ReplyTarget,
  runId: string,
): Promise<void> {
  if (await refusedUnlessOperator(dependencies, target, 'cancel benchmark runs')) return;
  try {
    const run = await dependencies.api.cancelBenchmarkRun(runId, `slack:${target.userId}`);
    const state =
      run.status === 'CANCELLED'
        ? 'is cancelled'
        : `will stop shortly (now ${RUN_STATUS_WORDS[run.status]}); its message will say so`;
    await replyPrivately(target, buildNoticeMessage(`Run \`${escapeMrkdwn(run.id)}\` ${state}.`));
  } catch (error) {
    await replyWithFailure(target, error, EXAMPLES.cancel);
  }
}
