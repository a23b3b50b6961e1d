import type { KnownBlock } from '@slack/web-api';
import Decimal from 'decimal.js';
import type { Decision, PathOption } from '../floorplan-api';
import { formatMonthlyRange } from '../format/money';
import { escapeMrkdwn, formatCompact, formatRequestsPerMonth, formatTokensPerMonth } from '../format/words';
import {
  BlockKitLimits,
  codeSections,
  context,
  fitMessage,
  header,
  type SlackMessage,
  section,
  truncateLines,
  truncateText,
} from './limits';

function isEligible(decision: Decision, option: PathOption): boolean {
  return option.eligible && !decision.notEligible.some((entry) => entry.optionId === option.optionId);
}

/**
 * "Compare with cloud": the monthly cost of each path at this volume, where pairs of eligible paths
 * cross (the break-evens that exist), and one line naming the pairs that never cross. Nothing is
 * saved: it is the same answer as `keep`, shown by cost.
 */
export function buildCompareMessage(decision: Decision, modelVariant: string): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`${modelVariant}: owned box vs cloud, by cost`),
    context([
      `${formatRequestsPerMonth(decision.requestsPerMonth)} · ${formatTokensPerMonth(decision.tokensPerMonth)} · nothing was saved`,
    ]),
  ];
  const byCost = [...decision.paths].sort((a, b) =>
    new Decimal(a.monthlyCost.amount).comparedTo(b.monthlyCost.amount),
  );
  const eligible = byCost.filter((option) => isEligible(decision, option));
  const others = byCost.filter((option) => !isEligible(decision, option));
  const width = Math.min(22, Math.max(4, ...byCost.map((option) => option.pathSlug.length)));
  const lines = [
    ...eligible.map(
      (option) =>
        `${option.pathSlug.padEnd(width).slice(0, width)} ${formatMonthlyRange(option.monthlyCost, option.costLow, option.costHigh)}`,
    ),
    ...others.map(
      (option) =>
        `${option.pathSlug.padEnd(width).slice(0, width)} ${formatMonthlyRange(option.monthlyCost, option.costLow, option.costHigh)}  not eligible (serves ${option.servedVariant})`,
    ),
  ];
  if (lines.length > 0) blocks.push(...codeSections(lines));

  const eligibleIds = new Set(eligible.map((option) => option.optionId));
  const pathOf = new Map(decision.paths.map((option) => [option.optionId, option.pathSlug]));
  const name = (optionId: string) => escapeMrkdwn(pathOf.get(optionId) ?? optionId);
  const pairs = decision.breakEvens.filter(
    (breakEven) => eligibleIds.has(breakEven.optionA) && eligibleIds.has(breakEven.optionB),
  );
  const crossing = pairs.filter((breakEven) => breakEven.crossings.length > 0);
  const never = pairs.filter((breakEven) => breakEven.crossings.length === 0);
  if (crossing.length > 0) {
    const crossingLines = crossing.map((breakEven) => {
      const points = breakEven.crossings
        .slice(0, 4)
        .map(
          (point) => `~${formatCompact(point.requestsPerMonth)} (${name(point.cheaperBelow)} cheaper below)`,
        );
      const more = breakEven.crossings.length > 4 ? `, ${breakEven.crossings.length - 4} more` : '';
      return `• \`${name(breakEven.optionA)}\` vs \`${name(breakEven.optionB)}\` cross at ${points.join(', ')}${more} requests/mo`;
    });
    blocks.push(
      section(
        truncateLines(
          `*Where the costs cross*\n${crossingLines.join('\n')}`,
          BlockKitLimits.sectionText,
          '… more pairs with `/floorplan cost`',
        ),
      ),
    );
  } else {
    blocks.push(section('*Where the costs cross:* no pair of eligible paths crosses.'));
  }
  if (never.length > 0) {
    const list = never.map((breakEven) => `${name(breakEven.optionA)}–${name(breakEven.optionB)}`).join(', ');
    blocks.push(
      context([
        truncateText(
          `Never cross (1 to 1B requests/mo, one always cheaper): ${list}.`,
          BlockKitLimits.sectionText,
        ),
      ]),
    );
  }
  if (others.length > 0)
    blocks.push(
      context(['Paths that are not eligible are costed for comparison only and left out of the pairs.']),
    );
  return fitMessage(`${modelVariant}: owned box vs cloud, by cost`, blocks, {
    overflowPointer: '`/floorplan cost` draws the chart',
  });
}
