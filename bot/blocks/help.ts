import type { KnownBlock } from '@slack/web-api';
import { EXAMPLES, WORKLOAD_ARGUMENTS_HINT, WORKLOAD_DEFAULTS } from '../command-text/parse';
import { context, fitMessage, header, type SlackMessage, section } from './limits';

const DESCRIPTIONS: Record<keyof typeof EXAMPLES, string> = {
  keep: 'Which path fits this workload, and which constraint you keep on each. With no arguments, opens a form.',
  cost: 'Monthly cost of every path across volumes, break-even points and a chart.',
  paths: 'The serving paths in the catalog.',
  models: 'The model variants you can ask about (`model=` in keep and cost, the model in bench).',
  boxes: 'The boxes in the catalog (what `bench … box=` measures on).',
  bench: 'Queue a live benchmark on the box (operators only). Progress updates in place.',
  runs: 'Recent benchmark runs; filter by queued, running, finished, failed or cancelled.',
  run: 'One run: progress, results, regression verdict.',
  cancel: 'Cancel a queued or running benchmark (operators only).',
  access: 'Procurement paths to an accelerator: price, minimum commitment, lead time, last request.',
  stale:
    'Prices older than N days (180 by default), by the saved decisions that cost with them, and the import or edit that refreshes each.',
  help: 'This message.',
};

export function buildHelpMessage(whoCanOperate: string): SlackMessage {
  const blocks: KnownBlock[] = [header('floorplan: own the box or rent the floor')];
  for (const [subcommand, example] of Object.entries(EXAMPLES)) {
    const description = DESCRIPTIONS[subcommand as keyof typeof EXAMPLES];
    blocks.push(section(`*${subcommand}*: ${description}\n\`${example}\``));
  }
  blocks.push(
    context([
      `Workload arguments: ${WORKLOAD_ARGUMENTS_HINT}. Numbers take \`2,000\`, \`2k\`, \`1.5m\`. Left out: ${WORKLOAD_DEFAULTS.activeHoursPerDay} hours a day, ${WORKLOAD_DEFAULTS.activeDaysPerMonth} days a month, a ${WORKLOAD_DEFAULTS.horizonMonths}-month horizon, region ${WORKLOAD_DEFAULTS.region}, no SLO, no budget.`,
      whoCanOperate,
    ]),
  );
  return fitMessage('floorplan help', blocks);
}
