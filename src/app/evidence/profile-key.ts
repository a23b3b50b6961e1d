import type { LoadProfile } from '../../domain/metrics/summary';

/**
 * The key results are compared on over time (history, regression): `concurrency=8`, or
 * `rate=4,burstiness=1` (with `,max=N` when a concurrency cap was set). It matches the seeds'
 * `concurrency=N` and the runner's report path, so every writer files a load profile under one key.
 */
export function profileKeyOf(profile: LoadProfile): string {
  if (profile.kind === 'concurrency') return `concurrency=${profile.maxConcurrency}`;
  const cap = profile.maxConcurrency === null ? '' : `,max=${profile.maxConcurrency}`;
  return `rate=${profile.requestsPerSecond},burstiness=${profile.burstiness}${cap}`;
}

/** The concurrency column: the fixed level, or the cap of a rate profile (null when uncapped). */
export function concurrencyOf(profile: LoadProfile): number | null {
  return profile.maxConcurrency;
}
