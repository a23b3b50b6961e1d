import type { DistributionStats } from '../metrics/summary';

/** The statistics a source reported for one metric, any of which may be missing. */
export type PartialDistribution = Partial<Record<keyof DistributionStats, number>>;

const FILLABLE_FIELDS = ['std', 'p90', 'p95', 'p99', 'p999'] as const;

/** A reported mean that differs from the one recomputed from raw samples by more than this is flagged. */
const RECOMPUTED_MEAN_TOLERANCE = 0.01;

/**
 * Merges what a file reported with what its raw samples give. Reported numbers win (they are the
 * tool's own); gaps are filled from samples when there are any, and stay null when not, so a
 * percentile the tool never wrote is never invented. Every filled field is listed.
 */
export function reconcileDistribution(input: {
  fieldName: string;
  reported: PartialDistribution;
  fromSamples: DistributionStats | null;
  samplesSource: string;
}): { stats: DistributionStats | null; derivedFields: string[]; warnings: string[] } {
  const { fieldName, reported, fromSamples, samplesSource } = input;
  const derivedFields: string[] = [];
  const warnings: string[] = [];
  const reportedMedian = reported.median ?? reported.p50;

  if (reported.mean === undefined || reportedMedian === undefined) {
    if (fromSamples !== null) {
      derivedFields.push(`${fieldName} (all statistics from ${samplesSource})`);
      return { stats: fromSamples, derivedFields, warnings };
    }
    if (Object.keys(reported).length > 0) {
      warnings.push(
        `${fieldName}: the file reports ${Object.keys(reported).join(', ')} but no mean or median; left empty`,
      );
    }
    return { stats: null, derivedFields, warnings };
  }

  const stats: DistributionStats = {
    mean: reported.mean,
    median: reportedMedian,
    std: reported.std ?? null,
    p50: reported.p50 ?? reportedMedian,
    p90: reported.p90 ?? null,
    p95: reported.p95 ?? null,
    p99: reported.p99 ?? null,
    p999: reported.p999 ?? null,
  };
  if (fromSamples !== null) {
    for (const field of FILLABLE_FIELDS) {
      if (stats[field] === null) {
        stats[field] = fromSamples[field];
        derivedFields.push(`${fieldName}.${field} (from ${samplesSource})`);
      }
    }
    const scale = Math.max(Math.abs(reported.mean), Number.EPSILON);
    if (Math.abs(fromSamples.mean - reported.mean) / scale > RECOMPUTED_MEAN_TOLERANCE) {
      warnings.push(
        `${fieldName}: reported mean ${reported.mean.toFixed(3)} differs from ${fromSamples.mean.toFixed(3)} recomputed from ${samplesSource}`,
      );
    }
  }
  return { stats, derivedFields, warnings };
}
