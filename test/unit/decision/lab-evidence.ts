import Decimal from 'decimal.js';
import type { Workload } from '../../../src/domain/decision/workload';

/**
 * Workloads for the lab's questions. The evidence itself lives in one place,
 * `src/domain/decision/fixtures/lab.ts`, shared with `bench/engine.ts`.
 */

/** The lab's custom-model retrieval workload: business hours, custom weights we must own. */
export function customRetrievalWorkload(overrides: Partial<Workload> = {}): Workload {
  return {
    requestsPerDay: 1000,
    meanInputTokens: 900,
    meanOutputTokens: 250,
    activeHoursPerDay: 10,
    activeDaysPerMonth: 22,
    burstiness: 1,
    peakToMean: 2,
    modelSlug: 'llama-3.1-8b-lora',
    needsCustomWeights: true,
    mustOwnWeights: true,
    minDecodeTokensPerSecond: 30,
    maxTtftMsP95: null,
    minAcceptedRate: 0.6,
    neededByDays: 30,
    horizonMonths: 36,
    monthlyBudget: new Decimal('1500'),
    region: 'us-east-1',
    ...overrides,
  };
}

/** A base-model workload with no speed SLO, traffic around the clock: the commodity-token case. */
export function baseModelWorkload(overrides: Partial<Workload> = {}): Workload {
  return customRetrievalWorkload({
    modelSlug: 'llama-3.1-8b',
    needsCustomWeights: false,
    mustOwnWeights: false,
    minDecodeTokensPerSecond: null,
    minAcceptedRate: null,
    neededByDays: null,
    monthlyBudget: null,
    activeHoursPerDay: 24,
    activeDaysPerMonth: 730 / 24,
    peakToMean: 1,
    ...overrides,
  });
}

export const MOE_ALTERNATIVE = ['moe-26b-a4b-lora'];
