import type { HomeView, KnownBlock } from '@slack/web-api';
import { ActionId, SLASH_COMMAND } from '../constants';
import {
  type BenchmarkRun,
  requesterMention,
  type SavedDecisionSummary,
  savedModelOf,
} from '../floorplan-api';
import { formatMonthlyCost } from '../format/money';
import { escapeMrkdwn, RUN_STATUS_WORDS } from '../format/words';
import { actions, BlockKitLimits, button, context, divider, fitMessage, header, section } from './limits';
import { progressBar } from './run-progress';

export interface AppHomeInput {
  queued: readonly BenchmarkRun[];
  running: readonly BenchmarkRun[];
  recent: readonly BenchmarkRun[];
  decisions: readonly SavedDecisionSummary[];
  /** Set when the API could not be reached: the Home tab says so instead of showing stale data. */
  unavailableReason?: string;
  viewerCanOperate: boolean;
}

/** Sections per list, so one long list cannot crowd the others out of the 100-block Home view. */
const ROWS_PER_LIST = 15;

function runLine(run: BenchmarkRun): string {
  const progress =
    run.status === 'LEASED' && run.progress !== null
      ? ` \`${progressBar(run.progress.completed, run.progress.total, 10)}\``
      : '';
  return `\`${escapeMrkdwn(run.id)}\` *${escapeMrkdwn(run.modelVariant.slug)}* on ${escapeMrkdwn(run.box.slug)} · ${RUN_STATUS_WORDS[run.status]}${progress} · ${run.createdAt.slice(0, 16).replace('T', ' ')}`;
}

function runList(
  title: string,
  runs: readonly BenchmarkRun[],
  showCancel: boolean,
  empty: string,
): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`${title} (${runs.length})`)];
  if (runs.length === 0) blocks.push(context([empty]));
  for (const run of runs.slice(0, ROWS_PER_LIST)) {
    blocks.push(
      section(runLine(run), showCancel ? button('Cancel', ActionId.cancelRun, run.id, 'danger') : undefined),
    );
  }
  if (runs.length > ROWS_PER_LIST) {
    blocks.push(context([`… ${runs.length - ROWS_PER_LIST} more: \`${SLASH_COMMAND} runs\``]));
  }
  return blocks;
}

export function buildAppHomeView(input: AppHomeInput): HomeView {
  const blocks: KnownBlock[] = [
    header('floorplan'),
    section('Where to serve your fine-tuned model, and which constraint you keep. Try `/floorplan help`.'),
    actions([button('Refresh', ActionId.refreshHome, 'refresh')], 'home_actions'),
  ];
  if (input.unavailableReason !== undefined) {
    blocks.push(
      section(
        `:warning: The floorplan API is not answering (${escapeMrkdwn(input.unavailableReason)}). Refresh in a minute.`,
      ),
    );
  } else {
    blocks.push(divider());
    blocks.push(...runList('Running', input.running, input.viewerCanOperate, 'Nothing running on the box.'));
    blocks.push(...runList('Queued', input.queued, input.viewerCanOperate, 'The queue is empty.'));
    blocks.push(...runList('Recent runs', input.recent, false, 'No finished runs yet.'));
    blocks.push(header(`Last decisions (${input.decisions.length})`));
    if (input.decisions.length === 0)
      blocks.push(context(['No saved decisions yet: use "Save decision" on an answer.']));
    for (const decision of input.decisions.slice(0, ROWS_PER_LIST)) {
      const { recommendation } = decision.decision;
      const answer =
        recommendation === null
          ? 'no feasible path'
          : `${escapeMrkdwn(recommendation.pathSlug)} at ${formatMonthlyCost(recommendation.monthlyCost)}`;
      const keeping =
        decision.keep.length > 0
          ? `, keeping ${decision.keep.map((axis) => escapeMrkdwn(axis.toLowerCase())).join(', ')}`
          : '';
      blocks.push(
        section(
          `*${escapeMrkdwn(savedModelOf(decision) ?? 'workload')}*: ${answer}${keeping}\n\`${escapeMrkdwn(decision.id)}\` · ${decision.createdAt.slice(0, 10)} · asked by ${requesterMention(escapeMrkdwn(decision.requestedBy))}`,
        ),
      );
    }
  }
  const fitted = fitMessage('floorplan', blocks, {
    maxBlocks: BlockKitLimits.blocksPerView,
    overflowPointer: `\`${SLASH_COMMAND} runs\``,
  });
  return { type: 'home', blocks: fitted.blocks };
}
