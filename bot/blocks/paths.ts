import type { KnownBlock } from '@slack/web-api';
import { SLASH_COMMAND } from '../constants';
import type { PathKind, ServingPath } from '../floorplan-api';
import { escapeMrkdwn } from '../format/words';
import { context, fitMessage, header, type SlackMessage, section } from './limits';
import { buildNoSuchPageMessage } from './run-list';

export const PATHS_PER_PAGE = 15;

const PATH_KIND_WORDS: Record<PathKind, string> = {
  OWNED_BOX: 'owned box',
  PROVISIONED_THROUGHPUT: 'provisioned throughput',
  CUSTOM_MODEL_IMPORT: 'custom model import',
  NATIVE_FINE_TUNE: 'native fine-tune',
  ON_DEMAND_TOKENS: 'on-demand tokens',
  RENTED_INSTANCE: 'rented GPUs',
};

function describePath(path: ServingPath): string {
  const facts = [
    PATH_KIND_WORDS[path.kind],
    escapeMrkdwn(path.vendor.name),
    path.customWeightsSupported ? 'custom weights' : 'base models only',
    path.weightsExportable ? 'weights exportable' : 'weights stay with the platform',
    path.scaleToZero ? 'scales to zero' : 'billed while idle',
    path.leadTimeDays === null ? 'lead time unknown' : `lead time ${path.leadTimeDays} d`,
  ];
  if (path.region) facts.push(escapeMrkdwn(path.region));
  const wall = path.quotaWall ? `\n:no_entry: ${escapeMrkdwn(path.quotaWall)}` : '';
  return `*${escapeMrkdwn(path.name)}* \`${escapeMrkdwn(path.slug)}\`\n${facts.join(' · ')}${wall}`;
}

export function buildPathsMessage(paths: readonly ServingPath[], page: number): SlackMessage {
  const pageCount = Math.max(1, Math.ceil(paths.length / PATHS_PER_PAGE));
  if (page > pageCount) {
    return buildNoSuchPageMessage(
      'paths',
      page,
      pageCount,
      paths.length,
      `${SLASH_COMMAND} paths page=${pageCount}`,
    );
  }
  const currentPage = Math.max(1, page);
  const start = (currentPage - 1) * PATHS_PER_PAGE;
  const shown = paths.slice(start, start + PATHS_PER_PAGE);
  const blocks: KnownBlock[] = [header(`Serving paths (${paths.length})`)];
  if (shown.length === 0) blocks.push(section('No serving paths are in the catalog yet.'));
  for (const path of shown) blocks.push(section(describePath(path)));
  const remaining = paths.length - (start + shown.length);
  const nextPointer = `${SLASH_COMMAND} paths page=${currentPage + 1}`;
  if (remaining > 0) blocks.push(context([`… ${remaining} more: \`${nextPointer}\``]));
  else if (pageCount > 1) blocks.push(context([`Page ${currentPage} of ${pageCount}.`]));
  return fitMessage(`${paths.length} serving paths`, blocks, { overflowPointer: `\`${nextPointer}\`` });
}
