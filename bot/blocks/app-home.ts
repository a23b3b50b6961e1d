import type { HomeView, KnownBlock } from '@slack/web-api';
import { ActionId, SLASH_COMMAND } from '../constants';
import {
  type BenchmarkRun,
  type RunPage,
  requesterMention,
  type SavedDecisionSummary,
  savedModelOf,
} from '../floorplan-api';
import { slackDate } from '../format/dates';
import { formatMonthlyCost } from '../format/money';
import { escapeMrkdwn, RUN_STATUS_WORDS } from '../format/words';
import { actions, BlockKitLimits, button, context, divider, fitMessage, header, section } from './limits';
import { progressBar } from './run-progress';

export interface AppHomeInput {
  /** First pages: the headers show each list's total, the rows the newest runs. */
  queued: RunPage;
  running: RunPage;
  recent: RunPage;
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
  return `\`${escapeMrkdwn(run.id)}\` *${escapeMrkdwn(run.modelVariant.slug)}* on ${escapeMrkdwn(run.box.slug)} · ${RUN_STATUS_WORDS[run.status]}${progress} · ${slackDate(run.finishedAt ?? run.createdAt)}`;
}

function runList(
  title: string,
  page: RunPage,
  showCancel: boolean,
  empty: string,
  listCommand: string,
  showTotal = true,
): KnownBlock[] {
  const blocks: KnownBlock[] = [header(showTotal ? `${title} (${page.totalCount})` : title)];
  const shown = page.runs.slice(0, ROWS_PER_LIST);
  if (shown.length === 0) blocks.push(context([empty]));
  for (const run of shown) {
    blocks.push(
      section(runLine(run), showCancel ? button('Cancel', ActionId.cancelRun, run.id, 'danger') : undefined),
    );
  }
  const more = page.totalCount - shown.length;
  if (more > 0 && showTotal) {
    blocks.push(context([`… ${more} more: \`${SLASH_COMMAND} ${listCommand} page=2\``]));
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
    blocks.push(
      ...runList(
        'Running',
        input.running,
        input.viewerCanOperate,
        'Nothing running on the box.',
        'runs running',
      ),
    );
    blocks.push(
      ...runList('Queued', input.queued, input.viewerCanOperate, 'The queue is empty.', 'runs queued'),
    );
    blocks.push(
      ...runList('Recent finished runs', input.recent, false, 'No finished runs yet.', 'runs', false),
    );
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
