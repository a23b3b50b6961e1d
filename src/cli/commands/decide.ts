import { readFile } from 'node:fs/promises';
import { executeInProcess, InProcessGraphQLError, selectAllOf } from '../../api/graphql/in-process';
import { LOCAL_CLI_IDENTITY } from '../../app/auth/identity';
import { answerWorkload } from '../../app/decisions/answer';
import { AXES, AXIS_WORDS_HINT, type Axis, axisOfWord } from '../../domain/engine/axes';
import type { Decision } from '../../domain/engine/decide';
import { formatMoney } from '../../domain/engine/money';
import { ValidationError, type ValidationIssue } from '../../domain/errors';
import { parseCommandArgs, UsageError } from '../command';
import { withDatabase } from '../database';

export const USAGE = [
  'Usage: npx floorplan decide --workload seeds/workloads/lab-retrieval.json [--keep fast,available] [--as-of 2026-03-31] [--json]',
  '  --keep AXES  the constraints you are willing to keep, that is, accept a shortfall on',
  '               ("--keep fast" = I can live with slower decode than I asked for).',
].join('\n');

export function parseKeep(text: string | undefined): Axis[] | null {
  if (text === undefined) return null;
  if (text.trim() === '' || text === 'none') return [];
  return text.split(',').map((raw) => {
    const axis = axisOfWord(raw);
    if (!axis) throw new UsageError(`--keep: unknown axis "${raw}". Use any of ${AXIS_WORDS_HINT}.`);
    return axis;
  });
}

const pad = (text: string, width: number) =>
  text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
const AXIS_LABEL: Record<Axis, string> = {
  FAST: 'fast',
  CHEAP: 'cheap',
  HIGH_CONFIDENCE: 'conf',
  CONTROLLED: 'ctrl',
  AVAILABLE: 'avail',
};

/** The readable answer: paths x axes with costs, the minimal kept sets, the recommendation. */
export function formatDecision(decision: Decision): string {
  const lines: string[] = [];
  lines.push(
    `${Math.round(decision.requestsPerMonth).toLocaleString('en-US')} requests / ${(decision.tokensPerMonth / 1e6).toFixed(1)}M tokens a month (computed ${decision.now})`,
    '',
  );
  lines.push(
    `${pad('path / model served', 48)} ${pad('per month', 12)} ${AXES.map((axis) => pad(AXIS_LABEL[axis], 6)).join('')}`,
  );
  const sorted = [...decision.options].sort((a, b) => a.cost.total.comparedTo(b.cost.total));
  for (const option of sorted) {
    lines.push(
      `${pad(option.optionId, 48)} ${pad(formatMoney(option.cost.total), 12)} ${option.verdicts.map((verdict) => pad(verdict.pass ? 'pass' : 'FAIL', 6)).join('')}${option.eligible ? '' : ' not eligible'}`,
    );
  }
  for (const excluded of decision.excluded)
    lines.push(`${pad(`${excluded.pathSlug} (not an option)`, 48)} ${excluded.reason}`);
  if (decision.notEligible.length > 0) {
    lines.push('', 'Not eligible (shown for comparison, never recommended):');
    for (const item of decision.notEligible) lines.push(`  ${pad(item.optionId, 46)} ${item.reason}`);
  }
  lines.push(
    '',
    'Which constraint do you keep? To keep an axis is to accept a shortfall on it (minimal sets; each unlocks the paths listed):',
  );
  for (const set of decision.keptSets) {
    const kept = set.kept.length === 0 ? 'nothing' : set.kept.join(' + ');
    for (const unlocked of set.unlocked) {
      const shortfalls = unlocked.shortfalls.map((item) => item.shortfall).join('; ');
      lines.push(
        `  keep ${pad(kept, 26)} → ${pad(unlocked.optionId, 44)} ${formatMoney(unlocked.monthlyCost)}${shortfalls ? `  (${shortfalls})` : ''}`,
      );
    }
  }
  if (decision.feasibleUnderKeep) {
    lines.push('', 'Meeting every constraint you did not keep, cheapest first:');
    for (const item of decision.feasibleUnderKeep)
      lines.push(`  ${pad(item.optionId, 48)} ${formatMoney(item.monthlyCost)}`);
  }
  lines.push('', 'Recommendation:');
  if (decision.recommendation) {
    for (const reason of decision.recommendation.reasons) lines.push(`  ${reason}`);
  } else {
    lines.push(`  ${decision.noRecommendation?.message ?? 'No recommendation.'}`);
  }
  const onAnswer = decision.warnings.filter((warning) => warning.affectsRecommendation);
  if (onAnswer.length) {
    lines.push('', 'Evidence to check before relying on this:');
    for (const warning of onAnswer) lines.push(`  - ${warning.message}`);
  }
  lines.push('', decision.billingRule, decision.roundingRule);
  return lines.join('\n');
}

