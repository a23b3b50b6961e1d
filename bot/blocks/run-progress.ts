import type { KnownBlock } from '@slack/web-api';
import { describeSlos } from '../../src/domain/slo-search';
import { ActionId } from '../constants';
import { type BenchmarkRun, type RunProgress, TERMINAL_RUN_STATUSES } from '../floorplan-api';
import { slackDate } from '../format/dates';
import { escapeMrkdwn, RUN_STATUS_WORDS } from '../format/words';
import { concurrencyLevelsOf, profileWordOf, sloSearchOf } from '../live-runs/run-spec';
import {
  actions,
  BlockKitLimits,
  button,
  context,
  fitMessage,
  type SlackMessage,
  section,
  truncateLines,
} from './limits';
import { headlineLines, personOf } from './run-headline';

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
  const concurrency = concurrencyLevelsOf(run.spec)[progress.levelIndex];
  const level = concurrency === undefined ? '' : ` (concurrency ${concurrency})`;
  // An SLO search does not know its level count ahead: it climbs, then bisects.
  const levelsText =
    run.spec.profile.__typename === 'SloSearchProfile' ? ` · level ${progress.levelIndex + 1}` : levels;
  const failed = progress.failed > 0 ? ` · ${progress.failed} failed` : '';
  return `\`${progressBar(progress.completed, progress.total)}\` ${progress.completed}/${progress.total} requests${levelsText}${level} · ${progress.phase.toLowerCase()}${failed}`;
}

export function describeSpec(run: BenchmarkRun): string {
  const { spec } = run;
  const levels = concurrencyLevelsOf(spec);
  const sloSearch = sloSearchOf(spec);
  const load =
    levels.length > 0
      ? `concurrency ${levels.join(', ')}`
      : sloSearch !== null
        ? `SLO search (${[
            describeSlos(sloSearch.slos),
            ...(sloSearch.maxConcurrency === null ? [] : [`up to ${sloSearch.maxConcurrency} streams`]),
          ]
            .filter((part) => part !== '')
            .join(', ')})`
        : profileWordOf(spec);
  return `${load} · ${spec.numPrompts} prompts · ${spec.inputTokens} in / ${spec.outputTokens} out`;
}

export function runTitle(run: BenchmarkRun): string {
  return `Benchmark of *${escapeMrkdwn(run.modelVariant.slug)}* on *${escapeMrkdwn(run.box.slug)}*`;
}

/** What ended the run, in one line: who cancelled, why it failed. */
export function endLine(run: BenchmarkRun): string | null {
  const when = run.finishedAt === null ? '' : ` ${slackDate(run.finishedAt)}`;
  if (run.status === 'CANCELLED')
    return `:no_entry_sign: Cancelled by ${run.cancelledBy === null ? 'someone (not recorded)' : personOf(run.cancelledBy)}${when}.`;
  if (run.status === 'FAILED')
    return `:x: Failed${when}${run.failureReason ? `: ${escapeMrkdwn(run.failureReason)}` : '.'}`;
  return null;
}

/**
 * The message a live run keeps updating in place; its final state ends with the headline numbers.
 * `slackUserId` is who asked in Slack (the API records the bot's service token "for slack:U…").
 */
export function buildRunProgressMessage(run: BenchmarkRun, slackUserId?: string): SlackMessage {
  const status = RUN_STATUS_WORDS[run.status];
  const terminal = TERMINAL_RUN_STATUSES.includes(run.status);
  const times = [
    `queued ${slackDate(run.createdAt)}`,
    ...(run.finishedAt !== null && terminal ? [`ended ${slackDate(run.finishedAt)}`] : []),
  ];
  const blocks: KnownBlock[] = [
    section(`${runTitle(run)}: *${status}*${run.cancelRequested && !terminal ? ' (cancel requested)' : ''}`),
  ];
  if (!terminal) blocks.push(section(describeProgress(run, run.progress)));
  blocks.push(
    context([
      `run \`${escapeMrkdwn(run.id)}\``,
      describeSpec(run),
      `requested by ${slackUserId === undefined ? personOf(run.requestedBy) : `<@${slackUserId}>`}`,
      times.join(' · '),
      ...(run.attempt > 1 ? [`attempt ${run.attempt}`] : []),
    ]),
  );
  const ending = terminal ? endLine(run) : null;
  if (ending !== null) blocks.push(section(ending));
  if (run.status === 'SUCCEEDED') {
    const lines = headlineLines(run);
    blocks.push(
      section(
        lines.length === 0
          ? 'The run finished but reported no results.'
          : truncateLines(lines.join('\n'), BlockKitLimits.sectionText, `… \`/floorplan run ${run.id}\``),
      ),
    );
  }
  const tail: KnownBlock[] = terminal
    ? []
    : [actions([button('Cancel run', ActionId.cancelRun, run.id, 'danger')], 'run_actions')];
  return fitMessage(
    `Benchmark ${run.modelVariant.slug} on ${run.box.slug}: ${status}`,
    [...blocks, ...tail],
    { keepLast: terminal ? 1 : tail.length },
  );
}
