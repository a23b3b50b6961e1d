import type {
  AccessRecord,
  Box,
  Confidence,
  EvidenceSnapshot,
  ModelVariant,
  PriceComponent,
  PriceComponentKind,
  QualityEvaluation,
  ServingPath,
  SloSweepEvidence,
  ThroughputResult,
} from './evidence';

/** A price older than this at `now` is stale and the answer says so. */
export const STALE_AFTER_DAYS = 180;

const CONFIDENCE_RANK: Record<Confidence, number> = { C: 0, S: 1, U: 2 };
const DAY_MS = 86_400_000;

/** Lookups over one snapshot, built once per `decide` so repeated evaluations stay cheap. */
export interface Catalog {
  evidence: EvidenceSnapshot;
  nowMs: number;
  modelsBySlug: Map<string, ModelVariant>;
  boxesBySlug: Map<string, Box>;
  pathsBySlug: Map<string, ServingPath>;
  throughputByVariant: Map<string, ThroughputResult[]>;
  /** The newest sweep per box, variant and server configuration, grouped by variant. */
  sweepsByVariant: Map<string, SloSweepEvidence[]>;
  qualityByVariant: Map<string, QualityEvaluation[]>;
  accessByPath: Map<string, AccessRecord[]>;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Built once per snapshot object: the API hands the same (cached, dated) snapshot to every answer
 * of a day, so the lookups are not rebuilt per answer. Neither the snapshot nor the catalog is
 * ever modified.
 */
const catalogs = new WeakMap<EvidenceSnapshot, Catalog>();

export function buildCatalog(evidence: EvidenceSnapshot): Catalog {
  const built = catalogs.get(evidence);
  if (built) return built;
  const catalog: Catalog = {
    evidence,
    nowMs: Date.parse(evidence.now),
    modelsBySlug: new Map(evidence.models.map((model) => [model.slug, model])),
    boxesBySlug: new Map(evidence.boxes.map((box) => [box.slug, box])),
    pathsBySlug: new Map(evidence.paths.map((path) => [path.slug, path])),
    throughputByVariant: groupBy(evidence.throughput, (result) => result.variantSlug),
    sweepsByVariant: groupBy(newestSweeps(evidence.sweeps ?? []), (sweep) => sweep.variantSlug),
    qualityByVariant: groupBy(evidence.quality, (evaluation) => evaluation.variantSlug),
    accessByPath: groupBy(evidence.access, (record) => record.pathSlug),
  };
  catalogs.set(evidence, catalog);
  return catalog;
}

/** A newer sweep of the same box, variant and configuration supersedes the older (the box changed). */
function newestSweeps(sweeps: readonly SloSweepEvidence[]): SloSweepEvidence[] {
  const newest = new Map<string, SloSweepEvidence>();
  for (const sweep of sweeps) {
    const key = `${sweep.boxSlug}\u0000${sweep.variantSlug}\u0000${sweep.serverConfiguration ?? ''}`;
    const known = newest.get(key);
    if (!known || sweep.measuredAt > known.measuredAt) newest.set(key, sweep);
  }
  return [...newest.values()];
}

export function daysBetween(fromIso: string, toMs: number): number {
  return (toMs - Date.parse(fromIso)) / DAY_MS;
}

export function isStale(component: PriceComponent, catalog: Catalog): boolean {
  return daysBetween(component.asOf, catalog.nowMs) > STALE_AFTER_DAYS;
}

export interface PriceQuery {
  kind: PriceComponentKind;
  /** Slugs to try in order (variant, then its base); a component with no model matches any. */
  modelSlugs: readonly string[];
  region: string;
  /** Keep only components this predicate accepts (e.g. a commitment term). */
  accept?: (component: PriceComponent) => boolean;
}

/**
 * The price of one kind for a model: the most specific model match, in the region (or any
 * region), preferring vendor-sourced over secondary over unconfirmed, then the newest.
 */
export function selectPrice(path: ServingPath, query: PriceQuery): PriceComponent | null {
  return selectPrices(path, query)[0] ?? null;
}

/** How specific a component's model is for the query: its slug's place in the list, any model last, -1 none. */
function specificity(component: PriceComponent, query: PriceQuery): number {
  if (component.modelSlug === null) return query.modelSlugs.length;
  const index = query.modelSlugs.indexOf(component.modelSlug);
  return index < 0 ? -1 : index;
}

export function selectPrices(path: ServingPath, query: PriceQuery): PriceComponent[] {
  return path.priceComponents
    .filter(
      (component) =>
        component.kind === query.kind &&
        (component.region === null || component.region === query.region) &&
        specificity(component, query) >= 0 &&
        (query.accept ? query.accept(component) : true),
    )
    .sort(
      (a, b) =>
        specificity(a, query) - specificity(b, query) ||
        CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence] ||
        Date.parse(b.asOf) - Date.parse(a.asOf),
    );
}

export function capacityValue(
  path: ServingPath,
  kind: ServingPath['capacityAssumptions'][number]['kind'],
  modelSlugs: readonly string[],
) {
  for (const slug of [...modelSlugs, null]) {
    const found = path.capacityAssumptions.find(
      (assumption) => assumption.kind === kind && assumption.modelSlug === slug,
    );
    if (found) return found;
  }
  return null;
}
