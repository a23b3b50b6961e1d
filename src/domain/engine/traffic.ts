import type { Workload } from './workload';

/** A billing window for Bedrock Custom Model Import, and the idle time before it scales to zero. */
export const WINDOW_SECONDS = 300;

/**
 * The traffic shape the window model and the sizing need, derived from a workload. Active time is
 * cut into segments: one per active day when traffic stops each day (the copy goes cold between
 * days), or a single segment for the whole month when traffic runs around the clock.
 */
export interface TrafficShape {
  requestsPerMonth: number;
  inputTokensPerMonth: number;
  outputTokensPerMonth: number;
  tokensPerMonth: number;
  activeHoursPerMonth: number;
  /** Requests on each active day, and how many such days a month. */
  requestsPerActiveDay: number;
  activeDaysPerMonth: number;
  /** Mean arrivals per second within active time (λ). */
  arrivalRatePerSecond: number;
  /** Gamma shape of inter-arrival gaps: 1 / burstiness (1 = Poisson). */
  gapShape: number;
  segmentSeconds: number;
  segmentsPerMonth: number;
  /** Output tokens per second at the peak: sizes copies, boxes and model units. */
  peakOutputTokensPerSecond: number;
}

export function trafficShapeOf(workload: Workload): TrafficShape {
  const activeSecondsPerDay = workload.activeHoursPerDay * 3600;
  const requestsPerMonth = workload.requestsPerDay * workload.activeDaysPerMonth;
  const arrivalRatePerSecond = workload.requestsPerDay / activeSecondsPerDay;
  const aroundTheClock = workload.activeHoursPerDay >= 24;
  return {
    requestsPerMonth,
    inputTokensPerMonth: requestsPerMonth * workload.meanInputTokens,
    outputTokensPerMonth: requestsPerMonth * workload.meanOutputTokens,
    tokensPerMonth: requestsPerMonth * (workload.meanInputTokens + workload.meanOutputTokens),
    activeHoursPerMonth: workload.activeHoursPerDay * workload.activeDaysPerMonth,
    requestsPerActiveDay: workload.requestsPerDay,
    activeDaysPerMonth: workload.activeDaysPerMonth,
    arrivalRatePerSecond,
    gapShape: 1 / workload.burstiness,
    segmentSeconds: aroundTheClock ? workload.activeDaysPerMonth * 86_400 : activeSecondsPerDay,
    segmentsPerMonth: aroundTheClock ? 1 : workload.activeDaysPerMonth,
    peakOutputTokensPerSecond: arrivalRatePerSecond * workload.meanOutputTokens * workload.peakToMean,
  };
}

/** The same workload with its volume scaled (shape, SLOs and model unchanged). */
export function withRequestsPerMonth(workload: Workload, requestsPerMonth: number): Workload {
  return { ...workload, requestsPerDay: requestsPerMonth / workload.activeDaysPerMonth };
}
