import type { KnownBlock } from '@slack/web-api';
import { SLASH_COMMAND } from '../constants';
import type { BenchmarkRun, RunStatus } from '../floorplan-api';
import { escapeMrkdwn, RUN_STATUS_WORDS } from '../format/words';
import { context, fitMessage, header, type SlackMessage, section } from './limits';
import { describeSpec, progressBar } from './run-progress';

export function buildRunListMessage(
  runs: readonly BenchmarkRun[],
  status: RunStatus | undefined,
): SlackMessage {
  const title = status === undefined ? 'Benchmark runs' : `Benchmark runs: ${RUN_STATUS_WORDS[status]}`;
  const blocks: KnownBlock[] = [header(`${title} (${runs.length})`)];
  if (runs.length === 0) blocks.push(section('No runs match.'));
  for (const run of runs) {
    const progress =
      run.progress === null || run.status !== 'LEASED'
        ? ''
        : ` \`${progressBar(run.progress.completed, run.progress.total, 10)}\``;
    blocks.push(
      section(
        `\`${escapeMrkdwn(run.id)}\` *${escapeMrkdwn(run.modelVariant.slug)}* on ${escapeMrkdwn(run.box.slug)} · ${RUN_STATUS_WORDS[run.status]}${progress}\n${describeSpec(run)} · ${run.createdAt.slice(0, 16).replace('T', ' ')}`,
      ),
    );
  }
  blocks.push(context([`Details: \`${SLASH_COMMAND} run <id>\``]));
  return fitMessage(title, blocks, { overflowPointer: `\`${SLASH_COMMAND} runs n=10\`` });
}