/** `--as-of 2026-03-31` or a full ISO time: answer with the evidence known then (never the future). */
function parseAsOf(text: string | undefined): Date {
  const now = new Date();
  if (text === undefined) return now;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  // A bare date means the end of that day (UTC), or now when that day is today.
  const parsed = new Date(dateOnly ? `${text}T23:59:59.999Z` : text);
  const at =
    dateOnly && parsed.getTime() > now.getTime() && text === now.toISOString().slice(0, 10) ? now : parsed;
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`--as-of: "${text}" is not a date; give e.g. 2026-03-31 or 2026-03-31T12:00:00Z.`);
  if (at.getTime() > now.getTime())
    throw new UsageError(`--as-of: ${text} is in the future; give a moment up to now.`);
  return at;
}

export async function runDecideCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: {
      workload: { type: 'string' },
      keep: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.workload) throw new UsageError('--workload is required');
  const asOf = parseAsOf(values['as-of']);
  let workload: unknown;
  try {
    workload = JSON.parse(await readFile(values.workload, 'utf8'));
  } catch (error) {
    throw new UsageError(`Could not read the workload file ${values.workload}: ${(error as Error).message}`);
  }
  const { name: _name, ...workloadFields } = (workload ?? {}) as Record<string, unknown>;
  const keep = parseKeep(values.keep);
  return withDatabase(async (database) => {
    try {
      if (values.json) {
        // The GraphQL answer itself: same resolvers, same names, same shape as `decide` over HTTP.
        const data = await executeInProcess<{ decide: unknown }>(
          database.prisma,
          LOCAL_CLI_IDENTITY,
          DECIDE_DOCUMENT,
          { workload: workloadFields, keep, asOf: asOf.toISOString() },
        );
        console.log(JSON.stringify(data.decide, null, 2));
        return 0;
      }
      const { decision } = await answerWorkload(database.prisma, workloadFields, keep ? { keep } : {}, asOf);
      console.log(formatDecision(decision));
      return 0;
    } catch (error) {
      const issues = validationIssuesOf(error);
      if (issues) {
        console.error(
          `${values.workload}: ${issues.map((issue) => `${issue.path.replace(/^workload\./, '')}: ${issue.message}`).join('\n  ')}`,
        );
        return 2;
      }
      throw error;
    }
  });
}

const DECIDE_DOCUMENT = `query Decide($workload: WorkloadInput!, $keep: [Axis!], $asOf: DateTime) {
  decide(workload: $workload, keep: $keep, asOf: $asOf)${selectAllOf('Decision')}
}`;

/** Field-named issues, whether the workload failed in the service or in GraphQL's own coercion. */
function validationIssuesOf(error: unknown): ValidationIssue[] | null {
  if (error instanceof ValidationError) return error.issues;
  if (!(error instanceof InProcessGraphQLError)) return null;
  const issues = error.errors.flatMap((item): ValidationIssue[] => {
    if (item.originalError instanceof ValidationError) return item.originalError.issues;
    // GraphQL refuses a wrongly typed input before any resolver: its message names the field.
    if (item.path === undefined) return [{ path: 'workload', message: item.message }];
    return [];
  });
  return issues.length ? issues : null;
}
