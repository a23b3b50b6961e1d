import type { Catalog } from './catalog';
import { buildCostModel } from './cost/index';
import { amortizationMonthsFor } from './cost/owned-box';
import { modelUnitRate } from './cost/provisioned-throughput';
import type { CostModel } from './cost/types';
import { notEligibleReason } from './eligibility';
import type { Box, ModelVariant, PathKind, ServingPath } from './evidence';
import { type OperatingPoint, operatingPoints, sizingPoint } from './throughput';
import { trafficShapeOf } from './traffic';
import type { Workload } from './workload';

/**
 * How the requested model reaches a path:
 * CUSTOM = our own weights served as they are (owned box, import, rented GPUs);
 * PLATFORM_TRAINED = the platform trains its own copy from our data (native fine-tune, PT); our
 *   evaluated weights do not come along, so their quality evaluation does not transfer;
 * BASE_ONLY = the path serves base models only, so the base model stands in (on-demand tokens).
 */
export const SERVED_AS = ['CUSTOM', 'PLATFORM_TRAINED', 'BASE_ONLY', 'BASE'] as const;
export type ServedAs = (typeof SERVED_AS)[number];

/** One path serving one variant: the unit every axis, cost and kept set is computed for. */
export interface ServingOption {
  id: string;
  path: ServingPath;
  box: Box | null;
  /** The variant the workload asked for (or an alternative it allowed). */
  requestedVariant: ModelVariant;
  /** The variant this path actually serves for it. */
  servedVariant: ModelVariant;
  servedAs: ServedAs;
  points: OperatingPoint[];
  /** Why this option may not be recommended (see `eligibility.ts`); null when it is eligible. */
  notEligibleReason: string | null;
  /** The point capacity is sized at (null when the provider sizes, i.e. on-demand tokens). */
  sizing: OperatingPoint | null;
  costModel: CostModel;
}

export interface ExcludedOption {
  pathSlug: string;
  variantSlug: string;
  reason: string;
}

export interface OptionSet {
  options: ServingOption[];
  excluded: ExcludedOption[];
  /** Every path and variant in build order before costing: what `recostedServingOptions` reuses. */
  sized: SizedEntry[];
  /** The workload the cost models were built for (or one that differs from it in nothing they read). */
  costedFor: Workload;
  /** Options whose cost model could not be built, by id: why (they are in `excluded` too). */
  notCosted: ReadonlyMap<string, ExcludedOption>;
}

/** An option before its cost model, or why it was left out before costing. */
type SizedEntry = { option: Omit<ServingOption, 'costModel'> } | { excluded: ExcludedOption };

function servedVariantFor(
  catalog: Catalog,
  path: ServingPath,
  requested: ModelVariant,
): { variant: ModelVariant; servedAs: ServedAs } | { reason: string } {
  if (!requested.customWeights) {
    if (path.kind === 'NATIVE_FINE_TUNE')
      return { reason: `${path.name} exists to train a custom model; nothing to train for a base model` };
    return { variant: requested, servedAs: 'BASE' };
  }
  if (path.customWeightsSupported && path.bringYourOwnWeights)
    return { variant: requested, servedAs: 'CUSTOM' };
  if (path.customWeightsSupported) return { variant: requested, servedAs: 'PLATFORM_TRAINED' };
  const base = catalog.modelsBySlug.get(requested.baseModelSlug);
  if (!base)
    return {
      reason: `${path.name} serves base models only and ${requested.baseModelSlug} is not in the catalog`,
    };
  return { variant: base, servedAs: 'BASE_ONLY' };
}

/** A box must hold the weights (FP8, one byte per parameter) with a fifth left for KV cache. */
function fitsOnBox(box: Box, variant: ModelVariant): boolean {
  return variant.totalParamsB * 1.2 <= box.memoryGiB * 1.073741824;
}

/** Peak output tokens/s per monthly request, so peak(volume) = volume x this (shape held). */
export function peakOutputTokensPerSecondPerMonthlyRequest(workload: Workload): number {
  const shape = trafficShapeOf(workload);
  return shape.requestsPerMonth > 0
    ? shape.peakOutputTokensPerSecond / shape.requestsPerMonth
    : (workload.meanOutputTokens * workload.peakToMean) /
        (workload.activeHoursPerDay * 3600 * workload.activeDaysPerMonth);
}

