import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateBilledWindows } from '../../../src/domain/engine/simulate';
import { trafficShapeOf } from '../../../src/domain/engine/traffic';
import {
  BILLING_READINGS,
  billedWindowsPerMonth,
  estimateBilledWindows,
  probabilityOfNoArrival,
  STATED_BILLING_READING,
  WINDOW_PROBABILITY_PRECISION,
} from '../../../src/domain/engine/windows';
import { baseModelWorkload, customRetrievalWorkload } from '../../fixtures/lab/lab-workloads';

const PER_HOUR = [1, 4, 12, 20, 60, 600, 6000, 18_000];

function shapeFor(requestsPerHour: number, activeHoursPerDay: number, burstiness: number) {
  const workload =
    activeHoursPerDay >= 24
      ? baseModelWorkload({ requestsPerDay: requestsPerHour * 24, burstiness })
      : customRetrievalWorkload({
          requestsPerDay: requestsPerHour * activeHoursPerDay,
          activeHoursPerDay,
          burstiness,
        });
  return trafficShapeOf(workload);
}

/** Enough simulated segments for ~0.5% sampling noise, capped so the suite stays quick. */
function segmentsFor(requestsPerSegment: number): number {
  return Math.max(4, Math.min(4000, Math.round(300_000 / Math.max(1, requestsPerSegment))));
}

