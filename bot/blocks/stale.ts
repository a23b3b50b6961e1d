import type { KnownBlock } from '@slack/web-api';
import type { StalePrices } from '../floorplan-api';
import { formatMoney } from '../format/money';
import { escapeMrkdwn } from '../format/words';
import {
  BlockKitLimits,
  context,
  fitMessage,
  header,
  type SlackMessage,
  section,
  truncateLines,
} from './limits';

/** `/floorplan stale`: the old prices, by the saved decisions that cost with them, and how to refresh each. */
export function buildStaleMessage(report: StalePrices): SlackMessage {
  const days = report.olderThanDays;
  if (report.prices.length === 0)
    return fitMessage(`No price is older than ${days} days.`, [
      section(`No price is older than ${days} days: every figure in effect was dated within it.`),
    ]);
  const bySlug = new Map(report.prices.map((price) => [price.slug, price]));
  const blocks: KnownBlock[] = [header(`${report.prices.length} prices older than ${days} days`)];
  const decisionLines = report.decisions.map((decision) => {
    const where = decision.watched
      ? `watched${decision.channels.length ? ` in ${decision.channels.map((channel) => `<#${channel}>`).join(', ')}` : ''}`
      : 'not watched';
    const prices = decision.prices
      .map((price) => `\`${escapeMrkdwn(price.slug)}\` (${bySlug.get(price.slug)?.ageDays ?? '?'} d)`)
      .join(', ');
    return `• \`${escapeMrkdwn(decision.decisionId)}\` (${where}; recommends ${escapeMrkdwn(decision.recommendation ?? 'nothing')}) costs with ${prices}`;
  });
  if (decisionLines.length)
    blocks.push(
      section(
        truncateLines(
          `*Saved decisions resting on them:*\n${decisionLines.join('\n')}`,
          BlockKitLimits.sectionText,
          '… more with `npx floorplan prices stale`',
        ),
      ),
    );
  const refreshLines = report.prices.map((price) => {
    const refresh = price.refresh.find((item) => item.kind === 'IMPORT') ?? price.refresh[0];
    const how = refresh ? `\`${escapeMrkdwn(refresh.command)}\`` : 'edit the catalog';
    return `• \`${escapeMrkdwn(price.slug)}\` ${formatMoney(price.price)} since ${price.effectiveFrom.slice(0, 10)}: ${how}`;
  });
  blocks.push(
    section(
      truncateLines(
        `*To refresh them* (dry-run an import, or edit the catalog):\n${refreshLines.join('\n')}`,
        BlockKitLimits.sectionText,
        '… every price with `npx floorplan prices stale`',
      ),
    ),
    context([
      'Each new value re-checks the watched decisions that cost with it; a change is posted where they are watched.',
    ]),
  );
  return fitMessage(`${report.prices.length} prices older than ${days} days`, blocks, {
    overflowPointer: 'npx floorplan prices stale',
  });
}