export function buildServingOptions(
  catalog: Catalog,
  workload: Workload,
  candidateModelSlugs: readonly string[],
): OptionSet {
  return costedServingOptions(sizedEntries(catalog, workload, candidateModelSlugs), catalog, workload);
}

/** Paths and variants, served variants, operating points, sizing and eligibility: no cost yet. */
function sizedEntries(
  catalog: Catalog,
  workload: Workload,
  candidateModelSlugs: readonly string[],
): SizedEntry[] {
  const entries: SizedEntry[] = [];
  const seen = new Set<string>();
  for (const path of catalog.evidence.paths) {
    const box = path.boxSlug ? (catalog.boxesBySlug.get(path.boxSlug) ?? null) : null;
    for (const slug of candidateModelSlugs) {
      const requested = catalog.modelsBySlug.get(slug);
      if (!requested) continue;
      const served = servedVariantFor(catalog, path, requested);
      if ('reason' in served) {
        entries.push({ excluded: { pathSlug: path.slug, variantSlug: slug, reason: served.reason } });
        continue;
      }
      const id = `${path.slug}/${served.variant.slug}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (box && !fitsOnBox(box, served.variant)) {
        entries.push({
          excluded: {
            pathSlug: path.slug,
            variantSlug: served.variant.slug,
            reason: `${served.variant.name} does not fit in ${box.memoryGiB} GiB on ${box.name}`,
          },
        });
        continue;
      }
      const points = operatingPoints(catalog, path, served.variant, box);
      const providerSized = path.kind === 'ON_DEMAND_TOKENS';
      const sizing = sizingPoint(points, workload);
      if (!providerSized && !sizing) {
        entries.push({
          excluded: {
            pathSlug: path.slug,
            variantSlug: served.variant.slug,
            reason: `no throughput evidence or assumption for ${served.variant.name} on ${path.name}`,
          },
        });
        continue;
      }
      entries.push({
        option: {
          id,
          path,
          box,
          requestedVariant: requested,
          servedVariant: served.variant,
          servedAs: served.servedAs,
          notEligibleReason: notEligibleReason(
            { path, servedAs: served.servedAs, servedVariant: served.variant, requestedVariant: requested },
            workload,
          ),
          points,
          sizing,
        },
      });
    }
  }
  return entries;
}

function costModelFor(option: Omit<ServingOption, 'costModel'>, catalog: Catalog, workload: Workload) {
  const sizing = option.sizing;
  return buildCostModel({
    catalog,
    path: option.path,
    variant: option.servedVariant,
    box: option.box,
    workload,
    outputTokensPerSecondPerUnit:
      option.path.kind === 'ON_DEMAND_TOKENS' || !sizing ? null : sizing.outputTokensPerSecondPerUnit,
    peakOutputTokensPerSecondPerMonthlyRequest: peakOutputTokensPerSecondPerMonthlyRequest(workload),
  });
}

function costedServingOptions(
  sized: SizedEntry[],
  catalog: Catalog,
  workload: Workload,
  /**
   * Costing that stands as it was (same catalog, nothing the model reads changed), by id: the
   * option with its model, or why no model could be built.
   */
  reusable?: ReadonlyMap<string, ServingOption | ExcludedOption>,
): OptionSet {
  const options: ServingOption[] = [];
  const excluded: ExcludedOption[] = [];
  const notCosted = new Map<string, ExcludedOption>();
  for (const entry of sized) {
    if ('excluded' in entry) {
      excluded.push(entry.excluded);
      continue;
    }
    const { option } = entry;
    const kept = reusable?.get(option.id);
    if (kept && 'costModel' in kept) {
      options.push(kept);
      continue;
    }
    let left = kept;
    if (!left) {
      const built = costModelFor(option, catalog, workload);
      if (built.ok) {
        options.push(withCostModel(option, built.model));
        continue;
      }
      left = { pathSlug: option.path.slug, variantSlug: option.servedVariant.slug, reason: built.reason };
    }
    excluded.push(left);
    notCosted.set(option.id, left);
  }
  return { options, excluded, sized, costedFor: workload, notCosted };
}

/**
 * The sized option with its cost model, written out: V8 (Node 20) takes a slow path, about 2 µs an
 * object, for a spread followed by a property the spread object lacks.
 */
function withCostModel(option: Omit<ServingOption, 'costModel'>, costModel: CostModel): ServingOption {
  return {
    id: option.id,
    path: option.path,
    box: option.box,
    requestedVariant: option.requestedVariant,
    servedVariant: option.servedVariant,
    servedAs: option.servedAs,
    points: option.points,
    notEligibleReason: option.notEligibleReason,
    sizing: option.sizing,
    costModel,
  };
}

/**
 * The options `buildServingOptions` gives for `workload`, from `prebuilt`, built from the same
 * catalog for a workload that differs from it only in what the cost models read and sizing and
 * eligibility do not (the horizon, the amortization): the sizing is reused, and so is each cost
 * model that reads the same of them for both workloads (see `HORIZON_READS`); the others are rebuilt.
 */
export function recostedServingOptions(prebuilt: OptionSet, catalog: Catalog, workload: Workload): OptionSet {
  const reusable = new Map<string, ServingOption | ExcludedOption>(prebuilt.notCosted);
  for (const option of prebuilt.options) reusable.set(option.id, option);
  for (const entry of prebuilt.sized) {
    if (!('option' in entry)) continue;
    const reads = HORIZON_READS[entry.option.path.kind];
    if (!Object.is(reads(entry.option, prebuilt.costedFor), reads(entry.option, workload)))
      reusable.delete(entry.option.id);
  }
  return costedServingOptions(prebuilt.sized, catalog, workload, reusable);
}

/**
 * What each kind's cost model reads of the horizon and the amortization, as one value: where it is
 * the same for two workloads that differ in nothing else, so is the model, and
 * `recostedServingOptions` keeps it as built, with what it remembers. (A value that is never the
 * same, such as NaN, always rebuilds.) Each says what its model in cost/ reads;
 * test/unit/decision/recosted-options.test.ts compares every reuse with a fresh build.
 */
const HORIZON_READS: Record<
  PathKind,
  (option: Omit<ServingOption, 'costModel'>, workload: Workload) => unknown
> = {
  // Prices, the traffic shape and the sizing only.
  CUSTOM_MODEL_IMPORT: () => null,
  ON_DEMAND_TOKENS: () => null,
  RENTED_INSTANCE: () => null,
  // The purchase is spread over the amortization months, cut to the horizon.
  OWNED_BOX: ({ box }, workload) => amortizationMonthsFor(box, workload),
  // The model-unit rate: the cheapest term whose commitment fits in the horizon.
  PROVISIONED_THROUGHPUT: ({ path, servedVariant }, workload) =>
    modelUnitRate(path, [servedVariant.slug, servedVariant.baseModelSlug], workload),
  // Training is spread over the horizon (which also picks the model-unit term).
  NATIVE_FINE_TUNE: (_, workload) => workload.horizonMonths,
};

/**
 * The options `buildServingOptions` gives for `workload`, from `prebuilt`, built for a workload that
 * differs from it only in its speed SLOs (minimum decode, maximum TTFT). Those move only the sizing
 * point: the paths, variants, operating points, exclusions and eligibility stay as they are, and no
 * cost model reads an SLO, so an option whose sizing point is unchanged is reused as it is and
 * the others get the cost model for their new point.
 */
export function resizedServingOptions(
  prebuilt: OptionSet,
  catalog: Catalog,
  workload: Workload,
  candidateModelSlugs: readonly string[],
): OptionSet {
  const options: ServingOption[] = [];
  for (const option of prebuilt.options) {
    const sizing = sizingPoint(option.points, workload);
    if (sizing === option.sizing) {
      options.push(option);
      continue;
    }
    const built = costModelFor({ ...option, sizing }, catalog, workload);
    // Unreachable while cost models fail only on missing prices; rebuilt in full if one ever does.
    if (!built.ok) return buildServingOptions(catalog, workload, candidateModelSlugs);
    options.push({ ...option, sizing, costModel: built.model });
  }
  const sized = prebuilt.sized.map((entry) =>
    'option' in entry
      ? { option: { ...entry.option, sizing: sizingPoint(entry.option.points, workload) } }
      : entry,
  );
  return { options, excluded: prebuilt.excluded, sized, costedFor: workload, notCosted: prebuilt.notCosted };
}
