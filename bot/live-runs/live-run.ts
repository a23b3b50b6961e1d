import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildRunProgressMessage } from '../blocks/run-progress';
import { buildRunResultMessage } from '../blocks/run-result';
import { SLASH_COMMAND } from '../constants';
import { type BenchmarkRun, type FloorplanApi, savedModelOf, TERMINAL_RUN_STATUSES } from '../floorplan-api';
import type { BackgroundTasks } from './background-tasks';
import { frontierChartPath, historyChartPath } from './chart-paths';
import type { RunFeed } from './run-feed';
import { withRateLimitRetry } from './slack-calls';
import { ThrottledMessageUpdater } from './throttled-message-updater';

export interface LiveRunOptions {
  /** Minimum gap between two `chat.update` calls on one message. */
  minUpdateIntervalMs: number;
  /** First wait before reopening the run feed after its stream broke; doubles up to 30 s. */
  resubscribeDelayMs: number;
  /**
   * Also read each followed run this often: a terminal event lost with a proxy's buffer or a broken
   * stream must not leave the message stuck at "running".
   */
  pollIntervalMs: number;
  /** Give up watching after this long (the run goes on; `/floorplan run <id>` still answers). */
  maxWatchMs: number;
}

export const DEFAULT_LIVE_RUN_OPTIONS: LiveRunOptions = {
  minUpdateIntervalMs: 1000,
  resubscribeDelayMs: 1000,
  pollIntervalMs: 15_000,
  maxWatchMs: 12 * 60 * 60 * 1000,
};

export interface LiveRunDependencies {
  api: FloorplanApi;
  client: WebClient;
  logger: Logger;
  tasks: BackgroundTasks;
  /** The process's one stream of run changes. */
  runFeed: RunFeed;
  options: LiveRunOptions;
}

function isTerminal(run: Pick<BenchmarkRun, 'status'>): boolean {
  return TERMINAL_RUN_STATUSES.includes(run.status);
}

/**
 * Follows a run until it ends: changes arrive over the process's one run feed (a GraphQL SSE stream
 * shared by every followed run), and the run is also read every `pollIntervalMs`, so a change lost
 * with a broken stream or an API restart still ends with the final result in Slack.
 */
