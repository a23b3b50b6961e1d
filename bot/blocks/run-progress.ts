import type { KnownBlock } from '@slack/web-api';
import { ActionId } from '../constants';
import { type BenchmarkRun, type RunProgress, TERMINAL_RUN_STATUSES } from '../floorplan-api';
import { escapeMrkdwn, RUN_STATUS_WORDS } from '../format/words';
import { actions, button, context, fitMessage, type SlackMessage, section } from './limits';

/** `▓▓▓▓▓░░░░░ 50%`; clamps nonsense (negative, over total, zero total) instead of failing. */
export function progressBar(completed: number, total: number, width = 20): string {
  const safeTotal = Number.isFinite(total) && total > 0 ? total : 0;
  const safeCompleted = Number.isFinite(completed) ? Math.min(Math.max(completed, 0), safeTotal) : 0;
  const ratio = safeTotal === 0 ? 0 : safeCompleted / safeTotal;
  const filled = Math.round(ratio * width);
  return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.floor(ratio * 100)}%`;
}

function describeProgress(run: BenchmarkRun, progress: RunProgress | null): string {
  if (progress === null) return `\`${progressBar(0, 0)}\` waiting for the runner`;
  const levels = progress.levelCount > 1 ? ` · level ${progress.levelIndex + 1}/${progress.levelCount}` : '';
  const concurrency = run.spec.concurrency[progress.levelIndex];
  const level = concurrency === undefined ? '' : ` (concurrency ${concurrency})`;
  const failed = progress.failed > 0 ? ` · ${progress.failed} failed` : '';
  return `\`${progressBar(progress.completed, progress.total)}\` ${progress.completed}/${progress.total} requests${levels}${level} · ${escapeMrkdwn(progress.phase)}${failed}`;
}

export function describeSpec(run: BenchmarkRun): string {
  const { spec } = run;
  const load =
    spec.concurrency.length > 0
      ? `concurrency ${spec.concurrency.join(', ')}`
      : spec.profileKind.toLowerCase();
  const prompts = spec.numPrompts === null ? '' : ` · ${spec.numPrompts} prompts`;
  const lengths =
    spec.inputTokens === null || spec.outputTokens === null
      ? ''
      : ` · ${spec.inputTokens} in / ${spec.outputTokens} out`;
  return `${load}${prompts}${lengths}`;
}

export function runTitle(run: BenchmarkRun): string {
  return `Benchmark of *${escapeMrkdwn(run.modelVariant.slug)}* on *${escapeMrkdwn(run.box.slug)}*`;
}

/**
 * The message a live run keeps updating in place. `slackUserId` is who asked in Slack: the API
 * records the bot's service token as the requester.
 */
export function buildRunProgressMessage(run: BenchmarkRun, slackUserId?: string): SlackMessage {
  const status = RUN_STATUS_WORDS[run.status];
  const terminal = TERMINAL_RUN_STATUSES.includes(run.status);
  const blocks: KnownBlock[] = [
    section(`${runTitle(run)}: *${status}*${run.cancelRequested && !terminal ? ' (cancel requested)' : ''}`),
    section(
      terminal
        ? run.status === 'SUCCEEDED'
          ? `\`${progressBar(1, 1)}\` done`
          : RUN_STATUS_WORDS[run.status]
        : describeProgress(run, run.progress),
    ),
    context([
      `run \`${escapeMrkdwn(run.id)}\``,
      describeSpec(run),
      `requested by ${slackUserId === undefined ? escapeMrkdwn(run.requestedBy) : `<@${slackUserId}>`}`,
      ...(run.attempt > 1 ? [`attempt ${run.attempt}`] : []),
    ]),
  ];
  if (run.status === 'FAILED' && run.failureReason)
    blocks.push(section(`:x: ${escapeMrkdwn(run.failureReason)}`));
  const tail: KnownBlock[] = terminal
    ? []
    : [actions([button('Cancel run', ActionId.cancelRun, run.id, 'danger')], 'run_actions')];
  return fitMessage(
    `Benchmark ${run.modelVariant.slug} on ${run.box.slug}: ${status}`,
    [...blocks, ...tail],
    {
      keepLast: tail.length,
    },
  );
}
