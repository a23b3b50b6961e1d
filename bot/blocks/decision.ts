import type { Button, KnownBlock } from '@slack/web-api';
import Decimal from 'decimal.js';
import { AXES } from '../../src/domain/engine/axes';
import { ActionId, DEFAULT_BOX_SLUG } from '../constants';
import type { Axis, Decision, PathOption, UnlockedPath, WorkloadInput } from '../floorplan-api';
import { formatMonthlyRange, normalizeDollarsIn } from '../format/money';
import {
  escapeMrkdwn,
  formatNumber,
  formatRequestsPerMonth,
  formatTokensPerMonth,
  plural,
} from '../format/words';
import {
  actions,
  BlockKitLimits,
  button,
  codeSections,
  context,
  fitMessage,
  header,
  type SlackMessage,
  section,
  truncateLines,
} from './limits';

export interface DecisionMessageInput {
  decision: Decision;
  /** The workload as command arguments, carried in the buttons so a click can repeat the question. */
  workloadArguments: string;
  /** The model the workload names: what "Run a benchmark" measures. */
  modelVariant: string;
  /** The workload as asked, for the one-line summary under the header. */
  workload?: WorkloadInput;
  /** Optional link to the full decision in the API (GraphiQL or a saved decision). */
  fullDecisionLink?: string;
}

export interface RunBenchmarkButtonValue {
  modelVariant: string;
  box: string;
}

/** Column headings of the paths x axes table, in the order of AXES (GraphQL names, shortened). */
const AXIS_COLUMN: Record<Axis, string> = {
  FAST: 'FAST',
  CHEAP: 'CHEAP',
  HIGH_CONFIDENCE: 'CONF',
  CONTROLLED: 'CTRL',
  AVAILABLE: 'AVAIL',
};

/**
 * A shortfall as a person says it: the API's "decode 20.5 tok/s vs 30 required" becomes
 * "decode 20.5 tok/s where 30 was asked".
 */
export function plainShortfall(shortfall: string): string {
  return normalizeDollarsIn(shortfall)
    .replace(/ vs (.+?) required\b/, ' where $1 was asked')
    .replace(/ vs (\S+) budget\b/, ' where the budget is $1');
}

function axesList(axes: readonly Axis[]): string {
  if (axes.length <= 1) return axes[0] ?? 'nothing';
  return `${axes.slice(0, -1).join(', ')} and ${axes[axes.length - 1]}`;
}

function costOf(option: PathOption | undefined, fallback: UnlockedPath['monthlyCost']): string {
  return option === undefined
    ? formatMonthlyRange(fallback)
    : formatMonthlyRange(option.monthlyCost, option.costLow, option.costHigh);
}

/** "keeps FAST: decode 20.5 tok/s where 30 was asked", one per kept axis. */
function keptLines(
  kept: readonly Axis[],
  shortfalls: readonly { axis: Axis; shortfall: string }[],
): string[] {
  return kept.map((axis) => {
    const gap = shortfalls.find((shortfall) => shortfall.axis === axis)?.shortfall;
    return `keeps ${axis}${gap ? `: ${escapeMrkdwn(plainShortfall(gap))}` : ''}`;
  });
}

/** One kept set and a path it unlocks, for the "other choices" list. */
export function describeKeptSet(
  kept: readonly Axis[],
  unlocked: UnlockedPath,
  option: PathOption | undefined,
): string {
  const cost = costOf(option, unlocked.monthlyCost);
  if (kept.length === 0) return `\`${escapeMrkdwn(unlocked.pathSlug)}\` ${cost}: meets every constraint`;
  return `\`${escapeMrkdwn(unlocked.pathSlug)}\` ${cost}: ${keptLines(kept, unlocked.shortfalls).join('; ')}`;
}

