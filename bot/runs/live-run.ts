import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildRunProgressMessage } from '../blocks/run-progress';
import { buildRunResultMessage } from '../blocks/run-result';
import { type BenchmarkRun, type FloorplanApi, TERMINAL_RUN_STATUSES } from '../floorplan-api';
import { type BackgroundTasks, sleep } from './background-tasks';
import { historyChartPath } from './chart-paths';
import { withRateLimitRetry } from './slack-calls';
import { ThrottledMessageUpdater } from './throttled-message-updater';

export interface LiveRunOptions {
  /** Minimum gap between two `chat.update` calls on one message. */
  minUpdateIntervalMs: number;
  /** First wait before re-subscribing after the progress stream broke; doubles up to 30 s. */
  resubscribeDelayMs: number;
  /**
   * While subscribed, also read the run this often: a terminal event sent before the subscription
   * was established, or lost with a proxy's buffer, must not leave the message stuck at "running".
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
  options: LiveRunOptions;
}

function isTerminal(run: Pick<BenchmarkRun, 'status'>): boolean {
  return TERMINAL_RUN_STATUSES.includes(run.status);
}

/** Waits for the next progress event or the end of the stream, whichever comes first. */
async function followProgress(
  dependencies: LiveRunDependencies,
  run: BenchmarkRun,
  onRun: (snapshot: BenchmarkRun) => void,
  signal: AbortSignal,
): Promise<'terminal' | 'ended'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: 'terminal' | 'ended') => {
      if (settled) return;
      settled = true;
      clearInterval(poller);
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
      resolve(outcome);
    };
    const onAbort = () => settle('ended');
    const poller = setInterval(() => {
      dependencies.api.benchmarkRun(run.id).then(
        (fresh) => {
          if (fresh === null || isTerminal(fresh)) settle('ended');
        },
        () => undefined,
      );
    }, dependencies.options.pollIntervalMs);
    const unsubscribe = dependencies.api.subscribeRunProgress(run.id, {
      onRun: (snapshot) => {
        onRun(snapshot);
        if (isTerminal(snapshot)) settle('terminal');
      },
      onEnd: (error) => {
        if (error !== undefined)
          dependencies.logger.warn(`Progress stream for run ${run.id} ended: ${error.message}`);
        settle('ended');
      },
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Follows a run until it ends: progress over GraphQL SSE, falling back to a fresh read of the run
 * (and a new subscription, with backoff) whenever the stream breaks, so an API restart mid-run
 * still ends with the final result in Slack.
 */
async function watchUntilTerminal(
  dependencies: LiveRunDependencies,
  initial: BenchmarkRun,
  updater: ThrottledMessageUpdater,
  slackUserId: string,
  signal: AbortSignal,
): Promise<BenchmarkRun | null> {
  let latest = initial;
  let delayMs = dependencies.options.resubscribeDelayMs;
  const deadline = Date.now() + dependencies.options.maxWatchMs;
  while (!signal.aborted && Date.now() < deadline) {
    const outcome = await followProgress(
      dependencies,
      latest,
      (snapshot) => {
        latest = snapshot;
        updater.update(buildRunProgressMessage(latest, slackUserId));
      },
      signal,
    );
    if (signal.aborted) return null;
    try {
      const fresh = await dependencies.api.benchmarkRun(initial.id);
      if (fresh === null) return null;
      latest = fresh;
      if (outcome === 'terminal' || isTerminal(fresh)) return fresh;
      updater.update(buildRunProgressMessage(fresh, slackUserId));
      delayMs = dependencies.options.resubscribeDelayMs;
    } catch (error) {
      dependencies.logger.warn(
        `Could not read run ${initial.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await sleep(delayMs, signal);
    delayMs = Math.min(delayMs * 2, 30_000);
  }
  return null;
}

async function postFinalResult(
  dependencies: LiveRunDependencies,
  run: BenchmarkRun,
  channel: string,
  threadTs: string,
): Promise<void> {
  const { client, logger, api } = dependencies;
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
  if (chartPath === null) return;
  try {
    const png = await api.chartPng(chartPath);
    await withRateLimitRetry(
      () =>
        client.filesUploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file: png,
          filename: `benchmark-${run.id}.png`,
          title: `History: ${run.modelVariant.slug} on ${run.box.slug}`,
          alt_text: `Benchmark history chart for ${run.modelVariant.slug} on ${run.box.slug}`,
        }),
      { logger, description: 'files upload (run chart)' },
    );
  } catch (error) {
    logger.warn(
      `Chart for run ${run.id} not attached: ${error instanceof Error ? error.message : String(error)}`,
    );
    await client.chat
      .postMessage({
        channel,
        thread_ts: threadTs,
        text: 'The history chart could not be attached; the numbers above are complete.',
      })
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
    });
    const final = isTerminal(run)
      ? run
      : await watchUntilTerminal(dependencies, run, updater, slackUserId, signal);
    if (final === null) return;
    await updater.finish(buildRunProgressMessage(final, slackUserId));
    await postFinalResult(dependencies, final, channel, ts);
  });
  return { ts };
}
