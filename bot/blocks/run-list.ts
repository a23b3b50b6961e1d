import type { KnownBlock } from '@slack/web-api';
import { SLASH_COMMAND } from '../constants';
import type { RunPage, RunStatus } from '../floorplan-api';
import { slackDate } from '../format/dates';
import { escapeMrkdwn, plural, RUN_STATUS_WORDS } from '../format/words';
import { context, fitMessage, header, type SlackMessage, section } from './limits';
import { describeSpec, progressBar } from './run-progress';

const STATUS_WORD_FOR_COMMAND: Record<RunStatus, string> = {
  QUEUED: 'queued',
  LEASED: 'running',
  SUCCEEDED: 'finished',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/** `/floorplan runs [status] page=N` as typed again, for pointers to other pages. */
export function runsCommand(status: RunStatus | undefined, page: number, pageSize: number): string {
  return [
    `${SLASH_COMMAND} runs`,
    ...(status === undefined ? [] : [STATUS_WORD_FOR_COMMAND[status]]),
    `page=${page}`,
    ...(pageSize === 10 ? [] : [`n=${pageSize}`]),
  ].join(' ');
}

/** Nothing on a page past the last: say so, with how many pages there are and the last one. */
export function buildNoSuchPageMessage(
  what: string,
  page: number,
  pageCount: number,
  count: number,
  lastPage: string,
): SlackMessage {
  const text = `There is no page ${page} of ${what}: there ${count === 1 ? 'is' : 'are'} ${plural(count, what === 'runs' ? 'run' : 'path')} on ${plural(pageCount, 'page')}. The last page: \`${lastPage}\``;
  return { text, blocks: [section(text)] };
}

export function buildRunListMessage(page: RunPage, status: RunStatus | undefined): SlackMessage {
  if (page.runs.length === 0 && page.page > 1) {
    return buildNoSuchPageMessage(
      'runs',
      page.page,
      page.pageCount,
      page.totalCount,
      runsCommand(status, page.pageCount, page.pageSize),
    );
  }
  const title = status === undefined ? 'Benchmark runs' : `Benchmark runs: ${RUN_STATUS_WORDS[status]}`;
  const blocks: KnownBlock[] = [header(`${title} (${page.totalCount})`)];
  if (page.runs.length === 0) blocks.push(section('No runs match.'));
  for (const run of page.runs) {
    const progress =
      run.progress === null || run.status !== 'LEASED'
        ? ''
        : ` \`${progressBar(run.progress.completed, run.progress.total, 10)}\``;
    blocks.push(
      section(
        `\`${escapeMrkdwn(run.id)}\` *${escapeMrkdwn(run.modelVariant.slug)}* on ${escapeMrkdwn(run.box.slug)} · ${RUN_STATUS_WORDS[run.status]}${progress}\n${describeSpec(run)} · ${slackDate(run.createdAt)}`,
      ),
    );
  }
  const shownThrough = (page.page - 1) * page.pageSize + page.runs.length;
  const more = page.totalCount - shownThrough;
  const next = runsCommand(status, page.page + 1, page.pageSize);
  const paging =
    page.pageCount > 1
      ? `Page ${page.page} of ${page.pageCount}${more > 0 ? ` · ${more} more: \`${next}\`` : ''}`
      : null;
  blocks.push(context([...(paging === null ? [] : [paging]), `Details: \`${SLASH_COMMAND} run <id>\``]));
  return fitMessage(title, blocks, { overflowPointer: `\`${next}\`` });
}
