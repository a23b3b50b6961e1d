import type { KnownBlock } from '@slack/web-api';
import type { AccessPath } from '../floorplan-api';
import { formatMoney } from '../format/money';
import { escapeMrkdwn, formatNumber, formatPercent } from '../format/words';
import { context, fitMessage, header, type SlackMessage, section } from './limits';

function words(enumValue: string): string {
  return escapeMrkdwn(enumValue.toLowerCase().replaceAll('_', ' '));
}

function describeAccessPath(path: AccessPath): string {
  const commitment =
    path.minimumCommitment === null
      ? 'no minimum commitment on record'
      : `minimum ${formatMoney(path.minimumCommitment)}${path.minimumCommitmentHours === null ? '' : ` (${path.minimumCommitmentHours} h)`}${
          path.paidUpFront ? ', paid up front' : ''
        }${path.cancellable ? '' : ', no cancel'}`;
  const lead =
    path.typicalLeadTimeDays === null ? 'lead time unknown' : `lead time ~${path.typicalLeadTimeDays} d`;
  const quota = path.quotaNeeded ? ` · quota: ${escapeMrkdwn(path.quotaNeeded)}` : '';
  const { figures } = path;
  const answers =
    figures.attempts === 0
      ? 'no request on record'
      : `${figures.attempts} requests, median answer ${figures.medianHoursToAnswer === null ? 'n/a' : `${formatNumber(figures.medianHoursToAnswer)} h`}, success ${formatPercent(figures.successRate)}`;
  const lastAttempt = [...path.attempts].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
  const last =
    lastAttempt === undefined
      ? ''
      : ` · last ${lastAttempt.requestedAt.slice(0, 10)}: ${words(lastAttempt.outcome)}${
          lastAttempt.answeredAt === null ? ' (no answer yet)' : ''
        }`;
  return `*${escapeMrkdwn(path.name)}* · ${escapeMrkdwn(path.vendor.name)} · ${words(path.channel)}${
    path.region ? ` · ${escapeMrkdwn(path.region)}` : ''
  }\n${commitment} · ${lead}${quota}\n${answers}${last}`;
}

export function buildAccessPathsMessage(accelerator: string, paths: readonly AccessPath[]): SlackMessage {
  const blocks: KnownBlock[] = [header(`Ways to get ${accelerator}`)];
  if (paths.length === 0) {
    blocks.push(
      section(
        `No access paths to \`${escapeMrkdwn(accelerator)}\` are on record. Try \`h100\`, \`gb300\` or \`dgx-spark\`.`,
      ),
    );
  }
  for (const path of paths) blocks.push(section(describeAccessPath(path)));
  if (paths.length > 0)
    blocks.push(
      context(['Prices, commitments and lead times come from recorded sources and past requests.']),
    );
  return fitMessage(`${paths.length} access paths to ${accelerator}`, blocks, {
    overflowPointer: 'the API has the full list (accessPaths query, CSV export)',
  });
}
