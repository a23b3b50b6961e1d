import type { KnownBlock } from '@slack/web-api';
import Decimal from 'decimal.js';
import type { CostDecision } from '../floorplan-api';
import { formatMonthlyRange } from '../format/money';
import { escapeMrkdwn, formatRequestsPerMonth } from '../format/words';
import {
  BlockKitLimits,
  codeSections,
  context,
  fitMessage,
  header,
  type SlackMessage,
  section,
  truncateLines,
} from './limits';

function costRange(option: CostDecision['paths'][number]): string {
  const cost = formatMonthlyRange(option.monthlyCost, option.costLow, option.costHigh);
  return option.eligible ? cost : `${cost}  not eligible (serves ${option.servedVariant})`;
}

/** Monthly cost of every option for the workload, cheapest first, and where pairs break even. */
export function buildCostMessage(
  decision: CostDecision,
  workloadArguments: string,
  chartFollows: boolean,
  savedId?: string,
): SlackMessage {
  const blocks: KnownBlock[] = [header('Monthly cost by serving path')];
  blocks.push(
    context([
      `Workload: \`${escapeMrkdwn(workloadArguments)}\` · ${formatRequestsPerMonth(decision.requestsPerMonth)}${
        savedId === undefined ? '' : ` · saved as decision \`${escapeMrkdwn(savedId)}\` to draw the chart`
      }`,
    ]),
  );
  const byCost = [...decision.paths].sort(
    (a, b) =>
      Number(b.eligible) - Number(a.eligible) ||
      new Decimal(a.monthlyCost.amount).comparedTo(b.monthlyCost.amount),
  );
  const lines = byCost.map((option) => `${option.pathSlug.padEnd(28).slice(0, 28)} ${costRange(option)}`);
  if (lines.length > 0) blocks.push(...codeSections(lines));
  if (decision.breakEvens.length > 0) {
    const breakEvenLines = decision.breakEvens.map((breakEven) => `• ${escapeMrkdwn(breakEven.summary)}`);
    blocks.push(
      section(
        truncateLines(
          `*Break-even volumes*\n${breakEvenLines.join('\n')}`,
          BlockKitLimits.sectionText,
          '… more pairs in the chart',
        ),
      ),
    );
  }
  if (chartFollows) blocks.push(context(['The cost-vs-volume chart follows.']));
  return fitMessage('Monthly cost by serving path', blocks, { overflowPointer: 'see the chart' });
}