function watchUntilTerminal(
  dependencies: LiveRunDependencies,
  initial: BenchmarkRun,
  updater: ThrottledMessageUpdater,
  slackUserId: string,
  signal: AbortSignal,
): Promise<BenchmarkRun | null> {
  const { api, runFeed, logger, options } = dependencies;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: BenchmarkRun | null) => {
      if (settled) return;
      settled = true;
      stopFollowing();
      clearInterval(poller);
      clearTimeout(deadline);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onRun = (run: BenchmarkRun) => {
      if (settled) return;
      if (isTerminal(run)) settle(run);
      else updater.update(buildRunProgressMessage(run, slackUserId));
    };
    const onAbort = () => settle(null);
    const stopFollowing = runFeed.follow(initial.id, onRun);
    const poller = setInterval(() => {
      api.benchmarkRun(initial.id).then(
        (fresh) => (fresh === null ? settle(null) : onRun(fresh)),
        (error: unknown) =>
          logger.warn(
            `Could not read run ${initial.id}: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
    }, options.pollIntervalMs);
    const deadline = setTimeout(() => settle(null), options.maxWatchMs);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) settle(null);
  });
}

async function postFinalResult(
  dependencies: LiveRunDependencies,
  run: BenchmarkRun,
  channel: string,
  threadTs: string,
): Promise<void> {
  const { client, logger } = dependencies;
  const regressed = run.results.some((result) => result.regressionVerdict === 'REGRESSED');
  const chartPath = run.status === 'SUCCEEDED' ? historyChartPath(run) : null;
  const message = buildRunResultMessage(run, { chartAttached: chartPath !== null });
  await withRateLimitRetry(
    () =>
      client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        // A regression is news for the whole channel, not only for the thread.
        reply_broadcast: regressed,
        text: message.text,
        blocks: message.blocks,
      }),
    { logger, description: 'chat.postMessage (run result)' },
  );
  if (chartPath !== null) {
    await attachChart(dependencies, channel, threadTs, chartPath, {
      filename: `benchmark-${run.id}.png`,
      title: `History: ${run.modelVariant.slug} on ${run.box.slug}`,
      altText: `Benchmark history chart for ${run.modelVariant.slug} on ${run.box.slug}`,
      failure: 'The history chart could not be attached; the numbers above are complete.',
    });
  }
  if (run.status === 'SUCCEEDED' && run.sloSweeps.length > 0)
    await postFrontierChart(dependencies, run, channel, threadTs);
}

/**
 * After an SLO search: $/1M goodput tokens per path against per-user speed, for the newest saved
 * workload of the swept model (the frontier is a workload's question: its volume, shape and SLOs).
 */
async function postFrontierChart(
  dependencies: LiveRunDependencies,
  run: BenchmarkRun,
  channel: string,
  threadTs: string,
): Promise<void> {
  const { api, client, logger } = dependencies;
  const model = run.modelVariant.slug;
  let saved: Awaited<ReturnType<typeof api.recentDecisions>>[number] | undefined;
  try {
    saved = (await api.recentDecisions(50)).find((decision) => savedModelOf(decision) === model);
  } catch (error) {
    logger.warn(
      `No frontier chart for run ${run.id}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (saved === undefined) {
    await withRateLimitRetry(
      () =>
        client.chat.postMessage({
          channel,
          thread_ts: threadTs,
          text: `No saved workload for ${model}, so no chart of $/1M goodput tokens per path: answer one with \`${SLASH_COMMAND} keep model=${model} …\` and "Save decision".`,
        }),
      { logger, description: 'chat.postMessage (no frontier chart)' },
    ).catch(() => undefined);
    return;
  }
  await attachChart(dependencies, channel, threadTs, frontierChartPath(saved.id), {
    filename: `frontier-${run.id}.png`,
    title: `$/1M goodput tokens per path: ${model}`,
    altText: `Dollars per million goodput tokens against per-user decode speed, every path, for saved workload ${saved.id}`,
    comment: `$/1M goodput tokens per path for the saved workload \`${saved.id}\` (${model}), with this sweep.`,
    failure: 'The frontier chart could not be attached; the sweep above is complete.',
  });
}

async function attachChart(
  dependencies: LiveRunDependencies,
  channel: string,
  threadTs: string,
  path: string,
  file: { filename: string; title: string; altText: string; comment?: string; failure: string },
): Promise<void> {
  const { api, client, logger } = dependencies;
  try {
    const png = await api.chartPng(path);
    await withRateLimitRetry(
      () =>
        client.filesUploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file: png,
          filename: file.filename,
          title: file.title,
          alt_text: file.altText,
          ...(file.comment === undefined ? {} : { initial_comment: file.comment }),
        }),
      { logger, description: `files upload (${file.filename})` },
    );
  } catch (error) {
    logger.warn(`${file.filename} not attached: ${error instanceof Error ? error.message : String(error)}`);
    await client.chat
      .postMessage({ channel, thread_ts: threadTs, text: file.failure })
      .catch(() => undefined);
  }
}

/**
 * Posts the run's message at once, then hands the watching to a background task: the Slack request
 * that queued the run has long been acknowledged by then.
 */
export async function startLiveRun(
  dependencies: LiveRunDependencies,
  run: BenchmarkRun,
  channel: string,
  slackUserId: string,
): Promise<{ ts: string }> {
  const { client, logger } = dependencies;
  // A run already over when it is posted (cancelled meanwhile, a replay) is posted in its final state.
  const first = buildRunProgressMessage(run, slackUserId);
  const posted = await withRateLimitRetry(
    () => client.chat.postMessage({ channel, text: first.text, blocks: first.blocks }),
    { logger, description: 'chat.postMessage (run queued)' },
  );
  const ts = posted.ts;
  if (ts === undefined) throw new Error('chat.postMessage returned no ts');
  dependencies.tasks.run(`watch run ${run.id}`, async (signal) => {
    const updater = new ThrottledMessageUpdater({
      client,
      channel,
      ts,
      logger,
      minIntervalMs: dependencies.options.minUpdateIntervalMs,
      signal,
      initial: first,
    });
    const final = isTerminal(run)
      ? run
      : await watchUntilTerminal(dependencies, run, updater, slackUserId, signal);
    if (final === null) return;
    // Sent once; skipped when the message already shows it.
    await updater.finish(buildRunProgressMessage(final, slackUserId));
    await postFinalResult(dependencies, final, channel, ts);
  });
  return { ts };
}
