import Decimal from 'decimal.js';
import type { EvidenceSnapshot, ThroughputResult } from '../../domain/engine/evidence';

/** The kinds of evidence whose change re-checks watched decisions. */
export type EvidenceKind =
  | 'PRICE_VALUE'
  | 'BENCHMARK_RESULT'
  | 'SLO_SWEEP'
  | 'QUALITY_EVALUATION'
  | 'ACCESS_ATTEMPT'
  | 'CAPACITY_FACT';

/**
 * One input that differs between two snapshots, with how to put it, alone, into the earlier one:
 * a price's new value, a new operating point (replacing the one it superseded), a new SLO sweep, a
 * new quality evaluation, a new access attempt.
 */
export interface InputChange {
  kind: EvidenceKind;
  /** The evidence id the answer cites: a price component slug, a result id, an evaluation slug. */
  input: string;
  text: string;
  applyTo(snapshot: EvidenceSnapshot): EvidenceSnapshot;
}

export const usd = (amount: Decimal | string) => {
  const value = new Decimal(amount.toString());
  const [whole = '0', fraction = ''] = value.toFixed().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${grouped}${fraction ? `.${fraction.length < 2 ? fraction.padEnd(2, '0') : fraction}` : ''}`;
};

const tokensPerSecond = (value: number) => `${Number(value.toFixed(1))} tok/s`;
const samePoint = (a: ThroughputResult, b: ThroughputResult) =>
  a.pathSlug === b.pathSlug &&
  a.boxSlug === b.boxSlug &&
  a.variantSlug === b.variantSlug &&
  a.concurrency === b.concurrency;

type SnapshotPath = EvidenceSnapshot['paths'][number];

/** The snapshot with the path `slug` replaced by `change` of it; every other path as it was. */
const withPath = (
  snapshot: EvidenceSnapshot,
  slug: string,
  change: (path: SnapshotPath) => SnapshotPath,
): EvidenceSnapshot => ({
  ...snapshot,
  paths: snapshot.paths.map((item) => (item.slug !== slug ? item : change(item))),
});

/** Every input of `after` that `before` lacks or holds otherwise, in a stable order. */
export function inputChanges(before: EvidenceSnapshot, after: EvidenceSnapshot): InputChange[] {
  const changes: InputChange[] = [];

  const afterPrices = new Map(
    after.paths.flatMap((path) => path.priceComponents.map((price) => [price.id, price] as const)),
  );
  for (const path of before.paths) {
    for (const price of path.priceComponents) {
      const now = afterPrices.get(price.id);
      if (!now || now.amount.equals(price.amount)) continue;
      changes.push({
        kind: 'PRICE_VALUE',
        input: price.id,
        text: `${price.id} ${now.amount.greaterThan(price.amount) ? 'rose' : 'fell'} from ${usd(price.amount)} to ${usd(now.amount)} on ${now.asOf}`,
        applyTo: (snapshot) =>
          withPath(snapshot, path.slug, (item) => ({
            ...item,
            priceComponents: item.priceComponents.map((component) =>
              component.id === price.id ? now : component,
            ),
          })),
      });
    }
  }

  for (const path of after.paths) {
    for (const fact of path.capacityAssumptions) {
      const was = before.paths
        .find((item) => item.slug === path.slug)
        ?.capacityAssumptions.find((item) => item.id === fact.id);
      if (was && was.value === fact.value && was.kind === fact.kind && was.modelSlug === fact.modelSlug)
        continue;
      const now = fact;
      changes.push({
        kind: 'CAPACITY_FACT',
        input: fact.id,
        text: was
          ? `capacity ${fact.id} on ${path.slug} ${now.value > was.value ? 'rose' : 'fell'} from ${was.value} to ${now.value}${now.isAssumption ? ' (an assumption)' : ''}`
          : `capacity ${fact.id} on ${path.slug} was added at ${now.value}${now.isAssumption ? ' (an assumption)' : ''}`,
        applyTo: (snapshot) =>
          withPath(snapshot, path.slug, (item) => ({
            ...item,
            capacityAssumptions: [...item.capacityAssumptions.filter((other) => other.id !== fact.id), now],
          })),
      });
    }
  }

  const afterResults = new Set(after.throughput.map((result) => result.id));
  const beforeResults = new Set(before.throughput.map((result) => result.id));
  for (const result of after.throughput) {
    if (beforeResults.has(result.id)) continue;
    const superseded = before.throughput.filter(
      (earlier) => !afterResults.has(earlier.id) && samePoint(earlier, result),
    );
    const where = result.pathSlug ?? result.boxSlug ?? 'unknown';
    const was = superseded[0];
    changes.push({
      kind: 'BENCHMARK_RESULT',
      input: result.id,
      text: `a new benchmark result on ${where} measured ${result.variantSlug} at ${tokensPerSecond(result.decodeTokensPerSecondPerStream)} decode per stream at concurrency ${result.concurrency}${was ? ` (was ${tokensPerSecond(was.decodeTokensPerSecondPerStream)})` : ''}`,
      applyTo: (snapshot) => ({
        ...snapshot,
        throughput: [
          ...snapshot.throughput.filter((item) => !superseded.some((old) => old.id === item.id)),
          result,
        ],
      }),
    });
  }

  const beforeSweeps = new Set((before.sweeps ?? []).map((sweep) => sweep.id));
  for (const sweep of after.sweeps ?? []) {
    if (beforeSweeps.has(sweep.id)) continue;
    const goodput = sweep.levels.find((level) => level.concurrency === sweep.maxConcurrencyAtSlo);
    changes.push({
      kind: 'SLO_SWEEP',
      input: sweep.id,
      text: `the SLO sweep on ${sweep.boxSlug} for ${sweep.variantSlug} found ${sweep.maxConcurrencyAtSlo === null ? 'no concurrency' : `at most ${sweep.maxConcurrencyAtSlo} streams`} within its SLO${goodput?.goodputOutputTokensPerSecond != null ? ` (goodput ${tokensPerSecond(goodput.goodputOutputTokensPerSecond)})` : ''}`,
      applyTo: (snapshot) => ({ ...snapshot, sweeps: [...(snapshot.sweeps ?? []), sweep] }),
    });
  }

  const beforeEvaluations = new Set(before.quality.map((evaluation) => evaluation.id));
  for (const evaluation of after.quality) {
    if (beforeEvaluations.has(evaluation.id)) continue;
    changes.push({
      kind: 'QUALITY_EVALUATION',
      input: evaluation.id,
      text: `quality evaluation ${evaluation.id} accepted ${evaluation.accepted} of ${evaluation.total} answers of ${evaluation.variantSlug}`,
      applyTo: (snapshot) => ({ ...snapshot, quality: [...snapshot.quality, evaluation] }),
    });
  }

  const beforeAttempts = new Set(before.access.map((attempt) => attempt.id));
  for (const attempt of after.access) {
    if (beforeAttempts.has(attempt.id)) continue;
    changes.push({
      kind: 'ACCESS_ATTEMPT',
      input: attempt.id,
      text: `an access attempt on ${attempt.pathSlug} requested ${attempt.requestedAt.slice(0, 10)} was ${attempt.outcome}`,
      applyTo: (snapshot) => ({ ...snapshot, access: [...snapshot.access, attempt] }),
    });
  }
  return changes;
}

/** Where a change of evidence can matter: the paths, boxes and model variants it is about. */
export interface ChangeScope {
  pathSlugs: string[];
  boxSlugs: string[];
  /** Empty = any variant on those paths and boxes; with no paths and boxes = these variants anywhere. */
  variantSlugs: string[];
  /** True for evidence no answer reads (an access path that serves no serving path). */
  touchesNothing?: boolean;
}

/** The options an answer weighed (costed, not eligible, or excluded), by path and variant. */
export interface AnsweredOption {
  pathSlug: string;
  variantSlugs: string[];
}

/**
 * True when the change is about a path (or the box behind it) and a variant the answer weighed. A
 * scope that names nothing (its row is gone) touches every decision.
 */
export function scopeTouches(
  scope: ChangeScope,
  options: readonly AnsweredOption[],
  boxOfPath: ReadonlyMap<string, string | null>,
): boolean {
  if (scope.touchesNothing) return false;
  if (!scope.pathSlugs.length && !scope.boxSlugs.length && !scope.variantSlugs.length) return true;
  return options.some((option) => {
    const box = boxOfPath.get(option.pathSlug) ?? null;
    const where =
      (!scope.pathSlugs.length && !scope.boxSlugs.length) ||
      scope.pathSlugs.includes(option.pathSlug) ||
      (box !== null && scope.boxSlugs.includes(box));
    const what =
      !scope.variantSlugs.length || option.variantSlugs.some((slug) => scope.variantSlugs.includes(slug));
    return where && what;
  });
}