/** The workload in one line: volume, tokens, hours, horizon and what it requires. */
function workloadSummary(decision: Decision, workload: WorkloadInput | undefined): string {
  const parts = [
    formatRequestsPerMonth(decision.requestsPerMonth),
    formatTokensPerMonth(decision.tokensPerMonth),
  ];
  if (workload !== undefined) {
    if (workload.activeHoursPerDay != null) parts.push(`${formatNumber(workload.activeHoursPerDay)} h/day`);
    if (workload.activeDaysPerMonth != null)
      parts.push(`${formatNumber(workload.activeDaysPerMonth)} days/mo`);
    if (workload.horizonMonths != null) parts.push(`${workload.horizonMonths}-month horizon`);
    // The traffic shape, only when it is not the default (Poisson, flat within the active hours).
    if (workload.burstiness != null && workload.burstiness !== 1)
      parts.push(`burstiness ${formatNumber(workload.burstiness)}`);
    if (workload.peakToMean != null && workload.peakToMean !== 1)
      parts.push(`peak ${formatNumber(workload.peakToMean)}x mean`);
    if (workload.needsCustomWeights) parts.push('custom weights');
    if (workload.mustOwnWeights) parts.push('weights stay ours');
  }
  return parts.join(' · ');
}

function costColumn(option: PathOption): string {
  return formatMonthlyRange(option.monthlyCost, option.costLow, option.costHigh).replace('/mo', '');
}

/**
 * The paths x axes table, eligible paths cheapest first (the recommendation marked `>`), each FAIL
 * with its shortfall on the line below; paths that may not serve this workload come last, labelled
 * "not eligible" with why, so a base-model stand-in never reads as the cheapest answer.
 */
export function decisionTableLines(decision: Decision): string[] {
  const notEligibleReason = new Map(decision.notEligible.map((entry) => [entry.optionId, entry.reason]));
  const isEligible = (option: PathOption) => option.eligible && !notEligibleReason.has(option.optionId);
  const byCost = (a: PathOption, b: PathOption) =>
    new Decimal(a.monthlyCost.amount).comparedTo(b.monthlyCost.amount);
  const eligible = decision.paths.filter(isEligible).sort(byCost);
  const others = decision.paths.filter((option) => !isEligible(option)).sort(byCost);
  const recommended = decision.recommendation?.optionId;
  const pathWidth = Math.min(22, Math.max(4, ...decision.paths.map((option) => option.pathSlug.length)));
  const costWidth = Math.max(6, ...decision.paths.map((option) => costColumn(option).length));
  const name = (option: PathOption) =>
    option.pathSlug.length > pathWidth ? `${option.pathSlug.slice(0, pathWidth - 1)}…` : option.pathSlug;
  const lines = [
    [
      '  ',
      'path'.padEnd(pathWidth),
      '$/mo'.padStart(costWidth),
      ...AXES.map((axis) => AXIS_COLUMN[axis].padEnd(5)),
    ].join(' '),
  ];
  for (const option of eligible) {
    const marks = AXES.map((axis) => {
      const verdict = option.verdicts.find((candidate) => candidate.axis === axis);
      return (verdict === undefined ? '?' : verdict.pass ? 'ok' : 'FAIL').padEnd(5);
    });
    lines.push(
      [
        option.optionId === recommended ? '> ' : '  ',
        name(option).padEnd(pathWidth),
        costColumn(option).padStart(costWidth),
        ...marks,
      ]
        .join(' ')
        .trimEnd(),
    );
    for (const verdict of option.verdicts) {
      if (verdict.pass) continue;
      const gap = verdict.shortfall ? plainShortfall(verdict.shortfall) : 'fails';
      lines.push(`     FAIL ${verdict.axis}: ${gap}`);
    }
  }
  for (const option of others) {
    const why =
      notEligibleReason.get(option.optionId) ?? `serves ${option.servedVariant}, not the model asked`;
    lines.push(
      `  ${name(option).padEnd(pathWidth)} ${costColumn(option).padStart(costWidth)} not eligible`,
      `     ${why}`,
    );
  }
  return lines;
}

/** The warnings on the first screen: those that bear on the recommendation. */
export function recommendationWarnings(decision: Decision): Decision['warnings'] {
  return decision.warnings.filter((warning) => warning.affectsRecommendation);
}