describe('billed-window model against a seeded simulation of arrivals', () => {
  it('states the clock-aligned reading as its rule', () => {
    expect(STATED_BILLING_READING).toBe('CLOCK_ALIGNED');
  });

  const cases: [number, number, number][] = [];
  for (const hours of [10, 55 / 60])
    for (const burstiness of [1, 0.5, 3])
      for (const perHour of PER_HOUR) cases.push([hours, burstiness, perHour]);
  for (const burstiness of [1, 3])
    for (const perHour of [1, 12, 60, 600]) cases.push([24, burstiness, perHour]);

  it.each(cases)(
    '%s h/day, burstiness %s, %s requests/hour: clock-aligned within 3 percent, warm-period within 6',
    (hours, burstiness, perHour) => {
      const shape = shapeFor(perHour, hours, burstiness);
      const requestsPerSegment = shape.arrivalRatePerSecond * shape.segmentSeconds;
      // Around the clock, a segment is a whole month; simulate several months' worth of segments.
      const simulated = simulateBilledWindows(shape, segmentsFor(requestsPerSegment), 1234 + perHour);
      const clock = estimateBilledWindows(shape, 'CLOCK_ALIGNED');
      const warm = estimateBilledWindows(shape, 'WARM_PERIOD');
      expect(Math.abs(clock.billedWindowsPerMonth / simulated.clockAlignedWindowsPerMonth - 1)).toBeLessThan(
        0.03,
      );
      expect(Math.abs(warm.billedWindowsPerMonth / simulated.warmPeriodWindowsPerMonth - 1)).toBeLessThan(
        0.06,
      );
      expect(Math.abs(clock.coldStartsPerMonth / simulated.coldStartsPerMonth - 1)).toBeLessThan(0.03);
      expect(Math.abs(clock.warmHoursPerMonth / simulated.warmHoursPerMonth - 1)).toBeLessThan(0.03);
    },
  );

  it('shows the two readings apart by up to ~20% when requests come every few minutes, and 2x for lone requests', () => {
    const everyThreeMinutes =
      estimateBilledWindows(shapeFor(20, 10, 1), 'WARM_PERIOD').billedWindowsPerMonth /
      estimateBilledWindows(shapeFor(20, 10, 1), 'CLOCK_ALIGNED').billedWindowsPerMonth;
    const everyFiveMinutes =
      estimateBilledWindows(shapeFor(12, 10, 1), 'WARM_PERIOD').billedWindowsPerMonth /
      estimateBilledWindows(shapeFor(12, 10, 1), 'CLOCK_ALIGNED').billedWindowsPerMonth;
    const hourly =
      estimateBilledWindows(shapeFor(1, 10, 1), 'WARM_PERIOD').billedWindowsPerMonth /
      estimateBilledWindows(shapeFor(1, 10, 1), 'CLOCK_ALIGNED').billedWindowsPerMonth;
    expect(everyFiveMinutes).toBeGreaterThan(0.8);
    expect(everyFiveMinutes).toBeLessThan(0.95);
    expect(everyThreeMinutes).toBeGreaterThan(0.9);
    expect(hourly).toBeGreaterThan(0.5);
    expect(hourly).toBeLessThan(0.6);
  });

  it('reduces to e^(−λL) for Poisson and integrates to the forward-recurrence mean for gamma gaps', () => {
    const poisson = shapeFor(12, 10, 1);
    // Equal to the closed form within the stated precision (half a grid step of rounding).
    expect(
      Math.abs(probabilityOfNoArrival(poisson, 300) - Math.exp(-poisson.arrivalRatePerSecond * 300)),
    ).toBeLessThanOrEqual(WINDOW_PROBABILITY_PRECISION / 2 + 1e-15);
    // Near-Poisson gamma shape must agree with the Poisson closed form.
    const nearPoisson = { ...poisson, gapShape: 1 + 1e-9 };
    expect(probabilityOfNoArrival(nearPoisson, 300)).toBeCloseTo(
      Math.exp(-poisson.arrivalRatePerSecond * 300),
      6,
    );
    const bursty = shapeFor(12, 10, 3);
    // ∫₀^∞ P₀ = E[X²] / (2 E[X]) = (1 + 1/k) / (2λ) for Gamma(k) gaps.
    let integral = 0;
    const step = 1;
    for (let t = 0; t < 200_000; t += step) integral += probabilityOfNoArrival(bursty, t + step / 2) * step;
    const expected = (1 + 1 / bursty.gapShape) / (2 * bursty.arrivalRatePerSecond);
    expect(Math.abs(integral / expected - 1)).toBeLessThan(0.002);
  });

  it('bills nothing for no traffic and every window for dense traffic', () => {
    expect(estimateBilledWindows(shapeFor(0, 10, 1)).billedWindowsPerMonth).toBe(0);
    const dense = estimateBilledWindows(shapeFor(18_000, 10, 1));
    // 120 windows in 10 hours plus the idle tail's window, on 22 days.
    expect(dense.billedWindowsPerMonth).toBeCloseTo(121 * 22, 6);
  });

  it('bills at least one window, one warm tail and one cold start on every day with traffic, at any burstiness (issue 12, item 8)', () => {
    // The case: 20 requests a day at burstiness 1000 on 22 days billed 7.4 windows a month
    // (the renewal model alone leaves most days empty); one a day with traffic is the floor.
    const extreme = estimateBilledWindows(
      trafficShapeOf(customRetrievalWorkload({ requestsPerDay: 20, burstiness: 1000 })),
    );
    expect(extreme.billedWindowsPerMonth).toBe(22);
    expect(extreme.coldStartsPerMonth).toBe(22);
    expect(extreme.warmHoursPerMonth).toBeCloseTo((22 * 5) / 60, 12);
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.constantFrom(0.5, 1, 10, 23.9),
        fc.integer({ min: 1, max: 31 }),
        fc.constantFrom(...BILLING_READINGS),
        (requestsPerDay, burstiness, activeHoursPerDay, activeDaysPerMonth, reading) => {
          const shape = trafficShapeOf(
            customRetrievalWorkload({ requestsPerDay, burstiness, activeHoursPerDay, activeDaysPerMonth }),
          );
          const estimate = estimateBilledWindows(shape, reading);
          expect(estimate.billedWindowsPerMonth).toBeGreaterThanOrEqual(activeDaysPerMonth);
          // Billed windows cover the warm time; clock-aligned, at most every window of the active
          // hours plus the idle tail's, each day; counted from each first call, at most the warm
          // time plus one part-window per warm period.
          const warmWindows = (estimate.warmHoursPerMonth * 60) / 5;
          expect(estimate.billedWindowsPerMonth).toBeGreaterThanOrEqual(warmWindows * (1 - 1e-9));
          const ceiling =
            reading === 'CLOCK_ALIGNED'
              ? (Math.ceil((activeHoursPerDay * 3600) / 300) + 1) * activeDaysPerMonth
              : warmWindows + estimate.coldStartsPerMonth;
          expect(estimate.billedWindowsPerMonth).toBeLessThanOrEqual(ceiling * (1 + 1e-6));
          expect(estimate.coldStartsPerMonth).toBeGreaterThanOrEqual(activeDaysPerMonth);
          expect(estimate.warmHoursPerMonth).toBeGreaterThanOrEqual((activeDaysPerMonth * 5) / 60 - 1e-9);
          expect(estimate.billedCopyHoursPerMonth).toBeCloseTo((estimate.billedWindowsPerMonth * 5) / 60, 9);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('billedWindowsPerMonth', () => {
  it('is the estimate’s billed windows, for either reading, from no traffic to dense', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 50_000, noNaN: true }),
        fc.constantFrom(0.5, 1, 8, 10, 24),
        fc.constantFrom(0.25, 0.5, 1, 2, 4, 8),
        fc.constantFrom(...BILLING_READINGS),
        (requestsPerHour, activeHoursPerDay, burstiness, reading) => {
          const shape = shapeFor(requestsPerHour, activeHoursPerDay, burstiness);
          expect(billedWindowsPerMonth(shape, reading)).toBe(
            estimateBilledWindows(shape, reading).billedWindowsPerMonth,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
