import type { KnownBlock } from '@slack/web-api';
import { ActionId, SLASH_COMMAND } from '../constants';
import type { BenchmarkResult, BenchmarkRun, RegressionVerdict } from '../floorplan-api';
import { escapeMrkdwn, formatNumber, formatPercent, plural, RUN_STATUS_WORDS } from '../format/words';
import { concurrencyLevelsOf } from '../live-runs/run-spec';
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
import { headlineLines } from './run-headline';
import { endLine, runTitle } from './run-progress';

const VERDICT_WORDS: Record<RegressionVerdict, string> = {
  REGRESSED: ':small_red_triangle_down: *regressed*',
  IMPROVED: ':small_green_triangle: improved',
  UNCHANGED: 'unchanged',
  NOT_ENOUGH_HISTORY: 'not enough history to judge',
};

export interface RunAgainButtonValue {
  modelVariant: string;
  box: string;
  concurrency: number[];
  prompts: number;
  inputTokens: number;
  outputTokens: number;
  /** The run this repeats: part of the idempotency key, so a double click repeats it once. */
  repeatOf: string;
}

export function resultTableLines(results: readonly BenchmarkResult[]): string[] {
  const headerLine = ['conc', 'decode tok/s', 'output tok/s', 'TTFT p95 ms', 'roofline', 'efficiency']
    .map((cell) => cell.padStart(12))
    .join(' ');
  const rows = results.map((result) =>
    [
      result.concurrency === null ? '-' : String(result.concurrency),
      formatNumber(result.decodeTokensPerSecond),
      formatNumber(result.outputTokensPerSecond),
      formatNumber(result.ttftP95Ms, 0),
      formatNumber(result.roofline.ceilingTokensPerSecond),
      formatPercent(result.roofline.efficiency),
    ]
      .map((cell) => cell.padStart(12))
      .join(' '),
  );
  return [headerLine, ...rows];
}

function regressionLines(results: readonly BenchmarkResult[]): string[] {
  return results.flatMap((result) => {
    if (result.regressionVerdict === null) return [];
    const regression = result.decodeRegression;
    const numbers = [
      regression?.percentChange == null
        ? null
        : `${regression.percentChange > 0 ? '+' : ''}${formatNumber(regression.percentChange)}% decode`,
      regression?.zScore == null ? null : `z ${formatNumber(regression.zScore, 2)}`,
      regression?.historyUsed == null ? null : plural(regression.historyUsed, 'earlier run'),
    ].filter((part) => part !== null);
    const level =
      result.concurrency === null ? escapeMrkdwn(result.profileKey) : `concurrency ${result.concurrency}`;
    const detail = numbers.length > 0 ? ` (${numbers.join(', ')})` : '';
    return [`• ${level}: ${VERDICT_WORDS[result.regressionVerdict]}${detail}`];
  });
}

/** The final word on a run: numbers per concurrency level, roofline efficiency and the regression verdict. */
export function buildRunResultMessage(run: BenchmarkRun, options: { chartAttached: boolean }): SlackMessage {
  const status = RUN_STATUS_WORDS[run.status];
  const regressed = run.results.some((result) => result.regressionVerdict === 'REGRESSED');
  const blocks: KnownBlock[] = [
    header(
      `${regressed ? 'Regression: ' : ''}benchmark ${status}: ${run.modelVariant.slug} on ${run.box.slug}`,
    ),
    section(`${runTitle(run)} ${status}.${endLine(run) === null ? '' : `\n${endLine(run)}`}`),
  ];
  if (run.status === 'SUCCEEDED' && run.results.length > 0) {
    blocks.push(
      section(
        truncateLines(
          headlineLines(run).join('\n'),
          BlockKitLimits.sectionText,
          `… see \`${SLASH_COMMAND} run ${run.id}\``,
        ),
      ),
    );
  }
  if (run.results.length > 0) {
    blocks.push(...codeSections(resultTableLines(run.results)));
    blocks.push(
      context([
        'Efficiency = measured decode tok/s ÷ roofline ceiling (memory bandwidth ÷ bytes read per token).',
      ]),
    );
    const verdicts = regressionLines(run.results);
    if (verdicts.length > 0) {
      blocks.push(
        section(
          truncateLines(
            `*Against history*\n${verdicts.join('\n')}`,
            BlockKitLimits.sectionText,
            `… see \`${SLASH_COMMAND} run ${run.id}\``,
          ),
        ),
      );
    }
  } else if (run.status === 'SUCCEEDED') {
    blocks.push(section('The run finished but reported no results.'));
  }
  if (options.chartAttached) blocks.push(context(['History chart attached below.']));
  blocks.push(context([`run \`${escapeMrkdwn(run.id)}\``, `attempt ${run.attempt}`]));

  const tail: KnownBlock[] = [];
  // "Run again" repeats a concurrency sweep; runs of other profiles are repeated from the API.
  const levels = concurrencyLevelsOf(run.spec);
  if (levels.length > 0) {
    const value: RunAgainButtonValue = {
      modelVariant: run.modelVariant.slug,
      box: run.box.slug,
      concurrency: levels,
      prompts: run.spec.numPrompts,
      inputTokens: run.spec.inputTokens,
      outputTokens: run.spec.outputTokens,
      repeatOf: run.id,
    };
    tail.push(actions([button('Run again', ActionId.runAgain, JSON.stringify(value))], 'result_actions'));
  }
  return fitMessage(
    `Benchmark ${run.modelVariant.slug} on ${run.box.slug} ${status}${regressed ? ' (regression)' : ''}`,
    [...blocks, ...tail],
    { keepLast: tail.length, overflowPointer: `\`${SLASH_COMMAND} run ${run.id}\`` },
  );
}
