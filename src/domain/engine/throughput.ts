import { type Catalog, capacityValue } from './catalog';
import type { Box, ModelVariant, ServingPath, SloSweepEvidence } from './evidence';

/** One operating point of a path serving a variant: per-stream speed and what a unit delivers. */
export interface OperatingPoint {
  evidenceIds: string[];
  concurrency: number;
  decodeTokensPerSecondPerStream: number;
  /** Output tokens per second one unit (box, copy, model unit, instance) sustains here. */
  outputTokensPerSecondPerUnit: number;
  ttftP95Ms: number | null;
  measured: boolean;
  /** How the point was obtained, for the sentence shown next to the verdict. */
  basis: 'MEASURED' | 'MEASURED_ON_BASE_MODEL' | 'ASSUMED' | 'ROOFLINE';
  /** The SLO sweep the point is a level of (it is cited first), when it is one. */
  sweepId?: string | undefined;
  /** The server configuration the point was measured under, when the runner launched it. */
  serverConfiguration?: string | null | undefined;
  /** Output tokens/s per unit of requests meeting every SLO of the sweep (goodput); null when unknown. */
  goodputOutputTokensPerSecondPerUnit?: number | null | undefined;
}

/**
 * The levels of the box's newest SLO sweeps (one per server configuration) for the variant, else for
 * its base model: full measurements at known concurrency, each citing its sweep and its result.
 * Levels stopped early (partial statistics) and levels with failed requests are not sized on.
 */
export function sweepPoints(catalog: Catalog, path: ServingPath, variant: ModelVariant): OperatingPoint[] {
  if (path.boxSlug === null) return [];
  const pointsOf = (slug: string, basis: OperatingPoint['basis']) =>
    (catalog.sweepsByVariant.get(slug) ?? [])
      .filter((sweep) => sweep.boxSlug === path.boxSlug)
      .flatMap((sweep) => levelPoints(sweep, basis));
  const own = pointsOf(variant.slug, 'MEASURED');
  if (own.length > 0 || variant.baseModelSlug === variant.slug) return own;
  return pointsOf(variant.baseModelSlug, 'MEASURED_ON_BASE_MODEL');
}

function levelPoints(sweep: SloSweepEvidence, basis: OperatingPoint['basis']): OperatingPoint[] {
  return sweep.levels.flatMap((level) =>
    level.stoppedEarly || level.failed > 0 || level.decodeTokensPerSecondPerStream === null
      ? []
      : [
          {
            evidenceIds: [sweep.id, level.resultId],
            concurrency: level.concurrency,
            decodeTokensPerSecondPerStream: level.decodeTokensPerSecondPerStream,
            outputTokensPerSecondPerUnit: level.outputTokensPerSecond,
            ttftP95Ms: level.ttftP95Ms,
            measured: true,
            basis,
            sweepId: sweep.id,
            serverConfiguration: sweep.serverConfiguration,
            goodputOutputTokensPerSecondPerUnit: level.goodputOutputTokensPerSecond,
          },
        ],
  );
}

/**
 * Decode on bandwidth-bound hardware is set by the bytes of *active* weights read per token; the
 * lab measured a dense 8B FP8 at ~60% of that ceiling on the Spark, so the roofline estimate uses
 * the same efficiency. Only a fallback when a box has no benchmark result at all.
 */
const ROOFLINE_EFFICIENCY = 0.6;
const FP8_BYTES_PER_PARAM = 1;

function rooflinePoint(box: Box, variant: ModelVariant): OperatingPoint {
  const ceiling = box.memoryBandwidthGBs / (variant.activeParamsB * FP8_BYTES_PER_PARAM);
  const decode = ceiling * ROOFLINE_EFFICIENCY;
  return {
    evidenceIds: [`roofline:${box.slug}:${variant.slug}`],
    concurrency: 1,
    decodeTokensPerSecondPerStream: decode,
    outputTokensPerSecondPerUnit: decode,
    ttftP95Ms: null,
    measured: false,
    basis: 'ROOFLINE',
  };
}

/**
 * Operating points for a path serving a variant: benchmark results on the path or its box for the
 * variant, else for its base model (a merged LoRA decodes at its base's speed), else the path's
 * flagged capacity assumptions, else a roofline estimate for a box.
 *
 * A measurement supersedes every estimate for the same path and model: when any measured result
 * exists (the variant's own, else its base model's), estimates are left out. Sizing is then honest
 * (capacity the box was seen to deliver, never a guess that happens to be larger) and monotone:
 * whether the answer rests on a measurement no longer depends on the SLO, so relaxing an SLO can
 * neither trade a measurement for a guess (lowering confidence) nor a guess for a smaller
 * measurement (raising cost). Measure more concurrencies to size on more of the curve.
 */
