import { regularizedLowerGamma, regularizedUpperGamma } from './special-functions';
import { type TrafficShape, WINDOW_SECONDS } from './traffic';

/**
 * Billed 5-minute windows for Custom Model Import under a traffic shape.
 *
 * Arrival model: within each active segment, requests form a stationary renewal process with
 * Gamma(shape k = 1 / burstiness) gaps of mean 1/λ (k = 1 is Poisson). The copy is warm from each
 * call until 300 s after it, so it is warm exactly on the union of [tᵢ, tᵢ + 300 s].
 *
 * AWS's wording ("5-minute windows from the first successful call") fits two readings:
 * - CLOCK_ALIGNED (the rule this engine uses for cost): windows are fixed 5-minute clock intervals
 *   and every window in which the copy is warm at any moment is billed. A window [a, a + 300) is then
 *   billed exactly when a request lands in (a − 300, a + 300), so its probability is 1 − P₀(600 s)
 *   and the expectation has a closed form. It is also the more expensive reading almost always
 *   (a lone request bills its own window and the one its idle tail runs into), so costs built on it
 *   do not flatter the cloud path.
 * - WARM_PERIOD: each warm period (cold start at its first call, scale-to-zero 300 s after its last)
 *   is billed as ceil(duration / 300 s) windows. Estimated here from the exact expected warm time
 *   plus half a window of rounding per multi-call period; reported as the other end of the range.
 */
export const BILLING_READINGS = ['CLOCK_ALIGNED', 'WARM_PERIOD'] as const;
export type BillingReading = (typeof BILLING_READINGS)[number];

export const STATED_BILLING_READING: BillingReading = 'CLOCK_ALIGNED';

export const BILLING_RULE_TEXT =
  'Custom Model Import is costed with clock-aligned 5-minute windows: a window is billed when the copy is warm at any moment in it, and a copy stays warm 5 minutes after its last call. The other reading (each warm period billed as whole windows from its first call) is shown as the range.';

export interface WindowEstimate {
  reading: BillingReading;
  billedWindowsPerMonth: number;
  /** Billed windows x 5 minutes, in hours: what one copy is charged for. */
  billedCopyHoursPerMonth: number;
  /** Expected time the copy is actually warm (union of call + 5-minute tail), hours. */
  warmHoursPerMonth: number;
  /** Returns from zero: each one is a cold start. */
  coldStartsPerMonth: number;
}

/**
 * P₀(L): probability that an interval of length L seconds inside active time holds no arrival.
 * For a stationary renewal process this is λ·E[(X − L)⁺], which for Gamma(k, θ = 1/(kλ)) gaps is
 * Q(k + 1, L/θ) − λL·Q(k, L/θ); for Poisson it reduces to e^(−λL).
 */
export function probabilityOfNoArrival(shape: TrafficShape, lengthSeconds: number): number {
  const rate = shape.arrivalRatePerSecond;
  if (rate <= 0 || lengthSeconds <= 0) return 1;
  const k = shape.gapShape;
  if (k === 1) return atStatedPrecision(Math.exp(-rate * lengthSeconds));
  const x = k * rate * lengthSeconds;
  const value = regularizedUpperGamma(k + 1, x) - rate * lengthSeconds * regularizedUpperGamma(k, x);
  return atStatedPrecision(Math.min(1, Math.max(0, value)));
}

/**
 * Window probabilities are stated to 1e-9 (a billing error below a millionth of a dollar a month).
 * The gamma form subtracts two nearly equal terms, so the raw double wobbles by ~1e-16 as the rate
 * rises: a cost could fall by picodollars at a volume step. Rounding to a grid far coarser than
 * that wobble keeps the probability, and so the cost, monotone in volume (a property test checks).
 */
export const WINDOW_PROBABILITY_PRECISION = 1e-9;

function atStatedPrecision(probability: number): number {
  return Math.round(probability / WINDOW_PROBABILITY_PRECISION) * WINDOW_PROBABILITY_PRECISION;
}