export function buildDecisionMessage(input: DecisionMessageInput): SlackMessage {
  const { decision } = input;
  const blocks: KnownBlock[] = [
    header(`Where to serve ${input.modelVariant}, and what you keep`),
    context([escapeMrkdwn(workloadSummary(decision, input.workload))]),
  ];
  const optionsById = new Map(decision.paths.map((option) => [option.optionId, option]));

  const recommendation = decision.recommendation;
  if (recommendation === null) {
    const why = decision.noRecommendation?.message ?? 'No eligible path meets the constraints.';
    blocks.push(section(`*No recommendation.* ${escapeMrkdwn(why)}`));
  } else {
    const option = optionsById.get(recommendation.optionId);
    const name = option?.pathName ?? recommendation.pathSlug;
    const cost = costOf(option, recommendation.monthlyCost);
    const kept =
      recommendation.kept.length === 0
        ? 'It meets every constraint you gave: nothing to keep.'
        : keptLines(recommendation.kept, recommendation.shortfalls)
            .map((line) => `• ${line}`)
            .join('\n');
    blocks.push(
      section(
        truncateLines(
          `*Serve it on ${escapeMrkdwn(name)}* (\`${escapeMrkdwn(recommendation.pathSlug)}\`, ${escapeMrkdwn(
            recommendation.variantSlug,
          )}): *${cost}*\n${kept}`,
          BlockKitLimits.sectionText,
          '… the rest with Details',
        ),
      ),
    );
    if (recommendation.kept.length > 0)
      blocks.push(context(['To keep a constraint is to accept a shortfall on it.']));
  }

  const alternatives = decision.minimalKeptSets.flatMap((keptSet) =>
    keptSet.unlocked
      .filter((unlocked) => unlocked.optionId !== recommendation?.optionId)
      .map((unlocked) => describeKeptSet(keptSet.kept, unlocked, optionsById.get(unlocked.optionId))),
  );
  if (alternatives.length > 0) {
    const shown = alternatives.slice(0, 4).map((line) => `• ${line}`);
    if (alternatives.length > shown.length)
      shown.push(`… ${alternatives.length - shown.length} more with Details`);
    blocks.push(
      section(
        truncateLines(
          `*Other choices* (each keeps other constraints):\n${shown.join('\n')}`,
          BlockKitLimits.sectionText,
          '… more with Details',
        ),
      ),
    );
  }

  if (decision.paths.length > 0) {
    blocks.push(...codeSections(decisionTableLines(decision)));
    blocks.push(
      context([
        '`>` recommended · CONF = HIGH_CONFIDENCE, CTRL = CONTROLLED, AVAIL = AVAILABLE · ranges are the two readings of a billing rule',
      ]),
    );
  }

  const bearing = recommendationWarnings(decision);
  const elsewhere = decision.warnings.length - bearing.length;
  if (bearing.length > 0) {
    const lines = bearing.map((warning) => `:warning: ${escapeMrkdwn(warning.message)}`);
    blocks.push(
      section(
        truncateLines(
          `*What the recommendation leans on:*\n${lines.join('\n')}`,
          BlockKitLimits.sectionText,
          '… more with Details',
        ),
      ),
    );
  }
  if (elsewhere > 0)
    blocks.push(context([`${plural(elsewhere, 'more warning')} about other paths: Details lists them.`]));

  const buttons: Button[] = [];
  const value: RunBenchmarkButtonValue = { modelVariant: input.modelVariant, box: DEFAULT_BOX_SLUG };
  buttons.push(button('Run a benchmark', ActionId.runBenchmark, JSON.stringify(value), 'primary'));
  if (input.workloadArguments.length <= BlockKitLimits.buttonValue) {
    buttons.push(button('Compare with cloud', ActionId.compareWithCloud, input.workloadArguments));
    buttons.push(button('Save decision', ActionId.saveDecision, input.workloadArguments));
    buttons.push(button('Watch', ActionId.watchDecision, input.workloadArguments));
    buttons.push(button('Details', ActionId.decisionDetails, input.workloadArguments));
  }
  const tail: KnownBlock[] = [actions(buttons, 'decision_actions')];

  const fallback =
    recommendation === null
      ? `No recommendation for ${input.modelVariant}.`
      : `Serve ${input.modelVariant} on ${recommendation.pathSlug}: ${costOf(
          optionsById.get(recommendation.optionId),
          recommendation.monthlyCost,
        )}${recommendation.kept.length > 0 ? `, keeps ${axesList(recommendation.kept)}` : ''}`;
  return fitMessage(fallback, [...blocks, ...tail], {
    keepLast: tail.length,
    overflowPointer: input.fullDecisionLink ?? 'Details has the rest',
  });
}