export function operatingPoints(
  catalog: Catalog,
  path: ServingPath,
  variant: ModelVariant,
  box: Box | null,
): OperatingPoint[] {
  // A sweep measured the box at known concurrency against latency objectives: the best evidence of
  // its capacity there is, and it supersedes single results and estimates.
  const swept = sweepPoints(catalog, path, variant);
  if (swept.length > 0) return swept;
  const ranHere = (result: { pathSlug: string | null; boxSlug: string | null }) =>
    result.pathSlug === path.slug || (path.boxSlug !== null && result.boxSlug === path.boxSlug);
  const fromResults = (slug: string, basis: OperatingPoint['basis']) =>
    (catalog.throughputByVariant.get(slug) ?? []).filter(ranHere).map(
      (result): OperatingPoint => ({
        evidenceIds: [result.id],
        concurrency: result.concurrency,
        decodeTokensPerSecondPerStream: result.decodeTokensPerSecondPerStream,
        outputTokensPerSecondPerUnit: result.aggregateOutputTokensPerSecond,
        ttftP95Ms: result.ttftP95Ms,
        measured: result.measured,
        basis: result.measured ? basis : 'ASSUMED',
      }),
    );
  const own = fromResults(variant.slug, 'MEASURED');
  const onBase =
    variant.baseModelSlug !== variant.slug
      ? fromResults(variant.baseModelSlug, 'MEASURED_ON_BASE_MODEL')
      : [];
  const measured = (points: OperatingPoint[]) => points.filter((point) => point.measured);
  for (const points of [measured(own), measured(onBase), own, onBase]) if (points.length > 0) return points;
  const slugs = [variant.slug, variant.baseModelSlug];
  const decode = capacityValue(path, 'DECODE_TOKENS_PER_SECOND_PER_STREAM', slugs);
  const perUnit = capacityValue(path, 'OUTPUT_TOKENS_PER_MINUTE_PER_UNIT', slugs);
  if (decode) {
    const ttft = capacityValue(path, 'TTFT_P95_MS', slugs);
    const assumptions = [decode, ...(perUnit ? [perUnit] : []), ...(ttft ? [ttft] : [])];
    const measured = assumptions.every((assumption) => !assumption.isAssumption);
    return [
      {
        evidenceIds: assumptions.map((assumption) => assumption.id),
        concurrency: 1,
        decodeTokensPerSecondPerStream: decode.value,
        // Without a per-unit figure one unit serves one stream: the conservative reading.
        outputTokensPerSecondPerUnit: perUnit ? perUnit.value / 60 : decode.value,
        ttftP95Ms: ttft ? ttft.value : null,
        measured,
        basis: measured ? 'MEASURED' : 'ASSUMED',
      },
    ];
  }
  return box ? [rooflinePoint(box, variant)] : [];
}

export interface SpeedRequirement {
  minDecodeTokensPerSecond: number | null;
  maxTtftMsP95: number | null;
}

export function meetsSpeed(point: OperatingPoint, requirement: SpeedRequirement): boolean {
  const decodeOk =
    requirement.minDecodeTokensPerSecond === null ||
    point.decodeTokensPerSecondPerStream >= requirement.minDecodeTokensPerSecond;
  const ttftOk =
    requirement.maxTtftMsP95 === null ||
    point.ttftP95Ms === null ||
    point.ttftP95Ms <= requirement.maxTtftMsP95;
  return decodeOk && ttftOk;
}

/**
 * The point to size at: the highest-throughput point that still meets the SLO. When none does,
 * the most conservative point, the one delivering least per unit (in practice the single stream,
 * which is also the fastest per stream): a path that keeps the latency constraint is sized at the
 * speed its shortfall is quoted at, not at a throughput it cannot pair with it. Sizing at the
 * least also keeps cost monotone: whatever point meets a relaxed SLO delivers at least as much.
 */
export function sizingPoint(
  points: readonly OperatingPoint[],
  requirement: SpeedRequirement,
): OperatingPoint | null {
  let best: OperatingPoint | null = null;
  for (const point of points) {
    if (!meetsSpeed(point, requirement)) continue;
    if (!best || point.outputTokensPerSecondPerUnit > best.outputTokensPerSecondPerUnit) best = point;
  }
  if (best) return best;
  for (const point of points) {
    const less =
      !best ||
      point.outputTokensPerSecondPerUnit < best.outputTokensPerSecondPerUnit ||
      (point.outputTokensPerSecondPerUnit === best.outputTokensPerSecondPerUnit &&
        point.decodeTokensPerSecondPerStream > best.decodeTokensPerSecondPerStream);
    if (less) best = point;
  }
  return best;
}

/** Units needed so that peak demand fits: ceil(peak / per-unit capacity), at least one. */
export function unitsNeeded(peakOutputTokensPerSecond: number, outputTokensPerSecondPerUnit: number): number {
  if (peakOutputTokensPerSecond <= 0) return 1;
  // A hair of tolerance so a demand exactly at capacity does not round up from float noise.
  return Math.max(1, Math.ceil(peakOutputTokensPerSecond / outputTokensPerSecondPerUnit - 1e-9));
}