/** P(a gap between consecutive requests is longer than L). */
function probabilityGapLongerThan(shape: TrafficShape, lengthSeconds: number): number {
  const rate = shape.arrivalRatePerSecond;
  if (rate <= 0) return 1;
  const k = shape.gapShape;
  if (k === 1) return Math.exp(-rate * lengthSeconds);
  return regularizedUpperGamma(k, k * rate * lengthSeconds);
}

/** ∫₀ᵃ P₀(u) du, in closed form from the gamma partial moments (see windows.test for the check). */
function integralOfNoArrival(shape: TrafficShape, upperSeconds: number): number {
  const rate = shape.arrivalRatePerSecond;
  if (rate <= 0) return upperSeconds;
  const k = shape.gapShape;
  if (k === 1) return -Math.expm1(-rate * upperSeconds) / rate;
  const x = k * rate * upperSeconds;
  return (
    ((k + 1) / (2 * k * rate)) * regularizedLowerGamma(k + 2, x) +
    upperSeconds * regularizedUpperGamma(k + 1, x) -
    ((rate * upperSeconds * upperSeconds) / 2) * regularizedUpperGamma(k, x)
  );
}

/** Expected clock-aligned billed windows in one segment of length T (see the type's comment). */
function clockAlignedWindowsPerSegment(shape: TrafficShape): number {
  const segment = shape.segmentSeconds;
  const windowsFullyInside = Math.floor(segment / WINDOW_SECONDS + 1e-9);
  const lastWindow = Math.ceil(segment / WINDOW_SECONDS - 1e-9);
  const interiorCount = Math.max(0, windowsFullyInside - 1);
  let expected = interiorCount * (1 - probabilityOfNoArrival(shape, 2 * WINDOW_SECONDS));
  expected += billedProbability(shape, 0);
  for (let windowIndex = Math.max(1, windowsFullyInside); windowIndex <= lastWindow; windowIndex++) {
    expected += billedProbability(shape, windowIndex);
  }
  return expected;
}

/**
 * Window k covers [300k, 300k + 300); it is billed when a request lands in the part of
 * (300k − 300, 300k + 300) that lies inside the segment. (A function of its own, not a closure in
 * the caller: tsx names every named closure each time it is made, a cost per window estimate.)
 */
function billedProbability(shape: TrafficShape, windowIndex: number): number {
  const from = Math.max(0, WINDOW_SECONDS * (windowIndex - 1));
  const to = Math.min(shape.segmentSeconds, WINDOW_SECONDS * (windowIndex + 1));
  return to > from ? 1 - probabilityOfNoArrival(shape, to - from) : 0;
}

/** Expected warm seconds in one segment: ∫ P(a request in the last 300 s) over the segment + tail. */
function warmSecondsPerSegment(shape: TrafficShape): number {
  const segment = shape.segmentSeconds;
  const ramp = Math.min(segment, WINDOW_SECONDS);
  // Warm at time s when a request landed in [s − 300, s] ∩ [0, T]; that interval grows over the
  // first 300 s, stays 300 s long, and shrinks over the 300 s after the segment ends.
  const rampWarmth = ramp - integralOfNoArrival(shape, ramp);
  return 2 * rampWarmth + Math.abs(segment - WINDOW_SECONDS) * (1 - probabilityOfNoArrival(shape, ramp));
}

/**
 * Expected cold starts in one segment: the first request, plus every later request whose gap to the
 * previous one exceeds 300 s. For T ≥ 300 s this is 1 − P₀(300) + λ(T − 300)·P(gap > 300).
 */
function coldStartsPerSegment(shape: TrafficShape): number {
  const segment = shape.segmentSeconds;
  if (segment <= WINDOW_SECONDS) return 1 - probabilityOfNoArrival(shape, segment);
  return (
    1 -
    probabilityOfNoArrival(shape, WINDOW_SECONDS) +
    shape.arrivalRatePerSecond * (segment - WINDOW_SECONDS) * probabilityGapLongerThan(shape, WINDOW_SECONDS)
  );
}

