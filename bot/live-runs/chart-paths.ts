import type { BenchmarkRun } from '../floorplan-api';
import { concurrencyLevelsOf } from './run-spec';

/**
 * Chart URLs on the API host (src/charts/http.ts). The bot fetches the PNG with its token and
 * uploads it, because Slack cannot reach an API behind the firewall.
 */
export function costChartPath(workloadId: string): string {
  return `/charts/cost.png?${new URLSearchParams({ workloadId, volumeUnit: 'requests' }).toString()}`;
}

/** $/1M goodput tokens per path against per-user decode speed, for a saved workload. */
export function frontierChartPath(savedDecisionId: string): string {
  return `/charts/frontier.png?${new URLSearchParams({ workloadId: savedDecisionId }).toString()}`;
}

/**
 * Decode rate over time for the run's box, variant and lowest concurrency level: single-stream
 * decode is the number the roofline and the FAST axis are about. Null for runs without levels.
 */
export function historyChartPath(run: BenchmarkRun): string | null {
  const lowest = run.results
    .map((result) => result.profileKey)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0];
  const firstLevel = concurrencyLevelsOf(run.spec)[0];
  const profile = lowest ?? (firstLevel === undefined ? undefined : `concurrency=${firstLevel}`);
  if (profile === undefined) return null;
  return `/charts/history.png?${new URLSearchParams({
    box: run.box.slug,
    model: run.modelVariant.slug,
    profile,
    metric: 'DECODE_TOKENS_PER_S',
  }).toString()}`;
}
