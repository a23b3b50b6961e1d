import type { Button, KnownBlock } from '@slack/web-api';
import { AXES } from '../../src/domain/engine/axes';
import { ActionId, DEFAULT_BOX_SLUG } from '../constants';
import type { Axis, Decision, PathOption, UnlockedPath } from '../floorplan-api';
import { formatMonthlyCost } from '../format/money';
import { AXIS_SHORT, AXIS_WORDS, escapeMrkdwn } from '../format/words';
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
  /** Optional link to the full decision in the API (GraphiQL or a saved decision). */
  fullDecisionLink?: string;
}

export interface RunBenchmarkButtonValue {
  modelVariant: string;
  box: string;
}

function axesInWords(axes: readonly Axis[]): string {
  const words = axes.map((axis) => AXIS_WORDS[axis]);
  if (words.length <= 1) return words[0] ?? 'nothing';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "token latency on dgx-spark ($122.40/mo, 21 vs 30 tok/s)": one kept set and a path it unlocks. */
export function describeKeptSet(kept: readonly Axis[], unlocked: UnlockedPath): string {
  const gaps = unlocked.shortfalls
    .map((shortfall) => escapeMrkdwn(shortfall.shortfall))
    .filter((text) => text.length > 0);
  const detail = [formatMonthlyCost(unlocked.monthlyCost), ...gaps].join(', ');
  if (kept.length === 0)
    return `nothing: ${escapeMrkdwn(unlocked.pathSlug)} meets every constraint (${detail})`;
  return `${axesInWords(kept)} on ${escapeMrkdwn(unlocked.pathSlug)} (${detail})`;
}

function verdictMark(option: PathOption, axis: Axis, weak: boolean): string {
  const verdict = option.verdicts.find((candidate) => candidate.axis === axis);
  if (verdict === undefined) return '?';
  const mark = verdict.pass ? 'ok' : 'NO';
  return weak ? `${mark}~` : mark;
}

/** A monospace table: one line per option, cost and a mark per axis. `~` flags weak evidence. */
export function decisionTableLines(
  options: readonly PathOption[],
  weakOptionIds: ReadonlySet<string> = new Set(),
): string[] {
  const label = (option: PathOption) => option.pathSlug;
  const pathWidth = Math.min(28, Math.max(4, ...options.map((option) => label(option).length)));
  const costWidth = 16;
  const headerLine = [
    'path'.padEnd(pathWidth),
    'monthly'.padStart(costWidth),
    ...AXES.map((axis) => AXIS_SHORT[axis].padStart(6)),
  ].join(' ');
  const rows = options.map((option) => {
    const name =
      label(option).length > pathWidth ? `${label(option).slice(0, pathWidth - 1)}…` : label(option);
    const cost = formatMonthlyCost(option.monthlyCost).replace('/mo', '');
    const weak = weakOptionIds.has(option.optionId);
    return [
      name.padEnd(pathWidth),
      cost.padStart(costWidth),
      ...AXES.map((axis) => verdictMark(option, axis, weak).padStart(6)),
    ].join(' ');
  });
  return [headerLine, ...rows];
}

export function buildDecisionMessage(input: DecisionMessageInput): SlackMessage {
  const { decision } = input;
  const blocks: KnownBlock[] = [header('Where to serve it, and which constraint you keep')];
  const optionsById = new Map(decision.paths.map((option) => [option.optionId, option]));

  const recommendation = decision.recommendation;
  if (recommendation === null) {
    blocks.push(section('*No path is feasible* even after relaxing constraints: see the shortfalls below.'));
  } else {
    const name = optionsById.get(recommendation.optionId)?.pathName ?? recommendation.pathSlug;
    const keeping = recommendation.kept.length > 0 ? `, keeping ${axesInWords(recommendation.kept)}` : '';
    const reasons = recommendation.reasons.map((reason) => `• ${escapeMrkdwn(reason)}`).join('\n');
    blocks.push(
      section(
        truncateLines(
          `*Recommendation:* serve \`${escapeMrkdwn(recommendation.variantSlug)}\` on *${escapeMrkdwn(name)}* (\`${escapeMrkdwn(
            recommendation.pathSlug,
          )}\`) for ${formatMonthlyCost(recommendation.monthlyCost)}${keeping}.${reasons ? `\n${reasons}` : ''}`,
          BlockKitLimits.sectionText,
          '… more reasons with the save button',
        ),
      ),
    );
  }

  const keptLines = decision.minimalKeptSets.flatMap((keptSet) =>
    keptSet.unlocked.map((unlocked) => `• ${describeKeptSet(keptSet.kept, unlocked)}`),
  );
  if (keptLines.length > 0) {
    const more = `… see the full answer${input.fullDecisionLink ? `: ${input.fullDecisionLink}` : ' with the save button'}`;
    blocks.push(
      section(
        truncateLines(
          `*To serve this you keep one of:*\n${keptLines.join('\n')}`,
          BlockKitLimits.sectionText,
          more,
        ),
      ),
    );
  }

  const weakOptionIds = new Set(decision.warnings.map((warning) => warning.optionId));
  if (decision.paths.length > 0) {
    blocks.push(...codeSections(decisionTableLines(decision.paths, weakOptionIds)));
    blocks.push(
      context([
        '`ok` passes, `NO` fails, `~` rests on weak evidence (an estimate, an assumption, stale or unconfirmed data).',
      ]),
    );
  }

  if (decision.warnings.length > 0) {
    const lines = decision.warnings.map(
      (warning) =>
        `${warning.affectsRecommendation ? ':warning: *affects the recommendation*: ' : ':warning: '}${escapeMrkdwn(warning.message)}`,
    );
    blocks.push(
      section(
        truncateLines(lines.join('\n'), BlockKitLimits.sectionText, '… more warnings in the saved decision'),
      ),
    );
  }

  const buttons: Button[] = [];
  const value: RunBenchmarkButtonValue = { modelVariant: input.modelVariant, box: DEFAULT_BOX_SLUG };
  buttons.push(button('Run a benchmark', ActionId.runBenchmark, JSON.stringify(value), 'primary'));
  if (input.workloadArguments.length <= BlockKitLimits.buttonValue) {
    buttons.push(button('Compare with cloud', ActionId.compareWithCloud, input.workloadArguments));
    buttons.push(button('Save decision', ActionId.saveDecision, input.workloadArguments));
  }
  const tail: KnownBlock[] = [actions(buttons, 'decision_actions')];

  const fallback =
    recommendation === null
      ? 'No serving path is feasible for this workload.'
      : `Recommendation: ${recommendation.pathSlug} at ${formatMonthlyCost(recommendation.monthlyCost)}`;
  return fitMessage(fallback, [...blocks, ...tail], {
    keepLast: tail.length,
    overflowPointer: input.fullDecisionLink ?? 'save the decision to see all of it',
  });
}