/**
 * The warm-period reading: ceil(duration / 300) windows per warm period. Expected warm time is
 * exact; the rounding adds nothing to a lone call (exactly 300 s) and about half a window to a
 * period with several calls.
 */
function warmPeriodWindowsPerSegment(shape: TrafficShape, coldStarts: number, warmSeconds: number): number {
  const loneCallPeriods = coldStarts * probabilityGapLongerThan(shape, WINDOW_SECONDS);
  const multiCallPeriods = Math.max(0, coldStarts - loneCallPeriods);
  return warmSeconds / WINDOW_SECONDS + 0.5 * multiCallPeriods;
}

/**
 * Fewer than a trillionth of a request per segment is no traffic to bill, and the gamma terms
 * would divide by a denormal rate (Infinity x 0).
 */
function noTraffic(shape: TrafficShape): boolean {
  return shape.arrivalRatePerSecond * shape.segmentSeconds < 1e-12;
}

/**
 * The workload puts its requests on every active day: with at least one a day, every day with
 * traffic bills at least one window, is warm at least one idle tail and (when the copy goes cold
 * between days) starts cold at least once. The stationary renewal model alone can fall below that
 * at extreme burstiness, where it leaves most days empty and crowds a few, which the workload rules
 * out. A floor, not a replacement, so cost stays monotone in volume.
 */
function dailyFloorOf(shape: TrafficShape): number {
  return shape.requestsPerActiveDay >= 1 ? shape.activeDaysPerMonth : 0;
}

/**
 * `estimateBilledWindows(shape, reading).billedWindowsPerMonth` alone. The clock-aligned reading
 * (the stated one) needs neither the warm time nor the cold starts, two thirds of the estimate's
 * gamma terms; a path's total reads nothing else, and curves and break-evens take hundreds.
 */
export function billedWindowsPerMonth(
  shape: TrafficShape,
  reading: BillingReading = STATED_BILLING_READING,
): number {
  if (reading !== 'CLOCK_ALIGNED') return estimateBilledWindows(shape, reading).billedWindowsPerMonth;
  if (noTraffic(shape)) return 0;
  return Math.max(clockAlignedWindowsPerSegment(shape) * shape.segmentsPerMonth, dailyFloorOf(shape));
}

export function estimateBilledWindows(
  shape: TrafficShape,
  reading: BillingReading = STATED_BILLING_READING,
): WindowEstimate {
  if (noTraffic(shape)) {
    return {
      reading,
      billedWindowsPerMonth: 0,
      billedCopyHoursPerMonth: 0,
      warmHoursPerMonth: 0,
      coldStartsPerMonth: 0,
    };
  }
  const coldStarts = coldStartsPerSegment(shape);
  const warmSeconds = warmSecondsPerSegment(shape);
  const windowsPerSegment =
    reading === 'CLOCK_ALIGNED'
      ? clockAlignedWindowsPerSegment(shape)
      : warmPeriodWindowsPerSegment(shape, coldStarts, warmSeconds);
  const dailyFloor = dailyFloorOf(shape);
  const segmentsAreDays = shape.segmentsPerMonth === shape.activeDaysPerMonth;
  const billedWindowsPerMonth = Math.max(windowsPerSegment * shape.segmentsPerMonth, dailyFloor);
  return {
    reading,
    billedWindowsPerMonth,
    billedCopyHoursPerMonth: (billedWindowsPerMonth * WINDOW_SECONDS) / 3600,
    warmHoursPerMonth: Math.max(warmSeconds * shape.segmentsPerMonth, dailyFloor * WINDOW_SECONDS) / 3600,
    coldStartsPerMonth: Math.max(coldStarts * shape.segmentsPerMonth, segmentsAreDays ? dailyFloor : 0),
  };
}
